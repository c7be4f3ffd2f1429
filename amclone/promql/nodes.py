"""Leaf and structural plan nodes: literals, selectors, range selectors, subqueries, unary minus.

Every node has ``eval(ctx, t)`` returning the value at evaluation time ``t`` (ms): a float for
scalars, ``str`` for strings, a `Vector` or a `Matrix`. Range queries call the root once per step;
selectors fetch their series once per execution (cached in the context) and then only bisect.
"""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

from amclone.promql import ast
from amclone.promql.context import EvalContext
from amclone.promql.value import Matrix, Sample, Series, Vector
from amclone.tsdb.series import MemSeries
from amclone.tsdb.stale import is_stale

_MIN_T = -(1 << 62)
_MAX_T = 1 << 62


class Node:
    """Base of all plan nodes."""

    __slots__ = ("type",)
    type: str

    def eval(self, ctx: EvalContext, t: int) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError


class NumberNode(Node):
    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.type = ast.SCALAR
        self.value = value

    def eval(self, ctx: EvalContext, t: int) -> float:
        return self.value


class StringNode(Node):
    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.type = ast.STRING
        self.value = value

    def eval(self, ctx: EvalContext, t: int) -> str:
        return self.value


def at_time(at: ast.At | None, ctx: EvalContext, t: int) -> int:
    """The time a selector looks at: ``@`` pins it (``start()``/``end()`` are the query's)."""
    if at is None:
        return t
    if at.kind == "time":
        return at.ms
    return ctx.start if at.kind == "start" else ctx.end


class SelectorNode(Node):
    """An instant vector selector: per series the newest sample in ``(t - lookback, t]``."""

    __slots__ = ("sel",)

    def __init__(self, sel: ast.VectorSelector) -> None:
        self.type = ast.VECTOR
        self.sel = sel

    def series(self, ctx: EvalContext) -> Sequence[MemSeries]:
        key = id(self)
        found = ctx.series_cache.get(key)
        if found is None:
            found = ctx.querier.select(self.sel.matchers, _MIN_T, _MAX_T)
            ctx.series_cache[key] = found
        return found

    def eval(self, ctx: EvalContext, t: int) -> Vector:
        return self.eval_where(ctx, t, None)

    def eval_where(self, ctx: EvalContext, t: int, keep: Callable[[float], bool] | None) -> Vector:
        """Like `eval`, keeping only values ``keep`` accepts: ``x > 5`` then builds no sample for
        the series it drops (most alert rules match nothing most of the time)."""
        ref = at_time(self.sel.at, ctx, t) - self.sel.offset_ms
        lo = ref - ctx.lookback
        out: Vector = []
        append = out.append
        for s in self.series(ctx):
            ts, vs = s.data
            i = bisect_right(ts, ref) - 1
            if i < 0:
                if s.closed:  # older than the plain arrays: look in the packed chunks
                    hit = s.last_sample_at(ref, ctx.lookback)
                    if hit is not None and (keep is None or keep(hit[1])):
                        append(Sample(s.labels, hit[1], False))
                continue
            if ts[i] <= lo:
                continue
            v = vs[i]
            if v != v and s.stale_count and is_stale(v):
                continue
            if keep is None or keep(v):
                append(Sample(s.labels, v, False))
        return out

    def eval_with_times(self, ctx: EvalContext, t: int) -> list[tuple[Sample, int]]:
        """Samples with their own timestamps, for ``timestamp(selector)`` (off the hot path)."""
        ref = at_time(self.sel.at, ctx, t) - self.sel.offset_ms
        out = []
        for s in self.series(ctx):
            hit = s.last_sample_at(ref, ctx.lookback)
            if hit is not None:
                out.append((Sample(s.labels, hit[1], False), hit[0]))
        return out


class MatrixSelectorNode(Node):
    """A range selector: per series the samples in ``(t - range, t]`` (left-open, Prometheus 3)."""

    __slots__ = ("range_ms", "selector")

    def __init__(self, selector: SelectorNode, range_ms: int) -> None:
        self.type = ast.MATRIX
        self.selector = selector
        self.range_ms = range_ms

    @property
    def offset_ms(self) -> int:
        return self.selector.sel.offset_ms

    def ref_time(self, ctx: EvalContext, t: int) -> int:
        return at_time(self.selector.sel.at, ctx, t) - self.selector.sel.offset_ms

    def eval(self, ctx: EvalContext, t: int) -> Matrix:
        ref = self.ref_time(ctx, t)
        mint = ref - self.range_ms
        out: Matrix = []
        loaded = 0
        for s in self.selector.series(ctx):
            tl, vl = s.window(mint, ref)
            if tl:
                out.append(Series(s.labels, tl, vl, False))
                loaded += len(tl)
        ctx.load(loaded)
        return out


class SubqueryNode(Node):
    """``expr[range:step]``: the inner expression at absolute multiples of step in ``(t-range, t]``."""

    __slots__ = ("at", "inner", "offset", "range_ms", "step_ms")

    def __init__(self, inner: Node, q: ast.Subquery) -> None:
        self.type = ast.MATRIX
        self.inner = inner
        self.range_ms = q.range_ms
        self.step_ms = q.step_ms
        self.offset = q.offset_ms
        self.at = q.at

    @property
    def offset_ms(self) -> int:
        return self.offset

    def ref_time(self, ctx: EvalContext, t: int) -> int:
        return at_time(self.at, ctx, t) - self.offset

    def eval(self, ctx: EvalContext, t: int) -> Matrix:
        ref = self.ref_time(ctx, t)
        step = self.step_ms or ctx.sub_step
        first = ref - self.range_ms
        start = (first // step) * step
        if start <= first:
            start += step
        rows: dict[Any, tuple[list[int], list[float], bool]] = {}
        memo = ctx.memo
        key = id(self)
        inner = self.inner
        scalar = inner.type == ast.SCALAR
        ti = start
        ctx.check_deadline()
        while ti <= ref:
            mk = (key, ti)
            vec = memo.get(mk)
            if vec is None:
                val = inner.eval(ctx, ti)
                vec = [Sample((), val, False)] if scalar else val
                memo[mk] = vec
            ctx.load(len(vec))
            for smp in vec:
                row = rows.get(smp.labels)
                if row is None:
                    row = ([], [], smp.drop_name)
                    rows[smp.labels] = row
                row[0].append(ti)
                row[1].append(smp.value)
            ti += step
        return [Series(lb, tl, vl, d) for lb, (tl, vl, d) in rows.items()]


class UnaryMinusNode(Node):
    __slots__ = ("inner",)

    def __init__(self, inner: Node) -> None:
        self.type = inner.type
        self.inner = inner

    def eval(self, ctx: EvalContext, t: int) -> Any:
        val = self.inner.eval(ctx, t)
        if self.type == ast.SCALAR:
            return -val
        return [Sample(s.labels, -s.value, True) for s in val]
