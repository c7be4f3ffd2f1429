"""Functions over instant vectors and scalars: math, clamping, time and date, sorting, ``absent``,
``scalar``/``vector``, ``timestamp``, label rewriting and classic-histogram quantiles.

Each implementation receives the context, the evaluation time and the argument nodes (not values),
because some need the node itself: ``timestamp(selector)`` reads sample times, ``absent`` reads the
selector's matchers, ``label_replace`` has constant string arguments compiled once.
"""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from amclone.labels.labelset import is_valid_utf8_name
from amclone.promql import ast
from amclone.promql.context import EvalContext
from amclone.promql.errors import EvalError
from amclone.promql.histogram import histogram_fraction, histogram_quantile
from amclone.promql.mathfuncs import SIMPLE, go_floor
from amclone.promql.nodes import Node, SelectorNode
from amclone.promql.value import NAME, Sample, Vector, format_float, get_label, set_label
from amclone.tsdb.matchers import MatchOp, SeriesMatcher
from amclone.tsdb.series import Labels

VectorImpl = Callable[[EvalContext, int, Sequence[Node]], Any]


def _simple(fn: Callable[[float], float]) -> VectorImpl:
    def impl(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
        return [Sample(s.labels, fn(s.value), True) for s in args[0].eval(ctx, t)]

    return impl


def _clamp(ctx: EvalContext, vec: Vector, lo: float, hi: float) -> Vector:
    if hi < lo:
        return []
    if lo != lo or hi != hi:  # Go's math.Min/Max propagate NaN
        return [Sample(s.labels, math.nan, True) for s in vec]
    return [Sample(s.labels, max(lo, min(hi, s.value)) if s.value == s.value else s.value, True) for s in vec]


def f_clamp(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    return _clamp(ctx, args[0].eval(ctx, t), args[1].eval(ctx, t), args[2].eval(ctx, t))


def f_clamp_min(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    return _clamp(ctx, args[0].eval(ctx, t), args[1].eval(ctx, t), math.inf)


def f_clamp_max(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    return _clamp(ctx, args[0].eval(ctx, t), -math.inf, args[1].eval(ctx, t))


def f_round(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    to_nearest = args[1].eval(ctx, t) if len(args) > 1 else 1.0
    inv = 1.0 / to_nearest if to_nearest != 0 else math.inf
    return [Sample(s.labels, go_floor(s.value * inv + 0.5) / inv, True) for s in args[0].eval(ctx, t)]


def f_timestamp(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    arg = args[0]
    if isinstance(arg, SelectorNode):
        return [Sample(s.labels, ts / 1000, True) for s, ts in arg.eval_with_times(ctx, t)]
    return [Sample(s.labels, t / 1000, True) for s in arg.eval(ctx, t)]


def f_time(ctx: EvalContext, t: int, args: Sequence[Node]) -> float:
    return t / 1000


def f_pi(ctx: EvalContext, t: int, args: Sequence[Node]) -> float:
    return math.pi


def f_vector(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    return [Sample((), args[0].eval(ctx, t), False)]


def f_scalar(ctx: EvalContext, t: int, args: Sequence[Node]) -> float:
    vec = args[0].eval(ctx, t)
    return vec[0].value if len(vec) == 1 else math.nan


def absent_labels(node: ast.Expr) -> Labels:
    """Labels ``absent`` reports: single equality matchers of the selector, name excluded."""
    if isinstance(node, ast.MatrixSelector):
        node = node.selector
    if not isinstance(node, ast.VectorSelector):
        return ()
    out: dict[str, str] = {}
    has: set[str] = set()
    for m in node.matchers:
        if m.name == NAME:
            continue
        if m.op is MatchOp.EQUAL and m.name not in has:
            if m.value:
                out[m.name] = m.value
            has.add(m.name)
        else:
            out.pop(m.name, None)
    return tuple(sorted(out.items()))


def make_absent(labels: Labels) -> VectorImpl:
    def impl(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
        if args[0].eval(ctx, t):
            return []
        return [Sample(labels, 1.0, False)]

    return impl


def f_sort(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    return sorted(args[0].eval(ctx, t), key=lambda s: (s.value != s.value, s.value))


def f_sort_desc(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    return sorted(args[0].eval(ctx, t), key=lambda s: (s.value != s.value, -s.value))


_DIGITS = re.compile(r"(\d+)")


def _natural(s: str) -> list[Any]:
    return [(0, int(p), p) if p.isdigit() else (1, 0, p) for p in _DIGITS.split(s) if p]


def _sort_by_label(desc: bool) -> VectorImpl:
    def impl(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
        names = [a.eval(ctx, t) for a in args[1:]]
        vec = args[0].eval(ctx, t)
        return sorted(vec, key=lambda s: ([_natural(get_label(s.labels, n)) for n in names], s.labels),
                      reverse=desc)

    return impl


def _expand(template: str, match: Any, names: dict[str, int]) -> str:
    """Go's ``Regexp.ExpandString``: ``$1``, ``${1}``, ``$name``, ``${name}``, ``$$``."""
    out: list[str] = []
    i, n = 0, len(template)
    while i < n:
        c = template[i]
        if c != "$" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        nxt = template[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
            continue
        if nxt == "{":
            end = template.find("}", i + 2)
            name = template[i + 2:end] if end > 0 else ""
            if end < 0 or not name or not re.fullmatch(r"[A-Za-z0-9_]+", name):
                out.append(c)
                i += 1
                continue
            i = end + 1
        else:
            m = re.match(r"[A-Za-z0-9_]+", template[i + 1:])
            if not m:
                out.append(c)
                i += 1
                continue
            name = m.group(0)
            i += 1 + len(name)
        idx = int(name) if name.isdigit() else names.get(name, -1)
        if 0 <= idx <= match.re.groups:
            out.append(match.group(idx) or "")
    return "".join(out)


def make_label_replace(args: Sequence[ast.Expr]) -> VectorImpl:
    dst, repl, src, pattern = (str(a.value) for a in args[1:5] if isinstance(a, ast.StringLiteral))
    try:
        matcher = SeriesMatcher("x", MatchOp.REGEX, pattern)
    except ValueError:
        matcher = None
    if matcher is None:
        def failing(ctx: EvalContext, t: int, nodes: Sequence[Node]) -> Vector:
            raise EvalError(f"invalid regular expression in label_replace(): {pattern}")
        return failing
    import re2

    compiled = re2.compile("^(?s:" + pattern + ")$")
    names = dict(compiled.groupindex)

    def impl(ctx: EvalContext, t: int, nodes: Sequence[Node]) -> Vector:
        if not is_valid_utf8_name(dst):
            raise EvalError(f"invalid destination label name in label_replace(): {dst}")
        out: Vector = []
        for s in nodes[0].eval(ctx, t):
            m = compiled.fullmatch(get_label(s.labels, src))
            if m is None:
                out.append(s)
                continue
            value = _expand(repl, m, names)
            drop = False if dst == NAME else s.drop_name
            out.append(Sample(set_label(s.labels, dst, value), s.value, drop))
        return out

    return impl


def f_label_join(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    dst = args[1].eval(ctx, t)
    sep = args[2].eval(ctx, t)
    srcs = [a.eval(ctx, t) for a in args[3:]]
    for src in srcs:
        if not is_valid_utf8_name(src):
            raise EvalError(f"invalid source label name in label_join(): {src}")
    if not is_valid_utf8_name(dst):
        raise EvalError(f"invalid destination label name in label_join(): {dst}")
    out: Vector = []
    for s in args[0].eval(ctx, t):
        value = sep.join(get_label(s.labels, n) for n in srcs)
        drop = False if dst == NAME else s.drop_name
        out.append(Sample(set_label(s.labels, dst, value), s.value, drop))
    return out


def _date(fn: Callable[[datetime], float]) -> VectorImpl:
    def at(secs: float) -> float:
        try:
            return fn(datetime.fromtimestamp(int(secs), UTC))
        except (OverflowError, ValueError, OSError):
            return math.nan

    def impl(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
        if not args:
            return [Sample((), at(t // 1000 if t >= 0 else -((-t) // 1000)), False)]
        return [Sample(s.labels, at(s.value) if math.isfinite(s.value) else math.nan, True)
                for s in args[0].eval(ctx, t)]

    return impl


def _days_in_month(d: datetime) -> float:
    import calendar

    return float(calendar.monthrange(d.year, d.month)[1])


def f_histogram_quantile(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    return histogram_quantile(ctx, args[0].eval(ctx, t), args[1].eval(ctx, t))


def f_histogram_fraction(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    return histogram_fraction(ctx, args[0].eval(ctx, t), args[1].eval(ctx, t), args[2].eval(ctx, t))


def f_histogram_quantiles(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    vec = args[0].eval(ctx, t)
    label = args[1].eval(ctx, t)
    out: Vector = []
    for qa in args[2:]:
        q = qa.eval(ctx, t)
        qs = _openmetrics_float(q)
        for s in histogram_quantile(ctx, q, vec):
            out.append(Sample(set_label(s.labels, label, qs), s.value, True))
    return out


def _openmetrics_float(v: float) -> str:
    """Prometheus's ``FormatOpenMetricsFloat``: like Go's shortest form, integers get ``.0``."""
    if not math.isfinite(v):
        return format_float(v)
    r = repr(v)
    return r if ("." in r or "e" in r) else r + ".0"


def f_step(ctx: EvalContext, t: int, args: Sequence[Node]) -> float:
    return ctx.interval / 1000


def f_range(ctx: EvalContext, t: int, args: Sequence[Node]) -> float:
    return (ctx.end - ctx.start) / 1000


def f_start(ctx: EvalContext, t: int, args: Sequence[Node]) -> float:
    return ctx.start / 1000


def f_end(ctx: EvalContext, t: int, args: Sequence[Node]) -> float:
    return ctx.end / 1000


def _min_max(pick: Callable[[float, float], float]) -> VectorImpl:
    def impl(ctx: EvalContext, t: int, args: Sequence[Node]) -> float:
        a, b = args[0].eval(ctx, t), args[1].eval(ctx, t)
        if a != a or b != b:
            return math.nan
        return pick(a, b)

    return impl


def f_native_only(ctx: EvalContext, t: int, args: Sequence[Node]) -> Vector:
    """histogram_count/sum/avg/stddev/stdvar: float samples are ignored, so floats give nothing."""
    for a in args:
        a.eval(ctx, t)
    return []


VECTOR_FUNCTIONS: dict[str, VectorImpl] = {name: _simple(fn) for name, fn in SIMPLE.items()}
VECTOR_FUNCTIONS.update({
    "clamp": f_clamp, "clamp_min": f_clamp_min, "clamp_max": f_clamp_max, "round": f_round,
    "timestamp": f_timestamp, "time": f_time, "pi": f_pi, "vector": f_vector, "scalar": f_scalar,
    "sort": f_sort, "sort_desc": f_sort_desc, "sort_by_label": _sort_by_label(False),
    "sort_by_label_desc": _sort_by_label(True), "label_join": f_label_join,
    "days_in_month": _date(_days_in_month), "day_of_month": _date(lambda d: float(d.day)),
    "day_of_week": _date(lambda d: float(d.isoweekday() % 7)),
    "day_of_year": _date(lambda d: float(d.timetuple().tm_yday)), "hour": _date(lambda d: float(d.hour)),
    "minute": _date(lambda d: float(d.minute)), "month": _date(lambda d: float(d.month)),
    "year": _date(lambda d: float(d.year)),
    "histogram_quantile": f_histogram_quantile, "histogram_fraction": f_histogram_fraction,
    "histogram_quantiles": f_histogram_quantiles, "step": f_step, "range": f_range, "start": f_start,
    "end": f_end, "min_of": _min_max(min), "max_of": _min_max(max),
    "histogram_count": f_native_only, "histogram_sum": f_native_only, "histogram_avg": f_native_only,
    "histogram_stddev": f_native_only, "histogram_stdvar": f_native_only,
})
KEEPS_LABELS = frozenset({"sort", "sort_desc", "sort_by_label", "sort_by_label_desc"})
