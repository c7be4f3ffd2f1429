"""Durability of the alert store: replay, torn tails, compaction, group commit, expiry on load."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from amclone.alerts import Alert, AlertStore, AlertWAL, Marker
from amclone.alerts.logfile import encode_alerts
from amclone.timeutil import NS_PER_SECOND, FakeClock

S = NS_PER_SECOND


def alert(clock: FakeClock, i: int, ends: int = 3600, **labels: str) -> Alert:
    now = clock.now()
    return Alert({"alertname": f"A{i}", **labels}, {"summary": f"s{i}"}, now, now + ends * S, now,
                 f"http://gen/{i}", i % 2 == 0)


async def open_store(path: Path, clock: FakeClock, compact_bytes: int = 32 << 20) -> tuple[AlertStore, AlertWAL]:
    wal = AlertWAL(path, compact_bytes=compact_bytes)
    store = AlertStore(clock, Marker(), wal=wal, gc_interval=600 * S)
    await store.start()
    return store, wal


def state(store: AlertStore) -> dict[int, Alert]:
    return {a.fingerprint: a for a in store.list()}


async def test_round_trip_through_clean_restart(tmp_path: Path) -> None:
    clock = FakeClock()
    store, _ = await open_store(tmp_path, clock)
    await store.put([alert(clock, i) for i in range(50)])
    await store.put([alert(clock, 7, summary="x")])
    before = state(store)
    await store.stop()
    store2, _ = await open_store(tmp_path, clock)
    after = state(store2)
    assert after == before
    assert all(after[fp].fingerprint == fp and after[fp].timeout == before[fp].timeout for fp in before)
    await store2.stop()


async def test_acknowledged_puts_survive_without_close(tmp_path: Path) -> None:
    clock = FakeClock()
    store, wal = await open_store(tmp_path, clock)
    for i in range(20):
        await store.put([alert(clock, i)])
    before = state(store)
    # No stop(): the process "dies" here; only what the log wrote is left.
    store2, _ = await open_store(tmp_path, clock)
    assert state(store2) == before
    await store2.stop()
    wal._pool.shutdown()  # the abandoned log's idle threads


async def test_torn_tail_is_skipped_and_later_segments_still_read(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    store, wal = await open_store(tmp_path, clock)
    await store.put([alert(clock, 1)])
    await store.put([alert(clock, 2)])
    wal._pool.shutdown()
    (seg,) = sorted(tmp_path.glob("wal-*.log"))
    data = seg.read_bytes()
    seg.write_bytes(data[:-7])  # the second frame is torn
    caplog.set_level(logging.WARNING)
    store2, _ = await open_store(tmp_path, clock)
    assert {a.name for a in store2.list()} == {"A1"}
    assert "skipping" in caplog.text
    await store2.put([alert(clock, 3)])
    await store2.stop()
    store3, _ = await open_store(tmp_path, clock)
    assert {a.name for a in store3.list()} == {"A1", "A3"}
    await store3.stop()


async def test_garbage_and_bad_snapshot_never_prevent_start(tmp_path: Path) -> None:
    clock = FakeClock()
    (tmp_path / "snapshot").write_bytes(b"not a snapshot")
    (tmp_path / "wal-0000000001.log").write_bytes(b"\xff" * 100)
    (tmp_path / "wal-0000000002.log").write_bytes(b"")
    store, _ = await open_store(tmp_path, clock)
    assert len(store) == 0
    await store.put([alert(clock, 1)])
    await store.stop()
    store2, _ = await open_store(tmp_path, clock)
    assert len(store2) == 1
    await store2.stop()


async def test_compaction_folds_segments_into_a_snapshot(tmp_path: Path) -> None:
    clock = FakeClock()
    store, wal = await open_store(tmp_path, clock, compact_bytes=4096)
    for r in range(30):
        await store.put([alert(clock, i, run=str(r % 3)) for i in range(10)])
    await asyncio.sleep(0.2)  # let a running compaction finish
    assert wal.stats["compactions"] >= 1
    assert (tmp_path / "snapshot").exists()
    before = state(store)
    assert len(before) == 30
    await store.stop()
    assert len(list(tmp_path.glob("wal-*.log"))) <= 1
    store2, _ = await open_store(tmp_path, clock)
    assert state(store2) == before
    await store2.stop()


async def test_concurrent_puts_share_fsyncs(tmp_path: Path) -> None:
    clock = FakeClock()
    store, wal = await open_store(tmp_path, clock)
    await asyncio.gather(*(store.put([alert(clock, i)]) for i in range(200)))
    assert wal.stats["frames"] == 200
    assert wal.stats["groups"] < 50
    await store.stop()


async def test_load_drops_what_gc_would_have_removed(tmp_path: Path) -> None:
    clock = FakeClock()
    store, _ = await open_store(tmp_path, clock)
    await store.put([alert(clock, 1, ends=60), alert(clock, 2, ends=3600), alert(clock, 3, ends=7200)])
    await store.stop()
    await clock.advance(3600 + 300)  # A1 resolved 3840s ago, A2 300s ago (< one GC interval)
    store2, _ = await open_store(tmp_path, clock)
    assert sorted(a.name for a in store2.list()) == ["A2", "A3"]
    await store2.stop()
    store3, _ = await open_store(tmp_path, clock)  # the drop was persisted
    assert sorted(a.name for a in store3.list()) == ["A2", "A3"]
    await store3.stop()


async def test_odd_strings_round_trip(tmp_path: Path) -> None:
    clock = FakeClock()
    store, _ = await open_store(tmp_path, clock)
    a = Alert({"alertname": "ü\U0001f600", "raw": "\udcff"}, {"d": "x\x00y"}, clock.now(),
              clock.now() + S, clock.now(), "\ud800", False)
    await store.put([a])
    await store.stop()
    store2, _ = await open_store(tmp_path, clock)
    assert store2.list() == [a]
    await store2.stop()


async def test_put_after_close_fails_loudly(tmp_path: Path) -> None:
    clock = FakeClock()
    store, _ = await open_store(tmp_path, clock)
    await store.stop()
    with pytest.raises(RuntimeError):
        await store.put([alert(clock, 1)])


async def test_failed_write_fails_the_put_and_later_puts_recover(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    clock = FakeClock()
    store, _ = await open_store(tmp_path, clock)
    await store.put([alert(clock, 1)])
    real = os.fdatasync
    calls = {"n": 0}

    def failing(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(5, "Input/output error")
        real(fd)

    monkeypatch.setattr(os, "fdatasync", failing)
    with pytest.raises(OSError, match="Input/output error"):
        await store.put([alert(clock, 2)])
    await store.put([alert(clock, 3)])
    monkeypatch.setattr(os, "fdatasync", real)
    assert len(list(tmp_path.glob("wal-*.log"))) == 2  # continued in a fresh segment
    before = state(store)
    store2, _ = await open_store(tmp_path, clock)
    # A2 reached the page cache before the failed sync, so it may well be there: what matters
    # is that the acknowledged A1 and A3 are.
    assert {"A1", "A3"} <= {a.name for a in store2.list()}
    assert state(store2).keys() <= before.keys()
    await store2.stop()


async def test_crash_mid_compaction_leftovers_are_ignored(tmp_path: Path) -> None:
    clock = FakeClock()
    store, _ = await open_store(tmp_path, clock)
    await store.put([alert(clock, 1, summary="old")])
    await store.stop()  # snapshot covers segment 1
    # A covered segment the crash did not get to delete, holding an alert the snapshot lacks.
    (tmp_path / "wal-0000000001.log").write_bytes(encode_alerts([alert(clock, 1, summary="stale")]))
    (tmp_path / "snapshot.tmp").write_bytes(b"half a snapshot")
    store2, _ = await open_store(tmp_path, clock)
    (a,) = store2.list()
    assert a.labels["summary"] == "old"
    await store2.stop()


@pytest.mark.parametrize("mode", ["write", "none"])
async def test_other_sync_modes_round_trip(tmp_path: Path, mode: str) -> None:
    clock = FakeClock()
    wal = AlertWAL(tmp_path, sync=mode, sync_interval=0.01)
    store = AlertStore(clock, Marker(), wal=wal)
    await store.start()
    for i in range(5):
        await store.put([alert(clock, i)])
        await asyncio.sleep(0.02)  # let the background syncer run in "write" mode
    before = state(store)
    store2, _ = await open_store(tmp_path, clock)  # no stop(): as after kill -9
    assert state(store2) == before
    await store2.stop()
    await store.stop()


def test_unknown_sync_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="sync mode"):
        AlertWAL(tmp_path, sync="sometimes")


async def test_nil_annotations_survive_a_restart(tmp_path: Path) -> None:
    from amclone.alerts import NIL_MAP

    clock = FakeClock()
    store, _ = await open_store(tmp_path, clock)
    now = clock.now()
    await store.put([Alert({"a": "1"}, NIL_MAP, now, now + S, now), Alert({"a": "2"}, {}, now, now + S, now)])
    await store.stop()
    store2, _ = await open_store(tmp_path, clock)
    got = {a.labels["a"]: a.annotations for a in store2.list()}
    assert got["1"] is NIL_MAP and got["2"] is not NIL_MAP and got["2"] == {}
    await store2.stop()
