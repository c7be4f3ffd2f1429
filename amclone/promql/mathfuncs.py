"""Go ``math`` semantics for the element-wise PromQL functions.

Python's ``math`` raises where Go returns a value (``math.Log(0)`` is -Inf, ``math.Sqrt(-1)`` NaN,
``math.Exp(1000)`` +Inf), so each function here maps those cases the way Go does.
"""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

import math
from collections.abc import Callable

INF = math.inf
NAN = math.nan


def _log(base_fn: Callable[[float], float]) -> Callable[[float], float]:
    def f(x: float) -> float:
        if x != x or x < 0:
            return NAN
        if x == 0:
            return -INF
        if x == INF:
            return INF
        return base_fn(x)

    return f


def _wrap(fn: Callable[[float], float], overflow: Callable[[float], float] | None = None) -> Callable[[float], float]:
    def f(x: float) -> float:
        try:
            return fn(x)
        except ValueError:
            return NAN
        except OverflowError:
            return overflow(x) if overflow else INF

    return f


def _atanh(x: float) -> float:
    if x == 1:
        return INF
    if x == -1:
        return -INF
    try:
        return math.atanh(x)
    except ValueError:
        return NAN


def _floor(x: float) -> float:
    return float(math.floor(x)) if math.isfinite(x) else x


def _ceil(x: float) -> float:
    return float(math.ceil(x)) if math.isfinite(x) else x


def _sgn(x: float) -> float:
    if x < 0:
        return -1.0
    if x > 0:
        return 1.0
    return x


def go_floor(x: float) -> float:
    return _floor(x)


SIMPLE: dict[str, Callable[[float], float]] = {
    "abs": abs,
    "ceil": _ceil,
    "floor": _floor,
    "exp": _wrap(math.exp),
    "sqrt": _wrap(math.sqrt),
    "ln": _log(math.log),
    "log2": _log(math.log2),
    "log10": _log(math.log10),
    "sin": _wrap(math.sin),
    "cos": _wrap(math.cos),
    "tan": _wrap(math.tan),
    "asin": _wrap(math.asin),
    "acos": _wrap(math.acos),
    "atan": _wrap(math.atan),
    "sinh": _wrap(math.sinh, lambda x: math.copysign(INF, x)),
    "cosh": _wrap(math.cosh),
    "tanh": _wrap(math.tanh),
    "asinh": _wrap(math.asinh),
    "acosh": _wrap(math.acosh),
    "atanh": _atanh,
    "rad": lambda x: x * math.pi / 180,
    "deg": lambda x: x * 180 / math.pi,
    "sgn": _sgn,
}


def go_parse_float(s: str) -> float:
    """``strconv.ParseFloat(s, 64)``: no surrounding spaces or underscores, hex floats allowed."""
    if not s or s != s.strip() or "_" in s:
        raise ValueError(s)
    low = s.lower().lstrip("+-")
    if low.startswith("0x"):
        return float.fromhex(s)
    if low in ("inf", "infinity"):
        return -INF if s.startswith("-") else INF
    if low == "nan":
        return NAN
    if not all(c in "0123456789.e+-" for c in low):
        raise ValueError(s)
    return float(s)
