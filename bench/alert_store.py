"""Alert store micro-benchmark: how many alerts/s ingest (`prepare`) and the durable store
(`AlertStore.put` with the fsynced write-ahead log) take, without HTTP.

    .venv/bin/python bench/alert_store.py [--alerts 50000] [--batch 100] [--concurrency 1,4,16]
                                          [--sync fsync,write,none]

Reference point: the real Alertmanager 0.25 ingests 45,000-78,000 alerts/s over HTTP on this
machine (1-16 connections, batches of 100), i.e. 13-22 us per alert of wall time for everything;
the store must leave most of that budget to HTTP and JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from _common import workdir  # noqa: F401  (puts the repository on sys.path)

from amclone.alerts import AlertStore, AlertWAL, Marker, PostedAlert, prepare
from amclone.labels.labelset import fingerprint
from amclone.timeutil import NS_PER_SECOND, SystemClock


def posted(total: int, batch: int, run: str) -> list[list[PostedAlert]]:
    """Bodies as the API decodes them: fresh dicts per alert, like json.loads gives."""
    out = []
    for start in range(0, total, batch):
        out.append([
            PostedAlert(
                {"alertname": f"Bench{i % 50}", "instance": f"host-{i}.example.org:9100", "job": "node",
                 "severity": "warning" if i % 3 else "critical", "run": run},
                {"summary": f"alert number {i} is firing", "runbook": "https://example.org/rb"},
                generator_url=f"http://prometheus:9090/graph?g0.expr=up%7Binstance%3D%22host-{i}%22%7D",
            )
            for i in range(start, min(start + batch, total))
        ])
    return out


def rate(n: int, dt: float, cpu: float) -> str:
    # CPU time (all threads of this process) is printed too: on a shared machine it is the
    # steadier figure, the wall-clock rate moves with whatever else runs.
    return f"{n / dt:>10,.0f} alerts/s {cpu / n * 1e6:6.2f} us CPU/alert"


async def store_run(bodies: list[list[PostedAlert]], concurrency: int,
                    sync: str) -> tuple[float, float, dict[str, int]]:
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as d:
        wal = AlertWAL(Path(d), sync=sync)
        store = AlertStore(clock, Marker(), wal=wal)
        await store.start()
        queue = list(reversed(bodies))

        async def client() -> None:
            while queue:
                body = queue.pop()
                res = prepare(body, now=clock.now(), resolve_timeout=300 * NS_PER_SECOND)
                await store.put(res.alerts)

        t0, c0 = time.perf_counter(), time.process_time()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        await store.stop()
        return dt, cpu, wal.stats


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--alerts", type=int, default=50_000)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--concurrency", default="1,4,16")
    p.add_argument("--sync", default="fsync,write,none", help="AlertWAL sync modes to run")
    args = p.parse_args()
    n = args.alerts

    bodies = posted(n, args.batch, "fp")
    t0, c0 = time.perf_counter(), time.process_time()
    for body in bodies:
        for a in body:
            fingerprint(a.labels)
    print(f"fingerprint only            {rate(n, time.perf_counter() - t0, time.process_time() - c0)}")

    bodies = posted(n, args.batch, "prep")
    t0, c0 = time.perf_counter(), time.process_time()
    for body in bodies:
        prepare(body, now=time.time_ns(), resolve_timeout=300 * NS_PER_SECOND)
    print(f"prepare (incl. fingerprint) {rate(n, time.perf_counter() - t0, time.process_time() - c0)}")

    for conc in (int(c) for c in args.concurrency.split(",")):
        for sync in args.sync.split(","):
            dt, cpu, stats = asyncio.run(store_run(posted(n, args.batch, f"s{conc}{sync}"), conc, sync))
            label = f"prepare+put c={conc:<2} {sync}"
            print(f"{label:<28}{rate(n, dt, cpu)} {stats['frames'] / dt:>7,.0f} puts/s"
                  f"  ({stats['groups']} writes for {stats['frames']} puts, {stats['bytes'] / n:.0f} B/alert)")


if __name__ == "__main__":
    main()
