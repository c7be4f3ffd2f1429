"""Notification log entries to and from Alertmanager 0.25's protobuf (`nflogpb.MeshEntry`),
as stored in the `nflog` snapshot file and gossiped between peers, so a data directory moves
between Alertmanager and amclone without resending every notification."""

from __future__ import annotations

from dataclasses import dataclass

from amclone.proto import nflog_pb2, wire


class InvalidStateError(ValueError):
    """A record without an entry or a receiver, which 0.25 refuses to load (`ErrInvalidState`)."""

    def __init__(self) -> None:
        super().__init__("invalid state")


@dataclass(frozen=True, slots=True)
class Receiver:
    group_name: str
    integration: str
    idx: int = 0

    def key(self) -> str:
        """0.25 `receiverKey`: ``name/integration/idx``."""
        return f"{self.group_name}/{self.integration}/{self.idx}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One successful notification of a group to one integration, and when to forget it.
    `group_hash` and `resolved` are the pre-0.19 fields, kept only so old files round-trip."""

    group_key: str
    receiver: Receiver
    timestamp: int
    expires_at: int
    firing_alerts: tuple[int, ...] = ()
    resolved_alerts: tuple[int, ...] = ()
    group_hash: bytes = b""
    resolved: bool = False

    def state_key(self) -> str:
        """0.25 `stateKey`: ``<group key>:<receiver key>``, the log's key for this entry."""
        return f"{self.group_key}:{self.receiver.key()}"


def encode_entry(e: Entry) -> bytes:
    """One delimited `MeshEntry` record, as 0.25 writes it."""
    msg = nflog_pb2.MeshEntry()
    pb = msg.entry
    # Group keys are Go strings stored as bytes; surrogateescape carries any non-UTF-8 through.
    pb.group_key = e.group_key.encode("utf-8", "surrogateescape")
    pb.receiver.group_name = e.receiver.group_name
    pb.receiver.integration = e.receiver.integration
    pb.receiver.idx = e.receiver.idx
    pb.receiver.SetInParent()  # a pointer in Go: present even when all its fields are empty
    pb.group_hash = e.group_hash
    pb.resolved = e.resolved
    wire.put_time(pb, "timestamp", e.timestamp)
    pb.firing_alerts.extend(e.firing_alerts)
    pb.resolved_alerts.extend(e.resolved_alerts)
    wire.put_time(msg, "expires_at", e.expires_at)
    return wire.encode_delimited(msg)


def decode_entry(body: bytes) -> Entry:
    msg = nflog_pb2.MeshEntry.FromString(body)
    if not msg.HasField("entry") or not msg.entry.HasField("receiver"):
        raise InvalidStateError()
    pb = msg.entry
    r = pb.receiver
    return Entry(
        group_key=pb.group_key.decode("utf-8", "surrogateescape"),
        receiver=Receiver(r.group_name, r.integration, r.idx),
        timestamp=wire.get_time(pb, "timestamp"),
        expires_at=wire.get_time(msg, "expires_at"),
        firing_alerts=tuple(pb.firing_alerts),
        resolved_alerts=tuple(pb.resolved_alerts),
        group_hash=pb.group_hash,
        resolved=pb.resolved,
    )


def encode_state(entries: list[Entry]) -> bytes:
    return b"".join(encode_entry(e) for e in entries)


def decode_state(data: bytes) -> dict[str, Entry]:
    """Entries by state key; a later record for a key replaces an earlier one (0.25
    `decodeState`). Raises `wire.TruncatedError` on a cut-off tail, `wire.DecodeError` or
    `InvalidStateError` on garbage."""
    out: dict[str, Entry] = {}
    for body in wire.split_delimited(data):
        e = decode_entry(body)
        out[e.state_key()] = e
    return out
