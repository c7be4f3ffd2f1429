"""`Silences`: the silence state with Alertmanager 0.25's rules for creating, updating,
expiring, querying and forgetting silences (`silence/silence.go`), made durable on every change.

All time comes from the injected `Clock`, so a `FakeClock` can walk a silence through pending,
active, expired and garbage-collected in a test. The store is used from one asyncio loop; its
methods do not await, so each runs without interleaving.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import replace

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from amclone.silence.index import MatchIndex
from amclone.silence.model import (
    NotFoundError,
    Silence,
    SilenceError,
    SilenceState,
    as_go_strings,
    can_update,
    validate,
)
from amclone.silence.snapshot import Entry, SnapshotFile, decode_state, encode_entry, encode_state
from amclone.timeutil import ZERO_TIME, Clock, run_every

log = logging.getLogger(__name__)

DEFAULT_RETENTION_NS = 120 * 3600 * 1_000_000_000  # --data.retention=120h


class _ByState(Collector):
    """`alertmanager_silences{state}`, counted at scrape time as 0.25's GaugeFuncs do."""

    def __init__(self, count: Callable[[SilenceState], int]) -> None:
        self._count = count

    def collect(self) -> Iterator[GaugeMetricFamily]:
        g = GaugeMetricFamily("alertmanager_silences", "How many silences by state.", labels=["state"])
        # 0.25 registers active, pending, expired in that order.
        for st in (SilenceState.ACTIVE, SilenceState.PENDING, SilenceState.EXPIRED):
            g.add_metric([st.value], float(self._count(st)))
        yield g


class SilenceMetrics:
    def __init__(self, registry: CollectorRegistry | None,
                 count: Callable[[SilenceState], int]) -> None:
        reg = registry if registry is not None else CollectorRegistry()
        # Summaries without quantiles (0.25 sets empty Objectives): only _sum and _count.
        self.gc_duration = Summary(
            "alertmanager_silences_gc_duration_seconds",
            "Duration of the last silence garbage collection cycle.", registry=reg)
        self.snapshot_duration = Summary(
            "alertmanager_silences_snapshot_duration_seconds",
            "Duration of the last silence snapshot.", registry=reg)
        self.snapshot_size = Gauge(
            "alertmanager_silences_snapshot_size_bytes",
            "Size of the last silence snapshot in bytes.", registry=reg)
        self.queries_total = Counter(
            "alertmanager_silences_queries_total",
            "How many silence queries were received.", registry=reg)
        self.query_errors_total = Counter(
            "alertmanager_silences_query_errors_total",
            "How many silence received queries did not succeed.", registry=reg)
        # prometheus_client's default buckets are Go's DefBuckets.
        self.query_duration = Histogram(
            "alertmanager_silences_query_duration_seconds",
            "Duration of silence query evaluation.", registry=reg)
        self.propagated_messages_total = Counter(
            "alertmanager_silences_gossip_messages_propagated_total",
            "Number of received gossip messages that have been further gossiped.", registry=reg)
        reg.register(_ByState(count))


class Silences:
    def __init__(self, clock: Clock, *, retention_ns: int = DEFAULT_RETENTION_NS,
                 snapshot: SnapshotFile | None = None,
                 registry: CollectorRegistry | None = None) -> None:
        """`snapshot` is where state is loaded from and kept; None keeps it in memory only
        (0.25 without --storage.path snapshots)."""
        self._clock = clock
        self._retention = retention_ns
        self._file = snapshot
        self._st: dict[str, Entry] = {}
        self._version = 0
        self._generation = 0  # every change to _st, GC included: keeps the index fresh
        self._index = MatchIndex()
        self._broadcast: Callable[[bytes], None] = lambda b: None
        self.metrics = SilenceMetrics(registry, self.count_state)
        if snapshot is not None:
            self._st = snapshot.load()
            self._version += 1  # 0.25's loadSnapshot bumps the version, empty file or not

    # -- reading -------------------------------------------------------------------------

    def now(self) -> int:
        """The store's clock, for callers that judge states at the same instant it does."""
        return self._clock.now()

    @property
    def version(self) -> int:
        """Bumped by every change that adds or alters a silence (not by GC), so a cache built
        at one version stays valid while the version is unchanged."""
        return self._version

    def query(self, *, ids: Iterable[str] | None = None,
              states: Collection[SilenceState] | None = None,
              matches: Mapping[str, str] | None = None) -> tuple[list[Silence], int]:
        """Silences with one of `ids` (all when None), in one of `states`, whose matchers all
        match the label set `matches` (absent labels as ""), and the version they reflect.
        The order is unspecified, as in 0.25; the API sorts."""
        self.metrics.queries_total.inc()
        start = time.perf_counter()
        try:
            return self._query(ids, states, matches), self._version
        except SilenceError:
            self.metrics.query_errors_total.inc()
            raise
        finally:
            self.metrics.query_duration.observe(time.perf_counter() - start)

    def get(self, silence_id: str) -> Silence:
        """The silence with this ID; `NotFoundError` when there is none (0.25 `QueryOne`)."""
        found, _ = self.query(ids=[silence_id])
        if not found:
            raise NotFoundError()
        return found[0]

    def count_state(self, state: SilenceState) -> int:
        # Through query(), so scrapes count as queries exactly as 0.25's CountState does.
        return len(self.query(states=(state,))[0])

    def _query(self, ids: Iterable[str] | None, states: Collection[SilenceState] | None,
               matches: Mapping[str, str] | None) -> list[Silence]:
        if ids is not None:
            base = [e.silence for i in ids if (e := self._st.get(i)) is not None]
        elif matches is not None:
            base = self._index.candidates(self._st, self._generation, matches)
        else:
            # list() copies in one step: a scrape from another thread may count states while
            # the loop changes silences.
            base = [e.silence for e in list(self._st.values())]
        now = self._clock.now()
        out = []
        for s in base:
            if states is not None and s.state(now) not in states:
                continue
            if matches is not None and not self._index.matches(s, matches):
                continue
            out.append(s)
        return out

    # -- changing ------------------------------------------------------------------------

    def set(self, sil: Silence) -> str:
        """Create or update a silence and return its ID (0.25 `Set`).

        An empty ID creates a silence with a new UUIDv4. A known ID is updated in place when
        `can_update` allows; otherwise the old silence is expired (unless it already is) and
        the new one stored under a fresh ID. New silences never start before now. As in 0.25
        the old silence is expired before the new one is validated."""
        now = self._clock.now()
        sil = as_go_strings(sil)
        prev = self._st.get(sil.id) if sil.id else None
        if sil.id and prev is None:
            raise NotFoundError()
        if prev is not None:
            if can_update(prev.silence, sil, now):
                self._store(sil, now)
                return sil.id
            if prev.silence.state(now) is not SilenceState.EXPIRED:
                try:
                    self._expire(prev.silence.id, now)
                except SilenceError as e:
                    raise SilenceError(f"expire previous silence: {e}") from e
        sil = replace(sil, id=str(uuid.uuid4()), starts_at=max(sil.starts_at, now))
        self._store(sil, now)
        return sil.id

    def expire(self, silence_id: str) -> None:
        """End a silence now (0.25 `Expire`): an active one ends now, a pending one starts and
        ends now, an expired one is left alone without error. Unknown IDs raise
        `NotFoundError`."""
        self._expire(silence_id, self._clock.now())

    def _expire(self, silence_id: str, now: int) -> None:
        e = self._st.get(silence_id)
        if e is None:
            raise NotFoundError()
        s = e.silence
        state = s.state(now)
        if state is SilenceState.EXPIRED:
            return
        if state is SilenceState.ACTIVE:
            s = replace(s, ends_at=now)
        else:
            s = replace(s, starts_at=now, ends_at=now)
        self._store(s, now)

    def _store(self, sil: Silence, now: int) -> None:
        sil = replace(sil, updated_at=now)
        validate(sil)
        entry = Entry(sil, sil.ends_at + self._retention)
        record = encode_entry(entry)
        # Local changes win ties on updated_at (0.25 needs it strictly newer): two changes in
        # one clock tick are real with a FakeClock and must not be dropped.
        if self._accepts(entry, now, ties=True):
            self._keep(entry, record)
        self._broadcast(record)

    def _keep(self, entry: Entry, record: bytes) -> None:
        if self._file is not None:
            self._file.append(record)  # durable before the caller can acknowledge
        self._st[entry.silence.id] = entry
        self._version += 1
        self._generation += 1
        if self._file is not None and self._file.wants_compaction():
            try:
                self.snapshot()
            except OSError as e:
                log.info("Compacting the silences snapshot failed: %s", e)

    def _accepts(self, e: Entry, now: int, *, ties: bool) -> bool:
        # 0.25 `state.merge`: drop what peers may already forget; last writer wins.
        if e.expires_at < now:
            return False
        prev = self._st.get(e.silence.id)
        if prev is None:
            return True
        p, n = prev.silence.updated_at, e.silence.updated_at
        return p < n or (ties and p == n)

    # -- cluster -------------------------------------------------------------------------

    def set_broadcast(self, fn: Callable[[bytes], None]) -> None:
        """Where each changed record goes (the cluster channel); a no-op by default."""
        self._broadcast = fn

    def merge(self, data: bytes, *, oversized: bool = False) -> None:
        """Fold records from a peer into the state (0.25 `Merge`): accepted records are
        re-gossiped unless the message was oversized (those already went to every peer)."""
        now = self._clock.now()
        for e in decode_state(data).values():
            if not self._accepts(e, now, ties=False):
                continue
            self._keep(e, encode_entry(e))
            if not oversized:
                self._broadcast(data)
                self.metrics.propagated_messages_total.inc()

    def marshal(self) -> bytes:
        """The whole state as delimited records: the snapshot file and the cluster full state."""
        return encode_state(list(self._st.values()))

    # -- maintenance ---------------------------------------------------------------------

    def gc(self) -> int:
        """Forget silences whose expires_at (ends_at + retention) is not after now; returns how
        many. Does not change the version: no cached silence decision depends on them."""
        start = time.perf_counter()
        try:
            now = self._clock.now()
            n = 0
            for sid, e in list(self._st.items()):
                if e.expires_at == ZERO_TIME:
                    raise SilenceError("unexpected zero expiration timestamp")
                if e.expires_at <= now:
                    del self._st[sid]
                    self._generation += 1
                    n += 1
            return n
        finally:
            self.metrics.gc_duration.observe(time.perf_counter() - start)

    def snapshot(self) -> int:
        """Rewrite the snapshot file compactly; returns its size (0 without a file)."""
        if self._file is None:
            return 0
        start = time.perf_counter()
        try:
            return self._file.replace(self.marshal())
        finally:
            self.metrics.snapshot_duration.observe(time.perf_counter() - start)

    def maintain(self) -> int:
        """One maintenance run as 0.25 does it: GC, then snapshot; records the snapshot size."""
        size = 0
        try:
            self.gc()
            size = self.snapshot()
            return size
        finally:
            self.metrics.snapshot_size.set(size)

    async def run_maintenance(self, interval_s: float, stop: asyncio.Event) -> None:
        """Maintain every `interval_s` (--data.maintenance-interval) until `stop` is set. The
        shutdown snapshot is `close()`'s job."""
        await run_every(self._clock, interval_s, stop, lambda: self._maintain_logged("Running maintenance failed"))

    def _maintain_logged(self, msg: str) -> None:
        try:
            self.maintain()
        except (OSError, SilenceError) as e:
            log.info("%s: %s", msg, e)

    def close(self) -> None:
        """The shutdown maintenance of 0.25 (GC, then the final snapshot), and release the file."""
        if self._file is not None:
            self._maintain_logged("Creating shutdown snapshot failed")
            self._file.close()

