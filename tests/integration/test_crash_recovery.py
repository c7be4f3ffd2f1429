"""Beyond Alertmanager: whatever amclone acknowledged survives `kill -9`.

Alerts and silences are posted to a real amclone process while it runs; the moment the last
answer arrives the process is killed with SIGKILL, restarted on the same storage path, and
everything acknowledged must be there again.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from amclone.testing.procs import free_port, start_amclone

CONFIG = """\
global:
  resolve_timeout: 1h
route:
  receiver: blackhole
receivers:
  - name: blackhole
"""


def _request(method: str, url: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        raw = resp.read()
        return resp.status, json.loads(raw) if raw.strip() else None


def _silence(n: int) -> dict[str, Any]:
    now = time.time()
    return {
        "matchers": [{"name": "alertname", "value": f"Crash{n}", "isRegex": False, "isEqual": True}],
        "startsAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(now)),
        "endsAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(now + 3600)),
        "createdBy": "crash-test",
        "comment": f"silence {n}",
    }


def test_acknowledged_alerts_and_silences_survive_kill_9(tmp_path: Path) -> None:
    cfg = tmp_path / "alertmanager.yml"
    cfg.write_text(CONFIG)
    port = free_port()
    proc, url = start_amclone(cfg, tmp_path, port=port)
    acked_alerts: set[str] = set()
    acked_silences: set[str] = set()
    stop = threading.Event()

    def post_alerts(worker: int) -> None:
        n = 0
        # Worker 0 posts bodies large enough for the intake worker process, the others small ones.
        size = 200 if worker == 0 else 20
        while not stop.is_set():
            batch = [{"labels": {"alertname": f"Crash{worker}", "n": str(n + i)},
                      "annotations": {"summary": "x" * 40}} for i in range(size)]
            try:
                status, _ = _request("POST", url + "/api/v2/alerts", batch)
            except OSError:
                return
            if status == 200:
                acked_alerts.update(f"{worker}/{n + i}" for i in range(size))
            n += size

    def post_silences() -> None:
        n = 0
        while not stop.is_set():
            try:
                status, body = _request("POST", url + "/api/v2/silences", _silence(n))
            except OSError:
                return
            if status == 200:
                acked_silences.add(body["silenceID"])
            n += 1

    try:
        threads = [threading.Thread(target=post_alerts, args=(w,)) for w in range(3)]
        threads.append(threading.Thread(target=post_silences))
        for t in threads:
            t.start()
        time.sleep(2.0)
        proc.kill9()  # mid-flight: requests in progress get no answer and are not counted
        stop.set()
        for t in threads:
            t.join()
    finally:
        proc.kill9()

    assert len(acked_alerts) > 100 and len(acked_silences) > 5
    assert any(a.startswith("0/") for a in acked_alerts)
    proc, url = start_amclone(cfg, tmp_path, port=port)
    try:
        _, alerts = _request("GET", url + "/api/v2/alerts")
        _, silences = _request("GET", url + "/api/v2/silences")
    finally:
        proc.stop()
    present = {f"{a['labels']['alertname'][5:]}/{a['labels']['n']}" for a in alerts}
    missing = acked_alerts - present
    assert not missing, f"{len(missing)} acknowledged alerts lost, e.g. {sorted(missing)[:5]}"
    lost = acked_silences - {s["id"] for s in silences}
    assert not lost, f"{len(lost)} acknowledged silences lost"
