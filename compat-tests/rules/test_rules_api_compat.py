"""The evaluator on the real clock beside Prometheus 2.42 on the same rule file: the group's slot
offset (hash of file and name) gives the same evaluation times modulo the interval, and
``/api/v1/rules`` and ``/api/v1/alerts`` have the same JSON shape (keys, order, formatting)."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry

from amclone.compat.timefmt import parse_rfc3339
from amclone.promql import Engine
from amclone.rules import files
from amclone.rules.apiview import make_handlers
from amclone.rules.datasource import LocalSource
from amclone.rules.group import HeadWriter
from amclone.rules.manager import ManagerOptions, RuleManager
from amclone.rules.metrics import RuleMetrics
from amclone.testing.procs import Managed, free_port, wait_http
from amclone.timeutil import SystemClock
from amclone.tsdb import Head

RULES = """groups:
  - name: api-compat
    interval: 2s
    rules:
      - alert: Always
        expr: vector(1) > 0
        for: 1m
        labels: {sev: x}
        annotations: {s: "v {{ $value }}"}
      - record: one
        expr: vector(1)
      - record: two
        expr: vector(2)
        labels: {k: v}
"""
NS = 1_000_000_000


def _get(url: str) -> Any:
    return json.loads(urllib.request.urlopen(url, timeout=10).read())


def _shape(v: Any) -> Any:
    """Keys and value kinds, not values."""
    if isinstance(v, dict):
        return [(k, _shape(x)) for k, x in v.items()]
    if isinstance(v, list):
        return [_shape(x) for x in v]
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", v):
        return "time"
    return type(v).__name__


async def _amclone(path: Path) -> tuple[Any, Any]:
    head = Head()
    m = RuleManager(SystemClock(), LocalSource(Engine(head)), HeadWriter(head), [], RuleMetrics(CollectorRegistry()),
                    ManagerOptions())
    m.apply(files.load_files([str(path)]))
    await m.start()
    app = web.Application()
    for method, route, handler in make_handlers(m.groups):
        app.router.add_route(method, route, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.sleep(4.5)
    base = f"http://127.0.0.1:{port}"
    rules = await asyncio.to_thread(_get, f"{base}/api/v1/rules")
    alerts = await asyncio.to_thread(_get, f"{base}/api/v1/alerts")
    await m.stop()
    await runner.cleanup()
    return rules, alerts


def test_offset_and_api_shape(prometheus_bin: str, tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text(RULES)
    (tmp_path / "p.yml").write_text(f"rule_files: [{path}]\n")
    port = free_port()
    prom = Managed([prometheus_bin, f"--config.file={tmp_path / 'p.yml'}", f"--storage.tsdb.path={tmp_path / 'd'}",
                    f"--web.listen-address=127.0.0.1:{port}"], log=tmp_path / "log")
    try:
        wait_http(f"http://127.0.0.1:{port}/-/ready", 30, prom.proc)
        ours_rules, ours_alerts = asyncio.run(_amclone(path))
        theirs_rules = _get(f"http://127.0.0.1:{port}/api/v1/rules")
        theirs_alerts = _get(f"http://127.0.0.1:{port}/api/v1/alerts")
    finally:
        prom.stop()
    og, tg = ours_rules["data"]["groups"][0], theirs_rules["data"]["groups"][0]
    # Prometheus shows the wall-clock start of the evaluation, amclone the slot it evaluated
    drift = (parse_rfc3339(tg["lastEvaluation"]) - parse_rfc3339(og["lastEvaluation"])) % (2 * NS)
    assert drift < NS // 20 or drift > 2 * NS - NS // 20
    assert _shape(ours_rules) == _shape(theirs_rules)
    assert _shape(ours_alerts) == _shape(theirs_alerts)
    assert ours_alerts["data"]["alerts"][0]["value"] == theirs_alerts["data"]["alerts"][0]["value"] == "1e+00"
    for o, t in zip(og["rules"], tg["rules"], strict=True):
        assert {k: v for k, v in o.items() if k not in ("evaluationTime", "lastEvaluation", "alerts")} == \
               {k: v for k, v in t.items() if k not in ("evaluationTime", "lastEvaluation", "alerts")}
