"""The parser switch: classic by default (0.25), UTF-8 strict, and upstream's fallback mode."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from amclone.labels import parse
from amclone.labels.matcher import Matcher, MatcherParseError, MatchType


@pytest.fixture(autouse=True)
def restore_mode() -> Iterator[None]:
    before = parse.get_mode()
    yield
    parse.set_mode(before)


def test_default_is_classic() -> None:
    assert parse.get_mode() == "classic"
    assert parse.parse_matchers("a=b c") == [Matcher("a", MatchType.EQUAL, "b c")]
    with pytest.raises(MatcherParseError, match="^bad matcher format: fo😀o=\"bar\"$"):
        parse.parse_matchers('fo😀o="bar"')


def test_utf8_mode_accepts_utf8_names_and_rejects_classic_only_input() -> None:
    parse.set_mode("utf8")
    assert parse.parse_matchers('fo😀o="bar"') == [Matcher("fo😀o", MatchType.EQUAL, "bar")]
    with pytest.raises(MatcherParseError, match="^4:5: unexpected c: expected a comma or close brace$"):
        parse.parse_matchers("a=b c")


def test_utf8_single_matcher_rejects_braces() -> None:
    parse.set_mode("utf8")
    with pytest.raises(MatcherParseError, match="^unexpected open or close brace: {a=b}$"):
        parse.parse_matcher("{a=b}")


def test_fallback_uses_classic_when_only_classic_accepts(caplog: pytest.LogCaptureFixture) -> None:
    parse.set_mode("fallback")
    with caplog.at_level(logging.WARNING, logger="amclone.labels.parse"):
        assert parse.parse_matchers("a=b c") == [Matcher("a", MatchType.EQUAL, "b c")]
    assert "moving to a new parser" in caplog.text
    assert caplog.records[0].suggestion == 'a="b c"'  # type: ignore[attr-defined]


def test_fallback_prefers_classic_on_disagreement(caplog: pytest.LogCaptureFixture) -> None:
    parse.set_mode("fallback")
    # UTF-8 parser: "\\t" is a tab; classic parser: an unknown escape, kept as backslash + t
    with caplog.at_level(logging.WARNING, logger="amclone.labels.parse"):
        ms = parse.parse_matchers('a="x\\ty"')
    assert ms[0].value == "x\\ty"
    assert "disagreement" in caplog.text


def test_fallback_takes_utf8_result_when_classic_fails() -> None:
    parse.set_mode("fallback")
    assert parse.parse_matchers('fo😀o="bar"')[0].name == "fo😀o"


def test_fallback_reports_the_classic_error_when_both_fail() -> None:
    parse.set_mode("fallback")
    with pytest.raises(MatcherParseError, match="^bad matcher format: foo$"):
        parse.parse_matchers("foo")


def test_label_name_validity_follows_the_mode() -> None:
    assert not parse.is_valid_label_name("fo😀o")
    parse.set_mode("fallback")
    assert parse.is_valid_label_name("fo😀o")
    assert not parse.is_valid_label_name("")


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        parse.set_mode("strict")  # type: ignore[arg-type]
