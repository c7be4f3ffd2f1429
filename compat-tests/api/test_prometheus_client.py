"""Prometheus 2.42 as Alertmanager's main client: a firing rule is sent to Alertmanager 0.25 and
to amclone alike (Prometheus's own notifier, API v2), and both then list the same alert."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

from amclone.testing.procs import Managed, free_port, start_alertmanager, start_amclone, wait_http

AM_CONFIG = "route:\n  receiver: a\n  group_wait: 1h\nreceivers:\n  - name: a\n"
RULES = """\
groups:
  - name: g
    interval: 1s
    rules:
      - alert: AlwaysFiring
        expr: vector(1)
        labels: {severity: page}
        annotations: {summary: "value {{ $value }}"}
"""


def _alerts(url: str) -> list[dict[str, object]]:
    with urllib.request.urlopen(url + "/api/v2/alerts?filter=alertname%3DAlwaysFiring", timeout=5) as r:
        out: list[dict[str, object]] = json.loads(r.read())
        return out


def test_prometheus_sends_to_both(prometheus_bin: str, tmp_path: Path) -> None:
    cfg = tmp_path / "am.yml"
    cfg.write_text(AM_CONFIG)
    (tmp_path / "am").mkdir()
    (tmp_path / "ours").mkdir()
    procs: list[Managed] = []
    try:
        am, am_url = start_alertmanager(cfg, tmp_path / "am")
        procs.append(am)
        ours, our_url = start_amclone(cfg, tmp_path / "ours")
        procs.append(ours)
        (tmp_path / "rules.yml").write_text(RULES)
        targets = ", ".join(f'"{u.removeprefix("http://")}"' for u in (am_url, our_url))
        (tmp_path / "prometheus.yml").write_text(
            "global:\n  evaluation_interval: 1s\nrule_files: [rules.yml]\n"
            f"alerting:\n  alertmanagers:\n    - api_version: v2\n      static_configs:\n        - targets: [{targets}]\n")
        port = free_port()
        prom = Managed([prometheus_bin, f"--config.file={tmp_path}/prometheus.yml",
                        f"--storage.tsdb.path={tmp_path}/prom", f"--web.listen-address=127.0.0.1:{port}",
                        # the first send can beat discovery and be dropped; resend soon after
                        "--rules.alert.resend-delay=1s"],
                       cwd=tmp_path, log=tmp_path / "prometheus.log")
        procs.append(prom)
        wait_http(f"http://127.0.0.1:{port}/-/ready", proc=prom.proc)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (_alerts(am_url) and _alerts(our_url)):
            time.sleep(0.25)
        theirs, mine = _alerts(am_url), _alerts(our_url)
        assert theirs and mine, prom.output()[-2000:]
        keep = ("labels", "annotations", "generatorURL", "fingerprint", "receivers", "status")
        assert [{k: a[k] for k in keep} for a in mine] == [{k: a[k] for k in keep} for a in theirs]
    finally:
        for p in reversed(procs):
            p.stop()
