"""Real Prometheus 2.42 scrapes a local exporter and remote-writes to amclone's receiver; the same
PromQL is then asked of both, at instants half-way between scrapes (2.42's windows are closed,
3.x's left-open: away from sample boundaries both must agree), and the answers compared.
"""

from __future__ import annotations

import asyncio
import json
import math
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from amclone.api.prometheus import make_prometheus_app
from amclone.ingest.handler import make_write_handler
from amclone.promql import Engine
from amclone.testing.procs import Managed, free_port, wait_http
from amclone.tsdb import Head

SCRAPE_S = 1
EXPRESSIONS = [
    "up",
    "test_gauge",
    "test_requests_total",
    "test_gauge offset 3s",
    "rate(test_requests_total[5s])",
    "irate(test_requests_total[5s])",
    "increase(test_requests_total[10s])",
    "sum by (code) (rate(test_requests_total[5s]))",
    "sum without (code) (test_requests_total)",
    "test_requests_total / ignoring(code) group_left sum without (code) (test_requests_total)",
    "histogram_quantile(0.9, sum by (le) (rate(test_latency_seconds_bucket[5s])))",
    "test_gauge > 5",
    "test_gauge > bool 5",
    "avg_over_time(test_gauge[5s])",
    "max_over_time(test_gauge[5s])",
    "changes(test_gauge[10s])",
    "delta(test_gauge[5s])",
    "deriv(test_gauge[10s])",
    "predict_linear(test_gauge[10s], 60)",
    "count by (job) (up)",
    "topk(2, test_requests_total)",
    "absent(nonexistent_metric{job=\"x\"})",
    'label_replace(up, "host", "$1", "instance", "(.*):.*")',
    "max_over_time(rate(test_requests_total[3s])[6s:1s])",
    "quantile(0.5, test_requests_total)",
    "stddev(test_requests_total)",
    "count_values(\"v\", test_gauge)",
    "time() - timestamp(up) < 5",
    "up and on(instance) test_gauge > 3",
    "test_gauge unless test_gauge > 5",
    "test_gauge or vector(1)",
    "quantile_over_time(0.5, test_gauge[5s])",
    "sum_over_time(test_gauge[5s] offset 2s)",
    "resets(test_requests_total[10s])",
    "clamp_max(test_gauge, 5)",
    "round(rate(test_requests_total[5s]), 0.1)",
    "stddev_over_time(test_gauge[10s])",
    "count_over_time(test_gauge[7s])",
    "last_over_time(test_gauge[5s])",
    "absent_over_time(nonexistent_metric[5s])",
    "scalar(sum(test_gauge))",
    "sum by (le) (test_latency_seconds_bucket) / ignoring(le) group_left sum(test_latency_seconds_count)",
    "bottomk(1, test_requests_total) * 2",
    "-test_gauge ^ 2",
    "test_requests_total % 7",
    "increase(test_latency_seconds_count[10s]) / increase(test_latency_seconds_sum[10s])",
    "avg without (code) (rate(test_requests_total[5s]))",
    "group by (job) (test_requests_total)",
    "count_values(\"c\", test_requests_total % 2)",
]


class Exporter:
    """A /metrics page whose values move on every scrape."""

    def __init__(self) -> None:
        self.n = 0

    async def metrics(self, request: web.Request) -> web.Response:
        self.n += 1
        n = self.n
        lines = ["# TYPE test_requests_total counter", "# HELP test_requests_total Requests."]
        for code, mult in (("200", 7), ("500", 1), ("404", 3)):
            lines.append(f'test_requests_total{{code="{code}"}} {1000 + n * mult + (n * n) % 5}')
        lines += ["# TYPE test_gauge gauge", f"test_gauge {(n * 37) % 11}"]
        lines.append("# TYPE test_latency_seconds histogram")
        cum = 0
        for le, w in (("0.1", 5), ("0.5", 3), ("1", 2), ("+Inf", 1)):
            cum += w * n
            lines.append(f'test_latency_seconds_bucket{{le="{le}"}} {cum}')
        lines += [f"test_latency_seconds_sum {n * 4.5}", f"test_latency_seconds_count {cum}"]
        return web.Response(text="\n".join(lines) + "\n", content_type="text/plain")


def fetch(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def normalise(data: dict[str, Any]) -> Any:
    """Sorted (labels, time, value, value as written) rows."""
    if data["resultType"] in ("scalar", "string"):
        return [((), data["result"][0], float(data["result"][1]), data["result"][1])]
    if data["resultType"] == "matrix":
        return sorted((tuple(sorted(r["metric"].items())), t, float(v), v)
                      for r in data["result"] for t, v in r["values"])
    return sorted((tuple(sorted(r["metric"].items())), r["value"][0], float(r["value"][1]), r["value"][1])
                  for r in data["result"])


def same(a: Any, b: Any) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x[:2] != y[:2]:
            return False
        if x[2] == y[2] and x[3] != y[3]:  # same number, written differently
            return False
        if not (x[2] == y[2] or (math.isnan(x[2]) and math.isnan(y[2]))
                or math.isclose(x[2], y[2], rel_tol=1e-9, abs_tol=1e-12)):
            return False
    return True


async def test_prometheus_and_amclone_agree(prometheus_bin: str, tmp_path: Path) -> None:
    head = Head()
    app = web.Application()
    app.router.add_post("/api/v1/write", make_write_handler(head))
    app.add_subapp("/prometheus", make_prometheus_app(head, Engine(head)))
    ours = TestServer(app, port=free_port())
    await ours.start_server(auto_decompress=False)
    exporter = Exporter()
    exp_app = web.Application()
    exp_app.router.add_get("/metrics", exporter.metrics)
    exp_server = TestServer(exp_app, port=free_port())
    await exp_server.start_server()

    prom_port = free_port()
    (tmp_path / "prometheus.yml").write_text(f"""
global:
  scrape_interval: {SCRAPE_S}s
  evaluation_interval: 1m
scrape_configs:
  - job_name: test
    static_configs: [{{targets: ["127.0.0.1:{exp_server.port}"]}}]
remote_write:
  - url: http://127.0.0.1:{ours.port}/api/v1/write
    queue_config: {{batch_send_deadline: 200ms, max_samples_per_send: 500}}
    metadata_config: {{send_interval: 2s}}
""")
    prom = Managed([prometheus_bin, f"--config.file={tmp_path / 'prometheus.yml'}",
                    f"--storage.tsdb.path={tmp_path / 'data'}", f"--web.listen-address=127.0.0.1:{prom_port}"],
                   log=tmp_path / "prometheus.log")
    try:
        await asyncio.to_thread(wait_http, f"http://127.0.0.1:{prom_port}/-/ready", 30.0, prom.proc)
        await asyncio.sleep(24)  # 2.42 starts sending only after ~5 s of WAL replay
        # Instants half-way between scrapes, late enough for 10s windows, early enough to be sent.
        ts = sorted(set(head.series_for((("__name__", "up"), ("instance", f"127.0.0.1:{exp_server.port}"),
                                         ("job", "test"))).ts))
        assert len(ts) >= 12, f"too few samples arrived: {len(ts)}\n{prom.output()[-2000:]}"
        instants = [(ts[i] + ts[i + 1]) / 2000 for i in (-4, -3)]
        mismatches = []
        for t in instants:
            for expr in EXPRESSIONS:
                q = urllib.parse.urlencode({"query": expr, "time": f"{t:.3f}"})
                want = await asyncio.to_thread(fetch, f"http://127.0.0.1:{prom_port}/api/v1/query?{q}")
                got = await asyncio.to_thread(fetch, f"http://127.0.0.1:{ours.port}/prometheus/api/v1/query?{q}")
                assert want["status"] == "success", (expr, want)
                assert got["status"] == "success", (expr, got)
                w, g = normalise(want["data"]), normalise(got["data"])
                if not same(w, g):
                    mismatches.append(f"{expr} @ {t}:\n  prometheus {w}\n  amclone    {g}")
        start = instants[0] - 6 * SCRAPE_S
        for expr in EXPRESSIONS:  # range queries: every step half-way between scrapes too
            q = urllib.parse.urlencode({"query": expr, "start": f"{start:.3f}", "end": f"{instants[0]:.3f}",
                                        "step": str(SCRAPE_S)})
            want = await asyncio.to_thread(fetch, f"http://127.0.0.1:{prom_port}/api/v1/query_range?{q}")
            got = await asyncio.to_thread(fetch, f"http://127.0.0.1:{ours.port}/prometheus/api/v1/query_range?{q}")
            w, g = normalise(want["data"]), normalise(got["data"])
            if not same(w, g):
                mismatches.append(f"range {expr}:\n  prometheus {w}\n  amclone    {g}")
        for path in ("/api/v1/series?match[]=test_requests_total", "/api/v1/series?match[]=%7Bjob%3D%22test%22%7D",
                     "/api/v1/labels", "/api/v1/labels?match[]=test_gauge", "/api/v1/label/code/values",
                     "/api/v1/label/__name__/values", "/api/v1/label/le/values?match[]=test_latency_seconds_bucket", "/api/v1/metadata",
                     "/api/v1/metadata?metric=test_gauge"):
            want = await asyncio.to_thread(fetch, f"http://127.0.0.1:{prom_port}{path}")
            got = await asyncio.to_thread(fetch, f"http://127.0.0.1:{ours.port}/prometheus{path}")
            if want != got:
                mismatches.append(f"{path}:\n  prometheus {want}\n  amclone    {got}")
        assert not mismatches, "\n".join(mismatches)
    finally:
        prom.stop()
        await exp_server.close()
        await ours.close()
