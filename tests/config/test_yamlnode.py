"""go-yaml's view of YAML text: syntax errors, first document only, scalar resolution."""

from __future__ import annotations

import math

import pytest

from amclone.config.errors import ConfigError
from amclone.config.yamlnode import (
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    MAPPING,
    NULL_TAG,
    STR_TAG,
    TIMESTAMP_TAG,
    parse,
    plain_safe,
    resolve,
)


def test_empty_stream_has_no_root() -> None:
    assert parse(b"") is None
    assert parse(b"# only a comment\n") is None


def test_only_first_document_is_read() -> None:
    root = parse(b"a: 1\n---\n[broken\n")
    assert root is not None and root.kind == MAPPING
    assert [c.value for c in root.children] == ["a", "1"]


@pytest.mark.parametrize("text,message", [
    # parser errors report the problem mark's 0-based line (go-yaml's quirk)
    (b"a:\n  b: 1\n c: 2\n", "yaml: line 2: did not find expected key"),
    (b"a: [1, 2\n", "yaml: line 1: did not find expected ',' or ']'"),
    # scanner errors are one-based; a problem on the first line has no line at all
    (b"a:\n\tb: 1\n", "yaml: line 2: found character that cannot start any token"),
    (b"a: b: c\n", "yaml: mapping values are not allowed in this context"),
    (b"a: \x01\n", "yaml: control characters are not allowed"),
    (b"a: *nope\n", "yaml: unknown anchor 'nope' referenced"),
])
def test_syntax_errors_have_go_text(text: bytes, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse(text)
    assert str(e.value) == message


def test_lines_are_zero_based_and_quoted_scalars_not_implicit() -> None:
    root = parse(b"a: x\nb: 'y'\n")
    assert root is not None
    a, x, b, y = root.children
    assert (a.line, b.line) == (0, 1)
    assert x.implicit and not y.implicit


@pytest.mark.parametrize("text,tag,value", [
    ("yes", BOOL_TAG, True), ("Off", BOOL_TAG, False), ("~", NULL_TAG, None), ("", NULL_TAG, None),
    ("0x1F", INT_TAG, 31), ("0o17", INT_TAG, 15), ("017", INT_TAG, 15), ("1_000", INT_TAG, 1000),
    ("0b101", INT_TAG, 5), ("-0b11", INT_TAG, -3), ("1.5", FLOAT_TAG, 1.5), ("08", FLOAT_TAG, 8.0),
    ("2020-01-02", TIMESTAMP_TAG, "2020-01-02"), ("1:20", STR_TAG, "1:20"), ("foo", STR_TAG, "foo"),
    ("${X}", STR_TAG, "${X}"),
])
def test_resolve_matches_go_yaml_v2(text: str, tag: str, value: object) -> None:
    assert resolve("", text) == (tag, value)


def test_special_floats() -> None:
    assert resolve("", ".inf") == (FLOAT_TAG, math.inf)
    assert math.isnan(resolve("", ".NaN")[1])


def test_explicit_tag_conflict_is_an_error() -> None:
    with pytest.raises(ConfigError, match="cannot decode !!str `abc` as a !!int"):
        resolve(INT_TAG, "abc")


@pytest.mark.parametrize("text,safe", [
    ("plain", True), ("true", False), ("12", False), ("1:20", False), ("null", False), ("", False),
    ("a: b", True),  # the emitter, not this check, decides such cases
])
def test_plain_safe(text: str, safe: bool) -> None:
    assert plain_safe(text) is safe
