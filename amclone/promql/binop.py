"""Binary operators: arithmetic, comparisons (filtering or ``bool``), set operators, and vector
matching with ``on``/``ignoring``/``group_left``/``group_right``, following Prometheus's
``VectorBinop``: the "one" side must have unique match signatures, results must be unique per
match group, and arithmetic drops the metric name at once while comparisons defer it.
"""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from functools import partial
from typing import Any

from amclone.promql import ast
from amclone.promql.context import EvalContext
from amclone.promql.errors import EvalError
from amclone.promql.nodes import Node
from amclone.promql.value import NAME, Sample, Vector, labels_str
from amclone.tsdb.series import Labels

_CACHE_MAX = 100_000


def _pow(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except (OverflowError, ValueError):
        if a != a or b != b:
            return math.nan
        if a == 0 and b < 0:
            return math.inf
        if a < 0 and b != int(b):
            return math.nan
        return math.inf if abs(a) > 1 or b < 0 else 0.0


def _div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0:
            return math.nan
        neg = (a < 0) != (math.copysign(1.0, b) < 0)
        return -math.inf if neg else math.inf


def _mod(a: float, b: float) -> float:
    """Go's ``math.Mod``: result has the sign of ``a``; NaN for b == 0 or infinite a."""
    if b == 0 or math.isinf(a) or a != a or b != b:
        return math.nan
    if math.isinf(b):
        return a
    return math.fmod(a, b)


def _sub(a: float, b: float) -> float:
    return a - b


ARITH: dict[str, Callable[[float, float], float]] = {
    "+": operator.add, "-": _sub, "*": operator.mul, "/": _div, "%": _mod, "^": _pow,
    "atan2": math.atan2,
}
COMPARE: dict[str, Callable[[float, float], bool]] = {
    "==": operator.eq, "!=": operator.ne, ">": operator.gt, "<": operator.lt, ">=": operator.ge,
    "<=": operator.le,
}


_FLIPPED: dict[str, Callable[[float, float], bool]] = {
    ">": operator.lt, "<": operator.gt, ">=": operator.le, "<=": operator.ge, "==": operator.eq, "!=": operator.ne,
}


def scalar_op(op: str, a: float, b: float) -> float:
    fn = ARITH.get(op)
    if fn is not None:
        return _safe(fn, a, b)
    return 1.0 if COMPARE[op](a, b) else 0.0


def _safe(fn: Callable[[float, float], float], a: float, b: float) -> float:
    try:
        return fn(a, b)
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan


class BinaryNode(Node):
    __slots__ = ("_include", "_pushdown", "_results", "_sig_names", "_sigs", "lhs", "matching", "op", "return_bool", "rhs")

    def __init__(self, op: str, lhs: Node, rhs: Node, return_bool: bool,
                 matching: ast.VectorMatching | None) -> None:
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.return_bool = return_bool
        self.matching = matching
        self.type = ast.SCALAR if lhs.type == ast.SCALAR and rhs.type == ast.SCALAR else ast.VECTOR
        self._sig_names = frozenset(matching.labels) if matching else frozenset()
        self._include = matching.include if matching else ()
        # `v > k` as `k < v` etc.: a predicate made by partial() runs in C (see eval)
        self._pushdown = None if return_bool else _FLIPPED.get(op)
        # Label sets repeat from one evaluation to the next (rules), so their match signatures
        # and result label sets are kept across evaluations (bounded; plain dicts are thread-safe).
        self._sigs: dict[Labels, Labels] = {}
        self._results: dict[tuple[Labels, Labels], Labels] = {}

    def eval(self, ctx: EvalContext, t: int) -> Any:
        lt, rt = self.lhs.type, self.rhs.type
        if lt == ast.SCALAR and rt == ast.SCALAR:
            return scalar_op(self.op, self.lhs.eval(ctx, t), self.rhs.eval(ctx, t))
        if lt == ast.VECTOR and rt == ast.VECTOR:
            lhs = self.lhs.eval(ctx, t)
            rhs = self.rhs.eval(ctx, t)
            if self.op == "and":
                return self._and(lhs, rhs)
            if self.op == "or":
                return self._or(lhs, rhs)
            if self.op == "unless":
                return self._unless(lhs, rhs)
            return self._vector_vector(lhs, rhs)
        if lt == ast.VECTOR:
            if self._pushdown is not None:
                where = getattr(self.lhs, "eval_where", None)
                if where is not None:  # filter while selecting: no samples for dropped series
                    return where(ctx, t, partial(self._pushdown, self.rhs.eval(ctx, t)))
            return self._vector_scalar(self.lhs.eval(ctx, t), self.rhs.eval(ctx, t), False)
        return self._vector_scalar(self.rhs.eval(ctx, t), self.lhs.eval(ctx, t), True)

    # --- matching ------------------------------------------------------------------------------

    def _signature(self, labels: Labels) -> Labels:
        sig = self._sigs.get(labels)
        if sig is not None:
            return sig
        names = self._sig_names
        assert self.matching is not None
        if self.matching.on:
            sig = tuple(p for p in labels if p[0] in names)
        else:
            sig = tuple(p for p in labels if p[0] not in names and p[0] != NAME)
        if len(self._sigs) > _CACHE_MAX:
            self._sigs.clear()
        self._sigs[labels] = sig
        return sig

    def _and(self, lhs: Vector, rhs: Vector) -> Vector:
        if not lhs or not rhs:
            return []
        sig = self._signature
        present = {sig(s.labels) for s in rhs}
        return [s for s in lhs if sig(s.labels) in present]

    def _or(self, lhs: Vector, rhs: Vector) -> Vector:
        if not lhs:
            return list(rhs)
        if not rhs:
            return list(lhs)
        sig = self._signature
        present = {sig(s.labels) for s in lhs}
        return list(lhs) + [s for s in rhs if sig(s.labels) not in present]

    def _unless(self, lhs: Vector, rhs: Vector) -> Vector:
        if not lhs or not rhs:
            return list(lhs)
        sig = self._signature
        present = {sig(s.labels) for s in rhs}
        return [s for s in lhs if sig(s.labels) not in present]

    def _result_labels(self, ls: Labels, rs: Labels) -> Labels:
        m = self.matching
        assert m is not None
        out = dict(ls)
        if self.op in ARITH:
            out.pop(NAME, None)
        if m.card == "one-to-one":
            if m.on:
                out = {k: v for k, v in out.items() if k in self._sig_names}
            else:
                for k in self._sig_names:
                    out.pop(k, None)
        if self._include:
            rmap = dict(rs)
            for k in self._include:
                v = rmap.get(k, "")
                if v:
                    out[k] = v
                else:
                    out.pop(k, None)
        return tuple(sorted(out.items()))

    def _vector_vector(self, lhs: Vector, rhs: Vector) -> Vector:
        m = self.matching
        assert m is not None
        if not lhs or not rhs:
            return []
        swap = m.card == "one-to-many"
        if swap:
            lhs, rhs = rhs, lhs
        sig = self._signature
        right: dict[Labels, Sample] = {}
        for rs in rhs:
            k = sig(rs.labels)
            dup = right.get(k)
            if dup is not None:
                side = "left" if swap else "right"
                raise EvalError(
                    f"found duplicate series for the match group {labels_str(k)} on the {side} hand-side of "
                    f"the operation: [{labels_str(rs.labels)}, {labels_str(dup.labels)}];many-to-many matching "
                    "not allowed: matching labels must be unique on one side")
            right[k] = rs
        arith = ARITH.get(self.op)
        cmp = COMPARE.get(self.op)
        rb = self.return_bool
        one_to_one = m.card == "one-to-one"
        matched: set[Labels] = set()
        inserted: dict[Labels, set[Labels]] = {}
        out: Vector = []
        for ls in lhs:
            k = sig(ls.labels)
            found = right.get(k)
            if found is None:
                continue
            rs = found
            fl, fr = (rs.value, ls.value) if swap else (ls.value, rs.value)
            if arith is not None:
                value, keep = _safe(arith, fl, fr), True
            else:
                assert cmp is not None
                value, keep = fl, cmp(fl, fr)
            if rb:
                value = 1.0 if keep else 0.0
            rk = (ls.labels, rs.labels)
            metric = self._results.get(rk)
            if metric is None:
                metric = self._result_labels(ls.labels, rs.labels)
                if len(self._results) > _CACHE_MAX:
                    self._results.clear()
                self._results[rk] = metric
            if one_to_one:
                if k in matched:
                    raise EvalError("multiple matches for labels: many-to-one matching must be explicit "
                                    "(group_left/group_right)")
                matched.add(k)
            else:
                seen = inserted.setdefault(k, set())
                if metric in seen:
                    raise EvalError("multiple matches for labels: grouping labels must ensure unique matches")
                seen.add(metric)
            if not keep and not rb:
                continue
            # Prometheus (delayed name removal on) resets the mark here, so `rate(a[1m]) > rate(b[1m])`
            # would come out named `a`; keeping it gives what Prometheus without the flag returns.
            out.append(Sample(metric, value, rb or ls.drop_name))
        return out

    def _vector_scalar(self, vec: Vector, scalar: float, swap: bool) -> Vector:
        op = self.op
        arith = ARITH.get(op)
        rb = self.return_bool
        out: Vector = []
        append = out.append
        if arith is not None:
            for s in vec:
                a, b = (scalar, s.value) if swap else (s.value, scalar)
                append(Sample(s.labels, _safe(arith, a, b), True))
            return out
        cmp = COMPARE[op]
        for s in vec:
            a, b = (scalar, s.value) if swap else (s.value, scalar)
            keep = cmp(a, b)
            if rb:
                append(Sample(s.labels, 1.0 if keep else 0.0, True))
            elif keep:
                append(Sample(s.labels, s.value, s.drop_name))
        return out
