"""The `silences` file under --storage.path, kept in Alertmanager 0.25's format and durable on
every change.

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
import secrets
from pathlib import Path

from amclone.proto import wire
from amclone.silence.codec import Entry, decode_state

log = logging.getLogger(__name__)

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
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        view = memoryview(record)
        while view:
            n = os.write(self._fd, view)
            view = view[n:]
        os.fsync(self._fd)
        self._appended += len(record)

    def wants_compaction(self) -> bool:
        return self._appended > max(_COMPACT_FLOOR, self._compact_size)

    def replace(self, data: bytes) -> int:
        """Atomically make `data` the whole file; returns its size."""
        self.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{secrets.randbits(63):x}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        dfd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        self._compact_size = len(data)
        self._appended = 0
        return len(data)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
