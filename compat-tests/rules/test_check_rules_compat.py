"""``amctl check rules`` beside ``promtool check rules`` 2.42 on the same files: exit status, stdout
and stderr compared whole (not just the verdict), on the 40 real rule files of the shared corpus,
on hand-written bad files (one error each) and on good files with edge cases (empty, anchors,
flow style, several documents...).

A few PromQL syntax errors are worded by the parser we use (``promql-parser``, Prometheus 3's
grammar) without Prometheus's position or words. Those files are listed in `PROMQL_WORDING`
with the exact text amctl prints; everything else about them (file, position of the ``expr``,
group, rule, verdict, exit status) must still equal promtool's, and a listed file whose wording
starts to match fails the test so the list stays true.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from amclone.testing.procs import SHARED

sys.path.insert(0, str(Path(__file__).parent))
from checkrun import amctl_check, promtool_check

HERE = Path(__file__).parent
CORPUS = SHARED / "corpus" / "rules"
MARK = "could not parse expression: "

PROMQL_WORDING = {
    "40_block_promql_multiline.yml": "parse error: invalid promql query",
    "46_promql_trailing_identifier.yml": "parse error: invalid promql query",
}


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.yml"))


def test_folders_are_populated() -> None:
    assert len(_files(CORPUS)) == 40
    assert len(_files(HERE / "bad")) >= 40
    assert len(_files(HERE / "good")) >= 15


@pytest.mark.parametrize("name", _files(CORPUS))
def test_corpus(name: str, promtool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    want = promtool_check(promtool, CORPUS, name)
    expected = {row["file"]: row for row in csv.DictReader((CORPUS / "EXPECTED.tsv").open(), delimiter="\t")}
    assert (want[0] == 0) == (expected[name]["ok"] == "yes"), "promtool disagrees with EXPECTED.tsv"
    assert amctl_check(CORPUS, name, monkeypatch=monkeypatch) == want


@pytest.mark.parametrize("name", _files(HERE / "good"))
def test_good(name: str, promtool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    want = promtool_check(promtool, HERE / "good", name)
    assert want[0] == 0
    assert amctl_check(HERE / "good", name, monkeypatch=monkeypatch) == want


@pytest.mark.parametrize("name", _files(HERE / "bad"))
def test_bad(name: str, promtool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    want = promtool_check(promtool, HERE / "bad", name)
    got = amctl_check(HERE / "bad", name, monkeypatch=monkeypatch)
    assert want[0] == 1, "a bad file must fail in promtool"
    lines = [line for line in want[2].splitlines()[1:] if line.startswith(name)]
    assert len(set(lines)) == 1, "one error per bad file"
    if name not in PROMQL_WORDING:
        assert got == want
        return
    assert got[:2] == want[:2]
    head, _, theirs = want[2].partition(MARK)
    assert theirs, "a PromQL wording case must be a PromQL error in promtool"
    assert got[2] == head + MARK + PROMQL_WORDING[name] + "\n"
    assert theirs.rstrip("\n") != PROMQL_WORDING[name]


@pytest.mark.parametrize("args", [
    ("--lint=none", "027_monitoring-mixins_website.yml"),
    ("--lint=all", "027_monitoring-mixins_website.yml", "004_prometheus-operator_kube-prometheus.yml"),
    ("--lint-fatal", "027_monitoring-mixins_website.yml"),
    ("--lint=foo,duplicate-rules", "027_monitoring-mixins_website.yml"),
    ("--lint-fatal", "002_prometheus-operator_kube-prometheus.yml", "044_3box_ceramic-stats.yml",
     "027_monitoring-mixins_website.yml"),
])
def test_lint_options_and_several_files(args: tuple[str, ...], promtool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert amctl_check(CORPUS, *args, monkeypatch=monkeypatch) == promtool_check(promtool, CORPUS, *args)


def test_good_files_together_with_lint_fatal(promtool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    names = _files(HERE / "good")
    want = promtool_check(promtool, HERE / "good", "--lint-fatal", *names)
    assert want[0] == 3  # 11_duplicate_rules_lint.yml
    assert amctl_check(HERE / "good", "--lint-fatal", *names, monkeypatch=monkeypatch) == want
