"""The intake worker: a second process that prepares large POST /api/v2/alerts bodies. It must
give exactly what the in-process route gives, and the server must never depend on it."""

from __future__ import annotations

import asyncio
import json
import marshal
import os
import signal
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from amclone.alerts import AlertStore, Marker, prepare
from amclone.alerts.logfile import alerts_from_rows, decode_alerts, encode_payload
from amclone.api import intake
from amclone.api.fastalerts import posted_alerts
from amclone.api.intake import MIN_BODY_BYTES, IntakeWorker
from amclone.api.intake_worker import DECLINE, REQUEST_HEAD, answer
from amclone.app import App
from amclone.timeutil import NS_PER_SECOND, FakeClock

from .conftest import AppFactory

NOW = 1_700_000_000 * NS_PER_SECOND
RESOLVE = 300 * NS_PER_SECOND


def body(n: int, **extra: Any) -> bytes:
    alerts: list[dict[str, Any]] = [
        {"labels": {"alertname": f"A{i % 7}", "instance": f"host-{i}:9100", "job": "node"},
         "annotations": {"summary": f"number {i}"},
         "startsAt": "2023-11-14T22:00:00Z" if i % 2 else "2023-11-14T23:00:00+01:00",
         "generatorURL": "http://prometheus:9090/graph"}
        for i in range(n)
    ]
    alerts[0].update(extra)
    return json.dumps(alerts).encode()


def request(raw: bytes) -> bytes:
    return REQUEST_HEAD.pack(NOW, RESOLVE) + raw


def test_answer_is_the_in_process_prepare() -> None:
    raw = body(50)
    expected = prepare(posted_alerts(raw) or [], now=NOW, resolve_timeout=RESOLVE)
    firing, resolved, errors, rows, payload = marshal.loads(answer(request(raw)))
    assert (firing, resolved, errors) == (expected.firing, expected.resolved, expected.errors) == (50, 0, [])
    assert payload == encode_payload(expected.alerts)
    assert alerts_from_rows(rows) == decode_alerts(payload) == expected.alerts


def test_answer_keeps_the_valid_alerts_and_every_message() -> None:
    alerts = json.loads(body(3))
    alerts[1]["labels"] = {"bad name": "x"}
    alerts[2]["endsAt"] = "2000-01-01T00:00:00Z"  # ends before it starts, and counts as resolved
    raw = json.dumps(alerts).encode()
    expected = prepare(posted_alerts(raw) or [], now=NOW, resolve_timeout=RESOLVE)
    firing, resolved, errors, rows, payload = marshal.loads(answer(request(raw)))
    assert (firing, resolved) == (expected.firing, expected.resolved) == (2, 1)
    assert errors == expected.errors and len(errors) == 2
    assert alerts_from_rows(rows) == decode_alerts(payload) == expected.alerts


@pytest.mark.parametrize("raw", [b"[{\"labels\": {\"a\": \"b\"}, \"Labels\": {}}]", b"[null]", b"{}", b"[1,",
                                 b"\xff\xfe"])
def test_answer_declines_what_the_fast_path_declines(raw: bytes) -> None:
    assert answer(request(raw)) == DECLINE


async def test_worker_process_prepares_as_in_process() -> None:
    w = IntakeWorker()
    await w.start()
    try:
        await _until(lambda: w.running)
        raw = body(200)
        handed = await w.prepare(raw, NOW, RESOLVE)
        assert handed is not None
        expected = prepare(posted_alerts(raw) or [], now=NOW, resolve_timeout=RESOLVE)
        assert handed.prepared.alerts == expected.alerts
        assert handed.payload == encode_payload(expected.alerts)
        assert await w.prepare(b"[null]", NOW, RESOLVE) is None  # declined: judged in-process
    finally:
        await w.stop()
    assert not w.running
    assert await w.prepare(body(200), NOW, RESOLVE) is None


async def test_a_request_cancelled_in_flight_leaves_the_worker_serving() -> None:
    w = IntakeWorker()
    await w.start()
    try:
        await _until(lambda: w.running)
        proc = w._proc
        gone = asyncio.create_task(w.prepare(body(2000), NOW, RESOLVE))
        await asyncio.sleep(0)  # written to the worker, answer not back yet
        gone.cancel()
        assert await w.prepare(body(200), NOW, RESOLVE) is not None
        assert w.running and w._proc is proc
    finally:
        await w.stop()


async def test_a_killed_worker_costs_nothing_and_comes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intake, "RESTART_DELAY_S", 0.05)
    w = IntakeWorker()
    await w.start()
    try:
        await _until(lambda: w.running)
        proc = w._proc
        assert proc is not None
        os.kill(proc.pid, signal.SIGKILL)
        # Whatever is asked meanwhile is answered None (in-process), never left waiting.
        assert await asyncio.wait_for(w.prepare(body(200), NOW, RESOLVE), 5) is None
        await _until(lambda: w.running and w._proc is not proc)
        assert await w.prepare(body(200), NOW, RESOLVE) is not None
    finally:
        await w.stop()


async def test_store_writes_the_workers_payload_only_when_nothing_merged(tmp_path: Path) -> None:
    class Log:
        def __init__(self) -> None:
            self.written: list[bytes] = []

        def load(self) -> list[Any]:
            return []

        def append(self, alerts: Any, payload: bytes | None = None) -> asyncio.Future[None]:
            self.written.append(encode_payload(alerts) if payload is None else payload)
            fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            fut.set_result(None)
            return fut

        async def start(self, snapshot: Any) -> None: ...

        async def close(self) -> None: ...

    log = Log()
    clock = FakeClock(NOW)
    store = AlertStore(clock, Marker(), wal=log)  # type: ignore[arg-type]
    first = prepare(posted_alerts(body(3)) or [], now=NOW, resolve_timeout=RESOLVE).alerts
    await store.put(first, b"given")
    # A start strictly inside the stored span merges with the stored alert: encoded here instead.
    later = json.loads(body(3))
    for a in later:
        a["startsAt"] = "2023-11-14T22:05:00Z"
    again = prepare(posted_alerts(json.dumps(later).encode()) or [], now=NOW + NS_PER_SECOND,
                    resolve_timeout=RESOLVE).alerts
    await store.put(again, b"given")
    assert log.written[0] == b"given"
    merged = decode_alerts(log.written[1])
    assert merged == sorted(store.list(), key=lambda a: a.labels["instance"])
    assert [a.starts_at for a in merged] == [a.starts_at for a in first] != [a.starts_at for a in again]


async def test_server_uses_the_worker_for_large_bodies(app_factory: AppFactory,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(intake.ENV, "1")
    app, url = await app_factory()
    assert isinstance(app, App) and app.deps.intake is not None
    await _until(lambda: app.deps.intake is not None and app.deps.intake.running)
    calls = []
    original = app.deps.intake.prepare

    async def counting(*a: Any) -> Any:
        out = await original(*a)
        calls.append(out is not None)
        return out

    monkeypatch.setattr(app.deps.intake, "prepare", counting)
    alerts = json.loads(body(100))
    alerts[5]["labels"] = {}
    raw = json.dumps(alerts).encode()
    assert len(raw) >= MIN_BODY_BYTES
    async with aiohttp.ClientSession() as s:
        async with s.post(f"{url}/api/v2/alerts", data=raw, headers={"Content-Type": "application/json"}) as r:
            assert (r.status, await r.json()) == (400, "at least one label pair required")
        async with s.post(f"{url}/api/v2/alerts", data=body(2),
                           headers={"Content-Type": "application/json"}) as r:
            assert r.status == 200  # small: in-process
        async with s.get(f"{url}/metrics") as r:
            metrics = await r.text()
    assert calls == [True]
    assert len(app.alerts.list()) == 99 + 2 - 2  # the 2 small ones are 2 of the first 100
    assert 'alertmanager_alerts_received_total{status="firing",version="v2"} 102.0' in metrics
    assert 'alertmanager_alerts_invalid_total{version="v2"} 1.0' in metrics


async def _until(cond: Any, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not cond():
        assert loop.time() < end, "condition not reached"
        await asyncio.sleep(0.01)
