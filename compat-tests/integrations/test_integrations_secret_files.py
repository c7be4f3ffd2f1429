"""Secrets read from files (``*_file``), beside Alertmanager 0.25: which ones are trimmed
(PagerDuty routing key, Slack API URL, VictorOps API key) and which are sent as written
(Opsgenie's API key), plus http_config basic auth on an integration."""

from __future__ import annotations

import time
from pathlib import Path

from integ_harness import HttpCapture
from test_integrations_payload import ALERTS, EXTERNAL, post_alerts, slack_reply

from amclone.testing.procs import start_alertmanager, start_amclone

PREFIXES = ("/pd", "/slack", "/vo/", "/og/", "/discord")


def cfg(u: str, d: Path) -> str:
    (d / "rk").write_text("routing-key\n")
    (d / "slack_url").write_text(f"  {u}/slack/hook  \n")
    (d / "vo_key").write_text("vo-key\n\n")
    (d / "og_key").write_text("og key")
    (d / "pw").write_text("hunter2\n")
    return f"""route: {{receiver: r, group_wait: 1s, group_interval: 1s}}
receivers:
- name: r
  pagerduty_configs: [{{routing_key_file: '{d}/rk', url: '{u}/pd'}}]
  slack_configs: [{{api_url_file: '{d}/slack_url'}}]
  victorops_configs: [{{api_key_file: '{d}/vo_key', api_url: '{u}/vo/', routing_key: rk}}]
  opsgenie_configs: [{{api_key_file: '{d}/og_key', api_url: '{u}/og/'}}]
  discord_configs: [{{webhook_url: '{u}/discord', http_config: {{basic_auth: {{username: bob, password_file: '{d}/pw'}}}}}}]
"""


def run(start: object, d: Path) -> list[tuple[str, str, str, bytes]]:
    http = HttpCapture(slack_reply).start()
    d.mkdir()
    (d / "am.yml").write_text(cfg(http.url, d))
    proc, url = start(d / "am.yml", d, extra=[f"--web.external-url={EXTERNAL}"])  # type: ignore[operator]
    try:
        post_alerts(url, ALERTS)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(http.snapshot()) < len(PREFIXES):
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        proc.stop()
        http.stop()
    return sorted((c.method, c.path, c.headers.get("authorization", ""), c.body) for c in http.snapshot())


def test_secret_files_identical(tmp_path: Path) -> None:
    want = run(start_alertmanager, tmp_path / "am")
    got = run(start_amclone, tmp_path / "amc")
    assert len(want) == len(PREFIXES), want
    assert got == want
    paths = {w[1] for w in want}
    assert "/vo/vo-key/rk" in paths and "/slack/hook" in paths
    assert any(w[2] == "GenieKey og key" for w in want)
