"""The expanding series notation of promtool unit tests."""

from __future__ import annotations

import math

import pytest

from amclone.rules.seriesnotation import NotationError, parse_metric, parse_series, parse_values
from amclone.tsdb.stale import is_stale


@pytest.mark.parametrize(("text", "values"), [
    ("1", (1.0,)),
    ("1+2x3", (1.0, 3.0, 5.0, 7.0)),
    ("10-1x2", (10.0, 9.0, 8.0)),
    ("-1+1x2", (-1.0, 0.0, 1.0)),
    ("5x2", (5.0, 5.0, 5.0)),
    ("_", (None,)),
    ("_x3", (None, None, None)),
    ("1 _ 2", (1.0, None, 2.0)),
    ("1e3 .5 +4 2.", (1000.0, 0.5, 4.0, 2.0)),
    ("0x3", (0.0, 0.0, 0.0, 0.0)),
    ("010 09 1x0", (8.0, 9.0, 1.0)),
    ("Inf -Inf", (math.inf, -math.inf)),
    ("  1   2  ", (1.0, 2.0)),
    ("", ()),
    ("0.1+0.1x2", (0.1, 0.2, 0.30000000000000004)),
])
def test_values(text: str, values: tuple[float | None, ...]) -> None:
    assert parse_values(text) == values


def test_stale_and_nan_are_distinct() -> None:
    stale, nan = parse_values("stale NaN")
    assert stale is not None and nan is not None
    assert is_stale(stale) and math.isnan(nan) and not is_stale(nan)


# (series, values, promtool 2.42's error), each checked with `promtool test rules`.
SERIES_ERRORS = [
    ("up", "1+1", "1:7: parse error: unexpected end of input in series values"),
    ("up", "1x", "1:6: parse error: unexpected end of input in series values"),
    ("up", "abc", '1:4: parse error: unexpected identifier "abc" in series values, expected number or "stale"'),
    ("up", "1a", '1:4: parse error: bad number syntax: "1"'),
    ("up", "1,2", "1:5: parse error: unexpected character in series sequence: ','"),
    ("up", "_+1x2", "1:5: parse error: unexpected <op:+>"),
    ("up", "1 2 x", '1:8: parse error: unexpected "x"'),
    ("up", "1e", '1:4: parse error: error parsing number: strconv.ParseFloat: parsing "1e": invalid syntax'),
    ("up", "1x-1", "1:6: parse error: unexpected <op:-> in series values"),
    ("up", "__", '1:5: parse error: unexpected "_"'),
    ("up", "1.5.5", '1:7: parse error: unexpected number ".5"'),
    ("up", "1+1 2", '1:7: parse error: unexpected " " in series values'),
    ("up", "-stale", '1:5: parse error: unexpected identifier "stale" in series values'),
    ("up", "1 # c", "1:6: parse error: unexpected character in series sequence: '#'"),
    ("up{a}", "1", '1:5: parse error: unexpected "}" in label set, expected "="'),
    ('up{a="b" c="d"}', "1", '1:10: parse error: unexpected identifier "c" in label set, expected "," or "}"'),
    ("up{,}", "1", '1:4: parse error: unexpected "," in label set, expected identifier or "}"'),
    ('up{"a"="b"}', "1", '1:4: parse error: unexpected string "\\"a\\"" in label set, expected identifier or "}"'),
    ("up{a=}", "1", '1:6: parse error: unexpected "}" in label set, expected string'),
    ("up{a=1}", "1", "1:6: parse error: unexpected character inside braces: '1'"),
    ('up{a="b"', "1", "1:10: parse error: unexpected character inside braces: '1'"),
    ("up}", "1", "1:3: parse error: unexpected character in series sequence: '}'"),
    ('up{a="b"}x', "1", '1:10: parse error: unexpected "x" in series values'),
    ("1up", "1", '1:1: parse error: bad number or duration syntax: "1"'),
    ('up{a="\\q"}', "1", "1:6: parse error: unknown escape sequence U+0071 'q'"),
    ("", "1", '1:1: parse error: unexpected number "1" in series values'),
]


@pytest.mark.parametrize(("series", "values", "message"), SERIES_ERRORS)
def test_series_errors_as_promtool(series: str, values: str, message: str) -> None:
    with pytest.raises(NotationError) as e:
        parse_series(series, values)
    assert str(e.value) == message


@pytest.mark.parametrize(("text", "message"), [
    ("up{", "1:4: parse error: unexpected end of input inside braces"),
    ('up{a="b"} x', '1:11: parse error: unexpected identifier "x"'),
    ('up{a="b"}{}', '1:10: parse error: unexpected "{"'),
])
def test_metric_errors_as_promtool(text: str, message: str) -> None:
    with pytest.raises(NotationError) as e:
        parse_metric(text)
    assert str(e.value) == message


def test_series_and_values_together() -> None:
    assert parse_series('up{a="b",}', "1 _x2 stale") [0] == {"__name__": "up", "a": "b"}
    assert parse_series("{a='x'}", "")[1] == ()
    assert parse_metric("") == {} and parse_metric("{}") == {}


@pytest.mark.parametrize(("text", "labels"), [
    ('up{job="a", instance="b:1"}', {"__name__": "up", "job": "a", "instance": "b:1"}),
    ("a:b_c", {"__name__": "a:b_c"}),
    ("{x='y', z=`w\\n`,}", {"x": "y", "z": "w\\n"}),
    ('m{ a = "q\\"uote" }', {"__name__": "m", "a": 'q"uote'}),
])
def test_metrics(text: str, labels: dict[str, str]) -> None:
    assert parse_metric(text) == labels


@pytest.mark.parametrize("text", ["m{a=~\"b\"}", "m{a}", "m{a=b}", 'm{a="b" c="d"}', "m x", 'm{1="a"}'])
def test_bad_metrics(text: str) -> None:
    with pytest.raises(NotationError):
        parse_metric(text)
