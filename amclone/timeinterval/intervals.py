"""Time interval values and the containment test (0.25 ``timeinterval.TimeInterval.ContainsTime``).

Within one interval every present field must match (AND); within a field any range may match
(OR). A field that is absent or null matches everything, but a field given as an empty list
(``weekdays: []``) matches nothing: Go's YAML decoder makes that a non-nil empty slice, and
``ContainsTime`` only skips nil ones. The fields are therefore ``None`` or a tuple.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_UTC = dt.UTC
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=_UTC)


@dataclass(frozen=True, slots=True)
class TimeRange:
    """Minutes of the day, start inclusive, end exclusive; ``24:00`` is 1440."""

    start_minute: int
    end_minute: int


@dataclass(frozen=True, slots=True)
class InclusiveRange:
    """``begin:end`` with both ends included (weekdays 0=Sunday, days of month, months, years)."""

    begin: int
    end: int


@dataclass(frozen=True, slots=True)
class Location:
    """A time zone as Go's ``time.LoadLocation`` names it: ``UTC``, ``Local`` or an IANA name."""

    name: str

    def local_fields(self, seconds: int) -> dt.datetime:
        """The wall-clock time at `seconds` since the epoch in this zone (naive if it would overflow)."""
        instant = _EPOCH + dt.timedelta(seconds=seconds)
        try:
            if self.name == "UTC":
                return instant
            if self.name == "Local":
                return dt.datetime(*time.localtime(seconds)[:6])
            return instant.astimezone(ZoneInfo(self.name))
        except (OverflowError, ValueError, OSError):
            return instant

    def month_hours(self, year: int, month: int) -> float:
        """Elapsed hours from the first of the month to the first of the next, local midnights."""
        ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
        if self.name == "UTC":
            tz: dt.tzinfo = _UTC
        elif self.name == "Local":
            start_s = time.mktime((year, month, 1, 0, 0, 0, 0, 0, -1))
            end_s = time.mktime((ny, nm, 1, 0, 0, 0, 0, 0, -1))
            return (end_s - start_s) / 3600
        else:
            tz = ZoneInfo(self.name)
        start = dt.datetime(year, month, 1, tzinfo=tz)
        end = dt.datetime(ny, nm, 1, tzinfo=tz)
        return (end.timestamp() - start.timestamp()) / 3600


UTC = Location("UTC")


def days_in_month(loc: Location, year: int, month: int) -> int:
    """0.25's ``daysInMonth``: whole days in the elapsed hours, truncated.

    Kept as 0.25 has it: in a month where clocks spring forward (March in Europe/Berlin and
    America/New_York) this gives one day less (743 h -> 30), so ``-1`` means the 30th there.
    Newer Alertmanager counts calendar days instead.
    """
    try:
        return int(loc.month_hours(year, month) / 24)
    except (OverflowError, ValueError, OSError):
        ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
        if ny > dt.MAXYEAR:
            return 31
        return (dt.date(ny, nm, 1) - dt.date(year, month, 1)).days


def _clamp(n: int, lo: int, hi: int) -> int:
    if n <= lo:
        return lo
    if n >= hi:
        return hi
    return n


@dataclass(frozen=True, slots=True)
class TimeInterval:
    """One entry of a named interval's ``time_intervals`` list."""

    times: tuple[TimeRange, ...] | None = None
    weekdays: tuple[InclusiveRange, ...] | None = None
    days_of_month: tuple[InclusiveRange, ...] | None = None
    months: tuple[InclusiveRange, ...] | None = None
    years: tuple[InclusiveRange, ...] | None = None
    location: Location | None = None

    def contains(self, ns: int) -> bool:
        """Whether the instant `ns` (nanoseconds since the epoch) lies in this interval."""
        t = (self.location or UTC).local_fields(ns // 1_000_000_000)
        if self.times is not None:
            minute = t.hour * 60 + t.minute
            if not any(r.start_minute <= minute < r.end_minute for r in self.times):
                return False
        if self.days_of_month is not None and not self._day_matches(t):
            return False
        if self.months is not None and not any(r.begin <= t.month <= r.end for r in self.months):
            return False
        if self.weekdays is not None:
            weekday = (t.weekday() + 1) % 7  # Go counts from Sunday = 0
            if not any(r.begin <= weekday <= r.end for r in self.weekdays):
                return False
        return self.years is None or any(r.begin <= t.year <= r.end for r in self.years)

    def _day_matches(self, t: dt.datetime) -> bool:
        assert self.days_of_month is not None
        days = days_in_month(self.location or UTC, t.year, t.month)
        for r in self.days_of_month:
            begin = days + r.begin + 1 if r.begin < 0 else r.begin
            end = days + r.end + 1 if r.end < 0 else r.end
            if begin > days:  # the range starts after this month ends
                continue
            begin = _clamp(begin, -days, days)
            end = _clamp(end, -days, days)
            if begin <= t.day <= end:
                return True
        return False


def contains_any(intervals: tuple[TimeInterval, ...] | list[TimeInterval], ns: int) -> bool:
    """A named interval is active when any of its entries contains the instant."""
    return any(ti.contains(ns) for ti in intervals)
