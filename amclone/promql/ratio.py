"""``limit_ratio``'s deterministic sampling: a series is kept when the xxHash64 of its label set
(Prometheus's ``labels.Hash``: ``name 0xff value 0xff`` ...) scaled to [0, 1) falls within the
ratio, so the same series are picked at every step and by every replica."""

from __future__ import annotations

import xxhash

from amclone.tsdb.series import Labels

_MAX_U64 = float(2**64 - 1)


def labels_hash(labels: Labels) -> int:
    buf = bytearray()
    for n, v in labels:
        buf += n.encode("utf-8", "surrogateescape")
        buf.append(0xFF)
        buf += v.encode("utf-8", "surrogateescape")
        buf.append(0xFF)
    return int(xxhash.xxh64_intdigest(bytes(buf)))


def ratio_keeps(ratio: float, labels: Labels) -> bool:
    offset = labels_hash(labels) / _MAX_U64
    if ratio >= 0:
        return offset < ratio
    return offset >= 1 + ratio
