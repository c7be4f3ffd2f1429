"""Alert ingest: 50,000 alerts posted in batches of 100 over 4 connections, to the real
Alertmanager 0.25 and to amclone in the same run; then the resident memory of each holding
100,000 active alerts.

    .venv/bin/python bench/ingest.py [--alerts 50000] [--batch 100] [--connections 4] [--rounds 5]

Target (issue "Foundation and alert intake"): amclone >= 1.0x Alertmanager's alerts/s.

How it keeps the comparison fair on a small, shared machine:
- Both servers run at once, and the timed alerts are posted in `--rounds` rounds that alternate
  between them (which goes first alternates too), so load from elsewhere hits both alike. Each
  server's rate is its alerts over its summed time; the per-round ratios show the spread.
- The client costs the servers as little CPU as possible: every request (headers and body) is
  encoded before the clock starts, and each of the 4 connections is a bare keep-alive stream that
  writes the bytes and reads the answer's status line, headers and Content-Length body. At the
  rates measured here it uses a few percent of one core, so the reference is driven at the speed
  it answers (closed loop, one request in flight per connection, as Prometheus does).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

from _common import cpu_seconds, ratio_line, rss_bytes, workdir

from amclone.testing.procs import Managed, start_alertmanager, start_amclone

CONFIG = """\
route:
  receiver: blackhole
  group_by: ['alertname']
receivers:
  - name: blackhole
"""


def batches(total: int, size: int, prefix: str, start: int = 0) -> list[bytes]:
    """Distinct alerts with realistic label sets, as JSON bodies."""
    out = []
    for first in range(start, start + total, size):
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
            for i in range(first, min(first + size, start + total))
        ]
        out.append(json.dumps(alerts).encode())
    return out


def requests(url: str, bodies: list[bytes]) -> list[bytes]:
    """Whole HTTP/1.1 requests, ready to write."""
    host = url.removeprefix("http://")
    return [(f"POST /api/v2/alerts HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
             f"Content-Length: {len(b)}\r\n\r\n").encode() + b for b in bodies]


class Connection:
    """One keep-alive connection, one request in flight."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, url: str) -> Connection:
        host, _, port = url.removeprefix("http://").rpartition(":")
        return cls(*await asyncio.open_connection(host, int(port)))

    async def send(self, request: bytes) -> None:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = head[9:12]
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
            elif name.strip().lower() == b"transfer-encoding":
                raise RuntimeError(f"unexpected Transfer-Encoding: {value.strip()!r}")
        body = await self.reader.readexactly(length) if length else b""
        if status != b"200":
            raise RuntimeError(f"{head.decode(errors='replace')}{body.decode(errors='replace')}")

    def close(self) -> None:
        self.writer.close()


async def post_all(url: str, reqs: list[bytes], connections: int) -> float:
    """Post every request over `connections` connections; the seconds it took."""
    conns = [await Connection.open(url) for _ in range(connections)]
    todo = iter(reqs)

    async def worker(c: Connection) -> None:
        for r in todo:
            await c.send(r)

    try:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(c) for c in conns))
        return time.perf_counter() - t0
    finally:
        for c in conns:
            c.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--alerts", type=int, default=50_000)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--memory-alerts", type=int, default=100_000)
    args = p.parse_args()

    wd = workdir("bench-ingest-")
    cfg = Path(wd) / "alertmanager.yml"
    cfg.write_text(CONFIG)
    (wd / "am").mkdir()
    (wd / "ours").mkdir()
    servers: list[tuple[str, Managed, str]] = []
    try:
        servers.append(("alertmanager 0.25", *start_alertmanager(cfg, wd / "am")))
        servers.append(("amclone", *start_amclone(cfg, wd / "ours")))
        asyncio.run(run(servers, args))
    finally:
        for _, proc, _ in servers:
            proc.stop()


async def run(servers: list[tuple[str, Managed, str]], args: argparse.Namespace) -> None:
    # Warm up (connection set-up, first-request costs) with a separate label space.
    for _, _, url in servers:
        await post_all(url, requests(url, batches(1000, args.batch, "warmup")), args.connections)
    per_round = -(-args.alerts // args.rounds)
    elapsed = {name: 0.0 for name, _, _ in servers}
    cpu = {name: 0.0 for name, _, _ in servers}
    ratios = []
    sent = 0
    for r in range(args.rounds):
        n = min(per_round, args.alerts - sent)
        rates = {}
        order = servers if r % 2 == 0 else servers[::-1]
        for name, proc, url in order:
            reqs = requests(url, batches(n, args.batch, "timed", sent))
            c0 = cpu_seconds(proc.proc.pid)
            t = await post_all(url, reqs, args.connections)
            cpu[name] += cpu_seconds(proc.proc.pid) - c0
            elapsed[name] += t
            rates[name] = n / t
        sent += n
        (am, _, _), (ours, _, _) = servers
        ratios.append(rates[ours] / rates[am])
        print(f"round {r + 1}: " + ", ".join(f"{k} {v:,.0f} alerts/s" for k, v in rates.items())
              + f", ratio {ratios[-1]:.2f}x")
    rate = {name: args.alerts / t for name, t in elapsed.items()}
    for name, _, _ in servers:
        print(f"{name}: {args.alerts} alerts in {elapsed[name]:.2f}s = {rate[name]:,.0f} alerts/s, "
              f"server CPU {cpu[name] / args.alerts * 1e6:.1f} us per alert "
              f"({cpu[name] / elapsed[name]:.0%} of one core)")
    if len(ratios) > 1:
        print(f"per-round ratio: median {statistics.median(ratios):.2f}x, "
              f"min {min(ratios):.2f}x, max {max(ratios):.2f}x")
    # Fill to 100,000 active alerts (warm-up and timed ones are still active).
    have = 1000 + args.alerts
    rss = {}
    for name, proc, url in servers:
        if have < args.memory_alerts:
            fill = requests(url, batches(args.memory_alerts - have, args.batch, "fill"))
            await post_all(url, fill, args.connections)
    await asyncio.sleep(1.0)
    for name, proc, _ in servers:
        rss[name] = rss_bytes(proc.proc.pid)
        print(f"{name}: resident memory with {args.memory_alerts:,} active alerts: {rss[name] / 2**20:,.1f} MiB")
    (am, _, _), (ours, _, _) = servers
    print(ratio_line("ingest", rate[ours], rate[am], "alerts/s"))
    print(ratio_line(f"memory at {args.memory_alerts:,} alerts", rss[ours] / 2**20, rss[am] / 2**20, "MiB",
                     higher_is_better=False))


if __name__ == "__main__":
    main()
