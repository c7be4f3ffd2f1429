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


def test_offsets_print_in_their_zone() -> None:
    from amclone.compat.timefmt import offset_of

    for text in ("2026-12-04T10:00:00.123+01:00", "2026-12-04T04:00:00.123456789-05:30", "2026-12-04T09:00:00Z"):
        ns, off = parse_rfc3339(text), offset_of(text)
        assert format_rfc3339nano(ns, off) == text
    ns = parse_rfc3339("2026-12-04T10:00:00+01:00")
    assert format_millis(ns, 3600) == "2026-12-04T10:00:00.000+01:00"
    assert format_millis(ns) == "2026-12-04T09:00:00.000Z" and format_rfc3339nano(ns, 0) == "2026-12-04T09:00:00Z"
    assert format_millis(ns, -(5 * 3600 + 30 * 60)) == "2026-12-04T03:30:00.000-05:30"
    assert format_rfc3339nano(ns, 3600 + 59) == "2026-12-04T10:00:59+01:00"  # Go drops zone seconds


@pytest.mark.parametrize(("text", "offset"), [
    ("2026-12-04T10:00:00Z", 0), ("2026-12-04T10:00:00z", 0), ("2026-12-04T10:00:00+00:00", 0),
    ("2026-12-04T10:00:00-00:30", -1800), ("2026-12-04T10:00:00.123+0530", 19800),
    ("2026-12-04T10:00:00", 0), ("2026-12-04T10:00", 0), ("2026-12-04 10:00:00.5", 0), ("", 0),
])
def test_offset_of(text: str, offset: int) -> None:
    from amclone.compat.timefmt import offset_of

    assert offset_of(text) == offset


def test_zoned_is_an_int_that_keeps_its_offset() -> None:
    from amclone.compat.timefmt import offset_or_zero, zoned

    z = zoned(5, "2026-12-04T10:00:00+01:00")
    assert z == 5 and offset_or_zero(z) == 3600 and max(z, 4) is z
    assert type(zoned(5, "2026-12-04T10:00:00Z")) is int and offset_or_zero(5) == 0


def test_local_offset_follows_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from amclone.compat import timefmt

    ns = parse_rfc3339("2026-12-04T10:00:00Z")
    try:
        monkeypatch.setenv("TZ", "Asia/Kolkata")
        time.tzset()
        monkeypatch.setattr(timefmt, "_LOCAL_IS_UTC", False)
        assert timefmt.local_offset(ns) == 19800
        monkeypatch.setenv("TZ", "Europe/Berlin")
        time.tzset()
        assert timefmt.local_offset(ns) == 3600
        assert timefmt.local_offset(parse_rfc3339("2026-07-04T10:00:00Z")) == 7200
    finally:
        monkeypatch.undo()
        time.tzset()
    assert timefmt.local_offset(ns) == (0 if timefmt._LOCAL_IS_UTC else timefmt.local_offset(ns))
