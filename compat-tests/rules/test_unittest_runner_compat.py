"""``amctl test rules`` beside ``promtool test rules`` (2.42) on the same unit-test files.

``unittest_cases/`` holds one rule file and one test file per semantic point (``for``,
``keep_firing_for``, pending reset, resolution, recording chains, limits, templates, ALERTS and
ALERTS_FOR_STATE, stale markers, promtool's tick and lazy-loading quirks...). Input samples stay
off range-window edges, where Prometheus 2.42 (closed windows) and 3 (left-open) differ. Each file
also runs in versions with a wrong expectation (an extra alert label, a wrong sample value): both
tools must then fail, with the same text. Exit status, stdout and stderr must be byte-identical.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from amclone.cli.amctl.env import Env, Exit
from amclone.cli.amctl.main import run as amctl_run

CASES = Path(__file__).parent / "unittest_cases"
TESTS = sorted(p.name for p in CASES.glob("*.test.yml"))


def _promtool(promtool: str, cwd: Path, name: str) -> tuple[int, str, str]:
    p = subprocess.run([promtool, "test", "rules", name], cwd=cwd, capture_output=True, text=True, timeout=120,
                       check=False)
    return p.returncode, p.stdout, p.stderr


def _amctl(cwd: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.chdir(cwd)
    try:
        code = amctl_run(["test", "rules", name], Env(out=out, err=err))
    except Exit as e:
        code = e.code
    return code, out.getvalue(), err.getvalue()


def _wrong_alert(doc: dict[str, Any]) -> bool:
    for tg in doc.get("tests") or []:
        cases = tg.get("alert_rule_test") or []
        if cases:
            case = cases[-1]
            exp = case.get("exp_alerts") or []
            if exp:
                exp[-1].setdefault("exp_labels", {})["wrong"] = "1"
            else:
                case["exp_alerts"] = [{"exp_labels": {"wrong": "1"}}]
            return True
    return False


def _wrong_sample(doc: dict[str, Any]) -> bool:
    for tg in doc.get("tests") or []:
        cases = tg.get("promql_expr_test") or []
        if cases:
            exp = cases[0].get("exp_samples") or []
            if exp:
                exp[0]["value"] = float(exp[0].get("value", 0)) + 1
            else:
                cases[0]["exp_samples"] = [{"labels": '{wrong="1"}', "value": 1.0}]
            return True
    return False


def _variants() -> list[tuple[str, str]]:
    out = []
    for name in TESTS:
        out.append((name, "as written"))
        doc = yaml.safe_load((CASES / name).read_text())
        if _wrong_alert(doc):
            out.append((name, "wrong alert"))
        doc = yaml.safe_load((CASES / name).read_text())
        if _wrong_sample(doc):
            out.append((name, "wrong sample"))
    return out


def test_enough_cases() -> None:
    assert len(TESTS) >= 30


@pytest.mark.parametrize(("name", "variant"), _variants())
def test_same_verdict_and_output(name: str, variant: str, promtool: str, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    stem = name.removesuffix(".test.yml")
    shutil.copy(CASES / f"{stem}.rules.yml", tmp_path)
    text = (CASES / name).read_text()
    if variant != "as written":
        doc = yaml.safe_load(text)
        (_wrong_alert if variant == "wrong alert" else _wrong_sample)(doc)
        text = yaml.safe_dump(doc, sort_keys=False)
    (tmp_path / name).write_text(text)
    want = _promtool(promtool, tmp_path, name)
    got = _amctl(tmp_path, name, monkeypatch)
    if variant != "as written":
        assert want[0] == 1, want
    assert got == want


FILE_LEVEL = {
    "unknown field": "tests:\n  - interval: 1m\n    foo: 1\n",
    "no rule file matches": "rule_files: [nope*.yml]\ntests: []\n",
    "repeated group order": "group_eval_order: [a, a]\ntests: []\n",
    "bad series": "tests:\n  - interval: 1m\n    input_series:\n      - {series: 'up{', values: '1'}\n",
    "alertname missing": "tests:\n  - name: t\n    interval: 1m\n    alert_rule_test:\n      - {eval_time: 1m}\n",
    "bad expected labels": ("tests:\n  - interval: 1m\n    promql_expr_test:\n      - expr: vector(1)\n"
                            "        eval_time: 0m\n        exp_samples: [{labels: 'x{', value: 1}]\n"),
    "promql error": "tests:\n  - interval: 1m\n    promql_expr_test:\n      - {expr: 'up[1m]', eval_time: 0m}\n",
}


@pytest.mark.parametrize("case", sorted(FILE_LEVEL))
def test_file_level_errors(case: str, promtool: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "t.yml").write_text(FILE_LEVEL[case])
    assert _amctl(tmp_path, "t.yml", monkeypatch) == _promtool(promtool, tmp_path, "t.yml")


def test_several_files_in_one_run(promtool: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["01_for_pending_to_firing", "16_alert_limit", "31_nan_never_equal"]
    for n in names:
        shutil.copy(CASES / f"{n}.rules.yml", tmp_path)
        shutil.copy(CASES / f"{n}.test.yml", tmp_path)
    args = [f"{n}.test.yml" for n in names]
    p = subprocess.run([promtool, "test", "rules", *args], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120, check=False)
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.chdir(tmp_path)
    try:
        code = amctl_run(["test", "rules", *args], Env(out=out, err=err))
    except Exit as e:
        code = e.code
    assert (code, out.getvalue(), err.getvalue()) == (p.returncode, p.stdout, p.stderr)
