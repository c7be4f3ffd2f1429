"""The expanding series notation of promtool unit tests."""

from __future__ import annotations

import math

import pytest

from amclone.rules.seriesnotation import NotationError, parse_metric, parse_values
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


@pytest.mark.parametrize("text", ["1+1", "1x", "abc", "1a", "_+1x2", "1,2", "+"])
def test_bad_values(text: str) -> None:
    with pytest.raises(NotationError):
        parse_values(text)


@pytest.mark.parametrize(("text", "labels"), [
    ('up{job="a", instance="b:1"}', {"__name__": "up", "job": "a", "instance": "b:1"}),
    ("a:b_c", {"__name__": "a:b_c"}),
    ("{x='y', z=`w\\n`,}", {"x": "y", "z": "w\\n"}),
    ('m{ a = "q\\"uote" }', {"__name__": "m", "a": 'q"uote'}),
])
def test_metrics(text: str, labels: dict[str, str]) -> None:
    assert parse_metric(text) == labels


@pytest.mark.parametrize("text", ["", "m{a=~\"b\"}", "m{a}", "m{a=b}", 'm{a="b" c="d"}', "m x", 'm{1="a"}'])
def test_bad_metrics(text: str) -> None:
    with pytest.raises(NotationError):
        parse_metric(text)
