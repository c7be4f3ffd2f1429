"""Matcher values: matching truth table, printing, ordering and the JSON flags."""

from __future__ import annotations

import pytest

from amclone.labels.matcher import (
    Matcher,
    MatchType,
    matchers_string,
    matches_all,
    open_metrics_escape,
    sort_key,
)
from amclone.labels.regex import RegexError

EQ, NE, RE, NRE = MatchType.EQUAL, MatchType.NOT_EQUAL, MatchType.REGEX, MatchType.NOT_REGEX


@pytest.mark.parametrize(("type_", "value", "label", "expected"), [
    (EQ, "bar", "bar", True),
    (EQ, "bar", "foo-bar", False),
    (NE, "bar", "bar", False),
    (NE, "bar", "foo-bar", True),
    (RE, "bar", "bar", True),
    (RE, "bar", "foo-bar", False),  # anchored
    (RE, ".*bar", "foo-bar", True),
    (NRE, "bar", "bar", False),
    (NRE, "bar", "foo-bar", True),
    (NRE, ".*bar", "foo-bar", False),
    (EQ, "", "", True),
    (RE, "", "", True),
    (RE, "a|", "", True),
])
def test_matches_truth_table(type_: MatchType, value: str, label: str, expected: bool) -> None:
    assert Matcher("foo", type_, value).matches(label) is expected


@pytest.mark.parametrize(("matcher", "printed"), [
    (Matcher("foo", EQ, "bar"), 'foo="bar"'),
    (Matcher("foo", NE, "bar"), 'foo!="bar"'),
    (Matcher("foo", RE, "bar"), 'foo=~"bar"'),
    (Matcher("foo", NRE, "bar"), 'foo!~"bar"'),
    (Matcher("foo", EQ, 'say "hi"'), 'foo="say \\"hi\\""'),
    (Matcher("foo", EQ, "a\\b"), 'foo="a\\\\b"'),
    (Matcher("foo", EQ, "two\nlines"), 'foo="two\\nlines"'),
    (Matcher("foo", EQ, "tab\there"), 'foo="tab\there"'),  # only \\, \n and " are escaped
    (Matcher("foo", EQ, "ünï"), 'foo="ünï"'),
])
def test_str_is_alertmanager_print_form(matcher: Matcher, printed: str) -> None:
    assert str(matcher) == printed


def test_open_metrics_escape_order_keeps_backslashes_single() -> None:
    assert open_metrics_escape('\\"\n') == '\\\\\\"\\n'


def test_matchers_string_has_no_spaces() -> None:
    ms = [Matcher("env", RE, "prod|stage"), Matcher("team", EQ, "db")]
    assert matchers_string(ms) == '{env=~"prod|stage",team="db"}'
    assert matchers_string([]) == "{}"


def test_sort_key_is_name_then_value_then_operator() -> None:
    ms = [Matcher("b", EQ, "1"), Matcher("a", NRE, "x"), Matcher("a", EQ, "x"),
          Matcher("a", RE, "x"), Matcher("a", NE, "x"), Matcher("a", EQ, "w")]
    ordered = sorted(ms, key=sort_key)
    assert [str(m) for m in ordered] == ['a="w"', 'a="x"', 'a!="x"', 'a=~"x"', 'a!~"x"', 'b="1"']


def test_matches_all_treats_absent_labels_as_empty() -> None:
    labels = {"team": "db"}
    assert matches_all([Matcher("env", EQ, "")], labels)
    assert not matches_all([Matcher("env", NE, "")], labels)
    assert matches_all([Matcher("team", EQ, "db"), Matcher("env", RE, "|dev")], labels)
    assert not matches_all([Matcher("team", EQ, "db"), Matcher("env", RE, "dev")], labels)
    assert matches_all([], labels)


def test_matchers_are_hashable_values() -> None:
    a = Matcher("a", RE, "x+")
    b = Matcher("a", RE, "x+")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Matcher("a", NRE, "x+")
    with pytest.raises(AttributeError):
        a.value = "y"  # type: ignore[misc]


def test_operator_strings_are_accepted_as_type() -> None:
    m = Matcher("a", "=~", "x")  # type: ignore[arg-type]
    assert m.type is RE and m.regex is not None


def test_bad_regex_raises_go_text() -> None:
    with pytest.raises(RegexError, match=r"^error parsing regexp: missing closing \): `\^\(\?:\(\)\$`$"):
        Matcher("a", RE, "(")


def test_equality_matchers_compile_nothing() -> None:
    assert Matcher("a", EQ, "(").regex is None


@pytest.mark.parametrize(("type_", "is_equal", "is_regex"), [
    (EQ, True, False), (NE, False, False), (RE, True, True), (NRE, False, True),
])
def test_json_flags_round_trip(type_: MatchType, is_equal: bool, is_regex: bool) -> None:
    m = Matcher("n", type_, "v")
    assert m.to_json() == {"name": "n", "value": "v", "isRegex": is_regex, "isEqual": is_equal}
    assert MatchType.from_flags(is_equal, is_regex) is type_
