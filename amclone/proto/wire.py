"""Framing and timestamps exactly as Alertmanager 0.25 writes them, so files and gossip
messages cross between amclone and Alertmanager unchanged.

Framing: snapshot files (`silences`, `nflog`) and cluster state are concatenations of
``pbutil.WriteDelimited`` records, each a uvarint byte length followed by one message.

Timestamps: the Go structs use gogo's ``stdtime`` with ``nullable=false``, so every timestamp
field is written even when it holds Go's zero time (as seconds -62135596800), and a field that is
absent on the wire decodes to the zero time, not to the Unix epoch.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from google.protobuf.message import DecodeError
from google.protobuf.timestamp_pb2 import Timestamp

from amclone.timeutil import NS_PER_SECOND, ZERO_TIME

__all__ = [
    "DecodeError",
    "TruncatedError",
    "encode_delimited",
    "get_time",
    "put_time",
    "split_delimited",
]

# pbutil rejects length prefixes longer than a 32-bit varint; so do we, to avoid huge reads.
_MAX_VARINT_BYTES = 5


class _Message(Protocol):
    def SerializeToString(self, *, deterministic: bool = ...) -> bytes: ...


class _HasField(Protocol):
    def HasField(self, field_name: str) -> bool: ...


M = TypeVar("M")


class TruncatedError(DecodeError):  # type: ignore[misc]
    """The data ends inside a record: a write that was cut short (crash, full disk)."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"unexpected EOF in delimited record at byte {offset}")
        self.offset = offset


def _uvarint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def encode_delimited(msg: _Message) -> bytes:
    """One record: uvarint length, then the message."""
    body = msg.SerializeToString()
    return _uvarint(len(body)) + body


def split_delimited(data: bytes) -> list[bytes]:
    """The message bodies of a delimited stream, in order. Raises `TruncatedError` (carrying the
    offset of the last complete record) when the stream stops inside a record."""
    out: list[bytes] = []
    pos, end = 0, len(data)
    while pos < end:
        start = pos
        length = shift = 0
        while True:
            if pos >= end:
                raise TruncatedError(start)
            b = data[pos]
            pos += 1
            length |= (b & 0x7F) << shift
            if not b & 0x80:
                break
            shift += 7
            if pos - start >= _MAX_VARINT_BYTES:
                raise DecodeError(f"invalid varint length prefix at byte {start}")
        if pos + length > end:
            raise TruncatedError(start)
        out.append(data[pos:pos + length])
        pos += length
    return out


def get_time(msg: _HasField, field: str) -> int:
    """The time in `msg.<field>` as nanoseconds; Go's zero time when the field is absent."""
    if not msg.HasField(field):
        return ZERO_TIME
    ts: Timestamp = getattr(msg, field)
    return int(ts.seconds) * NS_PER_SECOND + int(ts.nanos)


def put_time(msg: object, field: str, ns: int) -> None:
    """Fill `msg.<field>`, marking it present even at the epoch (gogo always writes it)."""
    ts: Timestamp = getattr(msg, field)
    seconds, nanos = divmod(ns, NS_PER_SECOND)
    ts.seconds = seconds
    ts.nanos = nanos
    # Assigning default values does not mark a sub-message present; gogo writes an empty one.
    ts.SetInParent()
