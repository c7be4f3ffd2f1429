"""Every 0.25 integration of the real Alertmanager and of amclone, pointed at local capture
servers (HTTP and a real SMTP server), fed the same alerts: the requests must match in method,
path and query, the headers that matter and the body, firing and then resolved, with the
default templates and with a user's template file.

Normalised before comparing, because they differ by nature: the SNS signature and date (the
signature is checked separately: recomputed over what each process sent, it must verify), and
in email the Message-Id, Date and multipart boundary (random in Go too) and the order of the
configured headers (Go walks a map). PagerDuty v1 and Pushover post to fixed https URLs in
0.25: `test_integrations_fixed_urls.py` covers them through a TLS-intercepting proxy.
"""

from __future__ import annotations

import calendar
import json
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from integ_harness import Captured, HttpCapture, SmtpCapture, default_reply

from amclone.notify.integrations import sigv4
from amclone.testing.procs import Managed, start_alertmanager, start_amclone

EXTERNAL = "http://am.example:9093"

INTEGRATIONS = ("/webhook", "/pd", "/og/", "/wechat/", "/slack", "/vo/", "/sns", "/tg/", "/discord", "/webex")

HEADERS = ("content-type", "authorization", "user-agent", "x-auth-token")

CUSTOM_TMPL = """
{{ define "slack.default.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ len .Alerts }}){{ end }}
{{ define "custom.body" }}{{ range .Alerts }}{{ .Labels.instance }}: {{ .Annotations.summary }} <{{ .Status }}>
{{ end }}{{ end }}
"""


def config(u: str, smtp_port: int, tmpl_glob: str | None) -> str:
    custom = tmpl_glob is not None
    body = '"{{ template \\"custom.body\\" . }}"'
    def msg(key: str, block: bool = False) -> str:
        if not custom:
            return ""
        return f"\n    {key}: {body}" if block else f", {key}: {body}"
    templates = f"templates: [{json.dumps(tmpl_glob)}]\n" if custom else ""
    return f"""{templates}route:
  receiver: all
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
- name: all
  webhook_configs: [{{url: "{u}/webhook"}}]
  email_configs:
  - to: "ops@example.com, Dev Team <dev@example.com>"
    from: am@example.com
    smarthost: 127.0.0.1:{smtp_port}
    require_tls: false
    send_resolved: true
    text: 'plain {{{{ .Status }}}} ünïcödé'
    headers: {{Subject: 'Größe {{{{ .CommonLabels.alertname }}}}', X-Custom: 'x'}}
  pagerduty_configs:
  - routing_key: rk1
    url: "{u}/pd"
    severity: '{{{{ .CommonLabels.severity }}}}'
    class: cls
    details: {{extra: '{{{{ .Status }}}}'}}
    images: [{{src: "http://img", alt: a}}, {{src: ""}}]
    links: [{{href: "http://link", text: t}}]{msg("description", True)}
  opsgenie_configs:
  - api_key: ogk
    api_url: "{u}/og/"
    update_alerts: true
    tags: "a, b,,c"
    priority: P2
    entity: '{{{{ .GroupLabels.alertname }}}}'
    responders: [{{name: "t1,t2", type: teams}}, {{username: u1, type: user}}]{msg("message", True)}
  wechat_configs:
  - {{api_secret: sec, corp_id: corp, api_url: "{u}/wechat/", to_user: u1, agent_id: "7", send_resolved: true{msg("message")}}}
  slack_configs:
  - api_url: "{u}/slack"
    channel: "#c"
    send_resolved: true
    link_names: true
    short_fields: true
    fields: [{{title: t, value: '{{{{ .Status }}}}'}}, {{title: u, value: v, short: false}}]
    actions: [{{type: button, text: go, url: "http://x", style: primary}},
              {{type: button, text: ack, name: n, value: v, confirm: {{text: sure, title: T}}}}]{msg("text", True)}
  victorops_configs:
  - {{api_key: vk, api_url: "{u}/vo/", routing_key: '{{{{ .CommonLabels.team }}}}', custom_fields: {{a: b, c: '{{{{ .Status }}}}'}}{msg("state_message")}}}
  sns_configs:
  - api_url: "{u}/sns"
    topic_arn: "arn:aws:sns:us-east-1:1:t.fifo"
    sigv4: {{region: us-east-1, access_key: AK, secret_key: SK}}
    attributes: {{k: v, a: '{{{{ .Status }}}}'}}{msg("message", True)}
  telegram_configs:
  - {{api_url: "{u}/tg", bot_token: "bt", chat_id: -1234, disable_notifications: true{msg("message")}}}
  - {{api_url: "{u}/tg", bot_token: "bt2", chat_id: 5, parse_mode: ""}}
  discord_configs: [{{webhook_url: "{u}/discord"{msg("message")}}}]
  webex_configs: [{{api_url: "{u}/webex", room_id: r1, http_config: {{authorization: {{credentials: wx}}}}{msg("message")}}}]
"""


def slack_reply(method: str, path: str) -> tuple[int, str, bytes]:
    if path.startswith("/slack"):
        return 200, "text/plain", b"ok"
    return default_reply(method, path)


def post_alerts(base: str, alerts: list[dict[str, object]]) -> None:
    req = urllib.request.Request(base + "/api/v2/alerts", json.dumps(alerts).encode(),
                                 {"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


ALERTS = [
    {"labels": {"alertname": "Disk", "instance": "a:9100", "severity": "critical", "team": "infra"},
     "annotations": {"summary": "disk <full> & \"quoted\"", "description": "ü 💥"},
     "startsAt": "2026-01-01T00:00:00Z", "generatorURL": "http://prom/graph?g0.expr=up"},
    {"labels": {"alertname": "Disk", "instance": "b:9100", "severity": "critical", "team": "infra"},
     "annotations": {"summary": "second"}, "startsAt": "2026-01-01T00:00:01.5Z"},
]


def norm_email(data: bytes) -> tuple[list[str], bytes]:
    text = data.replace(b"\r\n", b"\n")
    head, _, body = text.partition(b"\n\n")
    m = re.search(rb"boundary=([0-9a-f]+)", head)
    assert m is not None, head
    bound = m.group(1)
    lines = [ln.decode() for ln in head.split(b"\n")]
    out = []
    for ln in lines:
        if ln.startswith("Message-Id:"):
            assert re.fullmatch(r"Message-Id: <\d+\.\d+@[^>]+>", ln), ln
            ln = "Message-Id: X"
        elif ln.startswith("Date:"):
            ln = "Date: X"
        out.append(ln.replace(bound.decode(), "BOUNDARY"))
    assert len(bound) == 60
    return sorted(out), body.replace(bound, b"BOUNDARY")


def check_sigv4(c: Captured) -> None:
    """The request's signature verifies over what was sent."""
    now = calendar.timegm(time.strptime(c.headers["x-amz-date"], "%Y%m%dT%H%M%SZ"))
    signed = {"Content-Length": c.headers["content-length"], "Content-Type": c.headers["content-type"]}
    url = "http://" + c.headers["host"] + c.path
    want = sigv4.sign(c.method, url, signed, c.body, sigv4.Credentials("AK", "SK"), "us-east-1", "sns", now)
    assert c.headers["authorization"] == want["Authorization"]


def shape(c: Captured) -> tuple[str, str, dict[str, str], bytes]:
    headers = {h: c.headers.get(h, "") for h in HEADERS}
    if c.path.startswith("/sns"):
        check_sigv4(c)
        headers["authorization"] = re.sub(r"/\d{8}/|Signature=[0-9a-f]+", "X", headers["authorization"])
    return c.method, c.path, headers, c.body


class Side:
    def __init__(self, tmp: Path, name: str, tmpl: str | None) -> None:
        self.http = HttpCapture(slack_reply).start()
        self.smtp = SmtpCapture().start()
        d = tmp / name
        d.mkdir()
        glob = None
        if tmpl is not None:
            (d / "custom.tmpl").write_text(tmpl)
            glob = str(d / "*.tmpl")
        (d / "am.yml").write_text(config(self.http.url, self.smtp.port, glob))
        self.dir = d
        self.proc: Managed | None = None
        self.url = ""

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()
        self.http.stop()
        self.smtp.stop()


def huge_alerts() -> list[dict[str, object]]:
    """Past every service's limit: a 1100-rune common label (titles, subjects, summaries) and a
    600 kB annotation (PagerDuty's 512 kB event, SNS's 256 KiB, Telegram, Webex, VictorOps)."""
    long_label = "é" * 1100
    out = []
    for a in ALERTS:
        labels = dict(a["labels"], long=long_label)  # type: ignore[arg-type]
        out.append(dict(a, labels=labels, annotations={"summary": "ü" + "x" * 600_000}))
    return out


@pytest.fixture(params=["default", "custom", "huge"])
def sides(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Side, Side]]:
    tmpl = CUSTOM_TMPL if request.param == "custom" else None
    am, amc = Side(tmp_path, "am", tmpl), Side(tmp_path, "amc", tmpl)
    try:
        am.proc, am.url = start_alertmanager(am.dir / "am.yml", am.dir, extra=[f"--web.external-url={EXTERNAL}"])
        amc.proc, amc.url = start_amclone(amc.dir / "am.yml", amc.dir, extra=[f"--web.external-url={EXTERNAL}"])
        yield am, amc
    finally:
        am.stop()
        amc.stop()


def by_integration(reqs: list[Captured]) -> dict[str, list[tuple[str, str, dict[str, str], bytes]]]:
    out: dict[str, list[tuple[str, str, dict[str, str], bytes]]] = {p: [] for p in INTEGRATIONS}
    for c in reqs:
        for p in INTEGRATIONS:
            if c.path.startswith(p):
                out[p].append(shape(c))
    # telegram's two configs run concurrently: order by body
    out["/tg/"].sort(key=lambda s: s[1] + s[3].decode())
    return out


def wait_all(side: Side, count_per: int) -> None:
    want = {"/og/": 3 * count_per - (2 if count_per == 2 else 0), "/wechat/": count_per + 1, "/tg/": 2 * count_per}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        got = by_integration(side.http.snapshot())
        if all(len(got[p]) >= want.get(p, count_per) for p in INTEGRATIONS) and len(side.smtp.messages) >= count_per:
            time.sleep(0.5)  # anything extra would show
            return
        time.sleep(0.1)


def test_integration_requests_identical(sides: tuple[Side, Side], request: pytest.FixtureRequest) -> None:
    am, amc = sides
    kind = request.node.callspec.params["sides"]
    sent = huge_alerts() if kind == "huge" else ALERTS
    for s in sides:
        post_alerts(s.url, sent)
    for s in sides:
        wait_all(s, 1)
    resolved = [dict(a, endsAt="2026-01-02T00:00:00Z") for a in sent]
    for s in sides:
        post_alerts(s.url, resolved)
    for s in sides:
        wait_all(s, 2)
    want, got = by_integration(am.http.snapshot()), by_integration(amc.http.snapshot())
    for p in INTEGRATIONS:
        assert want[p], f"Alertmanager sent nothing to {p}: {am.proc.output()[-2000:] if am.proc else ''}"
        assert got[p] == want[p], p
    slack_title = json.loads(want["/slack"][0][3])["attachments"][0]["title"]
    custom = kind == "custom"
    if kind == "huge":
        assert len(slack_title) == 1024 and slack_title.endswith("…")
        assert b"Custom details have been removed" in want["/pd"][0][3]
        return
    assert slack_title == ("[FIRING] Disk (2)" if custom else "[FIRING:2] Disk (critical infra)")
    assert custom == (b"a:9100: disk" in want["/webex"][0][3])
    assert json.loads(want["/slack"][1][3])["attachments"][0]["color"] == "good"  # the resolved one
    assert len(am.smtp.messages) == len(amc.smtp.messages) == 2
    for w, g in zip(am.smtp.messages, amc.smtp.messages, strict=True):
        assert (g["from"], g["to"], g["hello"]) == (w["from"], w["to"], w["hello"])
        assert norm_email(g["data"]) == norm_email(w["data"])
