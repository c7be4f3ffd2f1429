"""PromQL syntax tree as our own frozen values.

The parser library's objects are Rust handles (not picklable, awkward to compare), so the adapter in
`amclone.promql.parse` converts them once into these. Times are int milliseconds; `type` is the
PromQL value type the node yields ("scalar", "vector", "matrix", "string").
"""

from __future__ import annotations

from dataclasses import dataclass

from amclone.tsdb.matchers import SeriesMatcher

SCALAR, VECTOR, MATRIX, STRING = "scalar", "vector", "matrix", "string"


@dataclass(frozen=True, slots=True)
class At:
    """An ``@`` modifier: a fixed time, or the query's ``start()`` / ``end()``."""

    kind: str  # "time" | "start" | "end"
    ms: int = 0


@dataclass(frozen=True, slots=True)
class NumberLiteral:
    value: float
    type = SCALAR


@dataclass(frozen=True, slots=True)
class StringLiteral:
    value: str
    type = STRING


@dataclass(frozen=True, slots=True)
class VectorSelector:
    name: str | None
    matchers: tuple[SeriesMatcher, ...]
    offset_ms: int = 0
    at: At | None = None
    type = VECTOR


@dataclass(frozen=True, slots=True)
class MatrixSelector:
    selector: VectorSelector
    range_ms: int
    type = MATRIX


@dataclass(frozen=True, slots=True)
class Subquery:
    expr: Expr
    range_ms: int
    step_ms: int  # 0: the engine's default subquery step
    offset_ms: int = 0
    at: At | None = None
    type = MATRIX


@dataclass(frozen=True, slots=True)
class Unary:
    """Unary minus (unary plus is dropped by the parser)."""

    expr: Expr

    @property
    def type(self) -> str:
        return self.expr.type


@dataclass(frozen=True, slots=True)
class VectorMatching:
    card: str  # "one-to-one" | "many-to-one" | "one-to-many" | "many-to-many"
    on: bool
    labels: tuple[str, ...]
    include: tuple[str, ...]  # group_left/group_right labels


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    lhs: Expr
    rhs: Expr
    return_bool: bool
    matching: VectorMatching | None

    @property
    def type(self) -> str:
        if self.lhs.type == SCALAR and self.rhs.type == SCALAR:
            return SCALAR
        return VECTOR


@dataclass(frozen=True, slots=True)
class Aggregate:
    op: str
    expr: Expr
    param: Expr | None
    without: bool
    grouping: tuple[str, ...]
    type = VECTOR


@dataclass(frozen=True, slots=True)
class Call:
    func: str
    args: tuple[Expr, ...]
    return_type: str

    @property
    def type(self) -> str:
        return self.return_type


Expr = (
    NumberLiteral | StringLiteral | VectorSelector | MatrixSelector | Subquery | Unary | Binary | Aggregate | Call
)

COMPARISON_OPS = frozenset({"==", "!=", ">", "<", ">=", "<="})
SET_OPS = frozenset({"and", "or", "unless"})


def walk(expr: Expr) -> list[Expr]:
    """Every node, parents before children (used to find selectors and special functions)."""
    out: list[Expr] = []
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, (Unary, Subquery)):
            stack.append(node.expr)
        elif isinstance(node, MatrixSelector):
            stack.append(node.selector)
        elif isinstance(node, Binary):
            stack.extend((node.rhs, node.lhs))
        elif isinstance(node, Aggregate):
            stack.append(node.expr)
            if node.param is not None:
                stack.append(node.param)
        elif isinstance(node, Call):
            stack.extend(reversed(node.args))
    return out


def lookbehind_ms(expr: Expr, lookback_ms: int) -> int:
    """How far before the evaluation time ``expr`` reads samples (ranges, offsets, subqueries and
    the instant lookback): the retention a rule needs. ``@`` pins are ignored (they read a fixed
    time, which retention cannot promise anyway)."""

    def walk(node: Expr) -> int:
        if isinstance(node, VectorSelector):
            return node.offset_ms + lookback_ms
        if isinstance(node, MatrixSelector):
            return node.selector.offset_ms + node.range_ms
        if isinstance(node, Subquery):
            return node.offset_ms + node.range_ms + walk(node.expr)
        if isinstance(node, Unary):
            return walk(node.expr)
        if isinstance(node, Binary):
            return max(walk(node.lhs), walk(node.rhs))
        if isinstance(node, Aggregate):
            return max(walk(node.expr), walk(node.param) if node.param is not None else 0)
        if isinstance(node, Call):
            return max((walk(a) for a in node.args), default=0)
        return 0

    return max(0, walk(expr))
