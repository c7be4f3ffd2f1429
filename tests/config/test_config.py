"""Loading whole files: defaults, global fallbacks, cross-checks, paths and error metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from amclone.config import ConfigError, Secret, load, load_file

BASE = "route:\n  receiver: r\nreceivers:\n- name: r\n"


def rcv(body: str, head: str = "") -> str:
    return head + BASE + "".join("  " + line + "\n" for line in body.strip("\n").split("\n"))


def test_minimal_config_gets_default_global() -> None:
    cfg = load(BASE)
    g = cfg.global_
    assert g is not None
    assert g.resolve_timeout == 5 * 60 * 10**9
    assert g.smtp_hello == "localhost" and g.smtp_require_tls is True
    assert str(g.pagerduty_url) == "https://events.pagerduty.com/v2/enqueue"
    assert g.http_config is not None and g.http_config.follow_redirects and g.http_config.enable_http2
    assert cfg.original == BASE
    assert cfg.route is not None and cfg.route.receiver == "r"


@pytest.mark.parametrize("kind,body,send_resolved", [
    ("webhook_configs", "- url: http://x/", True),
    ("email_configs", "- to: a@b\n  smarthost: 'h:25'\n  from: f@x", False),
    ("slack_configs", "- api_url: http://x/", False),
    ("pagerduty_configs", "- routing_key: k", True),
    ("opsgenie_configs", "- api_key: k", True),
    ("wechat_configs", "- api_secret: s\n  corp_id: c", False),
    ("pushover_configs", "- user_key: u\n  token: t", True),
    ("victorops_configs", "- api_key: k\n  routing_key: r", True),
    ("sns_configs", "- topic_arn: a", True),
    ("telegram_configs", "- bot_token: t\n  chat_id: 5", True),
    ("discord_configs", "- webhook_url: http://x/", True),
    ("webex_configs", "- room_id: r\n  http_config:\n    authorization: {credentials: c}", True),
])
def test_send_resolved_defaults(kind: str, body: str, send_resolved: bool) -> None:
    text = rcv(kind + ":\n" + "\n".join("  " + x for x in body.split("\n")))
    cfg = load(text)
    (integration,) = getattr(cfg.receivers[0], kind)
    assert integration.send_resolved is send_resolved


def test_http_config_defaults_to_the_global_object() -> None:
    cfg = load(rcv("webhook_configs:\n- url: http://x/\n- url: http://y/\n  http_config: {follow_redirects: false}"))
    a, b = cfg.receivers[0].webhook_configs
    assert cfg.global_ is not None
    assert a.http_config is cfg.global_.http_config
    assert b.http_config is not None and b.http_config.follow_redirects is False
    assert b.http_config.enable_http2 is True  # common's defaults apply to every http_config block


def test_template_defaults_and_pagerduty_details() -> None:
    cfg = load(rcv("pagerduty_configs:\n- service_key: k\n  details: {extra: x}"))
    pd = cfg.receivers[0].pagerduty_configs[0]
    assert pd.client == '{{ template "pagerduty.default.client" . }}'
    assert pd.source == pd.client
    assert pd.details["extra"] == "x" and pd.details["num_firing"] == "{{ .Alerts.Firing | len }}"
    assert pd.url is not None and str(pd.url) == "https://events.pagerduty.com/v2/enqueue"


def test_email_takes_global_smtp_settings() -> None:
    head = ("global:\n  smtp_smarthost: 'mail:587'\n  smtp_from: am@x\n  smtp_auth_username: u\n"
            "  smtp_auth_password: p\n  smtp_require_tls: false\n")
    cfg = load(rcv("email_configs:\n- to: a@b", head))
    e = cfg.receivers[0].email_configs[0]
    assert (str(e.smarthost), e.from_, e.hello, e.auth_username) == ("mail:587", "am@x", "localhost", "u")
    assert e.auth_password == Secret("p") and e.require_tls is False
    assert e.html == '{{ template "email.default.html" . }}'


def test_opsgenie_url_gets_a_trailing_slash_also_in_global() -> None:
    cfg = load(rcv("opsgenie_configs:\n- api_key: k", "global:\n  opsgenie_api_url: https://eu.opsgenie\n"))
    og = cfg.receivers[0].opsgenie_configs[0]
    assert og.api_url is not None and str(og.api_url) == "https://eu.opsgenie/"
    assert cfg.global_ is not None and str(cfg.global_.opsgenie_api_url) == "https://eu.opsgenie/"


def test_secrets_never_print() -> None:
    cfg = load(rcv("slack_configs:\n- api_url: https://hooks.slack.com/T/hunter2"))
    sc = cfg.receivers[0].slack_configs[0]
    assert "hunter2" not in repr(sc.api_url) and str(sc.api_url) == "<secret>"
    assert sc.api_url is not None and sc.api_url.reveal() == "https://hooks.slack.com/T/hunter2"
    assert str(Secret("x")) == "<secret>" and repr(Secret("x")) == "Secret('<secret>')"


def test_route_tree_and_group_by_all() -> None:
    cfg = load("route:\n  receiver: r\n  routes:\n  - group_by: ['...']\n    matchers: ['b=\"1\", a=~\"x\"']\n"
               "    continue: true\n" + "receivers:\n- name: r\n")
    assert cfg.route is not None
    child = cfg.route.routes[0]
    assert child.group_by_all and child.continue_ and child.receiver == ""
    assert [m.name for m in child.matchers] == ["a", "b"]  # sorted as 0.25 does
    assert child.group_wait is None  # inheritance is the dispatcher's job


def test_error_carries_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "am.yml"
    p.write_text(BASE + "bogus: 1\n")
    with pytest.raises(ConfigError) as e:
        load_file(str(p))
    assert str(e.value) == "yaml: unmarshal errors:\n  line 5: field bogus not found in type config.plain"
    assert e.value.file == str(p) and e.value.line == 5


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="open /nonexistent/am.yml: no such file or directory"):
        load_file("/nonexistent/am.yml")


def test_relative_paths_resolve_against_the_config_dir(tmp_path: Path) -> None:
    p = tmp_path / "am.yml"
    p.write_text("global:\n  http_config:\n    tls_config: {ca_file: ca.pem}\n" + BASE
                 + "  opsgenie_configs:\n  - api_key_file: key.txt\n    http_config:\n"
                   "      basic_auth: {username: u, password_file: pw}\n"
                 + "templates: ['t/*.tmpl', '/abs/*.tmpl']\n")
    cfg = load_file(str(p))
    assert cfg.templates == (str(tmp_path / "t/*.tmpl"), "/abs/*.tmpl")
    assert cfg.global_ is not None and cfg.global_.http_config is not None
    assert cfg.global_.http_config.tls_config.ca_file == str(tmp_path / "ca.pem")
    og = cfg.receivers[0].opsgenie_configs[0]
    assert og.api_key_file == "key.txt"  # receivers' own *_file keys stay as written in 0.25
    assert og.http_config is not None and og.http_config.basic_auth is not None
    assert og.http_config.basic_auth.password_file == str(tmp_path / "pw")


def test_bearer_token_becomes_authorization() -> None:
    cfg = load(rcv("webhook_configs:\n- url: http://x/\n  http_config: {bearer_token: t}"))
    hc = cfg.receivers[0].webhook_configs[0].http_config
    assert hc is not None and hc.authorization is not None
    assert (hc.authorization.type, hc.authorization.credentials.reveal(), hc.bearer_token.reveal()) == (
        "Bearer", "t", "")


def test_time_intervals_are_parsed() -> None:
    cfg = load("route:\n  receiver: r\n  routes:\n  - mute_time_intervals: [w]\n" + "receivers:\n- name: r\n"
               "time_intervals:\n- name: w\n  time_intervals:\n  - weekdays: ['monday:friday']\n"
               "    times: [{start_time: '09:00', end_time: '17:00'}]\n")
    (ti,) = cfg.time_intervals
    assert ti.name == "w" and ti.time_intervals[0].times is not None
    assert cfg.named_intervals()["w"] is ti


def test_extended_schema_is_opt_in() -> None:
    text = rcv("msteams_configs:\n- webhook_url: http://teams/")
    with pytest.raises(ConfigError, match="field msteams_configs not found in type config.plain"):
        load(text)
    cfg = load(text, extended=True)
    assert cfg.receivers[0].msteams_configs[0].send_resolved is True  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match="one of webhook_url or webhook_url_file must be configured"):
        load(rcv("msteams_configs:\n- title: t"), extended=True)


def test_deep_route_trees_load_and_marshal() -> None:
    from amclone.config import marshal_yaml
    deep = "route:\n  receiver: r\n" + "".join(
        "  " * (i + 1) + "routes:\n" + "  " * (i + 1) + "- receiver: r\n" for i in range(300)) + "receivers:\n- name: r\n"
    cfg = load(deep)
    assert cfg.route is not None and len(cfg.route.walk()) == 301
    assert marshal_yaml(cfg).count("receiver: r") == 301


def test_validation_errors_know_their_line() -> None:
    with pytest.raises(ConfigError) as e:
        load("route:\n  receiver: r\nreceivers:\n- name: r\n- webhook_configs: []\n")
    assert str(e.value) == "missing name in receiver" and e.value.line == 5


def test_duration_errors_quote_like_go() -> None:
    with pytest.raises(ConfigError) as e:
        load(BASE.replace("receiver: r\n", 'receiver: r\n  group_wait: 5m "x"\n', 1))
    assert str(e.value) == 'not a valid duration string: "5m \\"x\\""'
