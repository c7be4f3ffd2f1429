"""Timestamps as Go prints and parses them.

* ``format_rfc3339nano``: Go ``time.Time`` JSON (webhook bodies, nflog dumps): nanoseconds with
  trailing zeros trimmed, ``Z`` for UTC, ``0001-01-01T00:00:00Z`` for the zero time.
* ``format_millis``: go-swagger ``strfmt.DateTime`` (API v2 responses): always three fraction
  digits, ``2026-12-04T06:16:50.543Z``.
* ``parse_rfc3339``: what Go's ``time.Parse(time.RFC3339Nano, s)`` accepts, to the nanosecond.

Go's ``time.Time`` also carries a location and prints in it: a time a client posted with
``+01:00`` is echoed with ``+01:00``, and one Alertmanager made itself (``time.Now()``) is in the
process's Local zone (``TZ``). Instants here are UTC nanoseconds; where the zone matters a small
int beside them holds its offset (seconds east of UTC, 0 printing ``Z``): `offset_of` reads it
from the posted text, `local_offset` gives Local's at an instant, and the formatters take it.
"""

from __future__ import annotations

import calendar
import re
import time
from typing import Self

from amclone.timeutil import NS_PER_SECOND

# Go's time.Month and time.Weekday names (Weekday counts from Sunday = 0).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")

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


def _zone(offset: int) -> str:
    """Go's ``Z07:00``: ``Z`` for UTC, else the offset in whole minutes (seconds are dropped)."""
    sign = "-" if offset < 0 else "+"
    minutes = abs(offset) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_rfc3339nano(ns: int, offset: int = 0) -> str:
    if offset:
        return _format_nano(ns + offset * NS_PER_SECOND, _zone(offset))
    return _format_nano(ns, "Z")


def _format_nano(ns: int, zone: str) -> str:
    t, frac = _split(ns)
    if frac:
        return f"{_date(t)}.{frac:09d}".rstrip("0") + zone
    return _date(t) + zone


def format_rfc3339(ns: int) -> str:
    """Seconds precision (Go's time.RFC3339), as amtool prints times."""
    t, _ = _split(ns)
    return _date(t) + "Z"


def format_millis(ns: int, offset: int = 0) -> str:
    if offset:
        t, frac = _split(ns + offset * NS_PER_SECOND)
        return f"{_date(t)}.{frac // 1_000_000:03d}{_zone(offset)}"
    t, frac = _split(ns)
    return f"{_date(t)}.{frac // 1_000_000:03d}Z"


def offset_of(text: str) -> int:
    """The UTC offset a successfully parsed time was written with, in seconds: ``Z``, no zone
    and ``+00:00`` are 0; ``+hh:mm`` and ``+hhmm`` (strfmt accepts both) their value. A date's
    own ``-`` never lands where a zone's sign does, so looking at the tail is enough."""
    if not text or text[-1] in "Zz":
        return 0
    if len(text) >= 6 and text[-6] in "+-" and text[-3] == ":":
        sign, hh, mm = text[-6], text[-5:-3], text[-2:]
    elif len(text) >= 5 and text[-5] in "+-":
        sign, hh, mm = text[-5], text[-4:-2], text[-2:]
    else:
        return 0
    if not (hh.isdigit() and mm.isdigit()):
        return 0
    off = (int(hh) * 60 + int(mm)) * 60
    return -off if sign == "-" else off


class Zoned(int):
    """An instant (UTC ns) that remembers the offset it was written with, for decoders whose
    callers see only the number; plain ints stand for offset 0."""

    offset: int

    def __new__(cls, ns: int, offset: int) -> Self:
        z = super().__new__(cls, ns)
        z.offset = offset
        return z


def zoned(ns: int, text: str) -> int:
    """`ns` parsed from `text`, carrying the offset when it is not 0 (see `Zoned`)."""
    off = offset_of(text)
    return Zoned(ns, off) if off else ns


def offset_or_zero(v: object) -> int:
    return getattr(v, "offset", 0)


# Whether Local is UTC (TZ unset, empty or a zone without offsets): then every Local time
# prints with Z and `local_offset` costs nothing.
_LOCAL_IS_UTC = time.timezone == 0 and time.altzone == 0


def local_offset(ns: int) -> int:
    """Local's offset at instant `ns`: what Go's ``time.Now()`` (and times computed from it)
    print with. 0 outside the range the C library handles."""
    if _LOCAL_IS_UTC:
        return 0
    try:
        return time.localtime(ns // NS_PER_SECOND).tm_gmtoff
    except (OverflowError, OSError, ValueError):
        return 0


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
