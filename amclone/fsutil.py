"""Low-level file durability shared by the state holders (alert log, silences, notification log):
what it takes for written bytes and new names to survive a crash or a power cut."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["fsync_dir", "write_all"]


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
