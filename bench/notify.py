"""Notification latency and throughput, Alertmanager 0.25 beside amclone in the same run.

1. Delay beyond group_wait: 1,000 alerts, each opening a new group, posted one by one; for each,
   arrival at the webhook minus (the moment the POST was sent + group_wait). p50 and p99. Both
   servers run at once and posts alternate between them, so machine load hits both alike.
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
from pathlib import Path
from typing import Any

from _common import workdir
from aiohttp import web

from amclone.testing.procs import Managed, free_port, start_alertmanager, start_amclone
from amclone.testing.timeline import firing, post_alerts

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


def alert(name: str) -> dict[str, Any]:
    return firing(name, job="bench")


def start_amclone_server(config: Path, wd: Path) -> tuple[Managed, str]:
    return start_amclone(config, wd, extra=["--log.level=warn"])


def start(kind: str, cfg: Path, wd: Path) -> tuple[Managed, str]:
    wd.mkdir(parents=True, exist_ok=True)
    return start_alertmanager(cfg, wd) if kind == "alertmanager" else start_amclone_server(cfg, wd)


def latency(groups: int) -> dict[str, dict[str, float]]:
    """Both servers up at once, posts alternating between them, so both see the same load."""
    wd = workdir("bench-notify-lat-")
    servers: dict[str, tuple[Managed, str, Receiver]] = {}
    for kind in KINDS:
        rx = Receiver()
        cfg = wd / f"{kind}.yml"
        cfg.write_text(CONFIG.format(gw=GROUP_WAIT, port=rx.port))
        proc, url = start(kind, cfg, wd / kind)
        servers[kind] = (proc, url, rx)
    sent: dict[str, dict[str, float]] = {k: {} for k in KINDS}
    try:
        for i in range(groups):
            order = KINDS if i % 2 == 0 else KINDS[::-1]
            for kind in order:
                name = f"lat{i}"
                sent[kind][name] = time.time()
                post_alerts(servers[kind][1], [alert(name)])
            time.sleep(0.004)
        out: dict[str, dict[str, float]] = {}
        for kind in KINDS:
            rx = servers[kind][2]
            rx.wait(groups, GROUP_WAIT + 30)
            delays = sorted((rx.arrivals[n] - t - GROUP_WAIT) * 1000 for n, t in sent[kind].items() if n in rx.arrivals)
            out[kind] = {"lat_p50_ms": statistics.median(delays), "lat_p99_ms": delays[int(len(delays) * 0.99) - 1],
                         "lat_lost": groups - len(delays)}
        return out
    finally:
        for proc, _, _ in servers.values():
            proc.stop()


def burst(kind: str, n: int) -> dict[str, float]:
    """`n` groups due within about a second; one server at a time (they would compete)."""
    wd = workdir(f"bench-notify-burst-{kind}-")
    rx = Receiver()
    cfg = wd / "am.yml"
    cfg.write_text(CONFIG.format(gw=5, port=rx.port))
    proc, url = start(kind, cfg, wd / "data")
    try:
        names = [f"b{i}" for i in range(n)]
        first = time.time()
        for i in range(0, n, 500):
            post_alerts(url, [alert(x) for x in names[i:i + 500]])
        last = time.time()
        rx.wait(n, 5 + 120)
        done = max(rx.arrivals.values()) if rx.arrivals else float("nan")
        return {"burst_post_s": last - first, "burst_after_last_due_s": done - (last + 5),
                "burst_span_s": done - (first + 5), "burst_lost": n - len(rx.arrivals)}
    finally:
        proc.stop()


KINDS = ("alertmanager", "amclone")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=1000)
    ap.add_argument("--burst", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=2, help="burst rounds per server, alternating; best kept")
    ns = ap.parse_args()
    results = latency(ns.groups)
    rounds: dict[str, list[dict[str, float]]] = {k: [] for k in KINDS}
    for _ in range(ns.rounds):
        for kind in KINDS:
            rounds[kind].append(burst(kind, ns.burst))
    for kind in KINDS:
        results[kind].update(min(rounds[kind], key=lambda r: r["burst_after_last_due_s"]))
    print(f"{'metric':28} {'alertmanager':>14} {'amclone':>14}")
    for k in results["alertmanager"]:
        print(f"{k:28} {results['alertmanager'][k]:14.2f} {results['amclone'][k]:14.2f}")


if __name__ == "__main__":
    main()
