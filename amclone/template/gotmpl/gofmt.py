"""Go's fmt package as templates reach it: Sprint, Sprintln, Sprintf and ``%v`` printing.

Every ``{{ .X }}`` action prints through fmt.Fprint, so maps (``map[k:v]``, keys sorted), slices
(``[a b]``), structs (``{a b}``), floats (shortest ``%g`` with Go's exponent rules: ``1e+06``) and
the ``%!d(string=x)`` error forms have to come out exactly as Go writes them.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from amclone.template.gotmpl.values import (
    K_BOOL,
    K_COMPLEX,
    K_FLOAT,
    K_INT,
    K_INVALID,
    K_MAP,
    K_SLICE,
    K_UINT,
    GoStruct,
    kind,
)


def _shortest(f: float) -> tuple[str, int]:
    """Shortest round-trip digits and decimal exponent (digits d1d2... means 0.d1d2 x 10^exp)."""
    t = Decimal(repr(f)).as_tuple()
    digits = "".join(str(d) for d in t.digits).rstrip("0") or "0"
    exp = len(t.digits) + int(t.exponent)
    if digits == "0":
        exp = 1
    return digits, exp


def _place_point(digits: str, exp: int) -> str:
    """Shortest digits written out in plain decimal (no exponent), as %f and small %g do."""
    if exp <= 0:
        return "0." + "0" * (-exp) + digits
    if exp >= len(digits):
        return digits + "0" * (exp - len(digits))
    return digits[:exp] + "." + digits[exp:]


def _exp_form(neg: str, digits: str, x: int) -> str:
    """Shortest digits as d.ddde±XX (Go writes at least two exponent digits)."""
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{neg}{mant}e{'+' if x >= 0 else '-'}{abs(x):02d}"


def format_float(f: float, verb: str = "g", prec: int = -1, sharp: bool = False) -> str:
    """strconv.FormatFloat(f, verb, prec, 64), the core of %v %g %e %f."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if verb in "eE":
        if prec < 0:
            digits, exp = _shortest(abs(f))
            e = exp - 1 if digits != "0" else 0
            s = _exp_form("-" if math.copysign(1, f) < 0 else "", digits, e)
        else:
            s = f"{f:.{prec}e}"
        return s.upper() if verb == "E" else s
    if verb in "fF":
        if prec < 0:
            digits, exp = _shortest(abs(f))
            return ("-" if math.copysign(1, f) < 0 else "") + _place_point(digits, exp)
        return f"{f:.{prec}f}"
    # 'g' / 'G'
    if prec < 0:
        digits, exp = _shortest(abs(f))
        neg = "-" if math.copysign(1, f) < 0 else ""
        x = exp - 1
        if digits == "0":
            x = 0
        if x < -4 or x >= 6:  # strconv: shortest %g decides with precision 6
            s = _exp_form(neg, digits, x)
            return s.upper() if verb == "G" else s
        return neg + _place_point(digits, exp)
    out = f"{f:.{prec or 1}g}"
    if "e" in out:
        m, _, ex = out.partition("e")
        out = f"{m}e{ex[0]}{int(ex[1:]):02d}"
    return out.upper() if verb == "G" else out


def _complex(c: complex, verb: str = "g", prec: int = -1) -> str:
    re_s = format_float(c.real, verb, prec)
    im_s = format_float(c.imag, verb, prec)
    if not im_s.startswith(("-", "+")):
        im_s = "+" + im_s
    return f"({re_s}{im_s}i)"


def sprint_value(v: Any, plus: bool = False, depth: int = 0) -> str:
    """%v (or %+v) of one operand."""
    if isinstance(v, str):
        return v
    gs = getattr(v, "go_string", None)  # a fmt.Stringer (time.Time, time.Duration, time.Month)
    if gs is not None:
        return str(gs())
    k = kind(v)
    if k == K_BOOL:
        return "true" if v else "false"
    if k in (K_INT, K_UINT):
        return str(int(v))
    if k == K_FLOAT:
        return format_float(v)
    if k == K_INVALID:
        return "<nil>"
    if k == K_COMPLEX:
        return _complex(v)
    if k == K_MAP:
        items = sorted(v.items(), key=lambda kv: sort_key(kv[0]))
        return "map[" + " ".join(sprint_value(a, plus, depth + 1) + ":" + sprint_value(b, plus, depth + 1)
                                 for a, b in items) + "]"
    if k == K_SLICE:
        return "[" + " ".join(sprint_value(e, plus, depth + 1) for e in v) + "]"
    if isinstance(v, GoStruct):
        fields = type(v).go_fields
        if plus:
            return "{" + " ".join(f + ":" + sprint_value(getattr(v, f), plus, depth + 1) for f in fields) + "}"
        return "{" + " ".join(sprint_value(getattr(v, f), plus, depth + 1) for f in fields) + "}"
    return str(v)


def sort_key(k: Any) -> Any:
    """fmtsort order for map keys: numbers numerically, strings by bytes."""
    if isinstance(k, str):
        return (1, k.encode("utf-8", "surrogateescape"))
    return (0, k)


def sprint(args: list[Any]) -> str:
    """fmt.Sprint: a space between operands when neither side is a string."""
    out = []
    prev_string = True
    for i, a in enumerate(args):
        is_str = isinstance(a, str)
        if i > 0 and not is_str and not prev_string:
            out.append(" ")
        out.append(sprint_value(a))
        prev_string = is_str
    return "".join(out)


def sprintln(args: list[Any]) -> str:
    return " ".join(sprint_value(a) for a in args) + "\n"


def sprintf(fmt: str, args: list[Any]) -> str:
    """fmt.Sprintf (the verbs live in printf.py)."""
    from amclone.template.gotmpl.printf import sprintf as _sprintf

    return _sprintf(fmt, args)
