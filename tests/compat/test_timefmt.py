"""Timestamps print as Go's time.Time JSON and go-swagger's strfmt.DateTime do."""

import pytest

from amclone.compat.timefmt import (
    TimeParseError,
    format_millis,
    format_rfc3339,
    format_rfc3339nano,
    parse_rfc3339,
)
from amclone.timeutil import ZERO_TIME


def test_nanoseconds_survive_a_round_trip() -> None:
    ns = parse_rfc3339("2026-12-04T06:16:50.54366054Z")
    assert ns % 1_000_000_000 == 543660540
    assert format_rfc3339nano(ns) == "2026-12-04T06:16:50.54366054Z"


def test_whole_seconds_have_no_fraction() -> None:
    assert format_rfc3339nano(parse_rfc3339("2026-12-04T06:16:50Z")) == "2026-12-04T06:16:50Z"


def test_zero_time_is_year_one() -> None:
    assert format_rfc3339nano(ZERO_TIME) == "0001-01-01T00:00:00Z"
    assert parse_rfc3339("0001-01-01T00:00:00Z") == ZERO_TIME


def test_offsets_are_converted_to_utc() -> None:
    ns = parse_rfc3339("2026-12-04T07:16:50.5+01:00")
    assert format_millis(ns) == "2026-12-04T06:16:50.500Z"
    assert format_rfc3339(ns) == "2026-12-04T06:16:50Z"


def test_millis_truncate_rather_than_round() -> None:
    assert format_millis(parse_rfc3339("2026-12-04T06:16:50.5439Z")) == "2026-12-04T06:16:50.543Z"


@pytest.mark.parametrize("text", ["yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-04"])
def test_bad_times_are_rejected(text: str) -> None:
    with pytest.raises(TimeParseError):
        parse_rfc3339(text)
