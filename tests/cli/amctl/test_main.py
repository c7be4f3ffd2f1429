"""amctl's run(): features and exits, in-process."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from amclone.cli.amctl.env import Env, Exit
from amclone.cli.amctl.main import run
from amclone.labels.parse import set_mode


@pytest.fixture(autouse=True)
def classic() -> Iterator[None]:
    yield
    set_mode("classic")


def _run(*argv: str) -> tuple[int, str, str]:
    env = Env(out=io.StringIO(), err=io.StringIO())
    try:
        code = run(list(argv), env)
    except Exit as e:
        code = e.code
    return code, env.out.getvalue(), env.err.getvalue()  # type: ignore[attr-defined]


def test_unknown_feature() -> None:
    assert _run("--enable-feature=bogus", "--no-version-check", "config") == \
        (1, "", "amtool: error: Unknown option 'bogus' for --enable-feature\n\n")


def test_utf8_strict_mode_accepts_utf8_label_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    cfg = tmp_path / "am.yml"
    cfg.write_text("route:\n  receiver: default\nreceivers:\n- name: default\n")
    code, out, _ = _run("config", "routes", "test", f"--config.file={cfg}", "fo😀o=bar")
    assert code == 1
    code, out, _ = _run("--enable-feature=utf8-strict-mode", "config", "routes", "test",
                        f"--config.file={cfg}", "fo😀o=bar")
    assert (code, out) == (0, "default\n")
