"""Compressed storage for a series' older samples.

Recent samples stay in plain arrays (appends and the usual 5-minute windows never decode
anything); every `CHUNK` older samples are packed into one `Chunk`: timestamps as deltas, values
XORed with their predecessor (slowly changing values then become runs of zero bytes), both
deflated. A counter scraped every 15 s costs about 3 bytes a sample instead of 16. The XOR and its
inverse run as big-integer operations over the whole chunk, so no Python loop touches each sample.
Decoded chunks are kept in a small LRU so dashboards re-reading the same hours decode once.
"""

from __future__ import annotations

import itertools
import threading
import zlib
from array import array
from collections import OrderedDict
from typing import NamedTuple

CHUNK = 120
_CACHE_SAMPLES = 2_000_000


class Chunk(NamedTuple):
    mint: int
    maxt: int
    n: int  # samples inside
    stale: int  # stale markers inside (readers filter only when non-zero)
    first_t: int
    ts_blob: bytes
    vs_blob: bytes


def _xor_prev(raw: bytes) -> bytes:
    n = len(raw)
    x = int.from_bytes(raw, "little")
    return (x ^ ((x << 64) & ((1 << (8 * n)) - 1))).to_bytes(n, "little")


def _unxor_prev(raw: bytes) -> bytes:
    """Inverse of `_xor_prev`: a prefix XOR over 64-bit words, by doubling shifts."""
    n = len(raw)
    bits = 8 * n
    mask = (1 << bits) - 1
    x = int.from_bytes(raw, "little")
    shift = 64
    while shift < bits:
        x ^= (x << shift) & mask
        shift *= 2
    return x.to_bytes(n, "little")


def encode(ts: array[int], vs: array[float], stale: int) -> Chunk:
    deltas = array("q", [b - a for a, b in itertools.pairwise(ts)])
    return Chunk(ts[0], ts[-1], len(ts), stale, ts[0], zlib.compress(deltas.tobytes(), 1),
                 zlib.compress(_xor_prev(vs.tobytes()), 1))


class _Decoded:
    """An LRU of decoded chunks, bounded by the number of samples held."""

    def __init__(self, max_samples: int) -> None:
        self.max_samples = max_samples
        self.samples = 0
        self._items: OrderedDict[int, tuple[Chunk, array[int], array[float]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, chunk: Chunk) -> tuple[array[int], array[float]]:
        key = id(chunk)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] is chunk:
                self._items.move_to_end(key)
                return hit[1], hit[2]
        ts = array("q", itertools.accumulate(array("q", zlib.decompress(chunk.ts_blob)), initial=chunk.first_t))
        vs = array("d", _unxor_prev(zlib.decompress(chunk.vs_blob)))
        with self._lock:
            self._items[key] = (chunk, ts, vs)
            self.samples += chunk.n
            while self.samples > self.max_samples and self._items:
                _, (old, _, _) = self._items.popitem(last=False)
                self.samples -= old.n
        return ts, vs


decoded = _Decoded(_CACHE_SAMPLES)


def chunk_bytes(chunk: Chunk) -> int:
    return len(chunk.ts_blob) + len(chunk.vs_blob) + 120
