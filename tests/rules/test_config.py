"""--rules.config: the prometheus.yml subset."""

from __future__ import annotations

from pathlib import Path

import pytest

from amclone.rules.config import RulesConfigError, load, load_file

PROM = b"""
global:
  scrape_interval: 15s
  evaluation_interval: 30s
  rule_query_offset: 10s
  external_labels: {cluster: a, empty: ""}
rule_files: ["rules/*.yml", "extra.yml"]
alerting:
  alertmanagers:
    - static_configs: [{targets: ["am1:9093", "am2:9093"]}]
      scheme: https
      path_prefix: /am/
      timeout: 5s
scrape_configs:
  - job_name: anything
    static_configs: [{targets: [x]}]
remote_write: [{url: "http://x"}]
"""


def test_reads_the_rule_parts_and_keeps_the_rest_uninterpreted(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    for name in ("b.yml", "a.yml", "skip.txt"):
        (tmp_path / "rules" / name).write_text("groups: []\n")
    (tmp_path / "extra.yml").write_text("groups: []\n")
    path = tmp_path / "prometheus.yml"
    path.write_bytes(PROM)
    c = load_file(str(path))
    assert c.evaluation_interval == 30 * 10**9 and c.rule_query_offset == 10 * 10**9
    assert c.external_labels == {"cluster": "a"}
    assert c.rule_file_paths() == [str(tmp_path / "rules" / "a.yml"), str(tmp_path / "rules" / "b.yml"),
                                   str(tmp_path / "extra.yml")]
    (am,) = c.alertmanagers
    assert am.urls() == ["https://am1:9093/am/api/v2/alerts", "https://am2:9093/am/api/v2/alerts"]
    assert am.timeout == 5 * 10**9


def test_a_bad_glob_fails_when_expanded() -> None:
    c = load(b'rule_files: ["a["]', "/x/p.yml")
    with pytest.raises(RulesConfigError) as e:
        c.rule_file_paths()
    assert str(e.value) == "syntax error in pattern"


def test_defaults() -> None:
    c = load(b"", "p.yml")
    assert (c.evaluation_interval, c.rule_query_offset, c.rule_files, c.alertmanagers) == (60 * 10**9, 0, (), ())
    (am,) = load(b"alerting: {alertmanagers: [{static_configs: [{targets: [a:1]}]}]}").alertmanagers
    assert (am.scheme, am.path_prefix, am.api_version, am.timeout) == ("http", "/", "v2", 10 * 10**9)


@pytest.mark.parametrize(("text", "message"), [
    (b"global: {evalution_interval: 1m}", ("yaml: unmarshal errors:\n  line 1: field evalution_interval not found in "
                                          "type config.plain")),
    (b"global: {evaluation_interval: 1x}", 'not a valid duration string: "1x"'),
    (b"alerting: {alertmanagers: [{api_version: v3}]}", ("expected Alertmanager api version to be one of [v1 v2] "
                                                        "but got v3")),
    (b'rule_files: ["a/*/b.yml"]', 'invalid rule file path "a/*/b.yml"'),
    (b"global: {}\nglobal: {}", "yaml: unmarshal errors:\n  line 2: field global already set in type config.plain"),
    (b"global: {external_labels: {a: x, a: y}}", 'yaml: unmarshal errors:\n  line 1: key "a" already set in map'),
    (b"alerting: {alertmanagers: [{foo: 1}]}",
     "yaml: unmarshal errors:\n  line 1: field foo not found in type config.AlertmanagerConfig"),
    (b"global: {external_labels: {a-b: c}}", '"a-b" is not a valid label name'),
    (b"nonsense: 1", "yaml: unmarshal errors:\n  line 1: field nonsense not found in type config.plain"),
    (b"global: [", "yaml: line 1: did not find expected node content"),
])
def test_errors(text: bytes, message: str) -> None:
    with pytest.raises(RulesConfigError) as e:
        load(text, "p.yml")
    assert str(e.value) == "parsing YAML file p.yml: " + message
