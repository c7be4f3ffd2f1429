"""Timestamps in API v2 request bodies, parsed as go-openapi's ``strfmt.DateTime`` parses them.

strfmt tries ten layouts in turn (RFC 3339 with micro- or milliseconds, with or without a colon in
the offset, plain RFC 3339 with any fraction, local ISO 8601 forms read as UTC, and
``2006-01-02 15:04:05``); when none fits, the error clients get is Go's ``time.Parse`` error for
the *last* layout, e.g. ``parsing time "yesterday" as "2006-01-02 15:04:05": cannot parse
"yesterday" as "2006"``. Both the accepted set and that error text are reproduced here.
"""

from __future__ import annotations

import calendar
import re

from amclone.compat.goquote import time_quote
from amclone.timeutil import NS_PER_SECOND

_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_FRAC = r"(?:[.,](\d+))?"
# (regex, has seconds, zone kind) for the layouts strfmt.DateTimeFormats lists.
_FORMS = (
    re.compile(_DATE + r"T(\d{1,2}):(\d{2}):(\d{2})" + _FRAC + r"(Z|[+-]\d{2}:\d{2})$"),
    re.compile(_DATE + r"T(\d{1,2}):(\d{2}):(\d{2})[.,](\d{6}|\d{3})(Z|[+-]\d{4})$"),
    re.compile(_DATE + r"T(\d{1,2}):(\d{2}):(\d{2})" + _FRAC + r"()$"),
    re.compile(_DATE + r"T(\d{1,2}):(\d{2})()()(Z?)$"),
    re.compile(_DATE + r" (\d{1,2}):(\d{2}):(\d{2})" + _FRAC + r"()$"),
)


class DateTimeError(ValueError):
    pass


def parse_datetime(text: str) -> int:
    """Nanoseconds since the epoch. The empty string is strfmt's NewDateTime(): the Unix epoch
    (not Go's zero time), so ``"endsAt": ""`` is a given, long-past time."""
    if text == "":
        return 0
    for form in _FORMS:
        m = form.match(text)
        if m is None:
            continue
        got = _build(m.groups())
        if got is not None:
            return got
    raise DateTimeError(parse_error(text))


def _build(g: tuple[str | None, ...]) -> int | None:
    year, mon, day, hour, minute = (int(x or "0") for x in g[:5])
    sec = int(g[5] or "0")
    frac = (g[6] or "")[:9]
    zone = g[7] or ""
    if not (1 <= mon <= 12 and hour < 24 and minute < 60 and sec < 60):
        return None
    if not 1 <= day <= _days_in(mon, year):
        return None
    offset = 0
    if zone not in ("", "Z"):
        digits = zone[1:].replace(":", "")
        hh, mm = int(digits[:2]), int(digits[2:])
        if hh > 24 or mm > 60:
            return None
        offset = (hh * 60 + mm) * 60 * (-1 if zone[0] == "-" else 1)
    secs = calendar.timegm((year, mon, day, hour, minute, sec, 0, 0, 0)) - offset
    return secs * NS_PER_SECOND + (int(frac.ljust(9, "0")) if frac else 0)


def _getnum(v: str, fixed: bool) -> tuple[int, str] | None:
    if not v[:1].isdigit() or not v[:1].isascii():
        return None
    if len(v) < 2 or not (v[1].isdigit() and v[1].isascii()):
        if fixed:
            return None
        return int(v[0]), v[1:]
    return int(v[:2]), v[2:]


# Layouts as Go's nextStdChunk splits them: literals and the std elements used here.
STRFMT_LAST = ("2006-01-02 15:04:05",
               ("2006", "-", "01", "-", "02", " ", "15", ":", "04", ":", "05"))
JSON_TIME = ('"2006-01-02T15:04:05Z07:00"',
             ('"', "2006", "-", "01", "-", "02", "T", "15", ":", "04", ":", "05", "Z07:00", '"'))
_STD = {"2006", "01", "02", "15", "04", "05", "Z07:00"}
_FIELDS = {"01": ("month", True, 1, 12), "02": ("day", True, 0, 31), "15": ("hour", False, 0, 23),
           "04": ("minute", True, 0, 59), "05": ("second", True, 0, 59)}


def _skip(value: str, prefix: str) -> str | None:
    """Go's skip(): a space in the layout matches any run of spaces."""
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                return None
            prefix, value = prefix.lstrip(" "), value.lstrip(" ")
            continue
        if not value or value[0] != prefix[0]:
            return None
        prefix, value = prefix[1:], value[1:]
    return value


def parse_error(value: str, layout: tuple[str, tuple[str, ...]] = STRFMT_LAST) -> str:
    """Go's time.Parse(layout, value) error text (for a value that does not parse)."""
    text, elems = layout
    head = f"parsing time {time_quote(value)}"

    def cannot(rest: str, elem: str) -> str:
        return f"{head} as {time_quote(text)}: cannot parse {time_quote(rest)} as {time_quote(elem)}"

    rest = value
    got: dict[str, int] = {}
    for elem in elems:
        if elem not in _STD:
            after = _skip(rest, elem)
            if after is None:
                return cannot(rest, elem)
            rest = after
            continue
        hold = rest
        if elem == "2006":
            body = rest[:4][1:] if rest[:1] in "+-" else rest[:4]
            if len(rest) < 4 or not body or not all(c.isdigit() and c.isascii() for c in body):
                return cannot(hold, elem)
            got["year"], rest = int(rest[:4]), rest[4:]
        elif elem == "Z07:00":
            if rest.startswith("Z"):
                rest = rest[1:]
                continue
            if len(rest) < 6 or rest[3] != ":" or rest[0] not in "+-":
                return cannot(hold, elem)
            hh, mm = _getnum(rest[1:3], True), _getnum(rest[4:6], True)
            if hh is None or mm is None:
                return cannot(hold, elem)
            if hh[0] > 24:
                return f"{head}: time zone offset hour out of range"
            if mm[0] > 60:
                return f"{head}: time zone offset minute out of range"
            rest = rest[6:]
        else:
            key, fixed, low, high = _FIELDS[elem]
            num = _getnum(rest, fixed)
            if num is None:
                return cannot(hold, elem)
            if not low <= num[0] <= high:
                return f"{head}: {key} out of range"
            got[key], rest = num
            if elem == "05" and len(rest) >= 2 and rest[0] in ".," and rest[1].isdigit():
                n = 2
                while n < len(rest) and rest[n].isdigit():
                    n += 1
                rest = rest[n:]
    if rest:
        return f"{head}: extra text: {time_quote(rest)}"
    if got.get("day", 1) < 1 or got.get("day", 1) > _days_in(got.get("month", 1), got.get("year", 1)):
        return f"{head}: day out of range"
    return f"{head}: cannot parse"


def _days_in(month: int, year: int) -> int:
    if month == 2 and (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return 29
    return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
