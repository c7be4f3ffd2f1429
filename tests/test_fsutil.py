"""fsutil's helpers on real files (the durability itself needs a power cut to show)."""

from __future__ import annotations

import os
from pathlib import Path

from amclone.fsutil import fsync_dir, replace_file, write_all


def test_write_all_writes_every_byte(tmp_path: Path) -> None:
    data = os.urandom(1 << 20)
    fd = os.open(tmp_path / "f", os.O_WRONLY | os.O_CREAT, 0o666)
    try:
        write_all(fd, data)
    finally:
        os.close(fd)
    assert (tmp_path / "f").read_bytes() == data


def test_fsync_dir_on_a_directory(tmp_path: Path) -> None:
    (tmp_path / "new").write_bytes(b"x")
    fsync_dir(tmp_path)  # no error, and no descriptor left open
    assert (tmp_path / "new").exists()


def test_replace_file_swaps_the_whole_content(tmp_path: Path) -> None:
    path = tmp_path / "state"
    path.write_bytes(b"old content, longer")
    replace_file(path, b"new")
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state"]  # no temporary file left
