"""Loading rule files for evaluation: defaults resolved, extensions on, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from amclone.rules.config import load
from amclone.rules.files import ALERT, ON_WRITE, RECORD, RuleLoadError, load_config, load_files

RULES = """groups:
  - name: fast
    interval: 10s
    query_offset: 5s
    labels: {team: core, severity: low}
    evaluation: on_write
    rules:
      - alert: Down
        expr: up == 0
        for: 1m
        labels: {severity: page}
        annotations: {summary: "{{ $labels.instance }}"}
      - record: job:up:sum
        expr: sum by (job) (up)
  - name: default
    rules:
      - record: x:y
        expr: up
"""


def test_groups_with_defaults_resolved(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text(RULES)
    fast, default = load_files([str(path)], evaluation_interval=30 * 10**9, query_offset=2 * 10**9)
    assert (fast.interval, fast.query_offset, fast.evaluation, fast.key) == (10 * 10**9, 5 * 10**9, ON_WRITE,
                                                                              f"{path};fast")
    down, record = fast.rules
    assert (down.kind, down.name, down.for_, down.labels) == (ALERT, "Down", 60 * 10**9,
                                                              {"team": "core", "severity": "page"})
    assert (record.kind, record.labels, record.annotations) == (RECORD, {"team": "core", "severity": "low"}, {})
    assert (default.interval, default.query_offset, default.evaluation) == (30 * 10**9, 2 * 10**9, "interval")


def test_default_mode_comes_from_the_caller(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text("groups: [{name: g, rules: []}]\n")
    (g,) = load_files([str(path)], evaluation=ON_WRITE)
    assert g.evaluation == ON_WRITE


def test_errors_of_every_file_are_collected(tmp_path: Path) -> None:
    good, bad1, bad2 = tmp_path / "good.yml", tmp_path / "bad1.yml", tmp_path / "bad2.yml"
    good.write_text("groups: []\n")
    bad1.write_text("groups: [{name: ''}]\n")
    bad2.write_text("groups: x\n")
    with pytest.raises(RuleLoadError) as e:
        load_files([str(good), str(bad1), str(bad2)])
    assert e.value.errors[0] == f"{bad1}: 1:10: Groupname must not be empty"
    assert len(e.value.errors) == 3
    assert str(e.value) == f"{bad1}: 1:10: Groupname must not be empty (and 2 more errors)"


def test_load_config_uses_the_globals(tmp_path: Path) -> None:
    (tmp_path / "r.yml").write_text("groups: [{name: g, rules: []}]\n")
    cfg_path = tmp_path / "prometheus.yml"
    config = load(b"global: {evaluation_interval: 15s, rule_query_offset: 1m}\nrule_files: [r.yml]\n", str(cfg_path))
    (g,) = load_config(config)
    assert (g.interval, g.query_offset, g.file) == (15 * 10**9, 60 * 10**9, str(tmp_path / "r.yml"))
