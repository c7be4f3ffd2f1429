"""Values flowing between plan nodes, and the small numeric helpers several nodes share.

Scalars are plain floats and strings plain ``str``; instant vectors are lists of `Sample`, range
vectors lists of `Series`. Both are NamedTuples: building one is a single tuple allocation, which
matters because a rule evaluation creates one per matching series.

``drop_name`` is Prometheus 3's delayed name removal: functions and arithmetic mark a result as
"no longer this metric" and the ``__name__`` label is removed when the query finishes, so that
``label_replace(rate(x[1m]), "__name__", ...)`` and ``by (__name__)`` still see the name.
"""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from amclone.compat.goquote import quote
from amclone.tsdb.series import Labels

NAME = "__name__"


class Sample(NamedTuple):
    labels: Labels
    value: float
    drop_name: bool = False


class Series(NamedTuple):
    labels: Labels
    ts: Sequence[int]
    vs: Sequence[float]
    drop_name: bool = False


Vector = list[Sample]
Matrix = list[Series]


def without_name(labels: Labels) -> Labels:
    if labels and labels[0][0] == NAME:
        return labels[1:]
    for i, (n, _) in enumerate(labels):
        if n == NAME:
            return labels[:i] + labels[i + 1:]
    return labels


def get_label(labels: Labels, name: str) -> str:
    for n, v in labels:
        if n == name:
            return v
    return ""


def set_label(labels: Labels, name: str, value: str) -> Labels:
    """A copy with ``name`` set (or removed when ``value`` is empty), kept sorted."""
    out = [p for p in labels if p[0] != name]
    if value:
        out.append((name, value))
        out.sort()
    return tuple(out)


def labels_str(labels: Labels) -> str:
    """Prometheus's ``labels.Labels.String()``: ``name{a="1", b="2"}``-less form ``{a="1", b="2"}``."""
    name = ""
    parts = []
    for n, v in labels:
        if n == NAME:
            name = v
        else:
            parts.append(f"{n}={quote(v)}")
    if name and not parts:
        return name
    return name + "{" + ", ".join(parts) + "}"


def kahan_inc(inc: float, total: float, c: float) -> tuple[float, float]:
    """One step of Neumaier's compensated sum (Prometheus ``kahansum.Inc``)."""
    t = total + inc
    if math.isinf(t):
        c = 0.0
    elif abs(total) >= abs(inc):
        c += (total - t) + inc
    else:
        c += (inc - t) + total
    return t, c


def kahan_mean(values: Sequence[float]) -> float:
    """Mean via a compensated sum, switching to an incremental mean if the sum overflows
    (``avg`` and ``avg_over_time``)."""
    total, c, mean = values[0], 0.0, 0.0
    incremental = False
    count = 1.0
    for v in values[1:]:
        count += 1
        if not incremental:
            nv, nc = kahan_inc(v, total, c)
            if not math.isinf(nv):
                total, c = nv, nc
                continue
            incremental = True
            mean = total / (count - 1)
            c /= count - 1
        q = (count - 1) / count
        mean, c = kahan_inc(v / count, q * mean, q * c)
    if incremental:
        return mean + c
    return total / count + c / count


def format_float(v: float) -> str:
    """Go's ``strconv.FormatFloat(v, 'f', -1, 64)``: shortest digits, never an exponent."""
    if v != v:
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    r = repr(v)
    if "e" in r or "E" in r:
        r = format(Decimal(r), "f")
    r = r.removesuffix(".0")
    if r == "-0":
        return "-0"
    return r


def quantile_of(q: float, values: Sequence[float]) -> float:
    """φ-quantile with linear interpolation between closest ranks (``quantile``, ``*_over_time``)."""
    if not values or q != q:
        return math.nan
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    vals = sorted(values, key=_nan_first)
    n = len(vals)
    rank = q * (n - 1)
    lower = max(0, math.floor(rank))
    upper = min(n - 1, lower + 1)
    weight = rank - math.floor(rank)
    return vals[lower] * (1 - weight) + vals[upper] * weight


def _nan_first(v: float) -> tuple[int, float]:
    return (0, 0.0) if v != v else (1, v)


def format_g(v: float) -> str:
    """Go's ``%g`` for the values that appear in warnings."""
    if v != v:
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    s = repr(v)
    s = s.removesuffix(".0")
    if "e" in s:
        mant, exp = s.split("e")
        sign = exp[0] if exp[0] in "+-" else "+"
        digits = exp.lstrip("+-").rjust(2, "0")
        s = f"{mant}e{sign}{digits}"
    return s


def invalid_quantile(q: float) -> str:
    """Prometheus's warning for a quantile outside [0, 1] (quantile, *_over_time, histogram_quantile)."""
    return f"PromQL warning: quantile value should be between 0 and 1, got {format_g(q)}"
