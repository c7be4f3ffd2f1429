"""Plan nodes for function calls: one for functions over a range vector, one for the rest."""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

from amclone.promql import ast
from amclone.promql.context import EvalContext
from amclone.promql.functions_range import IN_PLACE, KEEPS_NAME, RangeFn, _extrapolated, counter_resets
from amclone.promql.functions_vector import VectorImpl
from amclone.promql.nodes import MatrixSelectorNode, Node, SubqueryNode
from amclone.promql.value import NAME, Sample, Vector, get_label, invalid_quantile
from amclone.tsdb.matchers import MatchOp
from amclone.tsdb.series import Labels

_COUNTER_SUFFIXES = ("_total", "_sum", "_count", "_bucket")


class RangeCallNode(Node):
    """``f(range_vector, scalars...)``: evaluates the window per series, then ``fn`` on it."""

    __slots__ = ("by_index", "check_counter", "extrapolated", "fixed_name", "fn", "keeps_name", "matrix", "name", "scalars")

    def __init__(self, name: str, fn: RangeFn, matrix: MatrixSelectorNode | SubqueryNode,
                 scalars: Sequence[Node]) -> None:
        self.type = ast.VECTOR
        self.name = name
        self.fn = fn
        self.matrix = matrix
        self.scalars = tuple(scalars)
        self.keeps_name = name in KEEPS_NAME
        self.check_counter = name in ("rate", "increase")
        self.extrapolated = name in ("rate", "increase", "delta")
        self.by_index = IN_PLACE.get(name)
        self.fixed_name = None
        if isinstance(matrix, MatrixSelectorNode):
            self.fixed_name = next((m.value for m in matrix.selector.sel.matchers
                                    if m.name == NAME and m.op is MatchOp.EQUAL), None)

    def eval(self, ctx: EvalContext, t: int) -> Vector:
        return self.eval_where(ctx, t, None)

    def eval_where(self, ctx: EvalContext, t: int, keep: Callable[[float], bool] | None) -> Vector:
        """`eval`, keeping only values ``keep`` accepts (``rate(x[5m]) > 10`` filters in place)."""
        matrix = self.matrix
        ref = matrix.ref_time(ctx, t)
        range_ms = matrix.range_ms
        start = ref - range_ms
        args = [a.eval(ctx, t) for a in self.scalars]
        if self.name == "quantile_over_time" and matrix_nonempty(matrix, ctx, t):
            q = args[0]
            if q != q or q < 0 or q > 1:
                ctx.warn(invalid_quantile(q))
        fn = self.fn
        keeps = self.keeps_name
        out: Vector = []
        if isinstance(matrix, MatrixSelectorNode):
            if self.extrapolated:
                self._extrapolated(ctx, matrix, start, ref, range_ms, out, keep)
                return out
            else:
                self._in_place(ctx, matrix, start, ref, range_ms, t, args, out)
        else:
            for s in matrix.eval(ctx, t):
                v = fn(s.ts, s.vs, start, ref, range_ms, t, args)
                if v is not None:
                    out.append(Sample(s.labels, v, s.drop_name or not keeps))
        if self.check_counter:
            for smp in out:
                _check_counter_name(ctx, smp.labels)
        if keep is not None:
            out = [smp for smp in out if keep(smp.value)]
        return out

    def _in_place(self, ctx: EvalContext, matrix: MatrixSelectorNode, start: int, end: int, range_ms: int,
                  t: int, args: list[Any], out: Vector) -> None:
        """The other functions over a selector, with no intermediate range vector: a plain window
        (no stale markers, nothing packed) is located by bisect and read in place, by index for
        the functions in IN_PLACE, else as one slice of the arrays."""
        fn = self.fn
        by_index = self.by_index
        drop_name = not self.keeps_name
        loaded = 0
        append = out.append
        bisect = bisect_right
        for ms in matrix.selector.series(ctx):
            ts, vs = ms.data  # before `closed`: see MemSeries._snapshot
            closed = ms.closed
            if ms.stale_count or (closed and start < closed[-1].maxt):
                tl, vl = ms.window(start, end)
                if not tl:
                    continue
                loaded += len(tl)
                v = fn(tl, vl, start, end, range_ms, t, args)
            else:
                hi = len(ts) - 1
                if hi < 0:
                    continue
                if ts[hi] > end:
                    hi = bisect(ts, end) - 1
                lo = bisect(ts, start)
                if hi < lo:
                    continue
                loaded += hi - lo + 1
                if by_index is not None:
                    v = by_index(ts, vs, lo, hi, ms.last_drop_t)
                else:
                    v = fn(ts[lo:hi + 1], vs[lo:hi + 1], start, end, range_ms, t, args)
            if v is not None:
                append(Sample(ms.labels, v, drop_name))
        ctx.load(loaded)

    def _extrapolated(self, ctx: EvalContext, matrix: MatrixSelectorNode, start: int, end: int,
                      range_ms: int, out: Vector, keep: Callable[[float], bool] | None) -> None:
        """rate/increase/delta over a selector: reads first and last samples in place and scans a
        window for counter resets only if the series ever decreased inside it. The arithmetic is
        `extrapolate`'s, written out here because this loop runs once per series per evaluation;
        series scraped together (one target's) share a window's timestamps, so the extrapolation
        factor is reused while the shape repeats (same operations in the same order: same bits)."""
        counter = self.name != "delta"
        is_rate = self.name == "rate"
        # With `__name__="x"` in the selector every series has that name: check it once.
        per_series_check = self.check_counter and self.fixed_name is None
        produced = False
        loaded = 0
        append = out.append
        bisect = bisect_right
        range_s = range_ms / 1000
        shape_first = shape_span = shape_n = 0
        sampled = threshold = half = edge_start = edge_end = scale = 1.0
        for ms in matrix.selector.series(ctx):
            ts, vs = ms.data  # before `closed`: see MemSeries._snapshot
            closed = ms.closed
            if ms.stale_count or (closed and start < closed[-1].maxt):
                tl, vl = ms.window(start, end)
                loaded += len(tl)
                v = _extrapolated(tl, vl, start, end, range_ms, counter, is_rate)
                if v is None:
                    continue
            else:
                hi = len(ts) - 1
                if hi <= 0:
                    continue
                last_t = ts[hi]
                if last_t > end:  # evaluating in the past: the common "now" needs no second search
                    hi = bisect(ts, end) - 1
                    last_t = ts[hi]
                    lo = bisect(ts, start)
                else:
                    # Guess the window holds as many samples as the previous series' (same
                    # scrape interval); one comparison confirms it, else search.
                    lo = hi - shape_n
                    if not (lo > 0 and ts[lo - 1] <= start < ts[lo]):
                        lo = bisect(ts, start)
                if hi <= lo:
                    continue
                n = hi - lo
                loaded += n + 1
                first_v = vs[lo]
                first_t = ts[lo]
                result = vs[hi] - first_v
                if counter and ms.last_drop_t > first_t:  # a decrease may lie inside: scan for resets
                    result += counter_resets(vs[lo:hi + 1])
                span = last_t - first_t
                if span != shape_span or n != shape_n:
                    # Series on one scrape interval share the sampled span and sample count.
                    shape_span, shape_n, shape_first = span, n, -1
                    sampled = span / 1000
                    avg = sampled / n
                    threshold = avg * 1.1
                    half = avg / 2
                if first_t != shape_first:
                    # Series scraped together (one target's) share the window's edges too.
                    shape_first = first_t
                    edge_start = (first_t - start) / 1000
                    edge_end = (end - last_t) / 1000
                    if edge_start >= threshold:
                        edge_start = half
                    if edge_end >= threshold:
                        edge_end = half
                    # sampled > 0: timestamps strictly increase and the window holds two samples
                    factor = (sampled + edge_start + edge_end) / sampled
                    scale = factor / range_s if is_rate else factor
                if counter and result > 0 and first_v >= 0:
                    to_zero = sampled * (first_v / result)
                    if to_zero < edge_start:  # never extrapolate a counter below zero
                        factor = (sampled + to_zero + edge_end) / sampled
                        v = result * (factor / range_s) if is_rate else result * factor
                    else:
                        v = result * scale
                else:
                    v = result * scale
            produced = True
            if per_series_check:
                _check_counter_name(ctx, ms.labels)
            if keep is None or keep(v):
                append(Sample(ms.labels, v, True))
        ctx.load(loaded)
        if produced and self.check_counter and self.fixed_name is not None:
            _check_counter_name(ctx, (("__name__", self.fixed_name),))


def _check_counter_name(ctx: EvalContext, lbls: Labels) -> None:
    """Prometheus's info for rate()/increase() over a name that does not look like a counter."""
    name = lbls[0][1] if lbls and lbls[0][0] == NAME else get_label(lbls, NAME)
    if name and not name.endswith(_COUNTER_SUFFIXES):
        ctx.info("PromQL info: metric might not be a counter, name does not end in "
                 f'_total/_sum/_count/_bucket: "{name}"')


def matrix_nonempty(matrix: MatrixSelectorNode | SubqueryNode, ctx: EvalContext, t: int) -> bool:
    return bool(matrix.eval(ctx, t))


class AbsentOverTimeNode(Node):
    __slots__ = ("labels", "matrix")

    def __init__(self, matrix: MatrixSelectorNode | SubqueryNode, labels: Labels) -> None:
        self.type = ast.VECTOR
        self.matrix = matrix
        self.labels = labels

    def eval(self, ctx: EvalContext, t: int) -> Vector:
        if self.matrix.eval(ctx, t):
            return []
        return [Sample(self.labels, 1.0, False)]


class VectorCallNode(Node):
    __slots__ = ("args", "impl", "name")

    def __init__(self, name: str, impl: VectorImpl, args: Sequence[Node], type_: str) -> None:
        self.type = type_
        self.name = name
        self.impl = impl
        self.args = tuple(args)

    def eval(self, ctx: EvalContext, t: int) -> Any:
        return self.impl(ctx, t, self.args)
