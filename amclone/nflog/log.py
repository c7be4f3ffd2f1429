"""The notification log (0.25 ``nflog.Log``): which alerts of a group were last notified to which
integration, and when.

The dedup stage reads it to decide whether a flush must notify; the set-notifies stage writes it
after a successful send. Entries expire after ``2 x repeat_interval`` (capped by
``--data.retention``), are garbage-collected and snapshotted to ``<storage.path>/nflog`` every
``--data.maintenance-interval`` and at shutdown, in 0.25's on-disk format (`amclone.nflog.codec`),
so a data directory moves between Alertmanager and amclone without re-sending notifications.
Between snapshots each new entry is appended to the same file (still a valid 0.25 snapshot).

Everything runs on the event loop, so there is no lock. Time comes from the injected `Clock`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from prometheus_client import Counter, Gauge, Histogram, Summary
from prometheus_client.registry import CollectorRegistry

from amclone.fsutil import replace_file, write_all
from amclone.nflog.codec import Entry, Receiver, decode_state, encode_entry, encode_state
from amclone.timeutil import NS_PER_SECOND, Clock, run_every

__all__ = ["DEFAULT_RETENTION", "NflogMetrics", "NotificationLog", "QueryError"]

log = logging.getLogger("amclone.nflog")

DEFAULT_RETENTION = 120 * 3600 * NS_PER_SECOND  # --data.retention
# client_golang's DefBuckets (prometheus_client's defaults add .075, .75 and 7.5)
GO_DEF_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class QueryError(Exception):
    """A query without a group key or receiver (0.25: ``no query parameters specified``)."""


class NflogMetrics:
    """The ``alertmanager_nflog_*`` family, named and described as in 0.25."""

    def __init__(self, registry: CollectorRegistry | None) -> None:
        r = registry
        self.gc_duration = Summary("alertmanager_nflog_gc_duration_seconds",
                                   "Duration of the last notification log garbage collection cycle.", registry=r)
        self.snapshot_duration = Summary("alertmanager_nflog_snapshot_duration_seconds",
                                         "Duration of the last notification log snapshot.", registry=r)
        self.snapshot_size = Gauge("alertmanager_nflog_snapshot_size_bytes",
                                   "Size of the last notification log snapshot in bytes.", registry=r)
        self.queries = Counter("alertmanager_nflog_queries", "Number of notification log queries were received.",
                               registry=r)
        self.query_errors = Counter("alertmanager_nflog_query_errors",
                                    "Number notification log received queries that failed.", registry=r)
        self.query_duration = Histogram("alertmanager_nflog_query_duration_seconds",
                                        "Duration of notification log query evaluation.", buckets=GO_DEF_BUCKETS,
                                        registry=r)
        self.propagated = Counter("alertmanager_nflog_gossip_messages_propagated",
                                  "Number of received gossip messages that have been further gossiped.",
                                  registry=r)


class NotificationLog:
    """Entries by state key (``<group key>:<receiver>/<integration>/<idx>``).

    `snapshot_path` is the ``nflog`` file; it is loaded on construction (a missing file is an
    empty log; a corrupt one raises, as 0.25 refuses to start on it).
    """

    def __init__(self, clock: Clock, *, retention_ns: int = DEFAULT_RETENTION,
                 snapshot_path: str | os.PathLike[str] | None = None,
                 registry: CollectorRegistry | None = None) -> None:
        self._clock = clock
        self._retention = retention_ns
        self._path = Path(snapshot_path) if snapshot_path is not None else None
        self._st: dict[str, Entry] = {}
        self._broadcast: Callable[[bytes], None] = lambda b: None
        self.metrics = NflogMetrics(registry)
        self._fd: int | None = None
        if self._path is not None and self._path.exists():
            self._st = decode_state(self._path.read_bytes())

    # -- the pipeline's side ------------------------------------------------------------------

    def log(self, receiver: Receiver, group_key: str, firing: Sequence[int], resolved: Sequence[int],
            expiry_ns: int = 0) -> None:
        """Record a successful notification. An entry stamped in the future (a peer's clock
        ahead of ours) is kept, as 0.25 does."""
        now = self._clock.now()
        e = Entry(group_key, receiver, now, 0)
        key = e.state_key()
        prev = self._st.get(key)
        if prev is not None and prev.timestamp > now:
            return
        expires_at = now + self._retention
        if 0 < expiry_ns < self._retention:
            expires_at = now + expiry_ns
        e = Entry(group_key, receiver, now, expires_at, tuple(firing), tuple(resolved))
        self._merge(e, now)
        record = encode_entry(e)
        self._append(record)
        self._broadcast(record)

    def _append(self, record: bytes) -> None:
        """Add the record to the snapshot file at once (a later record for a key replaces an
        earlier one when 0.25 or amclone loads it), so a crash does not forget notifications
        sent since the last snapshot: amclone's alerts survive kill -9, and without this every
        one of them would be notified again after the restart."""
        if self._path is None:
            return
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
            write_all(self._fd, record)
        except OSError as e:
            log.error("appending to the notification log failed: %s", e)
            self._close_fd()

    def _close_fd(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None

    def query(self, group_key: str, receiver: Receiver) -> Entry | None:
        """The entry for (group key, receiver), or None (0.25's ``ErrNotFound``, also counted
        as a query error there)."""
        start = time.perf_counter()
        self.metrics.queries.inc()
        try:
            if not group_key:
                self.metrics.query_errors.inc()
                raise QueryError("no query parameters specified")
            e = self._st.get(f"{group_key}:{receiver.key()}")
            if e is None:
                self.metrics.query_errors.inc()
            return e
        finally:
            self.metrics.query_duration.observe(time.perf_counter() - start)

    def entries(self) -> list[Entry]:
        return list(self._st.values())

    def __len__(self) -> int:
        return len(self._st)

    # -- maintenance --------------------------------------------------------------------------

    def gc(self) -> int:
        """Drop entries whose expiry is not after now; returns how many went."""
        start = time.perf_counter()
        now = self._clock.now()
        gone = [k for k, e in self._st.items() if e.expires_at <= now]
        for k in gone:
            del self._st[k]
        self.metrics.gc_duration.observe(time.perf_counter() - start)
        return len(gone)

    def marshal(self) -> bytes:
        return encode_state(list(self._st.values()))

    def snapshot(self) -> int:
        """Write the whole log to the snapshot file (temp file, fsync, rename, directory fsync);
        returns its size."""
        if self._path is None:
            return 0
        start = time.perf_counter()
        data = self.marshal()
        replace_file(self._path, data)
        self._close_fd()  # the next append goes to the new file
        self.metrics.snapshot_duration.observe(time.perf_counter() - start)
        return len(data)

    def maintain(self) -> None:
        """One maintenance run: GC, then the snapshot (0.25's order)."""
        self.gc()
        self.metrics.snapshot_size.set(self.snapshot())

    async def run_maintenance(self, interval_s: float, stop: asyncio.Event) -> None:
        """Maintain every `interval_s` until `stop` is set; `close` writes the final snapshot."""
        await run_every(self._clock, interval_s, stop, lambda: self._maintain_logged("Running maintenance failed"))

    def close(self) -> None:
        """The shutdown snapshot."""
        if self._path is not None:
            self._maintain_logged("Creating shutdown snapshot failed")
        self._close_fd()

    def _maintain_logged(self, msg: str) -> None:
        try:
            self.maintain()
        except OSError as e:
            log.error("%s: %s", msg, e)

    # -- the cluster's side -------------------------------------------------------------------

    def _merge(self, e: Entry, now: int) -> bool:
        if e.expires_at < now:
            return False
        key = e.state_key()
        prev = self._st.get(key)
        if prev is None or prev.timestamp < e.timestamp:
            self._st[key] = e
            return True
        return False

    def merge(self, data: bytes) -> None:
        """A peer's state or gossip message: last writer wins per key; accepted entries are
        passed on (the gossip layer decides what is too large to re-broadcast)."""
        now = self._clock.now()
        for e in decode_state(data).values():
            if self._merge(e, now):
                self._broadcast(data)
                self.metrics.propagated.inc()

    def set_broadcast(self, fn: Callable[[bytes], None]) -> None:
        self._broadcast = fn
