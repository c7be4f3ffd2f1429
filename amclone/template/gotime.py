"""Go's ``time.Time`` as templates see it: ``String()``, ``Format(layout)`` with Go's reference
layout ("2006-01-02 15:04:05"), ``Local``, ``UTC``, ``Unix`` and friends.

Templates print alert times directly (``{{ .StartsAt }}`` is ``2026-12-04 06:16:50.54 +0000 UTC``)
or through ``.StartsAt.Format "..."``, so both must match Go byte for byte.
"""

from __future__ import annotations

import time as _time
from typing import Any, ClassVar

from amclone.compat.timefmt import DAY_NAMES, MONTH_NAMES
from amclone.template.gotmpl.values import Func, GoStruct
from amclone.timeutil import NS_PER_SECOND, ZERO_TIME

NS = NS_PER_SECOND
# Seconds from 0001-01-01 to 1970-01-01 (Go's zero Time is year 1).
_UNIX_TO_INTERNAL = -ZERO_TIME // NS_PER_SECOND


def _civil(secs: int) -> tuple[int, int, int, int, int, int, int, int]:
    """(year, month, day, hour, minute, second, weekday (0=Sunday), yearday) for Unix seconds."""
    days, rem = divmod(secs, 86400)
    # days since 1970-01-01 -> civil date (Howard Hinnant's algorithm)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    wd = (days + 4) % 7
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    yday = cum[m - 1] + d + (1 if leap and m > 2 else 0)
    return y, m, d, rem // 3600, rem % 3600 // 60, rem % 60, wd, yday


class Duration(int):
    """time.Duration: nanoseconds, printed as Go prints them (1h2m3.5s)."""

    go_type: ClassVar[str] = "time.Duration"

    def go_string(self) -> str:
        from amclone.compat.duration import format_go_duration

        return format_go_duration(int(self))


class GoTime(GoStruct):
    __slots__ = ("ns", "offset", "zone")
    go_type = "time.Time"

    def __init__(self, ns: int, offset: int = 0, zone: str = "UTC") -> None:
        self.ns = ns  # nanoseconds since the Unix epoch
        self.offset = offset  # seconds east of UTC
        self.zone = zone  # abbreviation; "" for a fixed offset without a name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoTime) and (self.ns, self.offset, self.zone) == (
            other.ns, other.offset, other.zone)

    def __hash__(self) -> int:
        return hash(self.ns)

    def is_zero(self) -> bool:
        return self.ns == -_UNIX_TO_INTERNAL * NS

    def go_string(self) -> str:
        return self.format("2006-01-02 15:04:05.999999999 -0700 MST")

    def go_struct(self) -> tuple[Any, ...]:
        """time.Time's fields as fmt shows them under %d and the like: wall, ext, loc."""
        from amclone.template.gotmpl.values import Int64, NilPointer, Uint64

        return (Uint64(self.ns % NS), Int64(self.ns // NS + _UNIX_TO_INTERNAL), NilPointer())

    def go_json(self) -> str:
        """MarshalJSON: RFC 3339 with nanoseconds, trailing zeros trimmed."""
        if self.offset == 0:
            from amclone.compat.timefmt import format_rfc3339nano

            return format_rfc3339nano(self.ns)
        return self.format("2006-01-02T15:04:05.999999999Z07:00")

    def local(self) -> GoTime:
        secs = self.ns // NS
        try:
            lt = _time.localtime(secs)
            return GoTime(self.ns, lt.tm_gmtoff, lt.tm_zone)
        except (OverflowError, OSError, ValueError):
            return GoTime(self.ns, 0, "UTC")

    def format(self, layout: str) -> str:
        from amclone.template.golayout import format_time

        secs, frac = divmod(self.ns, NS)
        return format_time(layout, _civil(secs + self.offset), frac, self.offset, self.zone)


def _sub(a: GoTime, b: GoTime) -> Duration:
    return Duration(a.ns - b.ns)


def _methods() -> dict[str, Any]:
    def unix(t: GoTime) -> int:
        return t.ns // NS

    return {
        "String": (GoTime.go_string, ()),
        "Format": (GoTime.format, ("string",)),
        "Local": (GoTime.local, ()),
        "UTC": (lambda t: GoTime(t.ns, 0, "UTC"), ()),
        "Unix": (unix, ()),
        "UnixNano": (lambda t: t.ns, ()),
        "UnixMilli": (lambda t: t.ns // 1_000_000, ()),
        "UnixMicro": (lambda t: t.ns // 1000, ()),
        "Year": (lambda t: _civil(t.ns // NS + t.offset)[0], ()),
        "Day": (lambda t: _civil(t.ns // NS + t.offset)[2], ()),
        "Hour": (lambda t: _civil(t.ns // NS + t.offset)[3], ()),
        "Minute": (lambda t: _civil(t.ns // NS + t.offset)[4], ()),
        "Second": (lambda t: _civil(t.ns // NS + t.offset)[5], ()),
        "Nanosecond": (lambda t: t.ns % NS, ()),
        "YearDay": (lambda t: _civil(t.ns // NS + t.offset)[7], ()),
        "IsZero": (GoTime.is_zero, ()),
        "Before": (lambda t, u: t.ns < u.ns, ("time.Time",)),
        "After": (lambda t, u: t.ns > u.ns, ("time.Time",)),
        "Equal": (lambda t, u: t.ns == u.ns, ("time.Time",)),
        "Sub": (_sub, ("time.Time",)),
    }


class Month(int):
    go_type: ClassVar[str] = "time.Month"

    def go_string(self) -> str:
        return MONTH_NAMES[self - 1]


class Weekday(int):
    go_type: ClassVar[str] = "time.Weekday"

    def go_string(self) -> str:
        return DAY_NAMES[self]


METHODS = _methods()
METHODS["Month"] = (lambda t: Month(_civil(t.ns // NS + t.offset)[1]), ())
METHODS["Weekday"] = (lambda t: Weekday(_civil(t.ns // NS + t.offset)[6]), ())
# Methods receive the receiver as their first argument (see calls.eval_field).
GoTime.go_methods = {name: Func(fn, params) for name, (fn, params) in METHODS.items()}


def zero_time() -> GoTime:
    return GoTime(-_UNIX_TO_INTERNAL * NS, 0, "UTC")


def month_name(m: int) -> str:
    return MONTH_NAMES[m - 1]


def day_name(wd: int) -> str:
    return DAY_NAMES[wd]
