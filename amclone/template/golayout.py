"""Go's reference-time layouts (``time.Time.Format``): the chunks of "Mon Jan 2 15:04:05 MST 2006"
in the order Go's ``nextStdChunk`` recognises them, so that user layouts format identically.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from amclone.compat.timefmt import DAY_NAMES, MONTH_NAMES

if TYPE_CHECKING:
    from amclone.template.gotime import GoTime


Civil = tuple[int, int, int, int, int, int, int, int]


def _next_chunk(layout: str, i: int) -> tuple[int, str, int]:
    """(start, token, end) of the next layout element at or after i; token "" means none."""
    n = len(layout)
    while i < n:
        c = layout[i]
        rest = layout[i:]
        if c == "J" and rest.startswith("Jan"):
            return (i, "January", i + 7) if rest.startswith("January") else (i, "Jan", i + 3)
        if c == "M":
            if rest.startswith("Monday"):
                return i, "Monday", i + 6
            if rest.startswith("Mon"):
                return i, "Mon", i + 3
            if rest.startswith("MST"):
                return i, "MST", i + 3
        if c == "0" and i + 1 < n and layout[i + 1] in "123456":
            return i, layout[i:i + 2], i + 2
        if c == "0" and rest.startswith("002"):
            return i, "002", i + 3
        if c == "1":
            if rest.startswith("15"):
                return i, "15", i + 2
            return i, "1", i + 1
        if c == "2":
            if rest.startswith("2006"):
                return i, "2006", i + 4
            return i, "2", i + 1
        if c == "_":
            if rest.startswith("_2"):
                if rest.startswith("_2006"):
                    return i + 1, "2006", i + 5  # "_" is literal, then the year
                return i, "_2", i + 2
            if rest.startswith("__2"):
                return i, "__2", i + 3
        if c in "345":
            return i, c, i + 1
        if c == "P" and rest.startswith("PM"):
            return i, "PM", i + 2
        if c == "p" and rest.startswith("pm"):
            return i, "pm", i + 2
        if c == "-":
            for tok in ("-070000", "-07:00:00", "-0700", "-07:00", "-07"):
                if rest.startswith(tok):
                    return i, tok, i + len(tok)
        if c == "Z":
            for tok in ("Z070000", "Z07:00:00", "Z0700", "Z07:00", "Z07"):
                if rest.startswith(tok):
                    return i, tok, i + len(tok)
        if c in ".," and i + 1 < n and layout[i + 1] in "09":
            d = layout[i + 1]
            j = i + 1
            while j < n and layout[j] == d:
                j += 1
            if not (j < n and layout[j].isdigit()):
                return i, layout[i:j], j
        i += 1
    return n, "", n


def _zone(tok: str, off: int) -> str:
    if tok.startswith("Z") and off == 0:
        return "Z"
    sign = "-" if off < 0 else "+"
    a = abs(off)
    h, m, s = a // 3600, a // 60 % 60, a % 60
    body = tok[1:]
    if body == "07":
        return f"{sign}{h:02d}"
    if body == "0700":
        return f"{sign}{h:02d}{m:02d}"
    if body == "07:00":
        return f"{sign}{h:02d}:{m:02d}"
    if body == "070000":
        return f"{sign}{h:02d}{m:02d}{s:02d}"
    return f"{sign}{h:02d}:{m:02d}:{s:02d}"


def format_time(layout: str, c: Civil, frac: int, off: int, zone: str) -> str:
    year, month, day, hour, minute, sec, wd, yday = c
    out: list[str] = []
    i = 0
    while True:
        start, tok, end = _next_chunk(layout, i)
        out.append(layout[i:start])
        if tok == "":
            break
        i = end
        if tok == "2006":
            out.append(f"{year:04d}" if year >= 0 else f"-{-year:04d}")
        elif tok == "06":
            out.append(f"{year % 100:02d}")
        elif tok == "January":
            out.append(MONTH_NAMES[month - 1])
        elif tok == "Jan":
            out.append(MONTH_NAMES[month - 1][:3])
        elif tok == "01":
            out.append(f"{month:02d}")
        elif tok == "1":
            out.append(str(month))
        elif tok == "Monday":
            out.append(DAY_NAMES[wd])
        elif tok == "Mon":
            out.append(DAY_NAMES[wd][:3])
        elif tok == "02":
            out.append(f"{day:02d}")
        elif tok == "2":
            out.append(str(day))
        elif tok == "_2":
            out.append(f"{day:2d}")
        elif tok == "002":
            out.append(f"{yday:03d}")
        elif tok == "__2":
            out.append(f"{yday:3d}")
        elif tok == "15":
            out.append(f"{hour:02d}")
        elif tok in ("03", "3"):
            h = hour % 12 or 12
            out.append(f"{h:02d}" if tok == "03" else str(h))
        elif tok in ("04", "4"):
            out.append(f"{minute:02d}" if tok == "04" else str(minute))
        elif tok in ("05", "5"):
            out.append(f"{sec:02d}" if tok == "05" else str(sec))
        elif tok == "PM":
            out.append("PM" if hour >= 12 else "AM")
        elif tok == "pm":
            out.append("pm" if hour >= 12 else "am")
        elif tok == "MST":
            if zone:
                out.append(zone)
            else:
                # No abbreviation known: Go prints the -0700 form.
                a = abs(off) // 60
                out.append(f"{'-' if off < 0 else '+'}{a // 60:02d}{a % 60:02d}")
        elif tok[0] in "-Z":
            out.append(_zone(tok, off))
        elif tok[0] in ".,":
            digits = len(tok) - 1
            fs = f"{frac:09d}"[:digits]
            if tok[1] == "9":
                fs = fs.rstrip("0")
                if fs:
                    out.append(tok[0] + fs)
            else:
                out.append(tok[0] + fs)
    return "".join(out)


def parse_time(layout: str, value: str) -> GoTime:
    """time.ParseInLocation(layout, value, time.UTC) for the common layout elements; raises
    ValueError with Go's message."""
    import calendar

    from amclone.compat.goquote import quote
    from amclone.template.gotime import GoTime as _GoTime

    def fail(rest: str, tok: str) -> ValueError:
        return ValueError(f"parsing time {quote(value)} as {quote(layout)}: cannot parse {quote(rest)} as "
                          f"{quote(tok)}")

    year, month, day, hour, minute, sec, frac, off, pm = 1, 1, 1, 0, 0, 0, 0, 0, None
    i = 0
    v = value
    while True:
        start, tok, end = _next_chunk(layout, i)
        lit = layout[i:start]
        if not v.startswith(lit):
            raise fail(v, lit)
        v = v[len(lit):]
        if tok == "":
            if v:
                raise ValueError(f"parsing time {quote(value)}: extra text: {quote(v)}")
            break
        i = end

        def num(width: int, exact: bool = True, tok: str = tok) -> int:
            nonlocal v
            j = 0
            while j < len(v) and v[j].isdigit() and (j < width or not exact):
                j += 1
            if j == 0 or (exact and j != width):
                raise fail(v, tok)
            n, v = int(v[:j]), v[j:]
            return n
        if tok == "2006":
            year = num(4)
        elif tok == "06":
            y = num(2)
            year = y + (1900 if y >= 69 else 2000)
        elif tok in ("01", "02", "15", "03", "04", "05"):
            n = num(2)
            if tok == "01":
                month = n
            elif tok == "02":
                day = n
            elif tok in ("15", "03"):
                hour = n
            elif tok == "04":
                minute = n
            else:
                sec = n
        elif tok in ("1", "2", "3", "4", "5", "_2"):
            if tok == "_2" and v.startswith(" "):
                v = v[1:]
            n = num(2, exact=False)
            if tok == "1":
                month = n
            elif tok in ("2", "_2"):
                day = n
            elif tok == "3":
                hour = n
            elif tok == "4":
                minute = n
            else:
                sec = n
        elif tok in ("January", "Jan"):
            for m, name in enumerate(MONTH_NAMES, 1):
                cand = name if tok == "January" else name[:3]
                if v.lower().startswith(cand.lower()):
                    month, v = m, v[len(cand):]
                    break
            else:
                raise fail(v, tok)
        elif tok in ("Monday", "Mon"):
            for name in DAY_NAMES:
                cand = name if tok == "Monday" else name[:3]
                if v.lower().startswith(cand.lower()):
                    v = v[len(cand):]
                    break
            else:
                raise fail(v, tok)
        elif tok in ("PM", "pm"):
            if v[:2].upper() not in ("AM", "PM"):
                raise fail(v, tok)
            pm, v = v[:2].upper() == "PM", v[2:]
        elif tok == "MST":
            j = 0
            while j < len(v) and v[j].isalpha() and v[j].isupper():
                j += 1
            if j < 3:
                raise fail(v, tok)
            v = v[j:]
        elif tok[0] in "-Z":
            if tok[0] == "Z" and v.startswith("Z"):
                v = v[1:]
                continue
            if not v or v[0] not in "+-":
                raise fail(v, tok)
            sign = -1 if v[0] == "-" else 1
            v = v[1:]
            h = num(2)
            m = s_ = 0
            if tok.endswith(("07:00", "07:00:00")):
                if not v.startswith(":"):
                    raise fail(v, tok)
                v = v[1:]
                m = num(2)
            elif tok.endswith(("0700", "070000")):
                m = num(2)
            if tok.endswith(("070000", "07:00:00")):
                if tok.endswith("07:00:00"):
                    v = v.removeprefix(":")
                s_ = num(2)
            off = sign * (h * 3600 + m * 60 + s_)
        elif tok[0] in ".,":
            if not v.startswith((".", ",")):
                if tok[1] == "9":
                    continue
                raise fail(v, tok)
            j = 1
            while j < len(v) and v[j].isdigit():
                j += 1
            digits = v[1:j]
            if tok[1] == "0" and len(digits) != len(tok) - 1:
                raise fail(v, tok)
            frac, v = int((digits + "000000000")[:9] or 0), v[j:]
        else:
            raise fail(v, tok)
    if pm is not None:
        if hour > 12:
            raise ValueError(f"parsing time {quote(value)}: hour out of range")
        hour = hour % 12 + (12 if pm else 0)
    if not (1 <= month <= 12):
        raise ValueError(f"parsing time {quote(value)}: month out of range")
    if not (1 <= day <= calendar.monthrange(year, month)[1]) or hour > 23 or minute > 59 or sec > 59:
        raise ValueError(f"parsing time {quote(value)}: day out of range")
    secs = calendar.timegm((year, month, day, hour, minute, sec, 0, 0, 0)) - off
    return _GoTime(secs * 1_000_000_000 + frac, off, "UTC" if off == 0 else "")
