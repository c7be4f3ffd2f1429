"""0.25's own ContainsTime cases (timeinterval/timeinterval_test.go), restated as YAML entries with
instants inside and outside, written in Go's RFC822Z layout as upstream writes them."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from amclone.timeinterval import InclusiveRange, TimeInterval, parse_time_interval

CASES: list[tuple[str | TimeInterval, list[str], list[str]]] = [
    ("{}", ["02 Jan 06 15:04 +0000", "03 Jan 07 10:04 +0000", "04 Jan 06 09:04 +0000"], []),
    # 9am to 5pm, Monday to Friday
    ("{times: [{start_time: '09:00', end_time: '17:00'}], weekdays: ['monday:friday']}",
     ["04 May 20 15:04 +0000", "05 May 20 10:04 +0000", "09 Jun 20 09:04 +0000"],
     ["03 May 20 15:04 +0000", "04 May 20 08:59 +0000", "05 May 20 05:00 +0000"]),
    # Easter 2020
    ("{days_of_month: ['4:6'], months: ['april'], years: ['2020']}",
     ["04 Apr 20 15:04 +0000", "05 Apr 20 00:00 +0000", "06 Apr 20 23:05 +0000"],
     ["03 May 18 15:04 +0000", "03 Apr 20 23:59 +0000", "04 Jun 20 23:59 +0000", "06 Apr 19 23:59 +0000",
      "07 Apr 20 00:00 +0000"]),
    # the last three days of every month
    ("{days_of_month: ['-3:-1']}",
     ["31 Jan 20 15:04 +0000", "30 Jan 20 15:04 +0000", "29 Jan 20 15:04 +0000", "30 Jun 20 00:00 +0000",
      "29 Feb 20 23:05 +0000"],
     ["03 May 18 15:04 +0000", "27 Jan 20 15:04 +0000", "03 Apr 20 23:59 +0000", "04 Jun 20 23:59 +0000",
      "06 Apr 19 23:59 +0000", "07 Apr 20 00:00 +0000", "01 Mar 20 00:00 +0000"]),
    # out-of-range days are clamped to the month (built directly: the YAML form is refused)
    (TimeInterval(months=(InclusiveRange(6, 6),), days_of_month=(InclusiveRange(-31, 31),)),
     ["30 Jun 20 00:00 +0000", "01 Jun 20 00:00 +0000"],
     ["31 May 20 00:00 +0000", "1 Jul 20 00:00 +0000"]),
    # Sydney office hours
    (("{times: [{start_time: '09:00', end_time: '17:00'}], weekdays: ['monday:friday'],"
      " location: Australia/Sydney}"),
     ["06 Apr 21 13:00 +1000"], ["06 Apr 21 13:00 +0000"]),
    # ... while Sydney is on daylight saving time
    (("{times: [{start_time: '09:00', end_time: '17:00'}], weekdays: ['monday:friday'], months: ['11'],"
      " location: Australia/Sydney}"),
     ["01 Nov 21 09:00 +1100", "31 Oct 21 22:00 +0000"], ["31 Oct 21 21:00 +0000"]),
    # everything at once
    (("{weekdays: ['monday:wednesday', 'saturday', 'sunday'], times: [{start_time: '13:00', end_time: '15:00'}],"
      " days_of_month: ['1', '10', '20:-1'], years: ['2020:2023'], months: ['january:march']}"),
     ["10 Jan 21 13:00 +0000", "30 Jan 21 14:24 +0000"],
     ["09 Jan 21 13:00 +0000", "20 Jan 21 12:59 +0000", "02 Feb 21 13:00 +0000"]),
    # a range starting after the month's end must not be clamped into it
    ("{days_of_month: ['30:31'], years: ['2020:2023'], months: ['february']}", [], ["28 Feb 21 13:00 +0000"]),
]


def rfc822z(text: str) -> int:
    return int(dt.datetime.strptime(text, "%d %b %y %H:%M %z").timestamp()) * 1_000_000_000


@pytest.mark.parametrize(("entry", "inside", "outside"), CASES)
def test_upstream_contains_cases(entry: str | TimeInterval, inside: list[str], outside: list[str]) -> None:
    ti = entry if isinstance(entry, TimeInterval) else parse_time_interval(yaml.safe_load(entry))
    assert [t for t in inside if not ti.contains(rfc822z(t))] == []
    assert [t for t in outside if ti.contains(rfc822z(t))] == []
