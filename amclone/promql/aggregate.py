"""Aggregation operators (``sum by (job) (...)`` and friends), one evaluation step at a time.

Numerics follow Prometheus: ``sum`` and ``avg`` use compensated (Kahan-Neumaier) summation, ``avg``
falls back to an incremental mean when the sum overflows, ``stddev``/``stdvar`` use Welford's
update, ``min``/``max`` ignore NaN unless nothing else is there. ``topk``/``bottomk``/``limitk``/
``limit_ratio`` keep the input series' labels; the others output only the grouping labels.
"""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

import heapq
import math
from typing import Any

from amclone.compat.goquote import quote
from amclone.labels.labelset import is_valid_utf8_name
from amclone.promql import ast
from amclone.promql.context import EvalContext
from amclone.promql.errors import EvalError
from amclone.promql.nodes import Node
from amclone.promql.ratio import ratio_keeps
from amclone.promql.value import (
    NAME,
    Sample,
    Vector,
    format_float,
    format_g,
    invalid_quantile,
    kahan_mean,
    quantile_of,
)
from amclone.tsdb.series import Labels

_K_OPS = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})


class AggregateNode(Node):
    __slots__ = ("_gset", "_keys", "expr", "grouping", "op", "param", "without")

    def __init__(self, op: str, expr: Node, param: Node | None, without: bool, grouping: tuple[str, ...]) -> None:
        self.type = ast.VECTOR
        self.op = op
        self.expr = expr
        self.param = param
        self.without = without
        self.grouping = tuple(sorted(grouping))
        self._gset = frozenset(grouping)
        self._keys: dict[Labels, Labels] = {}

    def _key(self, labels: Labels) -> Labels:
        key = self._keys.get(labels)
        if key is not None:
            return key
        g = self._gset
        if self.without:
            key = tuple(p for p in labels if p[0] not in g and p[0] != NAME)
        else:
            key = tuple(p for p in labels if p[0] in g)
        if len(self._keys) > 100_000:
            self._keys.clear()
        self._keys[labels] = key  # label sets repeat across evaluations: keep their group keys
        return key

    def eval(self, ctx: EvalContext, t: int) -> Vector:
        op = self.op
        if op == "count_values":
            return self._count_values(ctx, t)
        param: Any = self.param.eval(ctx, t) if self.param is not None else None
        vec: Vector = self.expr.eval(ctx, t)
        if op in _K_OPS:
            return self._k(ctx, param, vec)
        if op == "quantile" and (param != param or param < 0 or param > 1):
            ctx.warn(invalid_quantile(param))
        keys = self._keys
        key = self._key
        values: dict[Labels, list[float]] = {}
        dropped: set[Labels] = set()
        for s in vec:
            lbls = s.labels
            k = keys.get(lbls) or key(lbls)
            vals = values.get(k)
            if vals is None:
                values[k] = [s.value]
            else:
                vals.append(s.value)
            if s.drop_name:
                dropped.add(k)
        return [Sample(k, _aggregate(op, vals, param), k in dropped) for k, vals in values.items()]

    def _count_values(self, ctx: EvalContext, t: int) -> Vector:
        assert self.param is not None
        label = self.param.eval(ctx, t)
        if not label or not is_valid_utf8_name(label):
            raise EvalError(f"invalid label name {quote(label)}")
        vec: Vector = self.expr.eval(ctx, t)
        counts: dict[Labels, int] = {}
        g = self._gset
        for s in vec:
            lbls = dict(s.labels)
            lbls[label] = format_float(s.value)
            if self.without:
                k = tuple(sorted((n, v) for n, v in lbls.items() if n not in g and n != NAME))
            else:
                k = tuple(sorted((n, v) for n, v in lbls.items() if n in g or n == label))
            counts[k] = counts.get(k, 0) + 1
        return [Sample(k, float(c), False) for k, c in counts.items()]

    def _k(self, ctx: EvalContext, param: float, vec: Vector) -> Vector:
        op = self.op
        if op == "limit_ratio":
            if param == 0:
                return []
            if param != param:
                raise EvalError("Ratio value is NaN")
            if param > 1:
                ctx.warn(f"PromQL warning: ratio value should be between -1 and 1, got {format_g(param)}, capping to 1")
                param = 1.0
            elif param < -1:
                ctx.warn(f"PromQL warning: ratio value should be between -1 and 1, got {format_g(param)}, capping to -1")
                param = -1.0
            return [s for s in vec if ratio_keeps(param, s.labels)]
        if param != param:
            raise EvalError("Parameter value is NaN")
        if param < 1:
            return []
        if param >= 9.223372036854775807e18:
            raise EvalError(f"Scalar value {format_g(param)} overflows int64")
        k = min(int(param), len(vec))
        groups: dict[Labels, list[tuple[int, Sample]]] = {}
        key = self._key
        for i, s in enumerate(vec):
            groups.setdefault(key(s.labels), []).append((i, s))
        out: Vector = []
        for members in groups.values():
            if op == "limitk":
                out.extend(s for _, s in members[:k])
            elif op == "topk":
                best = heapq.nlargest(k, members, key=lambda m: (_nan_low(m[1].value), -m[0]))
                out.extend(s for _, s in best)
            else:
                best = heapq.nsmallest(k, members, key=lambda m: (_nan_high(m[1].value), m[0]))
                out.extend(s for _, s in best)
        return out


def _nan_low(v: float) -> float:
    return -math.inf if v != v else v


def _nan_high(v: float) -> float:
    return math.inf if v != v else v


def _aggregate(op: str, values: list[float], param: Any) -> float:
    if op == "sum":  # kahan_inc written out: this loop sees every sample of every group
        total, c = 0.0, 0.0
        for v in values:
            t = total + v
            if t - t != 0.0:  # t is ±Inf or NaN
                if math.isinf(t):
                    c = 0.0
            elif abs(total) >= abs(v):
                c += (total - t) + v
            else:
                c += (v - t) + total
            total = t
        return total if math.isinf(total) else total + c
    if op == "avg":
        return kahan_mean(values)
    if op == "count":
        return float(len(values))
    if op == "group":
        return 1.0
    if op == "max":
        best = values[0]
        for v in values[1:]:
            if best < v or best != best:
                best = v
        return best
    if op == "min":
        best = values[0]
        for v in values[1:]:
            if best > v or best != best:
                best = v
        return best
    if op in ("stddev", "stdvar"):
        first = values[0]
        if first != first or math.isinf(first):
            acc = math.nan
        else:
            acc = 0.0
        mean, n = first, 1.0
        for v in values[1:]:
            n += 1
            delta = v - mean
            mean += delta / n
            acc += delta * (v - mean)
        var = acc / n
        return math.sqrt(var) if op == "stddev" else var
    if op == "quantile":
        return quantile_of(float(param), values)
    raise EvalError(f"unknown aggregation {op}")
