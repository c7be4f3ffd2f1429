"""Running ``check rules`` both ways: promtool as a process, amctl in-process through its real
command line (``amclone.cli.amctl.main.run``), each giving (exit status, stdout, stderr)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from amclone.cli.amctl.env import Env, Exit
from amclone.cli.amctl.main import run as amctl_run


def promtool_check(promtool: str, cwd: Path, *args: str) -> tuple[int, str, str]:
    p = subprocess.run([promtool, "check", "rules", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                       errors="surrogateescape",
                       check=False)
    return p.returncode, p.stdout, p.stderr


def amctl_check(cwd: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.chdir(cwd)
    try:
        code = amctl_run(["check", "rules", *args], Env(out=out, err=err))
    except Exit as e:
        code = e.code
    return code, out.getvalue(), err.getvalue()
