"""Prometheus's staleness marker.

A stale marker is a NaN with one exact bit pattern (``0x7ff0000000000002``). Senders use it to say
"this series ended here"; an ordinary NaN sample (``0x7ff8000000000001`` when Prometheus writes one)
is a real value. The two can only be told apart by their bits, never by comparing floats, so every
check goes through `is_stale`.
"""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

import struct

STALE_NAN_BITS = 0x7FF0000000000002
NORMAL_NAN_BITS = 0x7FF8000000000001

_pack_q = struct.Struct("<q").pack
_unpack_d = struct.Struct("<d").unpack
_pack_d = struct.Struct("<d").pack
_unpack_q = struct.Struct("<Q").unpack

STALE_NAN: float = _unpack_d(struct.pack("<Q", STALE_NAN_BITS))[0]
NORMAL_NAN: float = _unpack_d(struct.pack("<Q", NORMAL_NAN_BITS))[0]


def is_stale(value: float) -> bool:
    """True for the stale-marker NaN only. Cheap for ordinary numbers: they fail ``v != v`` first."""
    return value != value and _unpack_q(_pack_d(value))[0] == STALE_NAN_BITS
