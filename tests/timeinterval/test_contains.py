"""`TimeInterval.contains`: 0.25's ContainsTime, evaluated in the interval's location."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from amclone.timeinterval import TimeInterval, contains_any, days_in_month, parse_time_interval
from amclone.timeinterval.intervals import Location

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def ns(y: int, mo: int, d: int, h: int = 0, mi: int = 0, tz: dt.tzinfo = dt.UTC, fold: int = 0) -> int:
    return int(dt.datetime(y, mo, d, h, mi, tzinfo=tz, fold=fold).timestamp()) * 1_000_000_000


def interval(**fields: object) -> TimeInterval:
    return parse_time_interval(fields)


def test_empty_interval_contains_everything() -> None:
    assert TimeInterval().contains(0)
    assert TimeInterval().contains(ns(2026, 12, 4, 10))


def test_empty_list_contains_nothing() -> None:
    assert not interval(weekdays=[]).contains(ns(2026, 12, 4, 10))


@pytest.mark.parametrize(("h", "m", "inside"), [
    (8, 59, False), (9, 0, True), (16, 59, True), (17, 0, False),  # end is exclusive
])
def test_times_are_half_open(h: int, m: int, inside: bool) -> None:
    ti = interval(times=[{"start_time": "09:00", "end_time": "17:00"}])
    assert ti.contains(ns(2026, 12, 4, h, m)) is inside


def test_24_00_end_covers_the_last_minute() -> None:
    ti = interval(times=[{"start_time": "23:00", "end_time": "24:00"}])
    assert ti.contains(ns(2026, 12, 4, 23, 59))
    assert not ti.contains(ns(2026, 12, 5, 0, 0))


def test_seconds_do_not_matter() -> None:
    ti = interval(times=[{"start_time": "10:00", "end_time": "10:01"}])
    assert ti.contains(ns(2026, 12, 4, 10, 0) + 59_999_999_999)
    assert not ti.contains(ns(2026, 12, 4, 10, 1))


def test_weekdays_count_from_sunday() -> None:
    weekend = interval(weekdays=["saturday", "sunday"])
    assert weekend.contains(ns(2026, 12, 5, 12))  # Saturday
    assert weekend.contains(ns(2026, 12, 6, 12))  # Sunday
    assert not weekend.contains(ns(2026, 12, 7, 12))  # Monday
    workdays = interval(weekdays=["monday:friday"])
    assert workdays.contains(ns(2026, 12, 4, 12)) and not workdays.contains(ns(2026, 12, 6, 12))


def test_fields_are_anded_and_ranges_ored() -> None:
    ti = interval(weekdays=["monday", "friday"], months=["december"], years=["2026"])
    assert ti.contains(ns(2026, 12, 4, 12))  # a Friday in December 2026
    assert not ti.contains(ns(2025, 12, 5, 12))  # a Friday, but 2025
    assert not ti.contains(ns(2026, 11, 6, 12))  # a Friday, but November


def test_any_entry_of_a_named_interval_suffices() -> None:
    entries = [interval(months=["january"]), interval(months=["december"])]
    assert contains_any(entries, ns(2026, 12, 4))
    assert not contains_any(entries, ns(2026, 6, 4))
    assert not contains_any([], ns(2026, 6, 4))


@pytest.mark.parametrize(("year", "month", "day", "inside"), [
    (2024, 2, 29, True), (2024, 2, 28, False),  # leap year: -1 is the 29th
    (2026, 2, 28, True), (2026, 2, 27, False),
    (2026, 4, 30, True), (2026, 12, 31, True), (2026, 12, 30, False),
])
def test_negative_days_count_from_month_end(year: int, month: int, day: int, inside: bool) -> None:
    assert interval(days_of_month=["-1"]).contains(ns(year, month, day, 12)) is inside


def test_negative_ranges_and_clamping() -> None:
    last_week = interval(days_of_month=["-7:-1"])
    assert last_week.contains(ns(2026, 2, 22, 12)) and not last_week.contains(ns(2026, 2, 21, 12))
    # 31 in a 30-day month is clamped to the 30th
    to_31 = interval(days_of_month=["25:31"])
    assert to_31.contains(ns(2026, 4, 30, 12))
    # a range that begins after the month ends is skipped
    assert not interval(days_of_month=["31"]).contains(ns(2026, 4, 30, 12))
    # -31 in February is before the month starts and clamps to its first day
    assert interval(days_of_month=["-31:-28"]).contains(ns(2026, 2, 1, 12))


def test_location_moves_the_wall_clock() -> None:
    # 23:30 UTC on Friday is 00:30 on Saturday in Berlin (CET, UTC+1)
    instant = ns(2026, 12, 4, 23, 30)
    assert interval(weekdays=["friday"]).contains(instant)
    assert interval(weekdays=["saturday"], location="Europe/Berlin").contains(instant)
    assert interval(times=[{"start_time": "00:00", "end_time": "01:00"}], location="Europe/Berlin").contains(instant)


def test_berlin_spring_forward_skips_the_hour() -> None:
    # 2026-03-29: 02:00 CET jumps to 03:00 CEST; no instant shows 02:xx on the wall clock
    ti = interval(times=[{"start_time": "02:00", "end_time": "03:00"}], location="Europe/Berlin")
    start = ns(2026, 3, 29, 0, 0)  # 01:00 CET
    minutes = [start + i * 60_000_000_000 for i in range(180)]
    assert not any(ti.contains(m) for m in minutes)
    assert ti.contains(ns(2026, 3, 28, 2, 30, tz=BERLIN))  # the day before it exists


def test_berlin_fall_back_repeats_the_hour() -> None:
    # 2026-10-25: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice
    ti = interval(times=[{"start_time": "02:00", "end_time": "03:00"}], location="Europe/Berlin")
    first = ns(2026, 10, 25, 2, 30, tz=BERLIN, fold=0)
    second = ns(2026, 10, 25, 2, 30, tz=BERLIN, fold=1)
    assert second - first == 3600 * 1_000_000_000
    assert ti.contains(first) and ti.contains(second)
    hour = 60 * 60_000_000_000
    assert not ti.contains(first - hour)  # 01:30 CEST
    assert not ti.contains(second + hour)  # 03:30 CET


def test_new_york_business_hours_follow_dst() -> None:
    ti = interval(times=[{"start_time": "09:00", "end_time": "17:00"}], location="America/New_York")
    # 09:00 EST is 14:00 UTC in winter, 09:00 EDT is 13:00 UTC in summer
    assert ti.contains(ns(2026, 1, 15, 14, 0)) and not ti.contains(ns(2026, 1, 15, 13, 59))
    assert ti.contains(ns(2026, 7, 15, 13, 0)) and not ti.contains(ns(2026, 7, 15, 12, 59))
    # spring forward day (2026-03-08): 09:00 EDT = 13:00 UTC
    assert ti.contains(ns(2026, 3, 8, 13, 0)) and not ti.contains(ns(2026, 3, 8, 12, 59))
    # fall back day (2026-11-01): 09:00 EST = 14:00 UTC
    assert ti.contains(ns(2026, 11, 1, 14, 0)) and not ti.contains(ns(2026, 11, 1, 13, 59))


@pytest.mark.parametrize(("zone", "year", "month", "days"), [
    ("UTC", 2026, 3, 31),
    ("Europe/Berlin", 2026, 3, 30),  # 743 hours: 0.25 truncates to 30
    ("Europe/Berlin", 2026, 10, 31),  # 745 hours
    ("America/New_York", 2026, 3, 30),
    ("America/New_York", 2026, 11, 30),
    ("Europe/Berlin", 2024, 2, 29),
])
def test_days_in_month_is_0_25s_hour_count(zone: str, year: int, month: int, days: int) -> None:
    assert days_in_month(Location(zone), year, month) == days


def test_last_day_in_a_spring_forward_month_is_the_30th_in_0_25() -> None:
    # Alertmanager 0.25 resolves -1 with the truncated count above (fixed upstream in 2026).
    ti = interval(days_of_month=["-1"], location="Europe/Berlin")
    assert ti.contains(ns(2026, 3, 30, 12, tz=BERLIN))
    assert not ti.contains(ns(2026, 3, 31, 12, tz=BERLIN))
    assert ti.contains(ns(2026, 4, 30, 12, tz=BERLIN))


def test_new_york_negative_day_regression_case() -> None:
    ti = interval(days_of_month=["-1"], location="America/New_York")
    assert ti.contains(ns(2026, 3, 30, 12, tz=NEW_YORK))
    assert not ti.contains(ns(2026, 3, 31, 12, tz=NEW_YORK))


def test_extreme_instants_do_not_crash() -> None:
    ti = interval(days_of_month=["-1"], location="Europe/Berlin")
    zero_time = -62135596800 * 1_000_000_000  # Go's zero time.Time
    assert isinstance(ti.contains(zero_time), bool)
    assert isinstance(ti.contains(253402300799 * 1_000_000_000), bool)  # 9999-12-31T23:59:59Z
