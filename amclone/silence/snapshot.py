"""The `silences` snapshot under --storage.path in Alertmanager 0.25's format: its records
(`silencepb.MeshSilence`, also the payload of gossip messages) and the file itself, so either
program reads what the other wrote.

Alertmanager only writes the file every --data.maintenance-interval and on shutdown, so a
silence created just before a crash is lost. amclone instead appends the changed record to the
same file and fsyncs it before the change is acknowledged. The file stays a valid 0.25 snapshot
throughout, because 0.25 loads records in order and a later record for an ID replaces an earlier
one. Maintenance (and shutdown) rewrites the file compactly: temp file, fsync, rename, fsync of
the directory, as 0.25's `openReplace` does plus the directory sync.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from amclone.fsutil import fsync_dir, replace_file, write_all
from amclone.labels.matcher import MatchType
from amclone.proto import silence_pb2, wire
from amclone.silence.model import Silence, SilenceError, SilenceMatcher

log = logging.getLogger(__name__)

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


FILENAME = "silences"
# Rewrite once the appended records outgrow the compact state and this floor.
_COMPACT_FLOOR = 1 << 20


class SnapshotFile:
    """Appends and atomic rewrites of one snapshot file. Not safe for two processes at once;
    the storage path belongs to one server, as with Alertmanager."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._compact_size = 0
        self._appended = 0

    @classmethod
    def in_dir(cls, storage_path: str | os.PathLike[str]) -> SnapshotFile:
        return cls(Path(storage_path) / FILENAME)

    def load(self) -> dict[str, Entry]:
        """The stored state (empty when there is no file). A record cut short by a crash was
        never acknowledged, so it is dropped with a warning and the file rewritten without it;
        any other damage raises, as 0.25 refuses to start on it."""
        self._remove_stale_temp_files()
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            state = decode_state(data)
        except wire.TruncatedError as e:
            log.warning("dropping %d bytes of an incomplete record at the end of %s",
                        len(data) - e.offset, self.path)
            state = decode_state(data[:e.offset])
            self.replace(data[:e.offset])
            return state
        self._compact_size = len(data)
        return state

    def append(self, record: bytes) -> None:
        """Add records and make them durable before returning."""
        created = False
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            created = not self.path.exists()
            # Mode 0666 as Go's os.Create: the umask decides.
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        end = os.lseek(self._fd, 0, os.SEEK_END)
        try:
            write_all(self._fd, record)
            os.fsync(self._fd)
        except OSError:
            # A half-written record (disk full) would sit in the middle of the file once the
            # next append succeeds; cut it off so the file stays loadable.
            os.ftruncate(self._fd, end)
            raise
        if created:
            fsync_dir(self.path.parent)  # the new name must survive a power cut too
        self._appended += len(record)

    def wants_compaction(self) -> bool:
        return self._appended > max(_COMPACT_FLOOR, self._compact_size)

    def replace(self, data: bytes) -> int:
        """Atomically make `data` the whole file; returns its size."""
        self.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(self.path, data)
        self._compact_size = len(data)
        self._appended = 0
        return len(data)

    def _remove_stale_temp_files(self) -> None:
        # A rewrite cut short by a crash leaves `silences.<hex>` behind (0.25 leaves it too).
        for p in self.path.parent.glob(f"{self.path.name}.*"):
            suffix = p.name[len(self.path.name) + 1:]
            if suffix and all(c in "0123456789abcdef" for c in suffix) and p.is_file():
                log.info("removing %s, left by an interrupted snapshot", p)
                p.unlink(missing_ok=True)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
