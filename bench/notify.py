"""Notification latency and throughput, Alertmanager 0.25 beside amclone in the same run.

1. Delay beyond group_wait: 1,000 alerts, each opening a new group, posted one by one; for each,
   arrival at the webhook minus (the moment the POST was sent + group_wait). p50 and p99.
2. 10,000 groups flushing at once: 10,000 alerts (one group each) posted in batches, all within
   about a second; the time from the moment the last group was due (its post + group_wait) until
   the last notification arrived, and the whole span from the first group due to the last arrival.

The receiver is an aiohttp server on its own event loop in a thread (keep-alive, no per-request
thread), the same for both servers.

    .venv/bin/python bench/notify.py [--groups 1000] [--burst 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from _common import workdir
from aiohttp import web

from amclone.compat.timefmt import format_rfc3339nano
from amclone.testing.procs import Managed, free_port, start_alertmanager, start_amclone

GROUP_WAIT = 1


class Receiver:
    """Arrival time per alertname."""

    def __init__(self) -> None:
        self.port = free_port()
        self.arrivals: dict[str, float] = {}
        self.count = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        threading.Thread(target=self._serve, daemon=True).start()
        self._ready.wait()

    def _serve(self) -> None:
        async def hook(request: web.Request) -> web.Response:
            body = await request.read()
            at = time.time()
            for a in json.loads(body)["alerts"]:
                self.arrivals.setdefault(a["labels"]["alertname"], at)
            self.count += 1
            return web.Response()

        async def main() -> None:
            app = web.Application()
            app.router.add_post("/hook", hook)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", self.port, backlog=4096).start()
            self._ready.set()
            await asyncio.Event().wait()

        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(main())

    def wait(self, names: int, timeout: float) -> None:
        deadline = time.time() + timeout
        while len(self.arrivals) < names and time.time() < deadline:
            time.sleep(0.01)


CONFIG = """
route:
  receiver: hook
  group_by: [alertname]
  group_wait: {gw}s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:{port}/hook
"""


def post(url: str, alerts: list[dict[str, Any]]) -> None:
    req = urllib.request.Request(url + "/api/v2/alerts", data=json.dumps(alerts).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        r.read()


def alert(name: str) -> dict[str, Any]:
    return {"labels": {"alertname": name, "job": "bench"}, "startsAt": format_rfc3339nano(time.time_ns())}


def start_amclone_server(config: Path, wd: Path) -> tuple[Managed, str]:
    return start_amclone(config, wd, extra=["--log.level=warn"])


def run(kind: str, groups: int, burst: int) -> dict[str, float]:
    wd = workdir(f"bench-notify-{kind}-")
    out: dict[str, float] = {}
    # 1. latency over new groups
    rx = Receiver()
    cfg = wd / "am.yml"
    cfg.write_text(CONFIG.format(gw=GROUP_WAIT, port=rx.port))
    proc, url = start_alertmanager(cfg, wd) if kind == "alertmanager" else start_amclone_server(cfg, wd)
    try:
        sent: dict[str, float] = {}
        for i in range(groups):
            name = f"lat{i}"
            sent[name] = time.time()
            post(url, [alert(name)])
            time.sleep(0.004)
        rx.wait(groups, GROUP_WAIT + 30)
        delays = sorted((rx.arrivals[n] - sent[n] - GROUP_WAIT) * 1000 for n in sent if n in rx.arrivals)
        out["lat_p50_ms"] = statistics.median(delays)
        out["lat_p99_ms"] = delays[int(len(delays) * 0.99) - 1]
        out["lat_lost"] = groups - len(delays)
    finally:
        proc.stop()
    # 2. a burst of groups due together
    rx2 = Receiver()
    cfg.write_text(CONFIG.format(gw=5, port=rx2.port))
    wd2 = wd / "burst"
    wd2.mkdir()
    proc, url = start_alertmanager(cfg, wd2) if kind == "alertmanager" else start_amclone_server(cfg, wd2)
    try:
        names = [f"b{i}" for i in range(burst)]
        first = time.time()
        for i in range(0, burst, 500):
            post(url, [alert(n) for n in names[i:i + 500]])
        last = time.time()
        rx2.wait(burst, 5 + 120)
        done = max(rx2.arrivals.values()) if rx2.arrivals else float("nan")
        out["burst_post_s"] = last - first
        out["burst_after_last_due_s"] = done - (last + 5)
        out["burst_span_s"] = done - (first + 5)
        out["burst_lost"] = burst - len(rx2.arrivals)
    finally:
        proc.stop()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=1000)
    ap.add_argument("--burst", type=int, default=10000)
    ns = ap.parse_args()
    results = {kind: run(kind, ns.groups, ns.burst) for kind in ("alertmanager", "amclone")}
    keys = list(results["alertmanager"])
    print(f"{'metric':28} {'alertmanager':>14} {'amclone':>14}")
    for k in keys:
        print(f"{k:28} {results['alertmanager'][k]:14.2f} {results['amclone'][k]:14.2f}")


if __name__ == "__main__":
    main()
