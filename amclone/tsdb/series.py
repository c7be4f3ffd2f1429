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

from amclone.tsdb.chunks import CHUNK, Chunk, chunk_bytes, decoded, encode
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

    __slots__ = ("__weakref__", "closed", "label_map", "labels", "ref", "stale_count", "ts", "vs")

    def __init__(self, ref: int, labels: Labels) -> None:
        self.ref = ref
        self.labels = labels
        self.label_map = dict(labels)
        # The newest samples, plain; older ones packed in `closed` (oldest first), see chunks.py.
        self.ts: array[int] = array("q")
        self.vs: array[float] = array("d")
        self.closed: list[Chunk] = []
        self.stale_count = 0

    def empty(self) -> bool:
        return not self.ts and not self.closed

    def min_time(self) -> int:
        return self.closed[0].mint if self.closed else self.ts[0]

    def max_time(self) -> int:
        return self.ts[-1] if self.ts else self.closed[-1].maxt

    def num_samples(self) -> int:
        return len(self.ts) + sum(c.n for c in self.closed)

    def _close_chunk(self) -> None:
        ts, vs = self.ts[:CHUNK], self.vs[:CHUNK]
        stale = sum(1 for v in vs if v != v and is_stale(v)) if self.stale_count else 0
        self.closed.append(encode(ts, vs, stale))
        del self.ts[:CHUNK]
        del self.vs[:CHUNK]

    def append(self, t: int, v: float, ooo_window: int = 0) -> None:
        """Add a sample; equal (timestamp, value bits) again is a no-op, as retries resend."""
        ts = self.ts
        if not ts or t > ts[-1]:
            if not ts and self.closed and t <= self.closed[-1].maxt:
                raise OutOfOrderError()
            ts.append(t)
            self.vs.append(v)
            if v != v and is_stale(v):
                self.stale_count += 1
            if len(ts) >= 2 * CHUNK:
                self._close_chunk()
            return
        if t < ts[0] and self.closed:
            raise OutOfOrderError()  # packed already: too old to change
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
        """Drop samples older than ``mint`` (packed ones a whole chunk at a time); returns how many went."""
        gone = 0
        while self.closed and self.closed[0].maxt < mint:
            c = self.closed.pop(0)
            gone += c.n
            self.stale_count -= c.stale
        if self.closed:
            return gone
        i = bisect_left(self.ts, mint)
        if i:
            if self.stale_count:
                self.stale_count -= sum(1 for v in self.vs[:i] if v != v and is_stale(v))
            del self.ts[:i]
            del self.vs[:i]
        return gone + i

    def last_at(self, t: int, lookback: int) -> float | None:
        """The newest value in ``(t - lookback, t]`` unless it is a stale marker (instant selectors)."""
        found = self.last_sample_at(t, lookback)
        return None if found is None else found[1]

    def last_sample_at(self, t: int, lookback: int) -> tuple[int, float] | None:
        ts = self.ts
        i = bisect_right(ts, t) - 1
        if i >= 0:
            st, v = ts[i], self.vs[i]
        else:
            hit = self._last_packed(t)
            if hit is None:
                return None
            st, v = hit
        if st <= t - lookback:
            return None
        if v != v and self.stale_count and is_stale(v):
            return None
        return st, v

    def _last_packed(self, t: int) -> tuple[int, float] | None:
        for c in reversed(self.closed):
            if c.mint <= t:
                ts, vs = decoded.get(c)
                i = bisect_right(ts, t) - 1
                return ts[i], vs[i]
        return None

    def window(self, mint: int, maxt: int) -> tuple[Sequence[int], Sequence[float]]:
        """Samples in ``(mint, maxt]`` without stale markers (range selectors are left-open).

        Returns array slices (one C-level copy, no per-sample objects) unless markers had to go."""
        ts = self.ts
        if self.closed and mint < self.closed[-1].maxt:
            return self._window_packed(mint, maxt)
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

    def _window_packed(self, mint: int, maxt: int) -> tuple[Sequence[int], Sequence[float]]:
        tl: array[int] = array("q")
        vl: array[float] = array("d")
        parts = [decoded.get(c) for c in self.closed if c.maxt > mint and c.mint <= maxt]
        parts.append((self.ts, self.vs))
        for ts, vs in parts:
            lo = bisect_right(ts, mint)
            hi = bisect_right(ts, maxt)
            tl.extend(ts[lo:hi])
            vl.extend(vs[lo:hi])
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
        size += sys.getsizeof(self.closed) + sum(chunk_bytes(c) for c in self.closed)
        return size
