"""Silences to and from Alertmanager 0.25's protobuf (`silencepb.MeshSilence`): the records of
the `silences` snapshot file and of gossip messages, so either program reads the other's."""

from __future__ import annotations

from dataclasses import dataclass

from amclone.labels.matcher import MatchType
from amclone.proto import silence_pb2, wire
from amclone.silence.model import Silence, SilenceError, SilenceMatcher

_TO_PB = {
    MatchType.EQUAL: silence_pb2.Matcher.EQUAL,
    MatchType.REGEX: silence_pb2.Matcher.REGEXP,
    MatchType.NOT_EQUAL: silence_pb2.Matcher.NOT_EQUAL,
    MatchType.NOT_REGEX: silence_pb2.Matcher.NOT_REGEXP,
}
_FROM_PB = {v: k for k, v in _TO_PB.items()}


class InvalidStateError(SilenceError):
    """A record without a silence, which 0.25 refuses to load (`ErrInvalidState`)."""

    def __init__(self) -> None:
        super().__init__("invalid state")


@dataclass(frozen=True, slots=True)
class Entry:
    """What the store keeps per silence: the silence and when peers may forget it."""

    silence: Silence
    expires_at: int


def silence_to_pb(s: Silence) -> silence_pb2.Silence:
    out = silence_pb2.Silence(id=s.id, created_by=s.created_by, comment=s.comment)
    for m in s.matchers:
        out.matchers.add(type=_TO_PB[m.type], name=m.name, pattern=m.value)
    wire.put_time(out, "starts_at", s.starts_at)
    wire.put_time(out, "ends_at", s.ends_at)
    wire.put_time(out, "updated_at", s.updated_at)
    return out


def silence_from_pb(pb: silence_pb2.Silence) -> Silence:
    matchers = []
    for m in pb.matchers:
        t = _FROM_PB.get(m.type)
        if t is None:
            raise SilenceError(f'unknown matcher type "{m.type}"')
        matchers.append(SilenceMatcher(m.name, t, m.pattern))
    created_by, comment = pb.created_by, pb.comment
    if len(pb.comments) > 0:
        # Snapshots from before 0.8 kept a list of comments; 0.25 upgrades the first one.
        created_by, comment = pb.comments[0].author, pb.comments[0].comment
    return Silence(
        id=pb.id,
        matchers=tuple(matchers),
        starts_at=wire.get_time(pb, "starts_at"),
        ends_at=wire.get_time(pb, "ends_at"),
        updated_at=wire.get_time(pb, "updated_at"),
        created_by=created_by,
        comment=comment,
    )


def encode_entry(e: Entry) -> bytes:
    """One delimited `MeshSilence` record, byte-identical to what 0.25 writes for it."""
    msg = silence_pb2.MeshSilence()
    msg.silence.CopyFrom(silence_to_pb(e.silence))
    wire.put_time(msg, "expires_at", e.expires_at)
    return wire.encode_delimited(msg)


def decode_entry(body: bytes) -> Entry:
    msg = silence_pb2.MeshSilence.FromString(body)
    if not msg.HasField("silence"):
        raise InvalidStateError()
    return Entry(silence_from_pb(msg.silence), wire.get_time(msg, "expires_at"))


def encode_state(entries: list[Entry]) -> bytes:
    return b"".join(encode_entry(e) for e in entries)


def decode_state(data: bytes) -> dict[str, Entry]:
    """Records by silence ID; a later record for the same ID replaces an earlier one (0.25's
    `decodeState`), which is what lets amclone append updates to the snapshot file and still
    hand Alertmanager a file it reads correctly. Raises `wire.TruncatedError` on a cut-off tail
    and `wire.DecodeError` / `SilenceError` on garbage."""
    out: dict[str, Entry] = {}
    for body in wire.split_delimited(data):
        e = decode_entry(body)
        out[e.silence.id] = e
    return out
