"""Alert ingest: 50,000 alerts posted in batches of 100 over 4 connections, to the real
Alertmanager 0.25 and to amclone in the same run; then the resident memory of each holding
100,000 active alerts.

    .venv/bin/python bench/ingest.py [--alerts 50000] [--batch 100] [--connections 4]

Target (issue "Foundation and alert intake"): amclone >= 1.0x Alertmanager's alerts/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

import aiohttp

from _common import ratio_line, rss_bytes, workdir
from amclone.testing.procs import Managed, start_alertmanager, start_amclone

CONFIG = """\
route:
  receiver: blackhole
  group_by: ['alertname']
receivers:
  - name: blackhole
"""


def batches(total: int, size: int, prefix: str) -> list[bytes]:
    """Distinct alerts with realistic label sets, pre-encoded so the client costs little."""
    out = []
    for start in range(0, total, size):
        alerts = [
            {
                "labels": {
                    "alertname": f"Bench{(i % 50)}",
                    "instance": f"host-{i}.example.org:9100",
                    "job": "node",
                    "severity": "warning" if i % 3 else "critical",
                    "run": prefix,
                },
                "annotations": {"summary": f"alert number {i} is firing", "runbook": "https://example.org/rb"},
                "generatorURL": f"http://prometheus:9090/graph?g0.expr=up%7Binstance%3D%22host-{i}%22%7D",
            }
            for i in range(start, min(start + size, total))
        ]
        out.append(json.dumps(alerts).encode())
    return out


async def post_all(url: str, bodies: list[bytes], connections: int) -> float:
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)
    conn = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=conn) as session:

        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                async with session.post(
                    url + "/api/v2/alerts", data=body, headers={"Content-Type": "application/json"}
                ) as resp:
                    if resp.status != 200:
                        raise RuntimeError(f"{url}: {resp.status} {await resp.text()}")
                    await resp.read()

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        return time.perf_counter() - t0


def measure(name: str, start: tuple[Managed, str], args: argparse.Namespace) -> tuple[float, int]:
    proc, url = start
    try:
        # Warm up (connection set-up, first-request costs) with a separate label space.
        asyncio.run(post_all(url, batches(1000, args.batch, "warmup"), args.connections))
        elapsed = asyncio.run(post_all(url, batches(args.alerts, args.batch, "timed"), args.connections))
        rate = args.alerts / elapsed
        print(f"{name}: {args.alerts} alerts in {elapsed:.2f}s = {rate:,.0f} alerts/s")
        # Fill to 100,000 active alerts (warm-up and timed ones are still active).
        have = 1000 + args.alerts
        if have < args.memory_alerts:
            asyncio.run(post_all(url, batches(args.memory_alerts - have, args.batch, "fill"), args.connections))
        time.sleep(1.0)
        rss = rss_bytes(proc.proc.pid)
        print(f"{name}: resident memory with {args.memory_alerts:,} active alerts: {rss / 2**20:,.1f} MiB")
        return rate, rss
    finally:
        proc.stop()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--alerts", type=int, default=50_000)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--memory-alerts", type=int, default=100_000)
    args = p.parse_args()

    wd = workdir("bench-ingest-")
    cfg = Path(wd) / "alertmanager.yml"
    cfg.write_text(CONFIG)
    (wd / "am").mkdir()
    (wd / "ours").mkdir()
    am_rate, am_rss = measure("alertmanager 0.25", start_alertmanager(cfg, wd / "am"), args)
    our_rate, our_rss = measure("amclone", start_amclone(cfg, wd / "ours"), args)
    print(ratio_line("ingest", our_rate, am_rate, "alerts/s"))
    print(ratio_line(f"memory at {args.memory_alerts:,} alerts", our_rss / 2**20, am_rss / 2**20, "MiB",
                     higher_is_better=False))


if __name__ == "__main__":
    main()
