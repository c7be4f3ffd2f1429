"""The in-memory head: every series received recently, found through an inverted label index.

Postings map ``label name -> label value -> set of series refs``. A selector is answered by
intersecting the sets of its non-empty-matching matchers and subtracting those of matchers that
match the empty string (a series without the label counts as having it empty, as in Prometheus).
Rules run the same selectors every interval, so answers are cached per matcher list and reused
until a series is created or dropped.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Sequence
from typing import Protocol

from amclone.tsdb.matchers import MatchOp, SeriesMatcher
from amclone.tsdb.series import Labels, MemSeries, OutOfBoundsError

DEFAULT_RETENTION_MS = 3 * 3600 * 1000
UNBOUNDED_MIN = -(1 << 62)
UNBOUNDED_MAX = 1 << 62


class Querier(Protocol):
    """What PromQL and the Prometheus API read: series matching all matchers with samples in range."""

    def select(self, matchers: Sequence[SeriesMatcher], mint: int, maxt: int) -> Sequence[MemSeries]: ...

    def label_names(self, matchers: Sequence[Sequence[SeriesMatcher]] = (), mint: int = ...,
                    maxt: int = ...) -> list[str]: ...

    def label_values(self, name: str, matchers: Sequence[Sequence[SeriesMatcher]] = (), mint: int = ...,
                     maxt: int = ...) -> list[str]: ...


def _as_set(refs: int | set[int] | None) -> set[int]:
    if refs is None:
        return set()
    return {refs} if isinstance(refs, int) else refs


def _add(into: set[int], refs: int | set[int]) -> None:
    if isinstance(refs, int):
        into.add(refs)
    else:
        into |= refs


class Appender:
    """A batch of appends that is kept or taken back as a whole (remote write 1.0 rejects a
    request on its first bad sample, and Prometheus rolls back what that request had written)."""

    __slots__ = ("_added", "_max_t", "_touched", "head")

    def __init__(self, head: Head) -> None:
        self.head = head
        self._added: list[tuple[MemSeries, int]] = []
        self._touched: list[MemSeries] = []
        self._max_t = head.max_time

    def series_for(self, labels: Labels) -> MemSeries:
        """Like `Head.series_for`, but a rollback also forgets series left empty."""
        s = self.head.series_for(labels)
        if s.empty():
            self._touched.append(s)
        return s

    def append(self, series: MemSeries, t: int, v: float) -> None:
        head = self.head
        if head.max_time - t > head.retention_ms:
            raise OutOfBoundsError()
        series.append(t, v, head.ooo_window_ms)
        self._added.append((series, t))
        self._max_t = max(self._max_t, t)

    def commit(self) -> int:
        head = self.head
        head.max_time = max(head.max_time, self._max_t)
        n = len(self._added)
        head.samples_appended += n
        self._added = []
        return n

    def rollback(self) -> None:
        for series, t in reversed(self._added):
            series.remove(t)
        self.head.drop_empty(self._touched)
        self._added = []
        self._touched = []


class Head:
    """All series and their recent samples. Appends and reads may come from different threads."""

    def __init__(self, retention_ms: int = DEFAULT_RETENTION_MS, ooo_window_ms: int = 0) -> None:
        self.retention_ms = retention_ms
        self.ooo_window_ms = ooo_window_ms
        self._by_labels: dict[Labels, MemSeries] = {}
        self._by_ref: dict[int, MemSeries] = {}
        # label name -> value -> refs; a value held by one series only (instance, pod ...) keeps
        # the bare ref instead of a set: a one-element set costs 216 bytes, an int 28.
        self._postings: dict[str, dict[str, int | set[int]]] = {}
        self._pairs: dict[tuple[str, str], tuple[str, str]] = {}  # shared (name, value) tuples
        self._next_ref = 1
        self._generation = 0
        self._select_cache: dict[tuple[tuple[str, str, str], ...], tuple[tuple[int, ...], list[MemSeries]]] = {}
        self._drops = 0  # series ever dropped (see _validity)
        self._lock = threading.RLock()
        # Held by every writer (remote write requests, rule results): a series takes one appender
        # at a time. Readers never take it (see tsdb.series on why reading is safe meanwhile).
        self.write_lock = threading.RLock()
        self.max_time = -(1 << 62)
        self.samples_appended = 0
        self.series_created = 0
        self.series_removed = 0
        self.histograms_received = 0
        self.exemplars_received = 0
        self.samples_with_invalid_labels = 0  # remote write: series without a name, duplicate names ...
        # metric family name -> {(type, help, unit)}: what /api/v1/metadata reports
        self.metadata: dict[str, dict[tuple[str, str, str], None]] = {}

    # --- writing -------------------------------------------------------------------------------

    def series_for(self, labels: Labels) -> MemSeries:
        """The series for a sorted label set, created (and indexed) on first sight."""
        s = self._by_labels.get(labels)
        if s is not None:
            return s
        with self._lock:
            s = self._by_labels.get(labels)
            if s is not None:
                return s
            pairs = self._pairs
            labels = tuple(pairs.get(p) or pairs.setdefault(p, (sys.intern(p[0]), sys.intern(p[1])))
                           for p in labels)
            ref = self._next_ref
            self._next_ref += 1
            s = MemSeries(ref, labels)
            self._by_labels[labels] = s
            self._by_ref[ref] = s
            for n, v in labels:
                values = self._postings.setdefault(n, {})
                have = values.get(v)
                if have is None:
                    values[v] = ref
                elif isinstance(have, int):
                    values[v] = {have, ref}
                else:
                    have.add(ref)
            self._generation += 1
            self.series_created += 1
            return s

    def append(self, labels: Labels, t: int, v: float) -> None:
        """Store one sample; raises an `AppendError` subclass with Prometheus's message."""
        with self.write_lock:
            if self.max_time - t > self.retention_ms:
                raise OutOfBoundsError()
            self.series_for(labels).append(t, v, self.ooo_window_ms)
            self.max_time = max(self.max_time, t)
            self.samples_appended += 1

    def appender(self) -> Appender:
        """A batch of appends; hold `write_lock` while using it."""
        return Appender(self)

    def set_metadata(self, family: str, type_: str, help_: str, unit: str) -> None:
        entries = self.metadata.setdefault(family, {})
        if (type_, help_, unit) not in entries:
            if len(entries) >= 10:
                entries.pop(next(iter(entries)))
            entries[(type_, help_, unit)] = None

    def truncate(self, mint: int | None = None) -> int:
        """Drop samples older than ``mint`` (default: newest sample minus retention) and series left
        empty; returns the number of series removed."""
        if mint is None:
            mint = self.max_time - self.retention_ms
        removed = 0
        with self.write_lock, self._lock:
            for s in list(self._by_ref.values()):
                s.truncate_before(mint)
                if s.empty():
                    self._drop(s)
                    removed += 1
            if removed:
                self._generation += 1
                self.series_removed += removed
                distinct = sum(len(values) for values in self._postings.values())
                if len(self._pairs) > 2 * distinct + 10_000:  # forget pairs of series long gone
                    self._pairs = {p: p for s in self._by_ref.values() for p in s.labels}
        return removed

    def drop_empty(self, candidates: Iterable[MemSeries]) -> None:
        with self._lock:
            dropped = 0
            for s in candidates:
                if s.empty() and self._by_ref.get(s.ref) is s:
                    self._drop(s)
                    dropped += 1
            if dropped:
                self._generation += 1
                self.series_removed += dropped

    def _drop(self, s: MemSeries) -> None:
        self._drops += 1
        del self._by_labels[s.labels]
        del self._by_ref[s.ref]
        for n, v in s.labels:
            values = self._postings[n]
            refs = values[v]
            if isinstance(refs, int):
                del values[v]
            else:
                refs.discard(s.ref)
                if len(refs) == 1:
                    values[v] = next(iter(refs))
            if not values:
                del self._postings[n]

    def clear(self) -> None:
        with self._lock:
            self._by_labels.clear()
            self._by_ref.clear()
            self._postings.clear()
            self._pairs.clear()
            self._select_cache.clear()
            self._drops += 1
            self._generation += 1
            self.max_time = -(1 << 62)

    # --- reading -------------------------------------------------------------------------------

    def _refs_for(self, matchers: Sequence[SeriesMatcher]) -> set[int]:
        include: list[set[int]] = []
        exclude: list[set[int]] = []
        for m in matchers:
            values = self._postings.get(m.name, {})
            if m.op is MatchOp.EQUAL and m.value:
                include.append(_as_set(values.get(m.value)))
            elif m.matches_empty:
                # Series lacking the label match; exclude those whose value does not.
                bad: set[int] = set()
                for v, refs in values.items():
                    if not m.matches(v):
                        _add(bad, refs)
                exclude.append(bad)
            else:
                good: set[int] = set()
                for v, refs in values.items():
                    if m.matches(v):
                        _add(good, refs)
                include.append(good)
        if include:
            include.sort(key=len)
            result = set(include[0])
            for other in include[1:]:
                result &= other
                if not result:
                    break
        else:
            result = set(self._by_ref)
        for bad in exclude:
            result -= bad
        return result

    def _validity(self, matchers: Sequence[SeriesMatcher]) -> tuple[int, ...]:
        """What a cached answer for ``matchers`` depends on. With an equality matcher the answer
        lies inside that label pair's postings, which only grow until a series is dropped: their
        sizes plus the drop count tell whether it can have changed, so a series appearing under
        another metric name leaves the cache valid (heads under steady series churn)."""
        sizes = []
        for m in matchers:
            if m.op is MatchOp.EQUAL and m.value:
                refs = self._postings.get(m.name, {}).get(m.value)
                sizes.append(0 if refs is None else 1 if isinstance(refs, int) else len(refs))
        if not sizes:
            return (self._generation,)
        return (-1, self._drops, *sizes)

    def select_all(self, matchers: Sequence[SeriesMatcher]) -> list[MemSeries]:
        """Series matching every matcher, sorted by labels, regardless of sample times."""
        key = tuple((m.name, m.op.value, m.value) for m in matchers)
        hit = self._select_cache.get(key)
        validity = self._validity(matchers)
        if hit is not None and hit[0] == validity:
            return hit[1]
        with self._lock:
            validity = self._validity(matchers)
            by_ref = self._by_ref
            found = [by_ref[r] for r in self._refs_for(matchers)]
        found.sort(key=lambda s: s.labels)
        if len(self._select_cache) > 10000:
            self._select_cache.clear()
        self._select_cache[key] = (validity, found)
        return found

    def select(self, matchers: Sequence[SeriesMatcher], mint: int, maxt: int) -> Sequence[MemSeries]:
        """Series matching every matcher that have a sample in ``[mint, maxt]`` (read-only result).

        An unbounded range returns the cached list itself (it may include a series whose first
        sample is still being written): that is what PromQL selectors ask for on every step."""
        if mint <= UNBOUNDED_MIN and maxt >= UNBOUNDED_MAX:
            return self.select_all(matchers)
        out = []
        for s in self.select_all(matchers):
            if not s.empty() and s.min_time() <= maxt and s.max_time() >= mint:
                out.append(s)
        return out

    def _matching(self, matcher_sets: Sequence[Sequence[SeriesMatcher]], mint: int,
                  maxt: int) -> Iterable[MemSeries]:
        if not matcher_sets:
            found: Iterable[MemSeries] = list(self._by_ref.values())
        else:
            seen: dict[int, MemSeries] = {}
            for ms in matcher_sets:
                for s in self.select_all(ms):
                    seen[s.ref] = s
            found = seen.values()
        if mint <= UNBOUNDED_MIN and maxt >= UNBOUNDED_MAX:
            return found
        return [s for s in found if not s.empty() and s.min_time() <= maxt and s.max_time() >= mint]

    def label_names(self, matchers: Sequence[Sequence[SeriesMatcher]] = (), mint: int = UNBOUNDED_MIN,
                    maxt: int = UNBOUNDED_MAX) -> list[str]:
        """Label names of the matching series with samples in ``[mint, maxt]`` (all by default)."""
        if not matchers and mint <= UNBOUNDED_MIN and maxt >= UNBOUNDED_MAX:
            return sorted(self._postings)
        names: set[str] = set()
        for s in self._matching(matchers, mint, maxt):
            names.update(n for n, _ in s.labels)
        return sorted(names)

    def label_values(self, name: str, matchers: Sequence[Sequence[SeriesMatcher]] = (),
                     mint: int = UNBOUNDED_MIN, maxt: int = UNBOUNDED_MAX) -> list[str]:
        if not matchers and mint <= UNBOUNDED_MIN and maxt >= UNBOUNDED_MAX:
            return sorted(self._postings.get(name, {}))
        values = {v for s in self._matching(matchers, mint, maxt) for n, v in s.labels if n == name}
        return sorted(values)

    # --- figures about itself ------------------------------------------------------------------

    @property
    def num_series(self) -> int:
        return len(self._by_ref)

    def num_samples(self) -> int:
        return sum(s.num_samples() for s in self._by_ref.values())

    def memory_bytes(self) -> int:
        """Approximate bytes held by series, samples and the index."""
        series = list(self._by_ref.values())
        stride = max(1, len(series) // 5000)  # large heads: measure a spread sample, scale up
        total = sum(s.nbytes() for s in series[::stride]) * stride
        total += sys.getsizeof(self._by_labels) + sys.getsizeof(self._by_ref)
        for values in self._postings.values():
            total += sys.getsizeof(values) + sum(sys.getsizeof(r) for r in values.values())
        total += sys.getsizeof(self._pairs)
        return total

    def bytes_per_series(self) -> float:
        return self.memory_bytes() / self.num_series if self._by_ref else 0.0
