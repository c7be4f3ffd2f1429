"""`marshal`: the data Alertmanager 0.25 prints for parsed intervals (/api/v2/status, config show).

The expected values were read from a real 0.25's /api/v2/status for the same input;
compat-tests/labels/test_timeinterval_compat.py compares against the binary.
"""

from __future__ import annotations

from amclone.timeinterval import FLOW_FIELDS, marshal, marshal_all, parse_time_interval, parse_time_intervals


def test_every_field_in_go_order_and_canonical_form() -> None:
    ti = parse_time_interval({
        "location": "Europe/Berlin",
        "years": ["2020:2022", "2030", "020"],
        "months": ["january:march", "12", "may:may", "13", "0:14"],
        "days_of_month": ["1:5", "-3:-1", "7", "+8"],
        "weekdays": ["Monday:FRIDAY", "sunday", "saturday:saturday"],
        "times": [{"start_time": "09:00", "end_time": "24:00"}, {"start_time": "00:00", "end_time": "01:30"}],
    })
    out = marshal(ti)
    assert list(out) == ["times", "weekdays", "days_of_month", "months", "years", "location"]
    assert out == {
        "times": [{"start_time": "09:00", "end_time": "24:00"}, {"start_time": "00:00", "end_time": "01:30"}],
        "weekdays": ["monday:friday", "sunday", "saturday"],
        "days_of_month": ["1:5", "-3:-1", "7", "8"],
        "months": ["1:3", "12", "5", "13", "0:14"],  # months print as numbers
        "years": ["2020:2022", "2030", "20"],
        "location": "Europe/Berlin",
    }


def test_empty_and_defaulted_entries() -> None:
    entries = parse_time_intervals([
        {}, {"times": None, "weekdays": []}, {"location": ""}, {"location": "Local"}, {"location": "UTC"},
    ])
    assert marshal_all(entries) == [{}, {}, {"location": "UTC"}, {"location": "Local"}, {"location": "UTC"}]


def test_flow_tagged_fields() -> None:
    assert FLOW_FIELDS == {"weekdays", "days_of_month", "months", "years", "location"}


def test_round_trip_is_stable() -> None:
    ti = parse_time_interval({"weekdays": ["tuesday:thursday"], "days_of_month": ["-7:-1"],
                              "times": [{"start_time": "08:15", "end_time": "12:45"}]})
    assert parse_time_interval(marshal(ti)) == ti
