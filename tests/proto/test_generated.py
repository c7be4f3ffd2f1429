"""The committed amclone/proto/*_pb2 files are exactly what scripts/gen-proto makes from proto/,
so nobody edits generated code by hand or forgets to regenerate after changing a .proto."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from amclone.testing.procs import REPO


def test_regenerating_gives_no_diff(tmp_path: Path) -> None:
    subprocess.run(
        [str(REPO / "scripts" / "gen-proto"), str(tmp_path)],
        check=True,
        env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin"},
    )
    committed = REPO / "amclone" / "proto"
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in committed.glob("*_pb2.py*"))
    for name in made:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name


def test_every_proto_file_is_generated() -> None:
    protos = {p.stem for p in (REPO / "proto").glob("*.proto")}
    assert {"cluster", "nflog", "silence"} <= protos
    generated = {p.name.removesuffix("_pb2.py") for p in (REPO / "amclone" / "proto").glob("*_pb2.py")}
    assert generated == protos
