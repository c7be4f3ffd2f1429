"""marshal_json: /api/v1/status configJSON (compat-tests/config/test_config_json_compat.py checks it
against the real binary on many configs; these pin the rules that differ from the YAML form)."""

from __future__ import annotations

import json

from amclone.config import ConfigJSON, load, marshal_json

SMALL = """global:
  slack_api_url: https://hooks.slack.com/x
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  routes:
  - receiver: hook
    match_re: {team: 'db|web'}
    matchers: ['env=~"prod|stage"']
    continue: true
receivers:
- name: hook
  webhook_configs:
  - url: http://127.0.0.1:15001/hook
    http_config:
      proxy_url: http://u:pw@proxy:3128
  telegram_configs:
  - bot_token: t
    chat_id: 7
templates: []
time_intervals:
- name: t
"""

# What Alertmanager 0.25 answers for SMALL (json tags, struct fields never omitted, the proxy
# password kept, secrets HTML-escaped, [] templates against a nil time_intervals).
SMALL_JSON = r'''{"global":{"resolve_timeout":"5m","http_config":{"proxy_url":null,"tls_config":{"insecure_skip_verify":false},"follow_redirects":true,"enable_http2":true},"smtp_hello":"localhost","smtp_smarthost":"","smtp_require_tls":true,"slack_api_url":"\u003csecret\u003e","pagerduty_url":"https://events.pagerduty.com/v2/enqueue","opsgenie_api_url":"https://api.opsgenie.com/","wechat_api_url":"https://qyapi.weixin.qq.com/cgi-bin/","victorops_api_url":"https://alert.victorops.com/integrations/generic/20131114/alert/","telegram_api_url":"https://api.telegram.org","webex_api_url":"https://webexapis.com/v1/messages"},"route":{"receiver":"hook","group_by":["alertname"],"routes":[{"receiver":"hook","match_re":{"team":"db|web"},"matchers":["env=~\"prod|stage\""],"continue":true}],"group_wait":"1s"},"receivers":[{"name":"hook","webhook_configs":[{"send_resolved":true,"http_config":{"proxy_url":"http://u:pw@proxy:3128","tls_config":{"insecure_skip_verify":false},"follow_redirects":true,"enable_http2":true},"url":"http://127.0.0.1:15001/hook","max_alerts":0}],"telegram_configs":[{"send_resolved":true,"http_config":{"proxy_url":null,"tls_config":{"insecure_skip_verify":false},"follow_redirects":true,"enable_http2":true},"api_url":"https://api.telegram.org","token":"\u003csecret\u003e","chat":7,"message":"{{ template \"telegram.default.message\" . }}","parse_mode":"HTML"}]}],"templates":[],"time_intervals":[{"name":"t","time_intervals":null}]}'''


def test_small_config_as_alertmanager_writes_it() -> None:
    result = marshal_json(load(SMALL))
    assert result.error == ""
    assert result.text() == SMALL_JSON


def test_nil_and_empty_lists_follow_the_yaml() -> None:
    base = "route: {receiver: r}\nreceivers: [{name: r}]\n"
    for templates, expected in (("", None), ("templates: ~\n", None), ("templates: []\n", [])):
        data = marshal_json(load(base + templates)).data
        assert data["templates"] == expected


def test_tls_version_fails_as_go_does() -> None:
    result = marshal_json(load("route: {receiver: r}\nreceivers:\n- name: r\n  webhook_configs:\n"
                               "  - url: http://a/\n    http_config: {tls_config: {min_version: TLS12}}\n"))
    assert result == ConfigJSON(None, "json: error calling MarshalJSON for type config.TLSVersion: "
                                      "invalid character 'T' looking for beginning of value")


def test_unused_email_receiver_gets_no_headers() -> None:
    text = ("global: {smtp_smarthost: 'h:25', smtp_from: f@x}\nroute: {receiver: a}\n"
            "receivers:\n- name: a\n  email_configs: [{to: a@x}]\n- name: b\n  email_configs: [{to: b@x}]\n")
    receivers = json.loads(marshal_json(load(text)).text())["receivers"]
    assert receivers[0]["email_configs"][0]["headers"] == {"From": "f@x", "Subject":
                                                           '{{ template "email.default.subject" . }}', "To": "a@x"}
    assert "headers" not in receivers[1]["email_configs"][0]
