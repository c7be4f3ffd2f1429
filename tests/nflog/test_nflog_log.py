"""NotificationLog: log/query, expiry capped by retention, GC, snapshot round trip in 0.25's
format, merge (last writer wins, expired dropped), maintenance on the clock, metrics."""

from __future__ import annotations

import asyncio
from pathlib import Path

from prometheus_client import CollectorRegistry

from amclone.nflog import NotificationLog, Receiver
from amclone.nflog.codec import Entry, decode_state, encode_state
from amclone.timeutil import NS_PER_SECOND, FakeClock

S = NS_PER_SECOND
R = Receiver("team", "webhook", 1)


def test_log_query_and_expiry() -> None:
    clock = FakeClock()
    reg = CollectorRegistry()
    nf = NotificationLog(clock, retention_ns=100 * S, registry=reg)
    assert nf.query("k", R) is None
    nf.log(R, "k", [1, 2], [3], expiry_ns=20 * S)
    e = nf.query("k", R)
    assert e is not None and e.firing_alerts == (1, 2) and e.resolved_alerts == (3,)
    assert e.expires_at - e.timestamp == 20 * S
    nf.log(R, "k2", [], [], expiry_ns=500 * S)  # longer than retention: retention wins
    e2 = nf.query("k2", R)
    assert e2 is not None and e2.expires_at - e2.timestamp == 100 * S
    assert reg.get_sample_value("alertmanager_nflog_queries_total") == 3
    assert reg.get_sample_value("alertmanager_nflog_query_errors_total") == 1


async def test_gc_and_snapshot_round_trip(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "nflog"
    nf = NotificationLog(clock, snapshot_path=path)
    nf.log(R, "a", [1], [], expiry_ns=10 * S)
    nf.log(R, "b", [2], [], expiry_ns=100 * S)
    await clock.advance(10)
    assert nf.gc() == 1
    nf.close()
    again = NotificationLog(clock, snapshot_path=path)
    assert [e.group_key for e in again.entries()] == ["b"]
    assert decode_state(path.read_bytes()) == {e.state_key(): e for e in again.entries()}
    assert not list(tmp_path.glob("nflog.*"))  # the temp file was renamed


def test_merge_last_writer_wins_and_drops_expired() -> None:
    clock = FakeClock()
    nf = NotificationLog(clock)
    sent: list[bytes] = []
    nf.set_broadcast(sent.append)
    now = clock.now()
    nf.log(R, "k", [1], [])
    assert len(sent) == 1
    newer = Entry("k", R, now + S, now + 10 * S, (9,))
    older = Entry("k", R, now - S, now + 10 * S, (8,))
    expired = Entry("x", R, now, now - S, (7,))
    nf.merge(encode_state([older, expired]))
    assert nf.query("k", R).firing_alerts == (1,)  # type: ignore[union-attr]
    assert nf.query("x", R) is None
    nf.merge(encode_state([newer]))
    assert nf.query("k", R).firing_alerts == (9,)  # type: ignore[union-attr]
    assert len(sent) == 2


async def test_maintenance_runs_on_the_clock(tmp_path: Path) -> None:
    clock = FakeClock()
    reg = CollectorRegistry()
    nf = NotificationLog(clock, snapshot_path=tmp_path / "nflog", registry=reg)
    nf.log(R, "k", [1], [])
    stop = asyncio.Event()
    task = asyncio.create_task(nf.run_maintenance(900, stop))
    await clock.advance(901)
    assert (tmp_path / "nflog").exists()
    assert reg.get_sample_value("alertmanager_nflog_snapshot_size_bytes") == (tmp_path / "nflog").stat().st_size
    stop.set()
    await task


def test_entries_appended_between_snapshots(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "nflog"
    nf = NotificationLog(clock, snapshot_path=path)
    nf.log(R, "a", [1], [])
    nf.log(R, "a", [1, 2], [])
    nf.log(R, "b", [3], [])
    # no snapshot yet, as after kill -9: the file alone has the latest entry per key
    again = NotificationLog(clock, snapshot_path=path)
    assert again.query("a", R).firing_alerts == (1, 2)  # type: ignore[union-attr]
    assert again.query("b", R) is not None
    size = path.stat().st_size
    nf.maintain()
    assert path.stat().st_size < size
    nf.log(R, "c", [4], [])
    assert NotificationLog(clock, snapshot_path=path).query("c", R) is not None
    nf.close()
