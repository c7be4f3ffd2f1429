"""marshal_yaml: the text /api/v2/status shows (compat-tests/config/test_marshal.py checks it
against the real binary; these pin the rules that produce it)."""

from __future__ import annotations

from amclone.config import load, marshal_yaml

SMALL = """global:
  slack_api_url: https://hooks.slack.com/x
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  routes:
  - receiver: hook
    group_by: ['...']
    matchers: ['team="db"', 'env=~"prod|stage"']
    continue: true
receivers:
- name: hook
  webhook_configs:
  - url: http://127.0.0.1:15001/hook
"""

SMALL_MARSHALLED = """global:
  resolve_timeout: 5m
  http_config:
    follow_redirects: true
    enable_http2: true
  smtp_hello: localhost
  smtp_require_tls: true
  slack_api_url: <secret>
  pagerduty_url: https://events.pagerduty.com/v2/enqueue
  opsgenie_api_url: https://api.opsgenie.com/
  wechat_api_url: https://qyapi.weixin.qq.com/cgi-bin/
  victorops_api_url: https://alert.victorops.com/integrations/generic/20131114/alert/
  telegram_api_url: https://api.telegram.org
  webex_api_url: https://webexapis.com/v1/messages
route:
  receiver: hook
  group_by:
  - alertname
  continue: false
  routes:
  - receiver: hook
    group_by:
    - '...'
    matchers:
    - env=~"prod|stage"
    - team="db"
    continue: true
  group_wait: 1s
receivers:
- name: hook
  webhook_configs:
  - send_resolved: true
    http_config:
      follow_redirects: true
      enable_http2: true
    url: http://127.0.0.1:15001/hook
    max_alerts: 0
templates: []
"""


def test_small_config() -> None:
    assert marshal_yaml(load(SMALL)) == SMALL_MARSHALLED


def test_map_keys_use_go_yaml_natural_order() -> None:
    text = ("route:\n  receiver: r\n  routes:\n  - match: {b10: x, b9: x, B: x, a: x, _z: x}\n"
            "receivers:\n- name: r\n")
    out = marshal_yaml(load(text))
    keys = [line.strip().split(":")[0] for line in out.split("match:\n", 1)[1].split("\n")[:5]]
    assert keys == ["_z", "B", "a", "b9", "b10"]  # non-letters sort before letters


def test_running_adds_email_headers_only_for_routed_receivers() -> None:
    text = ("global:\n  smtp_smarthost: 'h:25'\n  smtp_from: f@x\nroute:\n  receiver: used\nreceivers:\n"
            "- name: used\n  email_configs:\n  - to: a@b\n- name: unused\n  email_configs:\n  - to: c@d\n")
    out = marshal_yaml(load(text))
    used, unused = out.split("- name: unused")
    assert "To: a@b" in used and "From: f@x" in used and 'Subject: \'{{ template "email.default.subject" . }}\'' in used
    assert "headers" not in unused
    assert "headers" not in marshal_yaml(load(text), running=False)


def test_secrets_and_special_strings() -> None:
    text = ("route:\n  receiver: 'r: x'\nreceivers:\n- name: 'r: x'\n  pushover_configs:\n"
            "  - user_key: u\n    token: t\n    message: \"two\\nlines\"\n    retry: 90s\n")
    out = marshal_yaml(load(text))
    assert "- name: 'r: x'" in out
    assert "user_key: <secret>" in out and "token: <secret>" in out
    assert "message: |-\n      two\n      lines" in out
    assert "retry: 1m30s" in out and "expire: 1h0m0s" in out
