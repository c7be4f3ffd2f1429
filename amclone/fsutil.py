"""Low-level file durability shared by the state holders (alert log, silences, notification log):
what it takes for written bytes and new names to survive a crash or a power cut."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["fsync_dir", "replace_file", "write_all"]


def fsync_dir(path: Path) -> None:
    """Make created, renamed or deleted names in `path` survive a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written: a single call may write fewer (a full disk, a signal)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def replace_file(path: Path, data: bytes) -> None:
    """Make `data` the whole of `path` so that a crash leaves the old content or the new, never a
    mix: a temporary file beside it, fsynced, renamed over it, then the directory fsynced. The
    temporary name is random, so two writers never share one; the mode is Go's os.Create (0666
    less the umask)."""
    tmp = path.with_name(f"{path.name}.{secrets.randbits(63):x}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
