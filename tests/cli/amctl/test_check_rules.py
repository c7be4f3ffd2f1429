"""amctl check rules: output shape, exit codes, lint, --extensions, and the real entry point
(compat-tests/rules compares it with promtool byte for byte)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from amclone.cli.amctl.check_rules import run

ON_WRITE = "groups:\n  - name: g\n    evaluation: on_write\n    query_offset: 1m\n    rules:\n      - alert: A\n        expr: up\n"
DUPS = "groups:\n  - name: g\n    rules:\n      - {record: 'a:b', expr: up}\n      - {record: 'a:b', expr: down}\n"


def _run(*files: str, lint: str = "duplicate-rules", lint_fatal: bool = False,
         extensions: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = run(list(files), out, err, lint=lint, lint_fatal=lint_fatal, extensions=extensions)
    return rc, out.getvalue(), err.getvalue()


def test_success(tmp_path: Path) -> None:
    p = tmp_path / "r.yml"
    p.write_text("groups: [{name: g, rules: [{alert: A, expr: up}, {record: 'a:b', expr: up}]}]\n")
    assert _run(str(p)) == (0, f"Checking {p}\n  SUCCESS: 2 rules found\n\n", "")


def test_extensions_need_the_flag(tmp_path: Path) -> None:
    p = tmp_path / "r.yml"
    p.write_text(ON_WRITE)
    rc, _, err = _run(str(p))
    assert rc == 1 and err.startswith(f"  FAILED:\n{p}: yaml: unmarshal errors:\n  line 3: field evaluation not found")
    assert _run(str(p), extensions=True) == (0, f"Checking {p}\n  SUCCESS: 1 rules found\n\n", "")


def test_duplicates_are_a_lint_finding(tmp_path: Path) -> None:
    p = tmp_path / "r.yml"
    p.write_text(DUPS)
    lint = "  FAILED:\nlint error 1 duplicate rule(s) found.\nMetric: a:b\nLabel(s):\nMight cause inconsistency while recording expressions\n"
    assert _run(str(p)) == (0, f"Checking {p}\n\n", lint)
    assert _run(str(p), lint_fatal=True) == (3, f"Checking {p}\n\n", lint)
    assert _run(str(p), lint="none") == (0, f"Checking {p}\n  SUCCESS: 2 rules found\n\n", "")
    assert _run(str(p), lint="bogus")[1].startswith("WARNING: unknown lint option bogus\n")


def test_a_real_error_wins_over_lint_fatal(tmp_path: Path) -> None:
    dups, bad = tmp_path / "d.yml", tmp_path / "b.yml"
    dups.write_text(DUPS)
    bad.write_text("groups: x\n")
    assert _run(str(dups), str(bad), lint_fatal=True)[0] == 1


def test_entry_point(tmp_path: Path) -> None:
    p = tmp_path / "r.yml"
    p.write_text(ON_WRITE)
    cmd = [sys.executable, "-c", "from amclone.cli.amctl.main import main; main()", "check", "rules"]
    proc = subprocess.run([*cmd, str(p)], capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 1 and proc.stdout == f"Checking {p}\n\n"
    proc = subprocess.run([*cmd, "--extensions", str(p)], capture_output=True, text=True, check=False, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, f"Checking {p}\n  SUCCESS: 1 rules found\n\n")
    proc = subprocess.run([*cmd, str(tmp_path / "nope.yml")], capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 1 and "does not exist" in proc.stderr


def test_non_utf8_label_values_go_out_as_raw_bytes(tmp_path: Path) -> None:
    p = tmp_path / "r.yml"
    p.write_text("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: {a: !!binary /w==}\n")
    cmd = [sys.executable, "-c", "from amclone.cli.amctl.main import main; main()", "check", "rules", str(p)]
    proc = subprocess.run(cmd, capture_output=True, check=False, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.endswith(b'group "g", rule 1, "A": invalid label value: \xff\n')
