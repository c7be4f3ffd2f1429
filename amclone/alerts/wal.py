"""Durable alerts (beyond Alertmanager, which keeps them in memory only: issue #2370).

Layout under ``<storage.path>/alerts/``:
- ``wal-<n>.log``: append-only segments of checksummed frames (`amclone.alerts.logfile`), one
  frame per put,
  each holding the alerts *as stored* (after merging). Replay is "last row per fingerprint
  wins", so replaying a row that a snapshot already holds is harmless.
- ``snapshot``: every stored alert at some moment, plus the number of the last segment it
  covers. Written to a temporary file, fsynced, renamed, directory fsynced; only then are the
  covered segments deleted. A crash at any point leaves either the old or the new snapshot.

Group commit: `append` only queues an encoded frame and returns a future. One writer task
takes everything queued, writes it with one ``write`` + ``fdatasync`` in a worker thread, and
resolves all those futures; puts that arrive while a sync is running form the next group. An
fdatasync costs ~0.2 ms on an idle disk here plus ~3 ms per MB, so under load a group holds many
requests and throughput is bound by encoding, not by the disk; with a single client each put
waits one sync. On a busy disk an fdatasync was measured at 3-30 ms, which then bounds a
closed-loop client to one batch per sync.

`sync` chooses what an acknowledgement promises:
- ``"fsync"`` (default): the frame was fdatasynced: survives kill -9 and power loss.
- ``"write"``: the frame was written to the kernel (``write(2)``): survives kill -9 and any crash
  of the process, not a kernel crash or power loss of the last `sync_interval`, which a
  background fdatasync bounds. Throughput no longer waits for the disk.
- ``"none"``: never syncs (tests, benchmarks); still survives kill -9.

Compaction (a snapshot, then deleting old segments) starts when the log written since the last
snapshot exceeds ``max(compact_bytes, compact_ratio x snapshot size)`` (so the work of rewriting
the snapshot stays proportional to what was logged), at start-up when old segments were
replayed, and at a clean shutdown. New writes go to a fresh segment meanwhile.

A torn or corrupt frame (a crash mid-write) ends its segment: the rest of that segment is
skipped with a warning, later segments are still read, and start-up never fails on it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from amclone.alerts.alert import Alert
from amclone.alerts.logfile import (
    SNAP_HEAD,
    SNAPSHOT_MAGIC,
    CorruptFrame,
    decode_alerts,
    encode_alerts,
    encode_payload,
    frame,
    iter_frames,
    list_segments,
    segment_name,
)
from amclone.fsutil import fsync_dir

__all__ = ["SYNC_MODES", "AlertWAL"]

log = logging.getLogger("amclone.alerts.wal")

SYNC_MODES = ("fsync", "write", "none")
_SNAPSHOT_CHUNK = 2000  # alerts per snapshot frame: bounded memory when reading back


class AlertWAL:
    """The `AlertLog` of `amclone.alerts.store.AlertStore`, in `directory` (created if needed)."""

    def __init__(self, directory: Path | str, *, compact_bytes: int = 32 << 20, compact_ratio: float = 2.0,
                 sync: str = "fsync", sync_interval: float = 0.1) -> None:
        if sync not in SYNC_MODES:
            raise ValueError(f"alert log sync mode must be one of {', '.join(SYNC_MODES)}, not {sync!r}")
        self.dir = Path(directory)
        self.compact_bytes = compact_bytes
        self.compact_ratio = compact_ratio
        self.sync = sync
        self.sync_interval = sync_interval
        self._ack_synced = sync == "fsync"
        self._durable = sync != "none"  # directory entries and snapshots are synced
        self._fd_lock = threading.Lock()  # the background syncer reads _fd
        self._dirty = False
        self._syncer: asyncio.Task[None] | None = None
        self._segment = 0  # segment new frames go to
        self._covered = 0  # last segment the snapshot on disk covers
        self._open_segment = -1
        self._fd = -1
        self._queue: list[bytes] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._wake: asyncio.Event | None = None
        self._writer: asyncio.Task[None] | None = None
        self._compactor: asyncio.Task[None] | None = None
        self._snapshot_fn: Callable[[], list[Alert]] = list
        self._since_snapshot = 0
        self._snapshot_size = 0
        self._closing = False
        self._replayed = False
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="alerts-wal")
        self._snap_pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="alerts-snap")
        self.stats = {"groups": 0, "frames": 0, "bytes": 0, "compactions": 0, "torn": 0}

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> list[Alert]:
        """The last stored version of every alert, from the snapshot and newer segments.

        The cyclic GC is paused meanwhile: hundreds of thousands of fresh dicts would trigger
        repeated full collections that find nothing (a third of the load time at 200k alerts).
        """
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._load()
        finally:
            if was_enabled:
                gc.enable()

    def _load(self) -> list[Alert]:
        self.dir.mkdir(parents=True, exist_ok=True)
        state: dict[int, Alert] = {}
        snap = self.dir / "snapshot"
        if snap.exists():
            data = snap.read_bytes()
            self._snapshot_size = len(data)
            head = len(SNAPSHOT_MAGIC)
            if data[:head] != SNAPSHOT_MAGIC or len(data) < head + SNAP_HEAD.size:
                log.error("%s is not an alert snapshot; ignoring it", snap)
            else:
                (self._covered,) = SNAP_HEAD.unpack_from(data, head)
                self._read_frames(snap, data, head + SNAP_HEAD.size, state)
        segments = sorted(n for n in self._segments() if n > self._covered)
        for n in segments:
            path = self.dir / segment_name(n)
            self._since_snapshot += self._read_frames(path, path.read_bytes(), 0, state)
        self._segment = max([self._covered, *segments]) + 1
        self._replayed = bool(segments)
        return list(state.values())

    def _segments(self) -> list[int]:
        return list_segments(self.dir)

    def _read_frames(self, path: Path, data: bytes, start: int, state: dict[int, Alert]) -> int:
        pos = start
        try:
            for pos, payload in iter_frames(data, start):
                for a in decode_alerts(payload):
                    state[a.fingerprint] = a
            return len(data)
        except (CorruptFrame, ValueError, TypeError) as e:
            off = e.offset if isinstance(e, CorruptFrame) else pos
            self.stats["torn"] += 1
            log.warning("skipping %d bytes at the end of %s from offset %d: %s",
                        len(data) - off, path, off, e)
            return off

    # -- running ----------------------------------------------------------------------------

    async def start(self, snapshot: Callable[[], list[Alert]]) -> None:
        """Begin accepting appends; `snapshot` returns the store's current alerts."""
        self._snapshot_fn = snapshot
        self._wake = asyncio.Event()
        self._writer = asyncio.create_task(self._write_loop(), name="alerts-wal")
        if self.sync == "write":
            self._syncer = asyncio.create_task(self._sync_loop(), name="alerts-wal-sync")
        if self._replayed:
            # Fold what was replayed into one snapshot, so restarts stay fast and the
            # expired alerts the store dropped on load are gone from disk too.
            self._segment -= 1
            self._start_compaction()

    def append(self, alerts: Sequence[Alert], payload: bytes | None = None) -> asyncio.Future[None]:
        """Log `alerts`; `payload` is their encoding when the caller has it already."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._closing or self._wake is None:
            fut.set_exception(RuntimeError("alert log is not running"))
            return fut
        self._queue.append(encode_payload(alerts) if payload is None else payload)  # framed (checksummed) in the writer thread
        self._waiters.append(fut)
        self._wake.set()
        return fut

    async def _write_loop(self) -> None:
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            if not self._queue:
                if self._closing:
                    return
                continue
            payloads = self._queue
            waiters = self._waiters
            self._queue, self._waiters = [], []
            try:
                size = await loop.run_in_executor(self._pool, self._write_frames, self._segment, payloads)
            except OSError as e:
                log.error("writing alerts to %s failed: %s", self.dir, e)
                # A failed write may have left a partial frame: continue in a fresh segment so
                # that the damage is a torn tail, which the reader skips, never a torn middle.
                self._segment += 1
                for w in waiters:
                    if not w.done():
                        w.set_exception(e)
            else:
                for w in waiters:
                    if not w.done():
                        w.set_result(None)
                self.stats["groups"] += 1
                self.stats["frames"] += len(waiters)
                self.stats["bytes"] += size
                self._since_snapshot += size
                if self._since_snapshot >= max(self.compact_bytes, self.compact_ratio * self._snapshot_size):
                    self._start_compaction()
            if self._queue:
                self._wake.set()

    def _write_frames(self, segment: int, payloads: list[bytes]) -> int:
        """Runs in the writer thread: frame `payloads` (crc32 releases the GIL on big buffers)
        and write them as one piece; returns the bytes written."""
        data = b"".join([frame(p) for p in payloads])
        self._write(segment, data)
        return len(data)

    def _write(self, segment: int, data: bytes) -> None:
        """Runs in the writer thread: append `data` to `segment`, synced if acks promise it."""
        if segment != self._open_segment:
            self._close_fd()
            fd = os.open(self.dir / segment_name(segment),
                         os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
            with self._fd_lock:
                self._fd, self._open_segment = fd, segment
            if self._durable:
                fsync_dir(self.dir)  # the new file's name must survive a crash too
        view = memoryview(data)
        while view:
            n = os.write(self._fd, view)
            view = view[n:]
        if self._ack_synced:
            os.fdatasync(self._fd)
        else:
            self._dirty = True

    async def _sync_loop(self) -> None:
        """``sync="write"``: fdatasync what was written, every `sync_interval` seconds."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.sync_interval)
            if self._dirty:
                try:
                    await loop.run_in_executor(self._snap_pool, self._sync_current)
                except OSError as e:
                    log.error("syncing %s failed: %s", self.dir, e)

    def _sync_current(self) -> None:
        self._dirty = False
        with self._fd_lock:
            if self._fd < 0:
                return
            fd = os.dup(self._fd)  # the writer may close its descriptor meanwhile
        try:
            os.fdatasync(fd)
        finally:
            os.close(fd)

    # -- compaction -------------------------------------------------------------------------

    def _start_compaction(self) -> None:
        if self._compactor is not None and not self._compactor.done():
            return
        # Rotate and copy the state in one synchronous step: every frame in segments up to
        # `covered` was applied to memory before this point, so the copy contains it.
        covered = self._segment
        self._segment += 1
        self._since_snapshot = 0
        alerts = self._snapshot_fn()
        self._compactor = asyncio.create_task(self._compact(covered, alerts), name="alerts-compact")

    async def _compact(self, covered: int, alerts: list[Alert]) -> None:
        loop = asyncio.get_running_loop()
        try:
            size = await loop.run_in_executor(self._snap_pool, self._write_snapshot, covered, alerts)
        except OSError as e:
            log.error("writing the alert snapshot in %s failed: %s", self.dir, e)
            return
        self._snapshot_size = size
        self._covered = covered
        self.stats["compactions"] += 1

    def _write_snapshot(self, covered: int, alerts: list[Alert]) -> int:
        tmp = self.dir / "snapshot.tmp"
        with open(tmp, "wb") as f:
            f.write(SNAPSHOT_MAGIC + SNAP_HEAD.pack(covered))
            f.writelines(encode_alerts(alerts[i:i + _SNAPSHOT_CHUNK]) for i in range(0, len(alerts), _SNAPSHOT_CHUNK))
            if not alerts:
                f.write(encode_alerts([]))  # an empty snapshot still has one checked frame
            f.flush()
            size = f.tell()
            if self._durable:
                os.fsync(f.fileno())
        os.replace(tmp, self.dir / "snapshot")
        if self._durable:
            fsync_dir(self.dir)
        for n in self._segments():
            if n <= covered:
                try:
                    os.unlink(self.dir / segment_name(n))
                except FileNotFoundError:
                    pass
        return size

    async def close(self) -> None:
        """Write what is queued, take a final snapshot if the log grew, release the files."""
        if self._writer is None:
            self._pool.shutdown()
            self._snap_pool.shutdown()
            return
        self._closing = True
        assert self._wake is not None
        self._wake.set()
        await self._writer
        if self._syncer is not None:
            self._syncer.cancel()
            try:
                await self._syncer
            except asyncio.CancelledError:
                pass
        if self._compactor is not None:
            await self._compactor
        if self._since_snapshot > 0:
            self._start_compaction()
            assert self._compactor is not None
            await self._compactor
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._pool, self._close_fd)
        self._pool.shutdown()
        self._snap_pool.shutdown()
        self._writer = None

    def _close_fd(self) -> None:
        """Writer thread: release the current segment (synced first if acks did not sync it)."""
        with self._fd_lock:
            fd, self._fd, self._open_segment = self._fd, -1, -1
        if fd >= 0:
            try:
                if self._durable and not self._ack_synced:
                    os.fdatasync(fd)
            finally:
                os.close(fd)
