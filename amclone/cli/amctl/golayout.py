"""Go's ``time.Time.Format(layout)`` for UTC times: amtool's ``--date.format`` is a Go layout
(default ``2006-01-02 15:04:05 MST``), so users' layouts must mean what they mean to amtool.
The API only ever returns UTC times, which is all amtool formats, so the zone is always UTC."""

from __future__ import annotations

import time

from amclone.compat.timefmt import DAY_NAMES, MONTH_NAMES

_DAYS = DAY_NAMES[1:] + DAY_NAMES[:1]  # indexed by struct_time.tm_wday (Monday = 0)
_ZONES = ["Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07",
          "-07:00:00", "-070000", "-07:00", "-0700", "-07"]


def _frac_len(layout: str, i: int) -> int:
    """Length of a ``.000``/``.999`` (or ``,``) fraction chunk at i, 0 if there is none."""
    if i + 1 >= len(layout) or layout[i + 1] not in "09":
        return 0
    j = i + 1
    while j < len(layout) and layout[j] == layout[i + 1]:
        j += 1
    if j < len(layout) and layout[j].isdigit():
        return 0
    return j - i


def format_time(ns: int, layout: str) -> str:
    secs, frac = divmod(ns, 1_000_000_000)
    t = time.gmtime(secs)
    out: list[str] = []
    i = 0
    while i < len(layout):
        rest = layout[i:]
        chunk, text = _chunk(rest, t, frac)
        if chunk == 0:
            n = _frac_len(layout, i) if layout[i] in ".," else 0
            if n:
                digits = f"{frac:09d}"[: n - 1]
                if layout[i + 1] == "9":
                    digits = digits.rstrip("0")
                    out.append(layout[i] + digits if digits else "")
                else:
                    out.append(layout[i] + digits)
                i += n
                continue
            out.append(layout[i])
            i += 1
            continue
        out.append(text)
        i += chunk
    return "".join(out)


def _chunk(s: str, t: time.struct_time, frac: int) -> tuple[int, str]:
    """(length of the std chunk at the start of s, its text), or (0, "")."""
    hour12 = t.tm_hour % 12 or 12
    table: list[tuple[str, str]] = [
        ("January", MONTH_NAMES[t.tm_mon - 1]), ("Jan", MONTH_NAMES[t.tm_mon - 1][:3]),
        ("Monday", _DAYS[t.tm_wday]), ("Mon", _DAYS[t.tm_wday][:3]), ("MST", "UTC"),
        ("2006", f"{t.tm_year:04d}"), ("002", f"{t.tm_yday:03d}"), ("01", f"{t.tm_mon:02d}"),
        ("02", f"{t.tm_mday:02d}"), ("03", f"{hour12:02d}"), ("04", f"{t.tm_min:02d}"),
        ("05", f"{t.tm_sec:02d}"), ("06", f"{t.tm_year % 100:02d}"), ("15", f"{t.tm_hour:02d}"),
        ("__2", f"{t.tm_yday:>3d}"), ("_2", f"{t.tm_mday:>2d}"), ("1", str(t.tm_mon)),
        ("2", str(t.tm_mday)), ("3", str(hour12)), ("4", str(t.tm_min)), ("5", str(t.tm_sec)),
        ("PM", "PM" if t.tm_hour >= 12 else "AM"), ("pm", "pm" if t.tm_hour >= 12 else "am"),
    ]
    for zone in _ZONES:
        if s.startswith(zone):
            if zone[0] == "Z":
                return len(zone), "Z"
            body = zone[1:].replace("07", "00").replace("00", "00")
            return len(zone), "+" + body
    if s.startswith("_2006"):
        return 0, ""
    for token, text in table:
        if s.startswith(token):
            return len(token), text
    return 0, ""


RFC3339 = "2006-01-02T15:04:05Z07:00"
SORTABLE = "2006-01-02 15:04:05"  # strfmt's last DateTime layout, the one its errors name
_NUMERIC = ("2006", "01", "02", "15", "04", "05")


def _elements(layout: str) -> list[str]:
    out, i = [], 0
    while i < len(layout):
        for token in ("Z07:00", *_NUMERIC):
            if layout.startswith(token, i):
                out.append(token)
                i += len(token)
                break
        else:
            out.append(layout[i])
            i += 1
    return out


def parse_rfc3339(value: str, layout: str = RFC3339) -> int:
    """``time.Parse(layout, value)`` for RFC3339-like layouts (numeric fields, literals, Z07:00),
    with Go's error texts: amtool's --start/--end, and strfmt's in silence import."""
    import calendar

    def fail(rest: str, elem: str) -> ValueError:
        return ValueError(f'parsing time "{value}" as "{layout}": cannot parse "{rest}" as "{elem}"')

    rest = value
    nums: list[int] = []
    frac = 0
    offset = 0
    for elem in _elements(layout):
        if elem not in _NUMERIC and elem != "Z07:00":
            if not rest.startswith(elem):
                raise fail(rest, elem)
            rest = rest[len(elem):]
            continue
        if elem == "Z07:00":
            if rest.startswith("Z"):
                rest = rest[1:]
            elif len(rest) >= 6 and rest[0] in "+-" and rest[3] == ":" and rest[1:3].isdigit() \
                    and rest[4:6].isdigit():
                offset = (int(rest[1:3]) * 60 + int(rest[4:6])) * 60 * (1 if rest[0] == "+" else -1)
                rest = rest[6:]
            else:
                raise fail(rest, elem)
            continue
        width = len(elem)
        digits = rest[:width]
        if len(digits) < width or not digits.isdigit():
            raise fail(rest, elem)
        nums.append(int(digits))
        rest = rest[width:]
        if elem == "05" and rest[:1] in (".", ",") and rest[1:2].isdigit():
            j = 1
            while j < len(rest) and rest[j].isdigit():
                j += 1
            frac = int(rest[1:j][:9].ljust(9, "0"))
            rest = rest[j:]
    if rest:
        raise ValueError(f'parsing time "{value}": extra text: "{rest}"')
    year, month, day, hour, minute, sec = nums
    for bad, what in ((not 1 <= month <= 12, "month"), (hour > 23, "hour"), (minute > 59, "minute"),
                      (sec > 59, "second")):
        if bad:
            raise ValueError(f'parsing time "{value}": {what} out of range')
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f'parsing time "{value}": day out of range')
    secs = calendar.timegm((year, month, day, hour, minute, sec, 0, 0, 0)) - offset
    return secs * 1_000_000_000 + frac
