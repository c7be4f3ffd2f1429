"""The query engine: compile PromQL once into a `Plan`, run it as instant or range query.

Rules call `Engine.compile` once per rule and `Plan.instant(t)` every interval; the HTTP API
compiles per request (compilation is cached by text). Results are Prometheus 3's: delayed
``__name__`` removal at the end, duplicate label sets are an error, range results are sorted.
Times are int milliseconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from amclone.promql import ast
from amclone.promql.compile import compile_expr
from amclone.promql.context import (
    DEFAULT_LOOKBACK_MS,
    DEFAULT_MAX_SAMPLES,
    DEFAULT_SUBQUERY_STEP_MS,
    EvalContext,
)
from amclone.promql.errors import NON_POSITIVE_STEP_TEXT, EvalError
from amclone.promql.nodes import Node
from amclone.promql.parse import parse
from amclone.promql.value import Matrix, Sample, Series, Vector, without_name
from amclone.tsdb.head import Querier
from amclone.tsdb.series import Labels

Value = float | str | Vector | Matrix
_DUP = "vector cannot contain metrics with the same labelset"


@dataclass(frozen=True, slots=True)
class Result:
    """A finished query: ``type`` is "scalar" | "string" | "vector" | "matrix"."""

    type: str
    value: Any
    warnings: tuple[str, ...] = ()
    infos: tuple[str, ...] = ()
    timestamp: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class Plan:
    """A compiled query, reusable across executions and safe to share between them."""

    __slots__ = ("engine", "expr", "root", "text")

    def __init__(self, text: str, expr: ast.Expr, root: Node, engine: Engine) -> None:
        self.text = text
        self.expr = expr
        self.root = root
        self.engine = engine

    @property
    def type(self) -> str:
        return self.root.type

    @property
    def lookbehind_ms(self) -> int:
        """How much history before the evaluation time this query reads (see `ast.lookbehind_ms`)."""
        return ast.lookbehind_ms(self.expr, self.engine.lookback_ms)

    def _ctx(self, start: int, end: int, step: int, lookback_ms: int | None, timeout_s: float | None) -> EvalContext:
        e = self.engine
        ctx = EvalContext(e.querier, start, end, step, lookback_ms or e.lookback_ms, e.subquery_step_ms)
        ctx.max_samples = e.max_samples
        if timeout_s:
            ctx.deadline = time.monotonic() + timeout_s
        return ctx

    def instant(self, t: int, lookback_ms: int | None = None, timeout_s: float | None = None) -> Result:
        """Evaluate at ``t``; ``lookback_ms`` overrides the engine's lookback for this query."""
        ctx = self._ctx(t, t, 0, lookback_ms, timeout_s)
        value = self.root.eval(ctx, t)
        kind = self.root.type
        if kind == ast.VECTOR:
            value = _clean_vector(value)
        elif kind == ast.MATRIX:
            value = _merge_matrix([s for s in value if s.ts])
        return Result(kind, value, tuple(ctx.warnings), tuple(ctx.infos), t)

    def range(self, start: int, end: int, step: int, lookback_ms: int | None = None,
              timeout_s: float | None = None) -> Result:
        kind = self.root.type
        if kind not in (ast.VECTOR, ast.SCALAR):
            shown = "range vector" if kind == ast.MATRIX else kind
            raise EvalError(f'invalid expression type "{shown}" for range query, must be Scalar or instant Vector')
        if step <= 0:
            raise EvalError(NON_POSITIVE_STEP_TEXT)
        ctx = self._ctx(start, end, step, lookback_ms, timeout_s)
        rows: dict[tuple[Labels, bool], tuple[list[int], list[float]]] = {}
        t = start
        root = self.root
        kept = 0  # result points so far: with this step's working set, what the query holds
        while t <= end:
            ctx.check_deadline()
            ctx.loaded = kept
            value = root.eval(ctx, t)
            if kind == ast.SCALAR:
                value = [Sample((), value, False)]
            ctx.load(len(value))
            kept += len(value)
            for s in value:
                k = (s.labels, s.drop_name)
                row = rows.get(k)
                if row is None:
                    row = ([], [])
                    rows[k] = row
                row[0].append(t)
                row[1].append(s.value)
            t += step
        if _has_sort(self.expr):
            ctx.warn("PromQL warning: sort is ineffective for range queries since results are always "
                     "ordered by labels")
        return Result(ast.MATRIX, _merge_matrix([Series(k[0], r[0], r[1], k[1]) for k, r in rows.items()]), tuple(ctx.warnings), tuple(ctx.infos))


def _has_sort(expr: ast.Expr) -> bool:
    return any(isinstance(n, ast.Call) and n.func in ("sort", "sort_desc", "sort_by_label", "sort_by_label_desc")
               for n in ast.walk(expr))


def _clean_vector(vec: Vector) -> Vector:
    out: Vector = []
    seen: set[Labels] = set()
    for s in vec:
        labels = without_name(s.labels) if s.drop_name else s.labels
        if labels in seen:
            raise EvalError(_DUP)
        seen.add(labels)
        out.append(Sample(labels, s.value, False))
    return out


def _merge_matrix(mat: Matrix) -> Matrix:
    merged: dict[Labels, Series] = {}
    for s in mat:
        labels = without_name(s.labels) if s.drop_name else s.labels
        have = merged.get(labels)
        if have is None:
            merged[labels] = Series(labels, list(s.ts), list(s.vs), False)
            continue
        if set(have.ts) & set(s.ts):
            raise EvalError(_DUP)
        points = sorted(zip(list(have.ts) + list(s.ts), list(have.vs) + list(s.vs)))
        merged[labels] = Series(labels, [p[0] for p in points], [p[1] for p in points], False)
    return sorted(merged.values(), key=lambda s: s.labels)


class Engine:
    """Holds the querier and options; `compile` turns text into a reusable `Plan`."""

    def __init__(self, querier: Querier, lookback_ms: int = DEFAULT_LOOKBACK_MS,
                 subquery_step_ms: int = DEFAULT_SUBQUERY_STEP_MS, max_samples: int = DEFAULT_MAX_SAMPLES) -> None:
        self.querier = querier
        self.lookback_ms = lookback_ms
        self.subquery_step_ms = subquery_step_ms
        self.max_samples = max_samples

    def compile(self, text: str) -> Plan:
        """Parse and plan ``text``; raises `ParseError` for invalid PromQL."""
        expr = parse(text)
        return Plan(text, expr, compile_expr(expr), self)

    def compile_ast(self, expr: ast.Expr, text: str = "") -> Plan:
        return Plan(text, expr, compile_expr(expr), self)

    def instant(self, text: str, t: int) -> Result:
        return self.compile(text).instant(t)

    def range(self, text: str, start: int, end: int, step: int) -> Result:
        return self.compile(text).range(start, end, step)
