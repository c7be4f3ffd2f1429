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

_NS = 1_000_000_000
_LAST_LAYOUT = "2006-01-02 15:04:05"

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


def _time_quote(s: str) -> str:
    """The time package's own quote(): non-ASCII and control bytes as \\x escapes."""
    out = ['"']
    for ch in s:
        if ord(ch) >= 0x80 or ch < " ":
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogateescape"))
        else:
            if ch in '"\\':
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


def parse_datetime(text: str) -> int | None:
    """Nanoseconds since the epoch; None for the empty string (strfmt's zero DateTime)."""
    if text == "":
        return None
    for form in _FORMS:
        m = form.match(text)
        if m is None:
            continue
        got = _build(m.groups())
        if got is not None:
            return got
    raise DateTimeError(_last_layout_error(text))


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
    return secs * _NS + (int(frac.ljust(9, "0")) if frac else 0)


def _getnum(v: str, fixed: bool) -> tuple[int, str] | None:
    if not v[:1].isdigit() or not v[:1].isascii():
        return None
    if len(v) < 2 or not (v[1].isdigit() and v[1].isascii()):
        if fixed:
            return None
        return int(v[0]), v[1:]
    return int(v[:2]), v[2:]


def _last_layout_error(value: str) -> str:
    """Go's time.Parse(value) error for the layout "2006-01-02 15:04:05"."""
    head = f"parsing time {_time_quote(value)}"

    def cannot(rest: str, elem: str) -> str:
        return f"{head} as {_time_quote(_LAST_LAYOUT)}: cannot parse {_time_quote(rest)} as {_time_quote(elem)}"

    rest = value
    # year: four characters read by atoi (an optional sign, then digits only)
    if len(rest) < 4:
        return cannot(rest, "2006")
    p = rest[:4]
    body = p[1:] if p[0] in "+-" else p
    if not body or not all(c.isdigit() and c.isascii() for c in body):
        return cannot(rest, "2006")
    year = int(p)
    rest = rest[4:]
    fields: dict[str, int] = {}
    for sep, elem, key, fixed, limit in (
        ("-", "01", "month", True, 12),
        ("-", "02", "day", True, 31),
        (" ", "15", "hour", False, 23),
        (":", "04", "minute", True, 59),
        (":", "05", "second", True, 59),
    ):
        if not rest.startswith(sep):
            return cannot(rest, sep)
        rest = rest[1:]
        got = _getnum(rest, fixed)
        if got is None:
            return cannot(rest, elem)
        n, after = got
        low = 1 if key == "month" else 0
        if n < low or n > limit:
            return f"{head}: {key} out of range"
        fields[key] = n
        rest = after
    if len(rest) >= 2 and rest[0] in ".," and rest[1].isdigit():
        n = 2
        while n < len(rest) and rest[n].isdigit():
            n += 1
        rest = rest[n:]
    if rest:
        return f"{head}: extra text: {_time_quote(rest)}"
    if fields["day"] < 1 or fields["day"] > _days_in(fields["month"], year):
        return f"{head}: day out of range"
    return f"{head}: cannot parse"


def _days_in(month: int, year: int) -> int:
    if month == 2 and (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return 29
    return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
