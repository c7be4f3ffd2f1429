"""End to end: the real Prometheus 2.42 scrapes a test exporter every second and remote-writes to
a real amclone process started with ``--rules.config``; the exporter's value crosses a rule's
threshold; amclone's rule manager puts the alert in its store, dispatch routes it and the webhook
receives it. Run both ways: the interval grid (1 s) and event-driven evaluation (the group's
``evaluation: on_write``). `run_scenario` is also what bench/rules.py times.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from amclone.testing.procs import Managed, free_port, start_amclone, wait_http
from amclone.testing.webhook import WebhookCollector

EXTERNAL = "http://amclone.example:9093"
AM_CONFIG = """
route: {receiver: hook, group_wait: 1s, group_interval: 5s, repeat_interval: 1h}
receivers:
  - name: hook
    webhook_configs: [{url: "%s/hook", send_resolved: false}]
"""
RULES_CONFIG = """
global: {evaluation_interval: 1s, external_labels: {monitor: e2e}}
rule_files: [e2e-rules.yml]
"""
RULE_FILE = """
groups:
  - name: e2e
    %s
    rules:
      - alert: E2EHigh
        expr: e2e_value > 5
        labels: {severity: page}
"""
GROUP_MODE = {"interval": "interval: 1s", "on_write": "interval: 30s\n    evaluation: on_write"}


class Exporter:
    """/metrics with one gauge, ``e2e_value``, that the test moves."""

    def __init__(self) -> None:
        self.value = 1.0
        exporter = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = f"# TYPE e2e_value gauge\ne2e_value {exporter.value}\n".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.port = free_port()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _has_series(base: str) -> bool:
    q = urllib.parse.urlencode({"query": "e2e_value"})
    with urllib.request.urlopen(f"{base}/prometheus/api/v1/query?{q}", timeout=5) as r:
        return bool(json.loads(r.read())["data"]["result"])


def run_scenario(wd: Path, prometheus: str, evaluation: str) -> float:
    """Seconds from the exporter's value crossing the threshold to the webhook's delivery."""
    hook = WebhookCollector().start()
    exporter = Exporter()
    (wd / "am.yml").write_text(AM_CONFIG % hook.url)
    (wd / "rules.yml").write_text(RULES_CONFIG)
    (wd / "e2e-rules.yml").write_text(RULE_FILE % GROUP_MODE[evaluation])
    amclone: Managed | None = None
    prom: Managed | None = None
    try:
        amclone, base = start_amclone(wd / "am.yml", wd, extra=[
            f"--rules.config={wd / 'rules.yml'}", "--rules.on-write-min-interval=200ms",
            f"--web.external-url={EXTERNAL}"])
        (wd / "p.yml").write_text(
            "global: {scrape_interval: 1s}\n"
            f"scrape_configs: [{{job_name: e2e, static_configs: [{{targets: ['127.0.0.1:{exporter.port}']}}]}}]\n"
            f"remote_write: [{{url: '{base}/api/v1/write', "
            "queue_config: {batch_send_deadline: 100ms, max_samples_per_send: 100}}]\n")
        pport = free_port()
        prom = Managed([prometheus, f"--config.file={wd / 'p.yml'}", f"--storage.tsdb.path={wd / 'd'}",
                        f"--web.listen-address=127.0.0.1:{pport}"], log=wd / "prom.log")
        wait_http(f"http://127.0.0.1:{pport}/-/ready", 30, prom.proc)
        deadline = time.monotonic() + 30
        while not _has_series(base):  # samples arriving through Prometheus's remote write
            assert time.monotonic() < deadline, "no samples reached amclone"
            time.sleep(0.1)
        time.sleep(2)
        crossed = time.time()
        exporter.value = 10.0
        assert hook.wait_for(1, 20), "no notification"
        d = hook.snapshot()[0]
        alert = json.loads(d.body)["alerts"][0]
        assert alert["labels"] == {"alertname": "E2EHigh", "severity": "page", "monitor": "e2e",
                                   "instance": f"127.0.0.1:{exporter.port}", "job": "e2e"}
        assert alert["generatorURL"] == f"{EXTERNAL}/prometheus/api/v1/query?query=e2e_value+%3E+5"
        return d.at - crossed
    finally:
        if prom is not None:
            prom.stop()
        if amclone is not None:
            amclone.stop()
        exporter.stop()
        hook.stop()


@pytest.mark.parametrize("evaluation", ["interval", "on_write"])
def test_threshold_crossing_reaches_the_webhook(evaluation: str, prometheus_bin: str, tmp_path: Path) -> None:
    latency = run_scenario(tmp_path, prometheus_bin, evaluation)
    # scrape 1 s + (evaluation 1 s | on write) + group_wait 1 s, plus remote-write batching
    budget = 1 + 1 + 1 + 1.5 if evaluation == "interval" else 1 + 1 + 1.5
    print(f"{evaluation}: detection latency {latency:.2f}s (budget {budget}s)")
    assert latency < budget
