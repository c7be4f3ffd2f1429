"""Timestamps as Go prints and parses them.

* ``format_rfc3339nano``: Go ``time.Time`` JSON (webhook bodies, nflog dumps): nanoseconds with
  trailing zeros trimmed, ``Z`` for UTC, ``0001-01-01T00:00:00Z`` for the zero time.
* ``format_millis``: go-swagger ``strfmt.DateTime`` (API v2 responses): always three fraction
  digits, ``2026-12-04T06:16:50.543Z``.
* ``parse_rfc3339``: what Go's ``time.Parse(time.RFC3339Nano, s)`` accepts, to the nanosecond.
"""

from __future__ import annotations

import calendar
import re
import time

from amclone.timeutil import NS_PER_SECOND

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$"
)


class TimeParseError(ValueError):
    pass


def _split(ns: int) -> tuple[time.struct_time, int]:
    secs, frac = divmod(ns, NS_PER_SECOND)
    return time.gmtime(secs), frac


def _date(t: time.struct_time) -> str:
    return (
        f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"
    )


def format_rfc3339nano(ns: int) -> str:
    t, frac = _split(ns)
    if frac:
        return f"{_date(t)}.{frac:09d}".rstrip("0") + "Z"
    return _date(t) + "Z"


def format_rfc3339(ns: int) -> str:
    """Seconds precision (Go's time.RFC3339), as amtool prints times."""
    t, _ = _split(ns)
    return _date(t) + "Z"


def format_millis(ns: int) -> str:
    t, frac = _split(ns)
    return f"{_date(t)}.{frac // 1_000_000:03d}Z"


def parse_rfc3339(text: str) -> int:
    m = _RFC3339.match(text)
    if m is None:
        raise TimeParseError(f'parsing time "{text}" as "2006-01-02T15:04:05Z07:00": cannot parse')
    year, mon, day, hour, minute, sec = (int(g) for g in m.groups()[:6])
    if not (1 <= mon <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60 and sec < 60):
        raise TimeParseError(f'parsing time "{text}": out of range')
    if day > calendar.monthrange(year, mon)[1]:
        raise TimeParseError(f'parsing time "{text}": day out of range')
    frac = m.group(7) or ""
    ns_frac = int(frac.ljust(9, "0")) if frac else 0
    offset = 0
    if m.group(9):
        offset = (int(m.group(10)) * 60 + int(m.group(11))) * 60
        if m.group(9) == "-":
            offset = -offset
    # timegm works on proleptic Gregorian seconds for any year, including year 1.
    secs = calendar.timegm((year, mon, day, hour, minute, sec, 0, 0, 0)) - offset
    return secs * NS_PER_SECOND + ns_frac
