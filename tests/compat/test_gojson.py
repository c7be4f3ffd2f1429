"""JSON is written the way Go's encoding/json writes it, so webhook bodies match byte for byte."""

import pytest

from amclone.compat.gojson import dumps, encoder_line, json_kind, quote_char, sorted_map


def test_html_characters_are_escaped() -> None:
    assert dumps({"a": "<b>&</b>"}) == '{"a":"\\u003cb\\u003e\\u0026\\u003c/b\\u003e"}'


def test_control_characters_use_go_escapes() -> None:
    assert dumps("\b\f\n\r\t\x01") == '"\\u0008\\u000c\\n\\r\\t\\u0001"'


def test_escaped_backslash_before_b_is_left_alone() -> None:
    assert dumps("\\b") == '"\\\\b"'


def test_unicode_stays_utf8_but_line_separators_are_escaped() -> None:
    assert dumps("é\u2028") == '"é\\u2028"'


def test_encoder_appends_newline() -> None:
    assert encoder_line({"x": 1}) == b'{"x":1}\n'


def test_sorted_map_orders_by_bytes() -> None:
    assert list(sorted_map({"b": 1, "B": 2, "a": 3})) == ["B", "a", "b"]


@pytest.mark.parametrize("value,kind", [(True, "bool"), (1, "number"), (1.5, "number"), ("x", "string"),
                                        ([], "array"), ({}, "object"), (None, "null")])
def test_json_kind(value: object, kind: str) -> None:
    assert json_kind(value) == kind


@pytest.mark.parametrize("c,shown", [("'", "'\\''"), ('"', "'\"'"), ("x", "'x'"), ("\n", "'\\n'")])
def test_quote_char(c: str, shown: str) -> None:
    assert quote_char(c) == shown
