"""The `silences` file: Alertmanager 0.25's snapshot format, durable on every change, compacted
by maintenance and on shutdown."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from silence_builders import HOUR, MINUTE, T0, m, sil

from amclone.proto import wire
from amclone.silence import Silences, SnapshotFile, snapshot
from amclone.silence.snapshot import decode_state, encode_entry
from amclone.timeutil import FakeClock


def open_store(clock: FakeClock, path: Path, **kw: int) -> Silences:
    return Silences(clock, snapshot=SnapshotFile.in_dir(path), registry=CollectorRegistry(), **kw)


def test_a_missing_file_is_an_empty_state(clock: FakeClock, tmp_path: Path) -> None:
    store = open_store(clock, tmp_path / "new")
    assert store.query()[0] == []
    assert not (tmp_path / "new" / "silences").exists()


async def test_every_change_is_on_disk_before_set_returns(clock: FakeClock, tmp_path: Path) -> None:
    store = open_store(clock, tmp_path)
    sid = store.set(sil(start=T0, end=T0 + HOUR))
    await clock.advance(60)
    store.set(replace(store.get(sid), comment="edited"))
    await clock.advance(60)
    other = store.set(sil(m("job", "=", "x"), start=T0 + HOUR, end=T0 + 2 * HOUR))
    store.expire(other)
    # No maintenance, no close: as after kill -9.
    again = open_store(clock, tmp_path)
    assert sorted(again.query()[0], key=lambda s: s.id) == sorted(store.query()[0], key=lambda s: s.id)
    assert again.get(sid).comment == "edited"


def test_the_file_is_a_valid_snapshot_between_compactions(clock: FakeClock, tmp_path: Path) -> None:
    store = open_store(clock, tmp_path)
    sid = store.set(sil(start=T0, end=T0 + HOUR))
    store.expire(sid)
    data = (tmp_path / "silences").read_bytes()
    assert len(wire.split_delimited(data)) == 2  # both records appended
    # Read as 0.25 does (later records replace earlier ones): the expired version.
    assert decode_state(data)[sid].silence.ends_at == T0


async def test_maintenance_rewrites_the_file_without_collected_silences(
    clock: FakeClock, tmp_path: Path
) -> None:
    store = open_store(clock, tmp_path, retention_ns=HOUR)
    gone = store.set(sil(start=T0, end=T0 + MINUTE))
    kept = store.set(sil(start=T0, end=T0 + 3 * HOUR))
    for i in range(5):
        store.set(replace(store.get(kept), comment=f"edit {i}"))
    await clock.advance(2 * 3600)
    size = store.maintain()
    data = (tmp_path / "silences").read_bytes()
    assert size == len(data)
    assert list(decode_state(data)) == [kept]
    assert gone not in {s.id for s in open_store(clock, tmp_path).query()[0]}
    assert [p.name for p in tmp_path.iterdir()] == ["silences"]  # no temp files left


def test_appends_compact_the_file_once_it_outgrows_the_state(
    clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "_COMPACT_FLOOR", 2000)
    store = open_store(clock, tmp_path)
    sid = store.set(sil(start=T0, end=T0 + HOUR))
    one = len(store.marshal())
    for i in range(200):
        store.set(replace(store.get(sid), comment=f"edit {i:03d}"))
    assert (tmp_path / "silences").stat().st_size <= 2000 + 2 * one
    assert open_store(clock, tmp_path).get(sid).comment == "edit 199"


def test_a_record_cut_short_by_a_crash_is_dropped_and_the_file_repaired(
    clock: FakeClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(clock, tmp_path)
    sid = store.set(sil(start=T0, end=T0 + HOUR))
    good = (tmp_path / "silences").read_bytes()
    (tmp_path / "silences").write_bytes(good + encode_entry(store._st[sid])[:-3])
    again = open_store(clock, tmp_path)
    assert [s.id for s in again.query()[0]] == [sid]
    assert "incomplete record" in caplog.text
    assert (tmp_path / "silences").read_bytes() == good


def test_garbage_in_the_file_is_an_error(clock: FakeClock, tmp_path: Path) -> None:
    (tmp_path / "silences").write_bytes(b"\x03\xff\xff\xff")
    with pytest.raises(wire.DecodeError):
        open_store(clock, tmp_path)


def test_a_record_without_a_silence_is_an_invalid_state(clock: FakeClock, tmp_path: Path) -> None:
    (tmp_path / "silences").write_bytes(b"\x02\x12\x00")  # MeshSilence{expires_at: epoch}
    with pytest.raises(Exception, match="^invalid state$"):
        open_store(clock, tmp_path)


async def test_maintenance_runs_on_its_interval_and_close_writes_the_last_snapshot(
    clock: FakeClock, tmp_path: Path
) -> None:
    store = open_store(clock, tmp_path, retention_ns=MINUTE)
    sid = store.set(sil(start=T0, end=T0 + MINUTE))
    stop = asyncio.Event()
    task = asyncio.create_task(store.run_maintenance(15 * 60, stop))
    await clock.advance(14 * 60)
    assert len(wire.split_delimited((tmp_path / "silences").read_bytes())) == 1
    await clock.advance(60)  # first tick at 15m: ended + retention passed, so it is collected
    assert (tmp_path / "silences").read_bytes() == b""
    keep = store.set(sil(start=clock.now(), end=clock.now() + HOUR))
    stop.set()
    await asyncio.wait_for(task, 1)
    store.close()
    assert list(decode_state((tmp_path / "silences").read_bytes())) == [keep]
    assert sid not in decode_state((tmp_path / "silences").read_bytes())


CHILD = """
import sys
from prometheus_client import CollectorRegistry
from amclone.labels.matcher import MatchType
from amclone.silence import Silence, SilenceMatcher, Silences, SnapshotFile
from amclone.timeutil import SystemClock
store = Silences(SystemClock(), snapshot=SnapshotFile.in_dir(sys.argv[1]), registry=CollectorRegistry())
clock = SystemClock()
i = 0
while True:
    now = clock.now()
    sid = store.set(Silence("", (SilenceMatcher("n", MatchType.EQUAL, str(i)),), now, now + 3600 * 10**9))
    print(sid, flush=True)  # acknowledged
    i += 1
"""


def test_acknowledged_silences_survive_kill_9(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], stdout=subprocess.PIPE)
    assert child.stdout is not None
    acked = [child.stdout.readline().decode().strip() for _ in range(300)]
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    store = open_store(FakeClock(T0), tmp_path)
    known = {s.id for s in store.query()[0]}
    assert set(acked) <= known
    assert len(known) >= 300


def test_a_failed_append_leaves_the_file_as_it_was(
    clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(clock, tmp_path)
    sid = store.set(sil(start=T0, end=T0 + HOUR))
    before = (tmp_path / "silences").read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as mp:
        mp.setattr(os, "fsync", disk_full)
        with pytest.raises(OSError, match="No space left"):
            store.set(sil(start=T0, end=T0 + 2 * HOUR))
    assert (tmp_path / "silences").read_bytes() == before
    assert [s.id for s in store.query()[0]] == [sid]  # not acknowledged, not kept
    store.set(sil(start=T0, end=T0 + 3 * HOUR))
    assert len(open_store(clock, tmp_path).query()[0]) == 2


def test_temp_files_of_an_interrupted_rewrite_are_removed_on_load(clock: FakeClock, tmp_path: Path) -> None:
    (tmp_path / "silences.5f3a9c0d1e2b").write_bytes(b"partial")
    (tmp_path / "silences.bak").write_bytes(b"someone's copy")
    open_store(clock, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["silences.bak"]
