"""go-yaml v3's view of a rule file: positions, tags, its syntax-error lines."""

from __future__ import annotations

import pytest

from amclone.rules.yamlv3 import ALIAS, MAPPING, SCALAR, SEQUENCE, YamlError, parse, resolve


def test_positions_are_one_based_line_and_column() -> None:
    root = parse(b"groups:\n  - name: g\n    rules: []\n")
    assert root is not None and root.kind == MAPPING
    (key, groups), = root.pairs()
    assert (key.line, key.column) == (1, 1)
    group = groups.children[0]
    assert groups.kind == SEQUENCE and (group.line, group.column) == (2, 5)


@pytest.mark.parametrize(("text", "tag"), [
    ("yes", "!!str"), ("on", "!!str"), ("true", "!!bool"), ("FALSE", "!!bool"), ("~", "!!null"), ("", "!!null"),
    ("5", "!!int"), ("0x1f", "!!int"), ("1_000", "!!int"), ("1.5", "!!float"), (".inf", "!!float"),
    ("2001-12-14", "!!timestamp"), ("5m", "!!str"),
])
def test_plain_scalars_resolve_as_yaml_1_2_booleans(text: str, tag: str) -> None:
    root = parse(f"k: {text}\n".encode())
    assert root is not None
    assert root.children[1].tag == tag
    assert resolve("", text)[0] == tag


def test_plain_merge_key_is_tagged_by_the_parser() -> None:
    root = parse(b"<<: {a: b}\n'<<': c\n")
    assert root is not None
    assert [k.tag for k in root.children[0::2]] == ["!!merge", "!!str"]


def test_quoted_scalars_are_strings_and_not_resolved() -> None:
    root = parse(b"a: '5'\nb: \"true\"\nc: |\n  5\n")
    assert root is not None
    values = root.children[1::2]
    assert [(v.tag, v.quoted) for v in values] == [("!!str", True)] * 3


def test_alias_keeps_anchor_name_and_target() -> None:
    root = parse(b"a: &x up\nb: *x\n")
    assert root is not None
    alias = root.children[3]
    assert alias.kind == ALIAS and alias.value == "x" and alias.alias is root.children[1]
    assert alias.short_tag() == "!!str"


def test_only_the_first_document_is_read() -> None:
    root = parse(b"a: 1\n---\nb: [\n")
    assert root is not None and root.children[0].value == "a"


def test_empty_stream_is_none() -> None:
    assert parse(b"") is None
    assert parse(b"# only a comment\n") is None


@pytest.mark.parametrize(("text", "message"), [
    (b"groups:\n\t- name: g\n", "yaml: line 2: found character that cannot start any token"),
    (b"groups:\n  - name: \"g\n    rules: []\n", "yaml: line 2: found unexpected end of stream"),
    (b"a: b: c\n", "yaml: mapping values are not allowed in this context"),
    (b"a: *nope\n", "yaml: unknown anchor 'nope' referenced"),
])
def test_syntax_errors_have_go_yaml_v3_text(text: bytes, message: str) -> None:
    with pytest.raises(YamlError) as e:
        parse(text)
    assert str(e.value) == message


def test_scalar_kinds() -> None:
    root = parse(b"- a\n- {b: c}\n")
    assert root is not None
    assert [c.kind for c in root.children] == [SCALAR, MAPPING]
