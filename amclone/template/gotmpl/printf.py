"""Go's fmt.Sprintf verbs (``printf`` in templates): flags, width, precision, per-kind verbs,
and Go's in-band error forms (``%!d(string=x)``, ``%!d(MISSING)``, ``%!(EXTRA int=1)``).
"""

from __future__ import annotations

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
    kind,
    type_name,
)


class _Spec:
    __slots__ = ("minus", "plus", "prec", "sharp", "space", "width", "zero")

    def __init__(self) -> None:
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        self.width = -1
        self.prec = -1


def _pad(s: str, sp: _Spec, numeric: bool = False) -> str:
    if sp.width < 0 or len(s) >= sp.width:
        return s
    n = sp.width - len(s)
    if sp.minus:
        return s + " " * n
    if sp.zero and numeric:
        sign = s[0] if s and s[0] in "+- " else ""
        return sign + "0" * n + s[len(sign):]
    if sp.zero and not numeric:
        return "0" * n + s
    return " " * n + s


def _bad(verb: str, v: Any, sp: _Spec | None = None) -> str:
    """Go's badVerb: the value is printed with %v under the same flags, width and precision."""
    if v is None:
        return f"%!{verb}(<nil>)"
    shown = format_one(v, "v", sp) if sp is not None else sprint_value(v)
    return f"%!{verb}({type_name(v)}={shown})"


def _int(v: int, verb: str, sp: _Spec) -> str | None:
    neg = v < 0
    a = -v if neg else v
    if verb in "dv":
        s = str(a)
    elif verb == "b":
        s = format(a, "b")
    elif verb == "o" or verb == "O":
        s = format(a, "o")
        if verb == "O":
            s = "0o" + s
        elif sp.sharp and s != "0":
            s = "0" + s
    elif verb in "xX":
        s = format(a, "x" if verb == "x" else "X")
        if sp.sharp:
            s = ("0x" if verb == "x" else "0X") + s
    elif verb == "c":
        return _pad(chr(v) if 0 <= v <= 0x10FFFF else "\ufffd", sp)
    elif verb == "q":
        return _pad("'" + quote(chr(v))[1:-1].replace("'", "\\'").replace('\\"', '"') + "'", sp)
    elif verb == "U":
        s = f"U+{v:04X}"
        if sp.sharp:
            s += f" '{chr(v)}'"
        return _pad(s, sp)
    else:
        return None
    if sp.prec >= 0:
        s = s.rjust(sp.prec, "0") if not (sp.prec == 0 and a == 0) else ""
    if neg:
        s = "-" + s
    elif sp.plus:
        s = "+" + s
    elif sp.space:
        s = " " + s
    if sp.prec >= 0:
        return _pad(s, sp)
    return _pad(s, sp, numeric=True)


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


def _float(v: float, verb: str, sp: _Spec) -> str | None:
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
        return _pad(type_name(v) if v is not None else "<nil>", sp)
    if verb == "p":
        return _bad(verb, v, sp)
    if v is None:
        return _pad("<nil>", sp) if verb == "v" else _bad(verb, v, sp)
    k = kind(v)
    if verb == "v" and sp.sharp:
        return _pad(go_syntax(v), sp)
    r: str | None
    if k == K_BOOL:
        r = _pad("true" if v else "false", sp) if verb in "tv" else None
    elif k in (K_INT, K_UINT):
        r = _int(int(v), verb, sp)
    elif k == K_FLOAT:
        r = _float(v, verb, sp)
    elif k == K_COMPLEX:
        r = _pad(_complex(v), sp) if verb in "vg" else None
    elif k == K_STRING:
        r = _str(str(v), verb, sp)
    elif hasattr(v, "go_string") and verb in "vs":
        r = _str(v.go_string(), verb, sp)
    elif k == K_MAP:
        items = sorted(v.items(), key=lambda kv: sort_key(kv[0]))
        return "map[" + " ".join(format_one(a, verb, sp) + ":" + format_one(b, verb, sp) for a, b in items) + "]"
    elif k == K_SLICE:
        return "[" + " ".join(format_one(e, verb, sp) for e in v) + "]"
    elif k == K_STRUCT and isinstance(v, GoStruct):
        fs = type(v).go_fields
        if sp.plus and verb == "v":
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
        out.append(format_one(v, verb, sp))
    if argi < len(args):
        out.append("%!(EXTRA " + ", ".join(
            (type_name(a) + "=" + sprint_value(a)) if a is not None else "<nil>" for a in args[argi:]) + ")")
    return "".join(out)


__all__ = ["format_one", "sprintf"]
