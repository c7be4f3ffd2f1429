"""`amctl check-config` beside the real `amtool check-config` 0.25.

The 80 real-world configs of the shared corpus must get the same verdict and first error line
(also checked against the corpus's recorded EXPECTED.tsv), and every hand-written bad config of
bad_configs.py must produce byte-identical output and the same exit status.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from amclone.cli.amctl.check_config import run
from amclone.testing.procs import SHARED

sys.path.insert(0, str(Path(__file__).parent))
from bad_configs import CASES, EDGE_CASES, GO_DURATION_CASES, QUOTED_NULL_CASES, SYNTAX_CASES

CORPUS = SHARED / "corpus" / "am-configs"
EXPECTED = {r["file"]: r for r in csv.DictReader((CORPUS / "EXPECTED.tsv").open(), delimiter="\t")}


def _first_error(stdout: str) -> str:
    """amtool's first error line; for collected yaml errors, the header joined with line one."""
    if "FAILED: " not in stdout:
        return ""
    first = stdout.split("FAILED: ", 1)[1].split("\n")[0]
    if first == "yaml: unmarshal errors:":
        first += " " + stdout.split("FAILED: ", 1)[1].split("\n")[1].strip()
    return first


def _ours(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = run([str(path)], out, err)
    return rc, out.getvalue(), err.getvalue()


def _theirs(amtool: str, path: Path) -> tuple[int, str, str]:
    r = subprocess.run([amtool, "check-config", str(path)], capture_output=True, text=True, errors="replace",
                       timeout=30, check=False)
    return r.returncode, r.stdout, r.stderr


def test_corpus_is_complete() -> None:
    assert len(EXPECTED) == 80


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_config(amtool: str, name: str) -> None:
    path = CORPUS / name
    rc, out, _ = _ours(path)
    ref_rc, ref_out, _ = _theirs(amtool, path)
    assert (rc == 0) == (ref_rc == 0) == (EXPECTED[name]["accepted"] == "yes")
    assert _first_error(out) == _first_error(ref_out) == EXPECTED[name]["amtool_first_error"]
    assert out == ref_out


def test_enough_bad_configs() -> None:
    assert sum(1 for name, _ in CASES if not name.startswith("ok-")) >= 60


ALL_CASES = CASES + EDGE_CASES + QUOTED_NULL_CASES + GO_DURATION_CASES + SYNTAX_CASES


@pytest.mark.parametrize("name,text", ALL_CASES, ids=[c[0] for c in ALL_CASES])
def test_hand_written(amtool: str, tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / f"{name}.yml"
    path.write_bytes(text.encode())
    rc, out, err = _ours(path)
    ref_rc, ref_out, ref_err = _theirs(amtool, path)
    assert (rc, out) == (ref_rc, ref_out)
    if ref_rc == 2:  # amtool panicked: its goroutine dump is not reproduced, the panic lines are
        assert err.splitlines() == ref_err.splitlines()[:2]
    else:
        assert err == ref_err


def test_several_files_and_missing_file(amtool: str, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yml", tmp_path / "bad.yml"
    good.write_text("route:\n  receiver: r\nreceivers:\n- name: r\n")
    bad.write_text("route:\n  receiver: x\n")
    for files in ([good, bad], [bad, bad], [good, tmp_path / "missing.yml"]):
        out, err = io.StringIO(), io.StringIO()
        rc = run([str(f) for f in files], out, err)
        r = subprocess.run([amtool, "check-config", *map(str, files)], capture_output=True, text=True, check=False)
        assert (rc, out.getvalue()) == (r.returncode, r.stdout)
        assert err.getvalue() == r.stderr


@pytest.mark.parametrize("templates", [["t/good.tmpl"], ["t/*.tmpl"], ["t/[.tmpl"], ["missing/*.tmpl"],
                                       ["t/good.tmpl", "/abs/none.tmpl"]])
def test_templates_are_parsed(amtool: str, tmp_path: Path, templates: list[str]) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "good.tmpl").write_text('{{ define "x" }}ok{{ end }}\n')
    (tmp_path / "t" / "bad.tmpl").write_text('{{ define "y" }}{{ .Foo \n')
    path = tmp_path / "am.yml"
    path.write_text("route:\n  receiver: r\nreceivers:\n- name: r\ntemplates: [" +
                    ", ".join(f"'{t}'" for t in templates) + "]\n")
    assert _ours(path) == _theirs(amtool, path)
