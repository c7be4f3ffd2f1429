"""JSON is written the way Go's encoding/json writes it, so webhook bodies match byte for byte."""

from amclone.compat.gojson import dumps, encoder_line, sorted_map


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
