"""Go's fmt.Sprintf verbs (``printf`` in templates): flags, width, precision, per-kind verbs,
and Go's in-band error forms (``%!d(string=x)``, ``%!d(MISSING)``, ``%!(EXTRA int=1)``).
"""

from __future__ import annotations

import math
from typing import Any

from amclone.compat.goquote import quote
from amclone.template.gotmpl.gofmt import _complex, format_float, sort_key, sprint_value
from amclone.template.gotmpl.values import (
    K_BOOL,
    K_COMPLEX,
    K_FLOAT,
    K_INT,
    K_MAP,
    K_SLICE,
    K_STRING,
    K_STRUCT,
    K_UINT,
    GoStruct,
    NilPointer,
    kind,
    type_name,
)


class _Spec:
    __slots__ = ("minus", "plus", "plus_v", "prec", "sharp", "sharp_v", "space", "width", "zero")

    def __init__(self) -> None:
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        self.plus_v = self.sharp_v = False  # %+v and %#v: field names / Go syntax, not sign / prefix
        self.width = -1
        self.prec = -1


def _pad(s: str, sp: _Spec, numeric: bool = False, no_zero: bool = False) -> str:
    if sp.width < 0 or len(s) >= sp.width:
        return s
    n = sp.width - len(s)
    if sp.minus:
        return s + " " * n
    if sp.zero and numeric:
        sign = s[0] if s and s[0] in "+- " else ""
        return sign + "0" * n + s[len(sign):]
    if sp.zero and not numeric and not no_zero:
        return "0" * n + s
    return " " * n + s


def _bad(verb: str, v: Any, sp: _Spec | None = None) -> str:
    """Go's badVerb: the value is printed with %v under the same flags, width and precision."""
    if v is None:
        return f"%!{verb}(<nil>)"
    if hasattr(v, "go_struct"):  # while erroring, fmt calls no String methods
        shown = "{" + " ".join(format_one(f, "v", sp or _Spec()) for f in v.go_struct()) + "}"
    elif isinstance(v, int) and hasattr(v, "go_string"):
        shown = format_one(int(v), "v", sp or _Spec())
    else:
        shown = format_one(v, "v", sp) if sp is not None else sprint_value(v)
    return f"%!{verb}({type_name(v)}={shown})"


def _int(v: int, verb: str, sp: _Spec) -> str | None:
    neg = v < 0
    a = -v if neg else v
    prefix = ""
    if verb in "dv":
        s = str(a)
    elif verb == "b":
        s = format(a, "b")
        prefix = "0b" if sp.sharp else ""
    elif verb == "o" or verb == "O":
        s = format(a, "o")
        prefix = "0o" if verb == "O" else ""
    elif verb in "xX":
        s = format(a, "x" if verb == "x" else "X")
        prefix = ("0x" if verb == "x" else "0X") if sp.sharp else ""
    elif verb == "c":
        return _pad(_rune(v), sp)
    elif verb == "q":
        return _pad("'" + quote(_rune(v))[1:-1].replace("'", "\\'").replace('\\"', '"') + "'", sp)
    elif verb == "U":
        u = v & 0xFFFFFFFFFFFFFFFF  # as uint64
        s = "U+" + f"{u:X}".rjust(max(4, sp.prec), "0")
        if sp.sharp and u <= 0x10FFFF and _rune(u) != "\ufffd" and (_rune(u).isprintable() or u == 0x20):
            s += f" '{chr(u)}'"
        return _pad(s, sp, no_zero=True)
    else:
        return None
    if sp.prec >= 0:
        s = s.rjust(sp.prec, "0") if not (sp.prec == 0 and a == 0) else ""
    if verb == "o" and sp.sharp and not s.startswith("0"):
        s = "0" + s
    s = prefix + s
    if neg:
        s = "-" + s
    elif sp.plus:
        s = "+" + s
    elif sp.space:
        s = " " + s
    if sp.prec >= 0:
        return _pad(s, sp, no_zero=True)  # an explicit precision turns off zero padding
    return _pad(s, sp, numeric=True)


def _rune(v: int) -> str:
    return chr(v) if 0 <= v <= 0x10FFFF and not 0xD800 <= v < 0xE000 else "\ufffd"


def _str(v: str, verb: str, sp: _Spec) -> str | None:
    if verb in "sv":
        if sp.prec >= 0:
            v = v[:sp.prec]
        return _pad(v, sp)
    if verb == "q":
        if sp.prec >= 0:
            v = v[:sp.prec]
        if sp.sharp and "`" not in v and all(c == "\t" or (c.isprintable()) for c in v):
            return _pad("`" + v + "`", sp)
        q = quote(v)
        if sp.plus:
            q = "".join(c if ord(c) < 128 else quote(c)[1:-1] if False else _ascii_esc(c) for c in q)
        return _pad(q, sp)
    if verb in "xX":
        b = v.encode("utf-8", "surrogateescape")
        if sp.prec >= 0:
            b = b[:sp.prec]
        h = b.hex() if verb == "x" else b.hex().upper()
        if sp.space:
            pre = ("0x" if verb == "x" else "0X") if sp.sharp else ""
            h = " ".join(pre + h[i:i + 2] for i in range(0, len(h), 2))
        elif sp.sharp and h:
            h = ("0x" if verb == "x" else "0X") + h
        return _pad(h, sp)
    return None


def _ascii_esc(c: str) -> str:
    o = ord(c)
    if o < 128:
        return c
    return f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}"


def _float_bin(v: float) -> str:
    """%b: decimal mantissa, binary exponent (strconv 'b')."""
    if v == 0:
        return ("-" if math.copysign(1, v) < 0 else "") + "0p-1074"
    m, e = math.frexp(abs(v))
    mant, exp = int(m * (1 << 53)), e - 53
    if exp < -1074:  # subnormal
        mant, exp = mant >> (-1074 - exp), -1074
    return f"{'-' if v < 0 else ''}{mant}p{'+' if exp >= 0 else '-'}{abs(exp):02d}"


def _float_hex(v: float, prec: int, upper: bool) -> str:
    """%x: hexadecimal mantissa and binary exponent (strconv 'x')."""
    neg = "-" if math.copysign(1, v) < 0 else ""
    if v == 0:
        out = "0x0" + ("." + "0" * prec if prec > 0 else "") + "p+00"
    else:
        m, e = math.frexp(abs(v))  # m in [0.5, 1)
        mant, exp = int(m * (1 << 53)), e - 1  # mant has 53 bits: 1.xxxx (52 bits)
        frac = mant & ((1 << 52) - 1)
        digits = f"{frac:013x}"
        lead = 1
        if prec >= 0 and prec < 13:
            shift = (13 - prec) * 4
            q, r = divmod(frac, 1 << shift)
            half = 1 << (shift - 1)
            if r > half or (r == half and q & 1):
                q += 1
            if q >> (prec * 4):
                lead, q = lead + 1, 0
            digits = f"{q:0{prec}x}" if prec else ""
            if lead == 2:
                lead, exp = 1, exp + 1
        else:
            digits = digits.rstrip("0")
            if prec > 13:
                digits = digits.ljust(prec, "0")
        out = f"0x{lead}" + ("." + digits if digits else "") + f"p{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    out = neg + out
    return out.upper() if upper else out


def _float(v: float, verb: str, sp: _Spec) -> str | None:
    if verb == "b":
        s = _float_bin(v)
        if sp.plus and s[0] != "-":
            s = "+" + s
        return _pad(s, sp, numeric=True)
    if verb in "xX":
        s = _float_hex(v, sp.prec, verb == "X")
        if sp.plus and s[0] != "-":
            s = "+" + s
        elif sp.space and s[0] != "-":
            s = " " + s
        return _pad(s, sp, numeric=True)
    if verb in "gGv" and sp.sharp:  # '#' keeps trailing zeros (and %v under it acts as %g)
        verb = "g" if verb == "v" else verb
        s = format(v, f"#.{sp.prec if sp.prec > 0 else 6}{verb}")
        if "e" in s.lower():
            m, _, ex = s.partition("e" if verb == "g" else "E")
            s = f"{m}{'e' if verb == 'g' else 'E'}{ex[0]}{int(ex[1:]):02d}"
        if sp.plus and s[0] != "-":
            s = "+" + s
        return _pad(s, sp, numeric=True)
    if verb == "v":
        s = format_float(v, "g", sp.prec)
    elif verb in "eEfFgG":
        prec = sp.prec if sp.prec >= 0 else (6 if verb in "eEfF" else -1)
        s = format_float(v, verb if verb != "F" else "f", prec)
    else:
        return None
    if sp.plus and not s.startswith("-") and not s.startswith("+"):
        s = "+" + s
    elif sp.space and not s.startswith("-"):
        s = " " + s
    if s in ("+Inf", "-Inf", "NaN", " NaN") and sp.zero:
        sp.zero = False
    return _pad(s, sp, numeric=True)


def format_one(v: Any, verb: str, sp: _Spec) -> str:
    if verb == "T":
        if v is None:
            return _pad("<nil>", sp)
        t = type_name(v)
        return _pad(t[:sp.prec] if sp.prec >= 0 else t, sp)
    if verb == "p":
        return _bad(verb, v, sp)
    if v is None:
        return _pad("<nil>", sp) if verb == "v" else _bad(verb, v, sp)
    if isinstance(v, NilPointer):
        if verb == "v":
            return _pad("<nil>", sp)
        if verb in "bodxX":
            return _int(0, verb, sp) or "0"
        return f"%!{verb}({type_name(v)}=<nil>)"
    k = kind(v)
    if verb == "v" and sp.sharp_v:
        return _pad(go_syntax(v), sp)
    r: str | None
    if verb not in "vsqxX" and hasattr(v, "go_struct"):
        # A Stringer under another verb prints its struct (time.Time's wall, ext and loc).
        return "{" + " ".join(format_one(f, verb, sp) for f in v.go_struct()) + "}"
    if verb in "vsqxX" and hasattr(v, "go_string"):
        r = _str(v.go_string(), verb, sp)  # a fmt.Stringer (time.Time, time.Duration, time.Month)
    elif k == K_BOOL:
        r = _pad("true" if v else "false", sp) if verb in "tv" else None
    elif k in (K_INT, K_UINT):
        r = _int(int(v), verb, sp)
    elif k == K_FLOAT:
        r = _float(v, verb, sp)
    elif k == K_COMPLEX:
        r = _pad(_complex(v), sp) if verb in "vg" else None
    elif k == K_STRING:
        r = _str(str(v), verb, sp)
    elif k == K_MAP:
        items = sorted(v.items(), key=lambda kv: sort_key(kv[0]))
        return "map[" + " ".join(format_one(a, verb, sp) + ":" + format_one(b, verb, sp) for a, b in items) + "]"
    elif k == K_SLICE:
        return "[" + " ".join(format_one(e, verb, sp) for e in v) + "]"
    elif k == K_STRUCT and isinstance(v, GoStruct):
        fs = type(v).go_fields
        if sp.plus_v and verb == "v":
            return "{" + " ".join(f + ":" + format_one(getattr(v, f), verb, sp) for f in fs) + "}"
        return "{" + " ".join(format_one(getattr(v, f), verb, sp) for f in fs) + "}"
    else:
        r = _pad(sprint_value(v), sp) if verb in "vs" else None
    return r if r is not None else _bad(verb, v, sp)


def go_syntax(v: Any) -> str:
    """%#v for the simple values templates print."""
    if isinstance(v, str) and type(v) is str:
        return quote(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        s = format_float(v)
        return s if any(c in s for c in ".eIN") else s + ".0" if False else s
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return type_name(v) + "{" + ", ".join(go_syntax(e) for e in v) + "}"
    if isinstance(v, dict):
        items = sorted(v.items(), key=lambda kv: sort_key(kv[0]))
        return type_name(v) + "{" + ", ".join(go_syntax(a) + ":" + go_syntax(b) for a, b in items) + "}"
    return sprint_value(v)


def sprintf(fmt: str, args: list[Any]) -> str:
    out: list[str] = []
    n = len(fmt)
    i = 0
    argi = 0
    while i < n:
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        i = j + 1
        sp = _Spec()
        while i < n and fmt[i] in "-+# 0":
            c = fmt[i]
            if c == "-":
                sp.minus = True
                sp.zero = False
            elif c == "+":
                sp.plus = True
            elif c == "#":
                sp.sharp = True
            elif c == " ":
                sp.space = True
            elif c == "0":
                sp.zero = not sp.minus
            i += 1
        if i < n and fmt[i] == "*":
            i += 1
            if argi < len(args) and isinstance(args[argi], int) and not isinstance(args[argi], bool):
                sp.width = args[argi]
                if sp.width < 0:
                    sp.minus, sp.width = True, -sp.width
            else:
                out.append("%!(BADWIDTH)")
            argi += 1
        else:
            st = i
            while i < n and fmt[i].isdigit():
                i += 1
            if i > st:
                sp.width = int(fmt[st:i])
        if i < n and fmt[i] == ".":
            i += 1
            if i < n and fmt[i] == "*":
                i += 1
                if argi < len(args) and isinstance(args[argi], int) and not isinstance(args[argi], bool):
                    sp.prec = args[argi]
                    if sp.prec < 0:
                        sp.prec = -1
                else:
                    out.append("%!(BADPREC)")
                argi += 1
            else:
                st = i
                while i < n and fmt[i].isdigit():
                    i += 1
                sp.prec = int(fmt[st:i]) if i > st else 0
        if i >= n:
            out.append("%!(NOVERB)")
            break
        verb = fmt[i]
        i += 1
        if verb == "%":
            out.append("%")
            continue
        if argi >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        v = args[argi]
        argi += 1
        if verb == "v":
            sp.sharp_v, sp.sharp, sp.plus_v, sp.plus = sp.sharp, False, sp.plus, False
        out.append(format_one(v, verb, sp))
    if argi < len(args):
        out.append("%!(EXTRA " + ", ".join(
            (type_name(a) + "=" + sprint_value(a)) if a is not None else "<nil>" for a in args[argi:]) + ")")
    return "".join(out)


__all__ = ["format_one", "sprintf"]
