"""Remote write intake: the same stream (requests of 2,000 samples over 100,000 series) sent to
amclone's receiver and to the real Prometheus 2.42 (``--web.enable-remote-write-receiver``) in
the same run; samples/s for each and the ratio, resident memory per active series, and the time
of a typical alert query over 1,000 series on both.

    .venv/bin/python bench/remote_write.py [--series 100000] [--rounds 10] [--connections 4]

amclone runs as itself (``python -m amclone``, receiver at ``/api/v1/write``, query API under
``/prometheus``); ``--standalone`` uses ``python -m amclone.ingest.serve`` instead.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import urllib.parse
import urllib.request

import aiohttp
from _common import cpu_seconds, ratio_line, rss_bytes, workdir

from amclone.ingest.codec import compress
from amclone.proto import prometheus_remote_pb2 as pb1
from amclone.testing.procs import Managed, free_port, reference_binary, start_amclone, wait_http

HEADERS = {"Content-Encoding": "snappy", "Content-Type": "application/x-protobuf",
           "X-Prometheus-Remote-Write-Version": "0.1.0", "User-Agent": "bench/1"}
QUERY = 'rate(bench_requests_total{group="g0"}[5m]) > 1e9'


def requests(series: int, rounds: int, per_request: int, t0: int) -> list[list[bytes]]:
    """Per round, the requests that carry one sample for every series (pre-encoded)."""
    out = []
    for r in range(rounds):
        t = t0 + r * 15_000
        batch = []
        for start in range(0, series, per_request):
            req = pb1.WriteRequest()
            for i in range(start, min(start + per_request, series)):
                ts = req.timeseries.add()
                ts.labels.add(name="__name__", value="bench_requests_total")
                ts.labels.add(name="group", value=f"g{i % (series // 1000 or 1)}")
                ts.labels.add(name="instance", value=f"10.{i // 65536}.{(i // 256) % 256}.{i % 256}:9100")
                ts.labels.add(name="job", value="node")
                ts.labels.add(name="path", value=f"/api/v{i % 7}")
                ts.samples.add(timestamp=t, value=float(r * (i % 13 + 1)))
            batch.append(compress(req.SerializeToString()))
        out.append(batch)
    return out


async def send(url: str, bodies: list[bytes], connections: int) -> float:
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections)) as session:

        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                async with session.post(url, data=body, headers=HEADERS) as resp:
                    if resp.status >= 300:
                        raise RuntimeError(f"{url}: {resp.status} {await resp.text()}")
                    await resp.read()

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        return time.perf_counter() - t0


def time_query(base: str, t: float, n: int = 20) -> float:
    q = urllib.parse.urlencode({"query": QUERY, "time": f"{t:.3f}"})
    url = f"{base}/api/v1/query?{q}"
    urllib.request.urlopen(url, timeout=60).read()
    t0 = time.perf_counter()
    for _ in range(n):
        urllib.request.urlopen(url, timeout=60).read()
    return (time.perf_counter() - t0) / n * 1000


def measure(name: str, proc: Managed, write_url: str, query_base: str, rounds: list[list[bytes]],
            args: argparse.Namespace, t_end: float) -> tuple[float, float, float, float]:
    try:
        base_rss = rss_bytes(proc.proc.pid)
        asyncio.run(send(write_url, rounds[0], args.connections))  # creates the series
        samples = args.series * (len(rounds) - 1)
        cpu0 = cpu_seconds(proc.proc.pid)
        elapsed = sum(asyncio.run(send(write_url, r, args.connections)) for r in rounds[1:])
        cpu = cpu_seconds(proc.proc.pid) - cpu0
        rate = samples / elapsed
        time.sleep(1.0)
        per_series = (rss_bytes(proc.proc.pid) - base_rss) / args.series
        q_ms = time_query(query_base, t_end)
        print(f"{name}: {samples:,} samples in {elapsed:.2f}s = {rate:,.0f} samples/s "
              f"({samples / cpu:,.0f} per CPU-second); {per_series:,.0f} bytes/active series; "
              f"query over 1,000 series {q_ms:.1f} ms")
        return rate, per_series, q_ms, samples / cpu
    finally:
        proc.stop()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--series", type=int, default=100_000)
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--per-request", type=int, default=2000)
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--standalone", action="store_true", help="amclone.ingest.serve instead of amclone")
    args = p.parse_args()
    t0 = int(time.time() * 1000) - args.rounds * 15_000
    print(f"encoding {args.rounds} rounds x {args.series:,} series ...", file=sys.stderr)
    rounds = requests(args.series, args.rounds, args.per_request, t0)
    t_end = (t0 + (args.rounds - 1) * 15_000) / 1000 + 0.5
    wd = workdir("bench-rw-")

    port = free_port()
    prom = Managed([reference_binary("prometheus"), f"--config.file={wd / 'p.yml'}",
                    f"--storage.tsdb.path={wd / 'data'}", f"--web.listen-address=127.0.0.1:{port}",
                    "--web.enable-remote-write-receiver"], log=wd / "prometheus.log")
    (wd / "p.yml").write_text("global: {}\n")
    wait_http(f"http://127.0.0.1:{port}/-/ready", 30, prom.proc)
    theirs = measure("prometheus 2.42", prom, f"http://127.0.0.1:{port}/api/v1/write", f"http://127.0.0.1:{port}",
                     rounds, args, t_end)

    if args.standalone:
        port = free_port()
        ours_proc = Managed([sys.executable, "-m", "amclone.ingest.serve", "--port", str(port)],
                            log=wd / "amclone.log")
        wait_http(f"http://127.0.0.1:{port}/-/ready", 30, ours_proc.proc)
        url = f"http://127.0.0.1:{port}"
    else:
        (wd / "alertmanager.yml").write_text("route: {receiver: x}\nreceivers: [{name: x}]\n")
        ours_proc, url = start_amclone(wd / "alertmanager.yml", wd)
    ours = measure("amclone", ours_proc, f"{url}/api/v1/write", f"{url}/prometheus", rounds, args, t_end)

    print(ratio_line("remote write", ours[0], theirs[0], "samples/s"))
    print(ratio_line("remote write per CPU-second", ours[3], theirs[3], "samples/CPU-s"))
    print(ratio_line("memory per active series", ours[1], theirs[1], "bytes", higher_is_better=False))
    print(ratio_line("alert query over 1,000 series", ours[2], theirs[2], "ms", higher_is_better=False))


if __name__ == "__main__":
    main()
