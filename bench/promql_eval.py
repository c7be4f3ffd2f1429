"""Rule-style evaluation throughput: the same compiled plan evaluated at successive instants.

Prints evaluations/s (per CPU second) for typical alert expressions over N series (default 100
and 1,000) with 15 s samples over 1 h, evaluated at instants in the newest minute as rules do. Usage: ``python bench/promql_eval.py [series ...]``.
"""

from __future__ import annotations

import sys
import time

from amclone.promql import Engine
from amclone.tsdb import Head

QUERIES = [
    "bench_gauge > 1e9",
    "rate(bench_requests_total[1m]) > 1e9",
    "rate(bench_requests_total[5m]) > 1e9",
    "sum by (job) (rate(bench_requests_total[5m])) > 1e9",
    "bench_gauge > 89.5",
    "up == 0",
    "bench_gauge / on(instance) group_left bench_info > 1e9",
]


def build(n: int) -> Head:
    head = Head()
    step = 15_000
    for i in range(n):
        inst = f"10.0.{i // 250}.{i % 250}:9100"
        job = f"job{i % 10}"
        c = (("__name__", "bench_requests_total"), ("instance", inst), ("job", job))
        g = (("__name__", "bench_gauge"), ("instance", inst), ("job", job))
        u = (("__name__", "up"), ("instance", inst), ("job", job))
        info = (("__name__", "bench_info"), ("instance", inst), ("version", "1"))
        for k in range(241):
            t = k * step
            head.append(c, t, float(k * (i + 1)))
            head.append(g, t, float(i % 100))
            head.append(u, t, 1.0)
            head.append(info, t, 1.0)
    return head


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [100, 1000]
    for n in sizes:
        head = build(n)
        engine = Engine(head)
        print(f"{n} series each of 4 metrics, {head.num_samples()} samples, "
              f"{head.bytes_per_series():.0f} bytes/series")
        for q in QUERIES:
            plan = engine.compile(q)
            t0 = time.process_time()
            k = 0
            end = 3_600_000 - 7_000
            while time.process_time() - t0 < 1.0:
                plan.instant(end - (k % 60) * 1000)  # rules query "now": the newest minute
                k += 1
            dt = time.process_time() - t0
            print(f"  {k / dt:9.0f} evals/s  {dt / k * 1e6:8.0f} us/eval  {q}")


if __name__ == "__main__":
    main(sys.argv[1:])
