"""ALERTS_FOR_STATE on disk, so that ``for`` state survives a restart of the process (kill -9 too).

Prometheus restores ``for`` state from its on-disk TSDB; amclone's head lives in memory, so the
rule groups' ALERTS_FOR_STATE samples are also appended to ``<storage.path>/rules/for_state``
and, at start, loaded back into the head before the manager's restore step reads it
(`amclone.rules.restore.HeadForState`). Restore semantics stay Prometheus's own: only the newest
sample of each series matters there (its time is when the process went down, its value the
alert's ``ActiveAt``), so that is all the file has to give back, stale markers included (an
alert whose series ended in a marker is not restored, as in Prometheus).

The file is a sequence of checksummed frames (`amclone.alerts.logfile`'s framing), one per
appended batch, each a msgpack list of ``[t_ms, flat labels, value]``. Every batch is written
with one ``write(2)`` as it is appended, which already survives kill -9; an ``fdatasync`` at most
once per `sync_interval` covers power loss up to that interval (Prometheus's WAL syncs no more
often). A torn last frame (a crash mid-write) ends the replay with a warning, never the start.
When the file outgrows what it holds (``max(compact_bytes, 4 x live entries)``), and once at
load, it is rewritten with the newest sample per series (temp file, fsync, rename, directory
fsync), leaving out stale series and those older than the outage tolerance, which no restore
would read.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgpack

from amclone.alerts.logfile import CorruptFrame, frame, iter_frames
from amclone.fsutil import fsync_dir, replace_file, write_all
from amclone.rules.group import Appendable
from amclone.rules.restore import DEFAULT_OUTAGE_TOLERANCE
from amclone.tsdb import STALE_NAN, AppendError, Head, is_stale
from amclone.tsdb.series import Labels

__all__ = ["FOR_STATE_FILE", "ForStateLog", "PersistingAppender"]

log = logging.getLogger(__name__)

FOR_STATE_FILE = Path("rules") / "for_state"
METRIC = "ALERTS_FOR_STATE"
_ALERT_NAMES = frozenset(("ALERTS", METRIC))
_NS_PER_MS = 1_000_000


def _name(labels: Labels) -> str:
    for k, v in labels:
        if k == "__name__":
            return v
    return ""


def _flat(labels: Labels) -> list[str]:
    return [x for pair in labels for x in pair]


def _pairs(flat: Sequence[str]) -> Labels:
    return tuple((flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2))


def _pack(rows: list[list[Any]]) -> bytes:
    out: bytes = msgpack.packb(rows, unicode_errors="surrogatepass")
    return out


class ForStateLog:
    """The newest ALERTS_FOR_STATE sample of every series, kept in memory and in `path`. Thread-safe:
    groups evaluate in worker threads and record concurrently."""

    def __init__(self, path: Path | str, outage_tolerance: int = DEFAULT_OUTAGE_TOLERANCE, *,
                 compact_bytes: int = 1 << 20, sync_interval: float = 1.0) -> None:
        self.path = Path(path)
        self.outage_tolerance_ms = outage_tolerance // _NS_PER_MS
        self.compact_bytes = compact_bytes
        self.sync_interval = sync_interval
        self._lock = threading.Lock()
        self._last: dict[Labels, tuple[int, float]] = {}
        self._fd = -1
        self._size = 0
        self._live_size = 0
        self._dirty = False
        self._synced_at = 0.0
        self.torn = 0

    # -- start-up --------------------------------------------------------------------------------

    def load(self, now: int) -> list[tuple[Labels, int, float]]:
        """The samples a restore at ``now`` (ns) may read: newest per series, not stale, within the
        outage tolerance. Rewrites the file compactly; no file yet gives nothing and creates nothing."""
        with self._lock:
            self._last.clear()
            try:
                data = self.path.read_bytes()
            except FileNotFoundError:
                return []
            try:
                for _off, payload in iter_frames(data):
                    self._replay(payload)
            except CorruptFrame as e:
                self.torn += 1
                log.warning("for-state file %s: %s; the rest is ignored", self.path, e)
            except ValueError as e:  # a checksummed frame that msgpack refuses: not ours
                self.torn += 1
                log.warning("for-state file %s: undecodable frame (%s); the rest is ignored", self.path, e)
            self._rewrite(now // _NS_PER_MS)
            return [(lbls, t, v) for lbls, (t, v) in self._last.items()]

    def _replay(self, payload: bytes) -> None:
        rows = msgpack.unpackb(payload, raw=False, unicode_errors="surrogatepass", use_list=True)
        last = self._last
        for t, flat, v in rows:
            key = _pairs(flat)
            prev = last.get(key)
            if prev is None or t >= prev[0]:
                last[key] = (int(t), STALE_NAN if math.isnan(v) else float(v))

    # -- recording -------------------------------------------------------------------------------

    def record(self, rows: Sequence[tuple[Labels, float]], t_ms: int) -> None:
        """Keep the ALERTS_FOR_STATE rows of one append (other rows are ignored). A group appends
        one rule's rows at a time, so a batch that starts with another name is a recording rule's
        and is passed over without looking at each row (that is on the evaluation's hot path)."""
        if not rows or _name(rows[0][0]) not in _ALERT_NAMES:
            return
        mine = [(lbls, v) for lbls, v in rows if _name(lbls) == METRIC]
        if not mine:
            return
        with self._lock:
            last = self._last
            out = []
            for lbls, v in mine:
                prev = last.get(lbls)
                if prev is not None and prev[0] > t_ms:
                    continue
                last[lbls] = (t_ms, v)
                out.append([t_ms, _flat(lbls), v])
            if not out:
                return
            if self._fd < 0:
                self._open()
            data = frame(_pack(out))
            write_all(self._fd, data)
            self._size += len(data)
            self._dirty = True
            if self._size > max(self.compact_bytes, 4 * self._live_size):
                self._rewrite(t_ms)
            elif time.monotonic() - self._synced_at >= self.sync_interval:
                self._sync()

    def _open(self) -> None:
        created = not self.path.parent.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if created:
            fsync_dir(self.path.parent.parent)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._size = os.fstat(self._fd).st_size

    def _sync(self) -> None:
        if self._fd >= 0 and self._dirty:
            os.fdatasync(self._fd)
        self._dirty = False
        self._synced_at = time.monotonic()

    def _rewrite(self, now_ms: int) -> None:
        """The file anew from the newest samples still worth restoring (hold the lock)."""
        mint = now_ms - self.outage_tolerance_ms
        self._last = {k: tv for k, tv in self._last.items() if tv[0] >= mint and not is_stale(tv[1])}
        rows = [[t, _flat(k), v] for k, (t, v) in self._last.items()]
        data = frame(_pack(rows)) if rows else b""
        replace_file(self.path, data)
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        self._open()
        self._live_size = len(data)
        self._dirty = False
        self._synced_at = time.monotonic()

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                self._sync()
                os.close(self._fd)
                self._fd = -1

    def snapshot(self) -> dict[Labels, tuple[int, float]]:
        """The newest sample per series as recorded (tests, diagnostics)."""
        with self._lock:
            return dict(self._last)


def load_into(head: Head, samples: Sequence[tuple[Labels, int, float]]) -> int:
    """Append loaded samples to the head (before anything else writes there); returns how many it took."""
    taken = 0
    for labels, t_ms, v in samples:
        try:
            head.append(labels, t_ms, v)
            taken += 1
        except AppendError:
            pass
    return taken


class PersistingAppender:
    """The rules' `Appendable` that also records ALERTS_FOR_STATE in a `ForStateLog`."""

    def __init__(self, inner: Appendable, store: ForStateLog) -> None:
        self.inner = inner
        self.store = store

    def append_rows(self, rows: Sequence[tuple[Labels, float]], t_ms: int) -> int:
        refused = self.inner.append_rows(rows, t_ms)
        try:
            self.store.record(rows, t_ms)
        except OSError as e:
            log.error("writing for-state file %s failed: %s", self.store.path, e)
        return refused
