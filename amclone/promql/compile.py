"""Turns a syntax tree into a plan: a tree of nodes whose ``eval(ctx, t)`` does the work.

Everything that depends only on the query text is decided here, once: which function
implementation runs, which argument is the range vector, the labels ``absent`` would report,
compiled regexes for ``label_replace``. Rules evaluate the same plan every interval.
"""

from __future__ import annotations

from amclone.promql import ast
from amclone.promql.aggregate import AggregateNode
from amclone.promql.binop import BinaryNode
from amclone.promql.calls import AbsentOverTimeNode, RangeCallNode, VectorCallNode
from amclone.promql.errors import ParseError
from amclone.promql.functions_range import RANGE_FUNCTIONS
from amclone.promql.functions_vector import VECTOR_FUNCTIONS, absent_labels, make_absent, make_label_replace
from amclone.promql.nodes import (
    MatrixSelectorNode,
    Node,
    NumberNode,
    SelectorNode,
    StringNode,
    SubqueryNode,
    UnaryMinusNode,
)


def compile_expr(expr: ast.Expr) -> Node:
    if isinstance(expr, ast.NumberLiteral):
        return NumberNode(expr.value)
    if isinstance(expr, ast.StringLiteral):
        return StringNode(expr.value)
    if isinstance(expr, ast.VectorSelector):
        return SelectorNode(expr)
    if isinstance(expr, ast.MatrixSelector):
        return MatrixSelectorNode(SelectorNode(expr.selector), expr.range_ms)
    if isinstance(expr, ast.Subquery):
        return SubqueryNode(compile_expr(expr.expr), expr)
    if isinstance(expr, ast.Unary):
        return UnaryMinusNode(compile_expr(expr.expr))
    if isinstance(expr, ast.Binary):
        return BinaryNode(expr.op, compile_expr(expr.lhs), compile_expr(expr.rhs), expr.return_bool,
                          expr.matching)
    if isinstance(expr, ast.Aggregate):
        param = compile_expr(expr.param) if expr.param is not None else None
        return AggregateNode(expr.op, compile_expr(expr.expr), param, expr.without, expr.grouping)
    if isinstance(expr, ast.Call):
        return _call(expr)
    raise ParseError(f"unsupported expression {expr!r}")


def _call(expr: ast.Call) -> Node:
    name = expr.func
    args = [compile_expr(a) for a in expr.args]
    if name == "absent_over_time":
        m = args[0]
        assert isinstance(m, (MatrixSelectorNode, SubqueryNode))
        return AbsentOverTimeNode(m, absent_labels(expr.args[0]))
    fn = RANGE_FUNCTIONS.get(name)
    if fn is not None:
        idx = next(i for i, a in enumerate(args) if isinstance(a, (MatrixSelectorNode, SubqueryNode)))
        matrix = args[idx]
        assert isinstance(matrix, (MatrixSelectorNode, SubqueryNode))
        return RangeCallNode(name, fn, matrix, args[:idx] + args[idx + 1:])
    if name == "absent":
        return VectorCallNode(name, make_absent(absent_labels(expr.args[0])), args, ast.VECTOR)
    if name == "label_replace":
        return VectorCallNode(name, make_label_replace(expr.args), args, ast.VECTOR)
    impl = VECTOR_FUNCTIONS.get(name)
    if impl is None:
        raise ParseError(f"function {name!r} is not supported")
    return VectorCallNode(name, impl, args, expr.type)
