"""Reading time interval entries, with the errors amtool check-config 0.25 prints for them.

VERDICTS holds one `time_intervals` entry (YAML) and what the real tool said: the bare message,
"unmarshal: ..." for yaml.v2 shape errors (printed after `yaml: unmarshal errors:\n  line N: `),
or None when it was accepted. compat-tests/labels/test_timeinterval_compat.py re-runs the tool.
"""

from __future__ import annotations

import pytest
import yaml

from amclone.timeinterval import (
    InclusiveRange,
    Location,
    TimeIntervalError,
    TimeRange,
    load_location,
    parse_time_interval,
    parse_time_intervals,
)

VERDICTS: list[tuple[str, str | None]] = [
    ('foo: bar', 'unmarshal: field foo not found in type timeinterval.TimeInterval'),
    ('weekdays: monday', 'unmarshal: cannot unmarshal !!str `monday` into []timeinterval.WeekdayRange'),
    ('weekdays: [1]', '1 is not a valid weekday'),
    ('weekdays: [Funday]', 'funday is not a valid weekday'),
    ("weekdays: ['friday:monday']", 'start day cannot be before end day'),
    ("weekdays: ['monday:tuesday:friday']", "couldn't parse range monday:tuesday:friday, invalid format"),
    ("weekdays: ['Monday:FRIDAY']", None),
    ("times: [{start_time: '09:00'}]", 'both start and end times must be provided'),
    ("times: [{start_time: '09:00', end_time: '24:00'}]", None),
    ("times: [{start_time: '09:00', end_time: '24:01'}]", "couldn't parse timestamp 24:01, invalid format"),
    ("times: [{start_time: '9:00', end_time: '10:00'}]", "couldn't parse timestamp 9:00, invalid format"),
    ("times: [{start_time: '10:00', end_time: '10:00'}]", 'start time cannot be equal or greater than end time'),
    ("times: [{start_time: '10:00', end_time: '11:00', foo: 1}]", 'unmarshal: field foo not found in type timeinterval.yamlTimeRange'),
    ("times: ['10:00']", 'unmarshal: cannot unmarshal !!str `10:00` into timeinterval.yamlTimeRange'),
    ("days_of_month: ['0']", '0 is not a valid day of the month: out of range'),
    ("days_of_month: ['32']", '32 is not a valid day of the month: out of range'),
    ("days_of_month: ['-32']", '-32 is not a valid day of the month: out of range'),
    ("days_of_month: ['-3:5']", 'end day must be negative if start day is negative'),
    ("days_of_month: ['10:5']", 'end day 5 is always before start day 10'),
    ("days_of_month: ['-1:-3']", 'end day -3 is always before start day -1'),
    ("days_of_month: ['abc']", 'strconv.Atoi: parsing "abc": invalid syntax'),
    ('days_of_month: [5]', None),
    ("days_of_month: ['1:abc']", 'strconv.Atoi: parsing "abc": invalid syntax'),
    ("months: ['foo']", 'foo is not a valid month'),
    ("months: ['march:january']", 'end month january is before start month march'),
    ("months: ['13']", None),
    ("months: ['0:14']", None),
    ("months: ['12:13']", None),
    ("years: ['abc']", 'strconv.Atoi: parsing "abc": invalid syntax'),
    ("years: ['2022:2020']", 'end year 2020 is before start year 2022'),
    ("years: ['-5']", None),
    ("location: 'Mars/Olympus'", 'unknown time zone Mars/Olympus'),
    ("location: 'Local'", None),
    ("location: ''", None),
    ('location: 5', 'unknown time zone 5'),
    ('times:', None),
    ('weekdays: []', None),
    ('{}', None),
    ("weekdays: ['7']", '7 is not a valid weekday'),
    ("weekdays: [' monday']", ' monday is not a valid weekday'),
    ("days_of_month: ['1: 3']", 'strconv.Atoi: parsing " 3": invalid syntax'),
    ("days_of_month: ['+3']", None),
    ("years: ['020']", None),
    ("times: [{start_time: '23:60', end_time: '24:00'}]", "couldn't parse timestamp 23:60, invalid format"),
    ("times: [{start_time: '00:00', end_time: '00:00'}]", 'start time cannot be equal or greater than end time'),
    ('times: [{start_time: 900, end_time: 1000}]', "couldn't parse timestamp 900, invalid format"),
]


@pytest.mark.parametrize(("entry", "verdict"), VERDICTS)
def test_verdicts_match_amtool(entry: str, verdict: str | None) -> None:
    node = yaml.safe_load(entry)
    if verdict is None:
        parse_time_interval(node)
        return
    with pytest.raises(TimeIntervalError) as info:
        parse_time_interval(node)
    shown = ("unmarshal: " if info.value.kind == "unmarshal" else "") + str(info.value)
    assert shown == verdict


def test_fields_become_ranges() -> None:
    ti = parse_time_interval({
        "times": [{"start_time": "09:00", "end_time": "17:30"}, {"start_time": "22:00", "end_time": "24:00"}],
        "weekdays": ["Monday:FRIDAY", "sunday"],
        "days_of_month": ["1:5", "-3:-1", "+8"],
        "months": ["january:march", "12", "May"],
        "years": ["2020:2022", "020"],
        "location": "Europe/Berlin",
    })
    assert ti.times == (TimeRange(540, 1050), TimeRange(1320, 1440))
    assert ti.weekdays == (InclusiveRange(1, 5), InclusiveRange(0, 0))
    assert ti.days_of_month == (InclusiveRange(1, 5), InclusiveRange(-3, -1), InclusiveRange(8, 8))
    assert ti.months == (InclusiveRange(1, 3), InclusiveRange(12, 12), InclusiveRange(5, 5))
    assert ti.years == (InclusiveRange(2020, 2022), InclusiveRange(20, 20))
    assert ti.location == Location("Europe/Berlin")


def test_absent_null_and_empty_lists_are_different() -> None:
    assert parse_time_interval({"weekdays": None}).weekdays is None
    assert parse_time_interval({}).weekdays is None
    assert parse_time_interval({"weekdays": []}).weekdays == ()
    assert parse_time_interval(None) == parse_time_interval({})


def test_shape_errors_are_collected_but_validation_stops_first() -> None:
    with pytest.raises(TimeIntervalError) as info:
        parse_time_interval({"foo": 1, "weekdays": "monday", "bar": 2})
    assert info.value.kind == "unmarshal"
    assert info.value.messages == [
        "field foo not found in type timeinterval.TimeInterval",
        "cannot unmarshal !!str `monday` into []timeinterval.WeekdayRange",
        "field bar not found in type timeinterval.TimeInterval",
    ]
    with pytest.raises(TimeIntervalError) as info:
        parse_time_interval({"foo": 1, "weekdays": ["funday"]})
    assert (info.value.kind, str(info.value)) == ("validation", "funday is not a valid weekday")


@pytest.mark.parametrize(("name", "loaded"), [
    ("", "UTC"), ("UTC", "UTC"), ("Local", "Local"), ("Europe/Berlin", "Europe/Berlin"),
])
def test_locations(name: str, loaded: str) -> None:
    assert load_location(name).name == loaded


@pytest.mark.parametrize(("name", "error"), [
    ("Mars/Olympus", "unknown time zone Mars/Olympus"),
    ("../etc/passwd", "time: invalid location name"),
    ("/etc/localtime", "time: invalid location name"),
])
def test_bad_locations(name: str, error: str) -> None:
    with pytest.raises(TimeIntervalError, match=f"^{error}$"):
        load_location(name)


def test_whole_list() -> None:
    assert len(parse_time_intervals([{}, {"years": ["2030"]}])) == 2
    assert parse_time_intervals(None) == ()
    with pytest.raises(TimeIntervalError, match="cannot unmarshal !!map into"):
        parse_time_intervals({"weekdays": ["monday"]})
