"""Durations print and parse as Prometheus's model.Duration and Go's time.Duration do."""

import pytest

from amclone.compat.duration import (
    DurationError,
    format_go_duration,
    format_model_duration,
    parse_go_duration,
    parse_model_duration,
)

S = 1_000_000_000


@pytest.mark.parametrize(
    "text, ns, printed",
    [
        ("0", 0, "0s"),
        ("0s", 0, "0s"),
        ("30s", 30 * S, "30s"),
        ("5m", 300 * S, "5m"),
        ("1h30m", 5400 * S, "1h30m"),
        ("90d", 90 * 86400 * S, "90d"),
        ("2w", 14 * 86400 * S, "2w"),
        ("1y", 365 * 86400 * S, "1y"),
        ("500ms", S // 2, "500ms"),
        ("1d1ms", 86400 * S + 1_000_000, "1d1ms"),
        ("120h", 120 * 3600 * S, "5d"),
    ],
)
def test_model_duration_round_trip(text: str, ns: int, printed: str) -> None:
    assert parse_model_duration(text) == ns
    assert format_model_duration(ns) == printed


@pytest.mark.parametrize("text", ["5x", "1m1h", "1.5h", "-1m", "h", "5 m"])
def test_model_duration_rejects_with_prometheus_text(text: str) -> None:
    with pytest.raises(DurationError) as e:
        parse_model_duration(text)
    assert str(e.value) == f'not a valid duration string: "{text}"'


def test_empty_model_duration_has_its_own_text() -> None:
    with pytest.raises(DurationError, match="^empty duration string$"):
        parse_model_duration("")


@pytest.mark.parametrize(
    "text, ns, printed",
    [
        ("120h", 120 * 3600 * S, "120h0m0s"),
        ("30m", 1800 * S, "30m0s"),
        ("1.5s", 3 * S // 2, "1.5s"),
        ("300ms", 300_000_000, "300ms"),
        ("-2m3s", -123 * S, "-2m3s"),
        ("0", 0, "0s"),
        ("1h0.5s", 3600 * S + S // 2, "1h0m0.5s"),
        ("15us", 15_000, "15µs"),
    ],
)
def test_go_duration_round_trip(text: str, ns: int, printed: str) -> None:
    assert parse_go_duration(text) == ns
    assert format_go_duration(ns) == printed


@pytest.mark.parametrize(
    "text, message",
    [
        ("", 'time: invalid duration ""'),
        ("5", 'time: missing unit in duration "5"'),
        ("5x", 'time: unknown unit "x" in duration "5x"'),
        ("abc", 'time: invalid duration "abc"'),
        ("1x2", 'time: unknown unit "x" in duration "1x2"'),
        ("1é", 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'),
        (".s", 'time: invalid duration ".s"'),
        ("1.5.5s", 'time: missing unit in duration "1.5.5s"'),
    ],
)
def test_go_duration_errors(text: str, message: str) -> None:
    with pytest.raises(DurationError) as e:
        parse_go_duration(text)
    assert str(e.value) == message
