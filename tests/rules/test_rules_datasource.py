"""Local and remote datasources give the same rows; the remote one against a real HTTP server
(amclone's own Prometheus API) and its errors; threshold sharing keeps chains visible."""

from __future__ import annotations

import asyncio
import math

import pytest
from aiohttp import web

from amclone.api.prometheus import make_prometheus_app
from amclone.promql import Engine
from amclone.rules import files
from amclone.rules.alerting import RuleEvalError
from amclone.rules.datasource import NOT_VECTOR, LocalSource, RemoteSource
from amclone.rules.group import HeadWriter, RuleGroup
from amclone.testing.procs import free_port
from amclone.tsdb import Head

T = 1_700_000_000_000


def filled() -> Head:
    head = Head()
    for i in range(3):
        for k in range(10):
            head.append((("__name__", "x"), ("i", str(i))), T - (9 - k) * 10_000, float(i * 10 + k))
    return head


async def serve(head: Head) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.add_subapp("/prometheus", make_prometheus_app(head, Engine(head)))
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}/prometheus"


@pytest.mark.parametrize("expr", ["x", "x > 15", "sum(x)", "scalar(sum(x))", "rate(x[1m])", "x{i='9'}"])
async def test_remote_equals_local(expr: str) -> None:
    head = filled()
    runner, url = await serve(head)
    try:
        local = LocalSource(Engine(head)).compile(expr)(T)
        remote = await asyncio.to_thread(RemoteSource(url).compile(expr), T)
    finally:
        await runner.cleanup()
    assert sorted(remote) == sorted(local)


async def test_remote_errors_carry_the_servers_text() -> None:
    head = filled()
    runner, url = await serve(head)
    try:
        with pytest.raises(RuleEvalError, match=NOT_VECTOR):
            await asyncio.to_thread(RemoteSource(url).query, "x[1m]", T)
        with pytest.raises(RuleEvalError, match="unclosed left parenthesis"):
            await asyncio.to_thread(RemoteSource(url).query, "sum(", T)
    finally:
        await runner.cleanup()
    with pytest.raises(RuleEvalError, match="datasource"):
        RemoteSource(f"http://127.0.0.1:{free_port()}").query("x", T)


def test_local_matrix_is_not_a_rule_result() -> None:
    with pytest.raises(RuleEvalError, match=NOT_VECTOR):
        LocalSource(Engine(filled())).compile("x[1m]")(T)


def test_shared_left_side_matches_whole_expression_and_sees_recorded_series() -> None:
    head = filled()
    src = LocalSource(Engine(head))
    qs = [src.compile(f"x > {k}") for k in (5, 15, 25)]
    whole = [LocalSource(Engine(head)).compile(f"x > {k}")(T) for k in (5, 15, 25)]
    assert [q(T) for q in qs] == whole
    assert math.isnan(src.compile("x != 1")(T)[0][1]) is False
    rules = (files.Rule(files.RECORD, "y", "x * 2"), files.Rule(files.RECORD, "z1", "y > 0"),
             files.Rule(files.RECORD, "z2", "y > 1"))
    g = RuleGroup(files.Group("/f", "g", 60_000_000_000, rules), src, HeadWriter(head))
    # a shared "y" computed before y existed must not hide the series recorded just before
    assert src.compile("y > 100")(T * 1_000_000 // 1_000_000) == []
    g.eval(T * 1_000_000)
    assert {dict(s.labels)["__name__"] for s in head.select_all([]) if dict(s.labels)["__name__"].startswith("z")} \
        == {"z1", "z2"}
