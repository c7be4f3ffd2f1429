"""go-yaml v3 corner cases of rule files beside promtool 2.42, each as its own file: explicit tags,
``!!binary``, number forms for ``limit`` (hex, octal, exponent, overflow, infinity, timestamps),
empty and null durations, aliases and merge keys, odd map keys, a byte-order mark, CRLF line
ends, null list items, repeated keys, several errors in one file. Exit status, stdout and stderr
must be equal for every case."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from checkrun import amctl_check, promtool_check

CASES = {
    'alert_alias_map': 'x: &m {a: b}\ngroups:\n  - name: g\n    rules:\n      - alert: *m\n        expr: up\n',
    'anchor_self': 'groups: &a [*a]\n',
    'annotations_empty_map_record': 'groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: up\n        annotations: {}\n',
    'bad_escape': 'groups:\n  - name: "\\q"\n    rules: []\n',
    'bom': '\ufeffgroups:\n  - name: g\n    rules: []\n',
    'crlf': "groups:\n  - name: g\n    rules:\n      - record: 'a-b'\n        expr: up\n",
    'custom_tag': 'groups:\n  - name: !foo g\n    rules: []\n',
    'deep_indent_error': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n      labels: {}\n',
    'dots_end': 'groups: []\n...\n',
    'dup_groups': 'groups: []\ngroups: []\n',
    'dup_in_labels': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels:\n          a: 1\n          a: 2\n',
    'explicit_map_tag': 'groups: !!map {}\n',
    'expr_float': 'groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: 1.0\n',
    'expr_seq': 'groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: [up]\n',
    'flow_bad': 'groups: [{name: g, rules: [}]\n',
    'for_big': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 999999999y\n',
    'for_empty_string': "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: ''\n",
    'for_ms': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 1h30m5s10ms\n',
    'for_null': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: ~\n',
    'for_wrong_order': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 5m1h\n',
    'groups_alias': 'base: &g [{name: g, rules: []}]\ngroups: *g\n',
    'groups_null_item': "groups:\n  -\n  - name: ''\n    rules: []\n",
    'int_label_key': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: {1: x}\n',
    'keep_firing_for_in_alert_zero': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        keep_firing_for: 0s\n',
    'limit_exp': 'groups:\n  - name: g\n    limit: 1e3\n    rules: []\n',
    'limit_hex': 'groups:\n  - name: g\n    limit: 0x10\n    rules: []\n',
    'limit_inf': 'groups:\n  - name: g\n    limit: .inf\n    rules: []\n',
    'limit_neg': 'groups:\n  - name: g\n    limit: -3\n    rules: []\n',
    'limit_null': 'groups:\n  - name: g\n    limit: ~\n    rules: []\n',
    'limit_octal': 'groups:\n  - name: g\n    limit: 0o17\n    rules: []\n',
    'limit_overflow': 'groups:\n  - name: g\n    limit: 9223372036854775808\n    rules: []\n',
    'limit_tag_str': 'groups:\n  - name: g\n    limit: !!str 5\n    rules: []\n',
    'limit_timestamp': 'groups:\n  - name: g\n    limit: 2001-01-01\n    rules: []\n',
    'limit_underscore': 'groups:\n  - name: g\n    limit: 1_000\n    rules: []\n',
    'long_unknown_field': 'groups:\n  - name: g\n    rules: []\n    this_is_a_very_long_field_name: 1\n',
    'map_label_key': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: {? {a: b} : x}\n',
    'merge_list_bad': 'groups:\n  - <<: [1]\n    name: g\n',
    'merge_struct': 'd: &d {rules: []}\ngroups:\n  - <<: *d\n    name: g\n',
    'name_bad_binary': "groups:\n  - name: !!binary '!!!'\n    rules: []\n",
    'name_binary': 'groups:\n  - name: !!binary aGVsbG8=\n    rules: []\n',
    'name_bool': 'groups:\n  - name: true\n    rules: []\n',
    'name_int': 'groups:\n  - name: 123\n    rules: []\n',
    'null_label_key': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: {~: x}\n',
    'only_dashes': '---\n',
    'quoted_key_dup': "groups:\n  - name: g\n    'name': h\n    rules: []\n",
    'record_seq': 'groups:\n  - name: g\n    rules:\n      - record: [a]\n        expr: up\n',
    'record_with_keep_firing_zero': 'groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: up\n        keep_firing_for: 0s\n        for: 0\n',
    'rule_alias': "groups:\n  - name: g\n    rules:\n      - &r {record: 'a:b', expr: up}\n      - *r\n",
    'rules_null_item': "groups:\n  - name: g\n    rules:\n      -\n      - record: 'a-b'\n        expr: up\n",
    'scalar_doc': '--- |\n  text\n',
    'tab_in_value': 'groups:\n  - name: "a\\tb"\n    rules: []\n',
    'two_errors_same_rule_labels_ann': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: {b-c: x}\n        annotations: {d-e: y}\n',
    'two_groups_errors': "groups:\n  - name: ''\n    rules:\n      - record: 'x y'\n        expr: up\n  - name: ''\n    rules: []\n",
    'unicode_label_name': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: {ñ: x}\n',
    'unicode_values': "groups:\n  - name: 'ü'\n    rules:\n      - alert: 'Ä'\n        expr: up\n        labels: {x: 'ø'}\n        annotations: {y: '日本'}\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_yaml_case(name: str, tmp_path: Path, promtool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / f"{name}.yml").write_bytes(CASES[name].encode())
    want = promtool_check(promtool, tmp_path, f"{name}.yml")
    assert amctl_check(tmp_path, f"{name}.yml", monkeypatch=monkeypatch) == want
