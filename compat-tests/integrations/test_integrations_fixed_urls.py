"""The two 0.25 integrations whose URL is fixed (PagerDuty Events API v1 and Pushover), compared
with the real Alertmanager through a proxy that terminates their TLS with a test CA (the
receivers' ``http_config`` names the proxy and the CA, as a user behind a proxy would)."""

from __future__ import annotations

import time
from pathlib import Path

from integ_harness import MitmProxy, make_ca
from test_integrations_payload import ALERTS, EXTERNAL, post_alerts

from amclone.testing.procs import start_alertmanager, start_amclone

HOSTS = ("api.pushover.net", "events.pagerduty.com")


def cfg(proxy: str, ca: str) -> str:
    http = f"{{proxy_url: '{proxy}', tls_config: {{ca_file: '{ca}'}}}}"
    return f"""route:
  receiver: r
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
receivers:
- name: r
  pagerduty_configs:
  - {{service_key: svc-key, http_config: {http}, details: {{x: '{{{{ .Status }}}}'}}}}
  pushover_configs:
  - {{user_key: uk, token: tk, http_config: {http}, url_title: link, sound: siren}}
  - {{user_key: uk2, token: tk2, http_config: {http}, html: true, priority: '1'}}
"""


def run(start: object, d: Path, ca: str, cert: str, key: str) -> list[tuple[str, str, str, str, bytes]]:
    proxy = MitmProxy(cert, key).start()
    d.mkdir()
    (d / "am.yml").write_text(cfg(proxy.url, ca))
    proc, url = start(d / "am.yml", d, extra=[f"--web.external-url={EXTERNAL}"])  # type: ignore[operator]
    try:
        post_alerts(url, ALERTS)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(proxy.requests) < 3:
            time.sleep(0.1)
        post_alerts(url, [dict(a, endsAt="2026-01-02T00:00:00Z") for a in ALERTS])
        while time.monotonic() < deadline + 5 and len(proxy.requests) < 6:
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        proc.stop()
        proxy.stop()
    out = [(c.headers["x-connect-target"], c.method, c.path, c.headers.get("content-type", ""), c.body)
           for c in proxy.requests]
    return sorted(out)


def test_fixed_url_integrations_identical(tmp_path: Path) -> None:
    ca, cert, key = make_ca(str(tmp_path), HOSTS)
    want = run(start_alertmanager, tmp_path / "am", ca, cert, key)
    got = run(start_amclone, tmp_path / "amc", ca, cert, key)
    assert len(want) == 6, want
    assert {w[0] for w in want} == {"api.pushover.net:443", "events.pagerduty.com:443"}
    assert got == want
