"""The on-disk format of the alert log (`amclone.alerts.wal`): frames, rows and file names.

A file is a sequence of frames ``<u32 length><u32 crc32(payload)><payload>``; a payload is a
msgpack array of alert rows ``[fp, labels, annotations, starts, ends, updated, url, timeout]``
(annotations ``nil`` for `NIL_MAP`), followed by ``starts_off, ends_off`` when either UTC offset
is not 0 (rows without them, as every file before offsets were kept, read as UTC). msgpack because it packs and unpacks in C (about 1 us per
alert each way), which keeps the log off the ingest hot path; the CRC because a crash can leave
a torn last frame, which the reader must recognise and skip rather than misread. Strings are
packed strictly as UTF-8 when they can be; values carrying escaped non-UTF-8 bytes (surrogates,
see `amclone.labels.labelset`) fall back to ``surrogatepass``, which the reader always accepts,
so they round-trip exactly.

Segments are ``wal-<10 digits>.log``; a snapshot is `SNAPSHOT_MAGIC`, the u64 number of the
last segment it covers (`SNAP_HEAD`), then frames.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import msgpack

from amclone.alerts.alert import NIL_MAP, Alert

__all__ = ["HEADER", "SNAPSHOT_MAGIC", "SNAP_HEAD", "CorruptFrame", "alert_rows", "alerts_from_rows",
           "decode_alerts", "encode_alerts",
           "encode_payload", "frame", "iter_frames", "list_segments", "segment_name"]

HEADER = struct.Struct("<II")
# A frame larger than this is taken for garbage (a torn length field), not a reason to allocate.
MAX_FRAME = 1 << 30

_packer_lenient = msgpack.Packer(unicode_errors="surrogatepass", default=dict)


class CorruptFrame(ValueError):
    """A frame that is torn or fails its checksum; `offset` is where it starts."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(f"corrupt frame at offset {offset}: {reason}")
        self.offset = offset
        self.reason = reason


def alert_rows(alerts: Sequence[Alert]) -> list[tuple[Any, ...]]:
    # NIL_MAP annotations are stored as nil so that v1 still prints them as null after a restart.
    # Rows of alerts in UTC (nearly all) stay 8 long, as files written before offsets were kept.
    return [(a.fingerprint, a.labels, None if a.annotations is NIL_MAP else a.annotations, a.starts_at,
             a.ends_at, a.updated_at, a.generator_url, a.timeout)
            if not (a.starts_off or a.ends_off) else
            (a.fingerprint, a.labels, None if a.annotations is NIL_MAP else a.annotations, a.starts_at,
             a.ends_at, a.updated_at, a.generator_url, a.timeout, a.starts_off, a.ends_off)
            for a in alerts]


def encode_alerts(alerts: Sequence[Alert]) -> bytes:
    """One framed payload holding `alerts`."""
    return frame(encode_payload(alerts))


def encode_payload(alerts: Sequence[Alert]) -> bytes:
    """The payload of a frame holding `alerts` (`frame` adds the length and checksum)."""
    rows = alert_rows(alerts)
    try:
        payload: bytes = msgpack.packb(rows, default=dict)
    except UnicodeEncodeError:
        payload = _packer_lenient.pack(rows)
    return payload


def frame(payload: bytes) -> bytes:
    return HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def iter_frames(data: bytes, start: int = 0) -> Iterator[tuple[int, bytes]]:
    """(offset, payload) for each intact frame from `start`; raises `CorruptFrame` at the first
    torn or damaged one (everything yielded before it is good)."""
    pos = start
    end = len(data)
    hsize = HEADER.size
    while pos < end:
        if end - pos < hsize:
            raise CorruptFrame(pos, f"{end - pos} trailing bytes, shorter than a frame header")
        length, crc = HEADER.unpack_from(data, pos)
        if length > MAX_FRAME or pos + hsize + length > end:
            raise CorruptFrame(pos, f"frame of {length} bytes runs past the end of the file")
        payload = data[pos + hsize:pos + hsize + length]
        if zlib.crc32(payload) != crc:
            raise CorruptFrame(pos, "checksum mismatch")
        yield pos, payload
        pos += hsize + length


def decode_alerts(payload: bytes) -> list[Alert]:
    """The alerts of one payload; raises ValueError (msgpack's or ours) on a malformed one."""
    rows = msgpack.unpackb(payload, unicode_errors="surrogatepass", strict_map_key=True)
    if not isinstance(rows, list):
        raise TypeError("payload is not an array of alerts")
    return alerts_from_rows(rows)


def alerts_from_rows(rows: Sequence[Sequence[Any]]) -> list[Alert]:
    """The inverse of `alert_rows` (a row of the wrong length raises ValueError)."""
    out = []
    for row in rows:
        if len(row) == 8:
            fp, labels, annots, starts, ends, updated, url, timeout = row
            starts_off = ends_off = 0
        else:  # a row unpacking fails on raises ValueError, as a malformed payload should
            fp, labels, annots, starts, ends, updated, url, timeout, starts_off, ends_off = row
        out.append(Alert(labels, NIL_MAP if annots is None else annots, starts, ends, updated, url, timeout, fp,
                         starts_off, ends_off))
    return out


SNAPSHOT_MAGIC = b"AMCLONE-ALERTS-SNAPSHOT\x001\n"
SNAP_HEAD = struct.Struct("<Q")  # after the magic: the last segment the snapshot covers
SEGMENT_RE = re.compile(r"^wal-(\d{10})\.log$")


def segment_name(n: int) -> str:
    return f"wal-{n:010d}.log"


def list_segments(directory: Path) -> list[int]:
    """Numbers of the ``wal-<n>.log`` segments in `directory`, unordered."""
    return [int(m.group(1)) for p in directory.iterdir() if (m := SEGMENT_RE.match(p.name))]
