"""promtool unit-test files, parsed (running them comes with the evaluator)."""

from __future__ import annotations

from pathlib import Path

import pytest

from amclone.rules.unittest_format import UnitTestFormatError, load_file, parse

TEST = """
rule_files: [rules.yml, "missing/*.yml"]
evaluation_interval: 30s
group_eval_order: [b, a]
tests:
  - interval: 1m
    name: first
    external_labels: {cluster: c1}
    external_url: http://prom
    input_series:
      - series: 'up{job="api", instance="a:9090"}'
        values: '1 1 0x3 stale _ 1+1x2'
    alert_rule_test:
      - eval_time: 5m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {severity: warning, instance: "a:9090"}
            exp_annotations: {summary: down}
      - eval_time: 1m
        alertname: InstanceDown
    promql_expr_test:
      - expr: up
        eval_time: 2m
        exp_samples:
          - labels: 'up{job="api", instance="a:9090"}'
            value: 0
          - labels: ''
            value: 1.5e3
  - input_series: []
"""


def test_a_full_file(tmp_path: Path) -> None:
    (tmp_path / "rules.yml").write_text("groups: []\n")
    path = tmp_path / "t.yml"
    path.write_text(TEST)
    f = load_file(str(path))
    assert f.rule_files == (str(tmp_path / "rules.yml"),)
    assert f.warnings == (f"  WARNING: no file match pattern {tmp_path}/missing/*.yml",)
    assert (f.evaluation_interval, f.group_eval_order) == (30 * 10**9, ("b", "a"))
    first, second = f.tests
    assert (first.interval, first.name, first.external_labels, first.external_url) == (
        60 * 10**9, "first", {"cluster": "c1"}, "http://prom")
    (series,) = first.input_series
    assert series.labels == {"__name__": "up", "job": "api", "instance": "a:9090"}
    assert len(series.values) == 11 and series.values[7] is None and series.values[-1] == 3.0
    a, b = first.alert_rule_test
    assert (a.eval_time, a.alertname, a.exp_alerts[0].labels["severity"], b.exp_alerts) == (
        300 * 10**9, "InstanceDown", "warning", ())
    (p,) = first.promql_expr_test
    assert [(s.labels, s.value) for s in p.exp_samples] == [
        ({"__name__": "up", "job": "api", "instance": "a:9090"}, 0.0), ({}, 1500.0)]
    assert first.max_eval_time() == 300 * 10**9
    assert (second.interval, second.input_series, second.max_eval_time()) == (0, (), 0)


def test_group_level_errors_are_kept_for_the_runner() -> None:
    f = parse(b"""tests:
  - name: t
    alert_rule_test: [{eval_time: 1m}]
    input_series: [{series: up, values: '1'}, {series: 'up{a}', values: '1'}, {series: '{}', values: '1'}]
    promql_expr_test: [{expr: up, eval_time: 0m, exp_samples: [{labels: 'up{', value: 1}]}]
  - alert_rule_test: [{eval_time: 90s}]
    input_series: [{series: '{}', values: '1'}]
""", "t.yml")
    first, second = f.tests
    assert first.series_error == '1:5: parse error: unexpected "}" in label set, expected "="'
    assert first.alertname_error == ("an item under alert_rule_test misses required attribute alertname at "
                                     "eval_time 1m (in TestGroup t)")
    assert first.promql_expr_test[0].exp_samples[0].labels_error == (
        'labels "up{": 1:4: parse error: unexpected end of input inside braces')
    assert second.series_error == "empty labelset: invalid sample"
    assert second.alertname_error == "an item under alert_rule_test misses required attribute alertname at eval_time 1m30s"


def test_defaults() -> None:
    f = parse(b"tests: []\n", "/x/t.yml")
    assert (f.evaluation_interval, f.rule_files, f.tests) == (60 * 10**9, (), ())


@pytest.mark.parametrize(("text", "message"), [
    (b"group_eval_order: [a, b, a]\n", "group name repeated in evaluation order: a"),
    (b"rule_files: ['a[']\n", "syntax error in pattern"),
    (b"tests: []\ntests: []\n", "yaml: unmarshal errors:\n  line 2: field tests already set in type main.unitTestFile"),
    (b"tests: [{external_labels: {a: x, a: y}}]\n",
     'yaml: unmarshal errors:\n  line 1: key "a" already set in map'),
    (b"tests: [{intervl: 1m}]\n", "yaml: unmarshal errors:\n  line 1: field intervl not found in type main.testGroup"),
    (b"evaluation_interval: 1\n", 'not a valid duration string: "1"'),
])
def test_errors(text: bytes, message: str) -> None:
    with pytest.raises(UnitTestFormatError) as e:
        parse(text, "t.yml")
    assert str(e.value) == message
