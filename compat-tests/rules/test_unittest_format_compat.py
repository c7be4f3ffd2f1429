"""promtool unit-test files, loading only (the evaluator comes later): for files that promtool
rejects before or while setting a test group up, amclone's parse must hold the same text where
the runner will print it; for files promtool runs (trivially true tests), amclone's parse must
see no error. Compared with ``promtool test rules`` 2.42 on each file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from amclone.compat.goquote import quote
from amclone.rules.unittest_format import UnitTestFile, UnitTestFormatError, load_file

PROMQL = "    promql_expr_test:\n      - expr: up\n        eval_time: 0m\n"


def series(s: str, v: str) -> str:
    return ("tests:\n  - input_series:\n      - series: '" + s.replace("'", "''") + "'\n        values: '"
            + v + "'\n" + PROMQL)


def sample(labels: str) -> str:
    return PROMQL.join(["tests:\n  - input_series: []\n", ""]) + (
        "        exp_samples:\n          - labels: '" + labels.replace("'", "''") + "'\n            value: 1\n")


VALUES = ["1+1", "1x", "abc", "1a", "1,2", "+", "_+1x2", "1 2 x", "stale+1x2", "1+1x", "1e", "1x-1", "__",
          "Inf+1x2", "nan", "1.5.5", "1 +", "1+1 2", "1+ 1x2", "1x2x3", "1 x2", "1x 2", "1x2 _x", "_x", "_x2x3",
          "stalex2", "stale x2", "-stale", "1+Infx2", "1 # c", "1 2 3", "0x3 _x2 stale", "010 09 1x0"]
SERIES = ["up{a}", "{}", "up x", 'up{a="b" c="d"}', 'up{a="b"', "up{a=1}", 'up{a="b";}', "up{,}", 'up{a="b"}x',
          'up{a="b"} x1', "a b", 'up{"a"="b"}', "up{a=}", "up}", 'up{a="b"}{c="d"}', "1up", 'up{__name__="x"}',
          'up{a="b",}', '{a="b"}', "a:b:c", 'up{inf="x", sum="y"}', 'up{a="\\q"}', ""]
LABELS = ["up{", 'up{a="b"} x', "up{a}", "up x", "", "{}", 'up{a="b"}{}', "up", 'up{a="b"}']
FILES = {
    **{f"values {v!r}": series("up", v) for v in VALUES},
    **{f"series {s!r}": series(s, "1") for s in SERIES},
    **{f"labels {x!r}": sample(x) for x in LABELS},
    "unknown top field": "rule_files: []\nfoo: 1\ntests: []\n",
    "unknown group field": "tests:\n  - intervl: 1m\n",
    "repeated key": "tests: []\ntests: []\n",
    "repeated struct field": "tests:\n  - interval: 1m\n    interval: 2m\n",
    "repeated map key": "tests: [{external_labels: {a: x, a: y}}]\n",
    "bad duration": "evaluation_interval: 1x\ntests: []\n",
    "number duration": "evaluation_interval: 60\ntests: []\n",
    "empty duration": "evaluation_interval: ''\ntests: []\n",
    "repeated eval order": "group_eval_order: [a, b, a]\ntests: []\n",
    "missing alertname": "tests:\n  - name: t\n    alert_rule_test:\n      - eval_time: 1m\n",
    "missing alertname unnamed": "tests:\n  - alert_rule_test:\n      - eval_time: 90s\n",
    "value not a number": "tests:\n  - promql_expr_test:\n      - {expr: up, eval_time: 0m, exp_samples: [{value: abc}]}\n",
    "bool as rule file": "rule_files: [yes]\ntests: []\n",
    "labels list": "tests:\n  - external_labels: [a]\n",
    "scalar": "just text\n",
    "syntax": "tests: [\n",
    "no match": "rule_files: [nothing*.yml]\ntests: []\n",
    "bad glob": "rule_files: ['a[']\ntests: []\n",
    "empty": "",
}


def promtool_errors(promtool: str, path: Path) -> tuple[list[str], list[str]]:
    """(error blocks after ``FAILED:``, WARNING lines) from promtool's stderr."""
    p = subprocess.run([promtool, "test", "rules", path.name], cwd=path.parent, capture_output=True, text=True,
                       timeout=60, check=False)
    warnings = [line for line in p.stderr.splitlines() if line.startswith("  WARNING:")]
    if "  FAILED:\n" not in p.stderr:
        assert p.returncode == 0, p.stderr
        return [], warnings
    body = p.stderr.split("  FAILED:\n", 1)[1]
    return [block.rstrip("\n") for block in body.split("\n\n") if block.strip()], warnings


def amclone_errors(f: UnitTestFile) -> list[str]:
    """What the runner will print for these load problems, in promtool's words."""
    out: list[str] = []
    for group in f.tests:
        if group.series_error is not None:
            out.append(group.series_error)
            continue
        if group.alertname_error is not None:
            out.append(group.alertname_error)
            continue
        for case in group.promql_expr_test:
            for s in case.exp_samples:
                if s.labels_error is not None:
                    out.append(f"    expr: {quote(case.expr)}, time: 0s, err: {s.labels_error}")
    return out


def from_evaluation(block: str) -> bool:
    """A failed expectation (``exp: ... got: ...``): the runner's business, not loading's."""
    return block.startswith("    expr:") and ", err: labels " not in block or block.startswith("    alertname:")


@pytest.mark.parametrize("name", sorted(FILES))
def test_loading(name: str, tmp_path: Path, promtool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.yml"
    path.write_text(FILES[name])
    want, warnings = promtool_errors(promtool, path)
    monkeypatch.chdir(tmp_path)
    try:
        f = load_file("t.yml")
    except UnitTestFormatError as e:
        assert [str(e)] == want
        return
    assert amclone_errors(f) == [block for block in want if not from_evaluation(block)]
    assert list(f.warnings) == warnings
