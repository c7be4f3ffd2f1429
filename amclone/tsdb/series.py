"""One series' samples in memory.

Timestamps (int64 milliseconds, remote write's unit) and values (float64) live in two parallel
``array`` objects: 16 bytes a sample with no per-sample Python object, and windows are found by
`bisect` on the timestamp array, so a query touches only the samples it needs. Staleness markers
are stored as the stale NaN itself (arrays keep NaN payload bits) and counted, so readers can skip
filtering when a series never went stale.

Readers run in other threads than the appender. The two arrays are published together as one
``data`` tuple and values are appended before timestamps, so a reader that took ``data`` always
finds a value for every timestamp it sees; anything that removes or moves samples builds new
arrays and swaps ``data`` in one assignment instead of editing in place.
"""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

import math
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


_NEVER = -(1 << 62)
_ALWAYS = 1 << 62


class MemSeries:
    """Samples of one label set, ordered by timestamp."""

    __slots__ = ("__weakref__", "closed", "data", "labels", "last_drop_t", "last_real", "ref", "stale_count")

    def __init__(self, ref: int, labels: Labels) -> None:
        self.ref = ref
        self.labels = labels
        # The newest samples, plain (timestamps, values); older ones packed in `closed`, oldest first.
        self.data: tuple[array[int], array[float]] = (array("q"), array("d"))
        self.closed: list[Chunk] = []
        self.stale_count = 0
        # Time of the newest decrease between consecutive real values: a window starting after it
        # holds no counter reset, so rate() need not scan the window (see promql.calls).
        self.last_drop_t = _NEVER
        self.last_real = math.nan

    @property
    def ts(self) -> array[int]:
        return self.data[0]

    @property
    def vs(self) -> array[float]:
        return self.data[1]

    def empty(self) -> bool:
        return not self.data[0] and not self.closed

    def min_time(self) -> int:
        return self.closed[0].mint if self.closed else self.data[0][0]

    def max_time(self) -> int:
        ts = self.data[0]
        return ts[-1] if ts else self.closed[-1].maxt

    def num_samples(self) -> int:
        return len(self.data[0]) + sum(c.n for c in self.closed)

    def _close_chunk(self) -> None:
        ts, vs = self.data
        head_ts, head_vs = ts[:CHUNK], vs[:CHUNK]
        stale = sum(1 for v in head_vs if v != v and is_stale(v)) if self.stale_count else 0
        chunk = encode(head_ts, head_vs, stale)
        # Readers see either the old arrays (all samples) or the chunk plus the shorter arrays.
        self.closed = [*self.closed, chunk]
        self.data = (ts[CHUNK:], vs[CHUNK:])

    def append(self, t: int, v: float, ooo_window: int = 0) -> None:
        """Add a sample; equal (timestamp, value bits) again is a no-op, as retries resend."""
        ts, vs = self.data
        if not ts or t > ts[-1]:
            if not ts and self.closed and t <= self.closed[-1].maxt:
                raise OutOfOrderError()
            vs.append(v)
            ts.append(t)
            if v != v and is_stale(v):
                self.stale_count += 1
            else:
                if v < self.last_real:
                    self.last_drop_t = t
                self.last_real = v
            if len(ts) >= 2 * CHUNK:
                self._close_chunk()
            return
        if t < ts[0] and self.closed:
            raise OutOfOrderError()  # packed already: too old to change
        i = bisect_left(ts, t)
        if i < len(ts) and ts[i] == t:
            old = vs[i]
            if old == v or (old != old and v != v and is_stale(old) == is_stale(v)):
                return
            raise DuplicateSampleError()
        if ts[-1] - t > ooo_window:
            raise OutOfOrderError()
        new_ts, new_vs = array("q", ts), array("d", vs)
        new_ts.insert(i, t)
        new_vs.insert(i, v)
        self.data = (new_ts, new_vs)
        self.last_drop_t = _ALWAYS  # inserted mid-way: decreases can be anywhere now
        if v != v and is_stale(v):
            self.stale_count += 1

    def remove(self, t: int) -> None:
        """Take back the sample at ``t`` (a rolled-back append)."""
        ts, vs = self.data
        i = bisect_left(ts, t)
        if i < len(ts) and ts[i] == t:
            v = vs[i]
            if v != v and is_stale(v):
                self.stale_count -= 1
            self.data = (ts[:i] + ts[i + 1:], vs[:i] + vs[i + 1:])
            # The next append must compare with what is really last now; be safe about resets.
            self.last_drop_t = _ALWAYS
            rest = self.data[1]
            self.last_real = next((x for x in reversed(rest) if not (x != x and is_stale(x))), math.nan)

    def truncate_before(self, mint: int) -> int:
        """Drop samples older than ``mint`` (packed ones a whole chunk at a time); returns how many went."""
        gone = 0
        closed = self.closed
        k = 0
        while k < len(closed) and closed[k].maxt < mint:
            gone += closed[k].n
            self.stale_count -= closed[k].stale
            k += 1
        if k:
            self.closed = closed[k:]
        if self.closed:
            return gone
        ts, vs = self.data
        i = bisect_left(ts, mint)
        if i:
            if self.stale_count:
                self.stale_count -= sum(1 for v in vs[:i] if v != v and is_stale(v))
            self.data = (ts[i:], vs[i:])
        return gone + i

    def last_at(self, t: int, lookback: int) -> float | None:
        """The newest value in ``(t - lookback, t]`` unless it is a stale marker (instant selectors)."""
        found = self.last_sample_at(t, lookback)
        return None if found is None else found[1]

    def last_sample_at(self, t: int, lookback: int) -> tuple[int, float] | None:
        ts, vs = self.data
        i = bisect_right(ts, t) - 1
        if i >= 0:
            st, v = ts[i], vs[i]
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

    def _snapshot(self) -> tuple[array[int], array[float], list[Chunk]]:
        """The plain arrays and the chunks before them, consistent while a chunk is being packed:
        ``data`` is read first, and a chunk that still overlaps those arrays is left out (the
        packer publishes the chunk, then the shortened arrays)."""
        ts, vs = self.data
        closed = self.closed
        if closed and ts and closed[-1].maxt >= ts[0]:
            closed = [c for c in closed if c.maxt < ts[0]]
        return ts, vs, closed

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
        ts, vs, closed = self._snapshot()
        if closed and mint < closed[-1].maxt:
            return self._window_packed(closed, ts, vs, mint, maxt)
        lo = bisect_right(ts, mint)
        hi = bisect_right(ts, maxt)
        if lo >= hi:
            return (), ()
        return self._without_stale(ts[lo:hi], vs[lo:hi])

    def _window_packed(self, closed: list[Chunk], ts: array[int], vs: array[float], mint: int,
                       maxt: int) -> tuple[Sequence[int], Sequence[float]]:
        tl: array[int] = array("q")
        vl: array[float] = array("d")
        parts = [decoded.get(c) for c in closed if c.maxt > mint and c.mint <= maxt]
        parts.append((ts, vs))
        for pts, pvs in parts:
            lo = bisect_right(pts, mint)
            hi = bisect_right(pts, maxt)
            tl.extend(pts[lo:hi])
            vl.extend(pvs[lo:hi])
        return self._without_stale(tl, vl)

    def _without_stale(self, tl: array[int], vl: array[float]) -> tuple[Sequence[int], Sequence[float]]:
        if self.stale_count:
            keep = [i for i, v in enumerate(vl) if not (v != v and is_stale(v))]
            if len(keep) != len(vl):
                return [tl[i] for i in keep], [vl[i] for i in keep]
        return tl, vl

    def nbytes(self) -> int:
        """Approximate memory held, for the per-series figure the head reports."""
        import sys

        ts, vs = self.data
        size = sys.getsizeof(self) + sys.getsizeof(ts) + sys.getsizeof(vs)
        size += sys.getsizeof(self.labels)
        size += sum(sys.getsizeof(p) for p in self.labels)
        size += sys.getsizeof(self.closed) + sum(chunk_bytes(c) for c in self.closed)
        return size
