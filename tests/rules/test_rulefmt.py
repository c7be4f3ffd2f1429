"""Rule-file validation: promtool's messages and positions, and amclone's extensions."""

from __future__ import annotations

import pytest

from amclone.rules.rulefmt import is_valid_metric_name, parse, parse_file


def errors(text: str, extensions: bool = False) -> list[str]:
    return parse(text.encode(), extensions)[1]


def one_rule(body: str) -> str:
    return "groups:\n  - name: g\n    rules:\n      - " + body.replace("\n", "\n        ") + "\n"


def test_a_valid_file() -> None:
    groups, errs = parse(one_rule("alert: A\nexpr: up == 0\nfor: 5m\nkeep_firing_for: 1m\nlabels: {s: x}").encode())
    assert errs == [] and groups is not None
    (g,) = groups.groups
    (r,) = g.rules
    assert (g.name, r.alert_name, r.expr_text, r.for_, r.keep_firing_for, r.labels) == (
        "g", "A", "up == 0", 300 * 10**9, 60 * 10**9, {"s": "x"})


@pytest.mark.parametrize(("body", "message"), [
    ("record: a:b\nalert: A\nexpr: up", '4:17: 5:16: group "g", rule 1, "A": only one of \'record\' and \'alert\' must be set'),
    ("expr: up", '0:0: group "g", rule 1, "": one of \'record\' or \'alert\' must be set'),
    ("alert: A", '0:0: group "g", rule 1, "A": field \'expr\' must be set in rule'),
    ("alert: A\nexpr: {q: up}", '5:15: group "g", rule 1, "A": field \'expr\' must be set in rule'),
    ("record: a:b\nexpr: up\nfor: 1m", '4:17: group "g", rule 1, "a:b": invalid field \'for\' in recording rule'),
    ("record: a-b\nexpr: up", '4:17: group "g", rule 1, "a-b": invalid recording rule name: a-b'),
    ("alert: A\nexpr: up\nlabels: {__name__: x}", 'group "g", rule 1, "A": invalid label name: __name__'),
    ("alert: A\nexpr: up\nannotations: {a-b: x}", 'group "g", rule 1, "A": invalid annotation name: a-b'),
    ("alert: A\nexpr: up\nlabels: {s: '{{ nope }}'}",
     'group "g", rule 1, "A": label "s": template: __alert_A:1: function "nope" not defined'),
    ("alert: A\nexpr: up ==",
     '5:15: group "g", rule 1, "A": could not parse expression: parse error: invalid promql query'),
    ("alert: A\nexpr: 'up{a=\"b\"} |'",
     '5:15: group "g", rule 1, "A": could not parse expression: 1:11: parse error: unexpected character: \'|\''),
])
def test_rule_errors(body: str, message: str) -> None:
    assert errors(one_rule(body)) == [message]


def test_all_errors_of_a_rule_in_prometheus_order() -> None:
    assert errors(one_rule("record: a-b\nexpr: ''\nannotations: {x: y}\nfor: 1m")) == [
        '0:0: group "g", rule 1, "a-b": field \'expr\' must be set in rule'.replace("0:0", "5:15"),
        '4:17: group "g", rule 1, "a-b": invalid field \'annotations\' in recording rule',
        '4:17: group "g", rule 1, "a-b": invalid field \'for\' in recording rule',
        '4:17: group "g", rule 1, "a-b": invalid recording rule name: a-b',
    ]


def test_recording_rule_labels_are_not_templates() -> None:
    assert errors(one_rule("record: a:b\nexpr: up\nlabels: {s: '{{'}")) == []


def test_group_errors_use_the_group_node_position() -> None:
    text = "groups:\n  - name: ''\n    rules: []\n  - name: x\n    rules: []\n  - name: x\n    rules: []\n"
    assert errors(text) == ["2:5: Groupname must not be empty", '6:5: groupname: "x" is repeated in the same file']


def test_syntax_errors_are_reported_by_both_passes() -> None:
    assert errors("groups:\n\t- x\n") == ["yaml: line 2: found character that cannot start any token"] * 2
    assert errors("groups: x\n") == [
        "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `x` into []rulefmt.RuleGroup",
        "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `x` into []yaml.Node"]


@pytest.mark.parametrize("field", ["query_offset: 1m", "labels: {team: a}", "evaluation: on_write"])
def test_extensions_are_rejected_by_default_and_accepted_when_enabled(field: str) -> None:
    text = "groups:\n  - name: g\n    " + field + "\n    rules: []\n"
    name = field.split(":")[0]
    assert errors(text) == [f"yaml: unmarshal errors:\n  line 3: field {name} not found in type rulefmt.RuleGroup"]
    assert errors(text, extensions=True) == []


def test_extension_values() -> None:
    text = "groups:\n  - name: g\n    query_offset: 30s\n    labels: {team: a}\n    evaluation: on_write\n    rules: []\n"
    groups, errs = parse(text.encode(), extensions=True)
    assert errs == [] and groups is not None
    (g,) = groups.groups
    assert (g.query_offset, g.labels, g.evaluation) == (30 * 10**9, {"team": "a"}, "on_write")


def test_extension_errors() -> None:
    text = "groups:\n  - name: g\n    evaluation: sometimes\n    labels: {__name__: x}\n    rules: []\n"
    assert errors(text, extensions=True) == [
        "invalid label name: __name__",
        '2:5: group "g": invalid evaluation mode "sometimes": must be "interval" or "on_write"']


def test_parse_file_prefixes_the_path(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    path = tmp_path / "r.yml"
    path.write_text("groups: x\n")
    _, errs = parse_file(str(path))
    assert errs[0].startswith(f"{path}: yaml: unmarshal errors:")
    missing = str(tmp_path / "missing.yml")
    assert parse_file(missing)[1] == [f"{missing}: open {missing}: no such file or directory"]


@pytest.mark.parametrize(("name", "ok"), [("a:b", True), ("_x", True), (":x", True), ("1x", False), ("a-b", False),
                                          ("", False), ("é", False)])
def test_metric_names(name: str, ok: bool) -> None:
    assert is_valid_metric_name(name) is ok


def test_amclone_loading_checks_expressions_with_prometheus_3_grammar() -> None:
    info = one_rule("record: a:b\nexpr: info(up)")
    assert errors(info) == [('5:15: group "g", rule 1, "a:b": could not parse expression: 1:1: parse error: '
                            'unknown function with name "info"')]
    assert errors(info, extensions=True) == []
    holt = one_rule("record: a:b\nexpr: holt_winters(x[5m], 0.5, 0.5)")
    assert errors(holt) == []
    assert errors(holt, extensions=True) == [
        ('5:15: group "g", rule 1, "a:b": could not parse expression: 1:1: parse error: '
        'unknown function with name "holt_winters"')]


def test_label_names_stay_legacy_in_amclone_loading() -> None:
    assert errors(one_rule("alert: A\nexpr: up\nlabels: {a-b: x}"), extensions=True) == [
        'group "g", rule 1, "A": invalid label name: a-b']
