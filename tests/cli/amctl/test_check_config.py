"""amctl check-config output shape (compat-tests/config compares it with amtool byte for byte)."""

from __future__ import annotations

import io
from pathlib import Path

from amclone.cli.amctl.check_config import run


def _run(*files: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = run(list(files), out, err)
    return rc, out.getvalue(), err.getvalue()


def test_success_summary(tmp_path: Path) -> None:
    p = tmp_path / "am.yml"
    p.write_text("route:\n  receiver: r\nreceivers:\n- name: r\ninhibit_rules:\n- equal: [a]\n")
    rc, out, err = _run(str(p))
    assert rc == 0 and err == ""
    assert out == (f"Checking '{p}'  SUCCESS\nFound:\n - global config\n - route\n - 1 inhibit rules\n"
                   " - 1 receivers\n - 0 templates\n\n")


def test_failure(tmp_path: Path) -> None:
    p = tmp_path / "am.yml"
    p.write_text("route:\n  receiver: x\n")
    rc, out, err = _run(str(p))
    assert rc == 1
    assert out == f"Checking '{p}'  FAILED: undefined receiver \"x\" used in route\n\n"
    assert err == "amtool: error: failed to validate 1 file(s)\n\n"


def test_missing_path_stops_before_checking(tmp_path: Path) -> None:
    rc, out, err = _run(str(tmp_path / "nope.yml"))
    assert (rc, out) == (1, "")
    assert err == f"amtool: error: path '{tmp_path / 'nope.yml'}' does not exist\n\n"
