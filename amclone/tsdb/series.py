"""One series' samples in memory.

Timestamps (int64 milliseconds, remote write's unit) and values (float64) live in two parallel
``array`` objects: 16 bytes a sample with no per-sample Python object, and windows are found by
`bisect` on the timestamp array, so a query touches only the samples it needs. Staleness markers
are stored as the stale NaN itself (arrays keep NaN payload bits) and counted, so readers can skip
filtering when a series never went stale.
"""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from amclone.tsdb.stale import is_stale

Labels = tuple[tuple[str, str], ...]
"""A label set, sorted by name: hashable, comparable like Prometheus's ``labels.Compare``."""


class AppendError(ValueError):
    """A sample the head refuses; the message is Prometheus's (remote write returns it with 400)."""


class OutOfOrderError(AppendError):
    def __init__(self) -> None:
        super().__init__("out of order sample")


class DuplicateSampleError(AppendError):
    def __init__(self) -> None:
        super().__init__("duplicate sample for timestamp")


class OutOfBoundsError(AppendError):
    def __init__(self) -> None:
        super().__init__("out of bounds")


class MemSeries:
    """Samples of one label set, ordered by timestamp."""

    __slots__ = ("__weakref__", "label_map", "labels", "ref", "stale_count", "ts", "vs")

    def __init__(self, ref: int, labels: Labels) -> None:
        self.ref = ref
        self.labels = labels
        self.label_map = dict(labels)
        self.ts: array[int] = array("q")
        self.vs: array[float] = array("d")
        self.stale_count = 0

    def append(self, t: int, v: float, ooo_window: int = 0) -> None:
        """Add a sample; equal (timestamp, value bits) again is a no-op, as retries resend."""
        ts = self.ts
        if not ts or t > ts[-1]:
            ts.append(t)
            self.vs.append(v)
            if v != v and is_stale(v):
                self.stale_count += 1
            return
        i = bisect_left(ts, t)
        if i < len(ts) and ts[i] == t:
            old = self.vs[i]
            if old == v or (old != old and v != v and is_stale(old) == is_stale(v)):
                return
            raise DuplicateSampleError()
        if ts[-1] - t > ooo_window:
            raise OutOfOrderError()
        ts.insert(i, t)
        self.vs.insert(i, v)
        if v != v and is_stale(v):
            self.stale_count += 1

    def remove(self, t: int) -> None:
        """Take back the sample at ``t`` (a rolled-back append)."""
        i = bisect_left(self.ts, t)
        if i < len(self.ts) and self.ts[i] == t:
            v = self.vs[i]
            if v != v and is_stale(v):
                self.stale_count -= 1
            del self.ts[i]
            del self.vs[i]

    def truncate_before(self, mint: int) -> int:
        """Drop samples older than ``mint``; returns how many went."""
        i = bisect_left(self.ts, mint)
        if i:
            if self.stale_count:
                self.stale_count -= sum(1 for v in self.vs[:i] if v != v and is_stale(v))
            del self.ts[:i]
            del self.vs[:i]
        return i

    def last_at(self, t: int, lookback: int) -> float | None:
        """The newest value in ``(t - lookback, t]`` unless it is a stale marker (instant selectors)."""
        ts = self.ts
        i = bisect_right(ts, t) - 1
        if i < 0 or ts[i] <= t - lookback:
            return None
        v = self.vs[i]
        if v != v and self.stale_count and is_stale(v):
            return None
        return v

    def window(self, mint: int, maxt: int) -> tuple[Sequence[int], Sequence[float]]:
        """Samples in ``(mint, maxt]`` without stale markers (range selectors are left-open).

        Returns array slices (one C-level copy, no per-sample objects) unless markers had to go."""
        ts = self.ts
        lo = bisect_right(ts, mint)
        hi = bisect_right(ts, maxt)
        if lo >= hi:
            return (), ()
        tl = ts[lo:hi]
        vl = self.vs[lo:hi]
        if self.stale_count:
            keep = [i for i, v in enumerate(vl) if not (v != v and is_stale(v))]
            if len(keep) != len(vl):
                return [tl[i] for i in keep], [vl[i] for i in keep]
        return tl, vl

    def nbytes(self) -> int:
        """Approximate memory held, for the per-series figure the head reports."""
        import sys

        size = sys.getsizeof(self) + sys.getsizeof(self.ts) + sys.getsizeof(self.vs)
        size += sys.getsizeof(self.labels) + sys.getsizeof(self.label_map)
        size += sum(sys.getsizeof(p) for p in self.labels)
        return size
