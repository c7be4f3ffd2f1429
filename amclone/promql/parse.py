"""The one place that talks to the ``promql-parser`` package: text in, `amclone.promql.ast` out.

Keeping the library behind this adapter means its quirks are handled once: operator tokens compare
only through ``str()``, ``@`` times before the epoch cannot be read as attributes (the Rust side
panics), and it accepts a few things Prometheus 3 does not (``or`` inside selectors).
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import Any

import promql_parser as pp

from amclone.promql import ast
from amclone.promql.errors import ParseError
from amclone.tsdb.matchers import MatchOp, RegexError, SeriesMatcher

_MATCH_OPS = {
    "MatchOp.Equal": MatchOp.EQUAL,
    "MatchOp.NotEqual": MatchOp.NOT_EQUAL,
    "MatchOp.Re": MatchOp.REGEX,
    "MatchOp.NotRe": MatchOp.NOT_REGEX,
}
_CARD = {
    "VectorMatchCardinality.OneToOne": "one-to-one",
    "VectorMatchCardinality.ManyToOne": "many-to-one",
    "VectorMatchCardinality.OneToMany": "one-to-many",
    "VectorMatchCardinality.ManyToMany": "many-to-many",
}
_TYPES = {"ValueType.Vector": ast.VECTOR, "ValueType.Scalar": ast.SCALAR, "ValueType.Matrix": ast.MATRIX,
          "ValueType.String": ast.STRING}
_SYSTIME = re.compile(r"At\(\s*SystemTime \{\s*tv_sec: (-?\d+),\s*tv_nsec: (\d+),")


@lru_cache(maxsize=4096)
def parse(text: str) -> ast.Expr:
    """Parse a PromQL expression; raises `ParseError` with the parser's message."""
    try:
        raw = pp.parse(text)
    except ValueError as exc:
        raise ParseError(_prometheus_wording(str(exc))) from None
    except BaseException as exc:  # pyo3 panics are BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise ParseError(f"parse error: {exc}") from None
    fixes = _invalid_utf8_strings(text)
    return _convert(raw, fixes)


_STRING_LIT = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_HEX_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")


def _invalid_utf8_strings(text: str) -> dict[str, str]:
    """Go strings are bytes: ``"a\\xc5z"`` is not valid UTF-8 there, so it is no valid label name.
    The parser decodes ``\\xNN`` to code point NN; map such values to a surrogate-escaped form
    that still fails UTF-8 encoding, so validation downstream rejects them as Prometheus does."""
    out: dict[str, str] = {}
    if "\\x" not in text:
        return out
    for lit in _STRING_LIT.findall(text):
        if not _HEX_ESCAPE.search(lit):
            continue
        try:
            raw = lit[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1")
        except (UnicodeError, ValueError):
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            as_parsed = raw.decode("latin-1")
            out[as_parsed] = raw.decode("utf-8", "surrogateescape")
    return out


_TYPE_NAMES = {"matrix": "range vector", "vector": "instant vector", "scalar": "scalar", "string": "string"}
_QUOTED = re.compile(r"'([^']*)'")
_TYPES_IN = re.compile(r"expected type (\w+) in call to function '([^']*)', got (\w+)")


def _prometheus_wording(message: str) -> str:
    """The parser library says ``'rate'`` and ``matrix``; Prometheus says ``"rate"`` and ``range vector``."""
    m = _TYPES_IN.search(message)
    if m:
        want, func, got = m.groups()
        return (f'expected type {_TYPE_NAMES.get(want, want)} in call to function "{func}", '
                f"got {_TYPE_NAMES.get(got, got)}")
    return _QUOTED.sub(r'"\1"', message)


def _ms(td: timedelta | None) -> int:
    if td is None:
        return 0
    return td.days * 86_400_000 + td.seconds * 1000 + td.microseconds // 1000


def _at(node: Any) -> ast.At | None:
    at = node.at
    if at is None:
        return None
    kind = str(at.type)
    if kind.endswith("Start"):
        return ast.At("start")
    if kind.endswith("End"):
        return ast.At("end")
    # Reading ``at.at`` panics inside the Rust binding for times before the epoch; the debug form
    # always carries the time, and the node's own modifier is the last one printed.
    found = _SYSTIME.findall(repr(node))
    if not found:
        raise ParseError("unsupported @ timestamp")
    sec, nsec = found[-1]
    return ast.At("time", int(sec) * 1000 + int(nsec) // 1_000_000)


def _selector(node: Any) -> ast.VectorSelector:
    ms = node.matchers
    if ms.or_matchers:
        raise ParseError('unexpected identifier "or" in label matching, expected "," or "}"')
    matchers: list[SeriesMatcher] = []
    try:
        if node.name is not None:
            matchers.append(SeriesMatcher("__name__", MatchOp.EQUAL, node.name))
        for m in ms.matchers:
            matchers.append(SeriesMatcher(m.name, _MATCH_OPS[str(m.op).split("(")[0]], m.value))
    except RegexError as exc:
        raise ParseError(str(exc)) from None
    return ast.VectorSelector(node.name, tuple(matchers), _ms(node.offset), _at(node))


def _convert(node: Any, fixes: dict[str, str] | None = None) -> ast.Expr:
    if fixes is None:
        fixes = {}
    if isinstance(node, pp.ParenExpr):
        return _convert(node.expr, fixes)
    if isinstance(node, pp.NumberLiteral):
        return ast.NumberLiteral(float(node.val))
    if isinstance(node, pp.StringLiteral):
        return ast.StringLiteral(fixes.get(node.val, node.val))
    if isinstance(node, pp.VectorSelector):
        return _selector(node)
    if isinstance(node, pp.MatrixSelector):
        return ast.MatrixSelector(_selector(node.vector_selector), _ms(node.range))
    if isinstance(node, pp.SubqueryExpr):
        return ast.Subquery(_convert(node.expr, fixes), _ms(node.range), _ms(node.step), _ms(node.offset), _at(node))
    if isinstance(node, pp.UnaryExpr):
        inner = _convert(node.expr, fixes)
        if isinstance(inner, ast.NumberLiteral):
            return ast.NumberLiteral(-inner.value)
        return ast.Unary(inner)
    if isinstance(node, pp.BinaryExpr):
        return _binary(node, fixes)
    if isinstance(node, pp.AggregateExpr):
        mod = node.modifier
        without = mod is not None and str(mod.type).endswith("Without")
        grouping = tuple(mod.labels) if mod is not None else ()
        param = _convert(node.param, fixes) if node.param is not None else None
        return ast.Aggregate(str(node.op), _convert(node.expr, fixes), param, without, grouping)
    if isinstance(node, pp.Call):
        func = node.func
        args = tuple(_convert(a, fixes) for a in node.args)
        return ast.Call(func.name, args, _TYPES.get(str(func.return_type), ast.VECTOR))
    raise ParseError(f"unsupported expression {type(node).__name__}")


def _binary(node: Any, fixes: dict[str, str]) -> ast.Binary:
    op = str(node.op)
    lhs, rhs = _convert(node.lhs, fixes), _convert(node.rhs, fixes)
    mod = node.modifier
    return_bool = bool(mod is not None and mod.return_bool)
    matching: ast.VectorMatching | None = None
    if lhs.type == ast.VECTOR and rhs.type == ast.VECTOR:
        card = "many-to-many" if op in ast.SET_OPS else "one-to-one"
        on, labels, include = False, (), ()
        if mod is not None:
            card = _CARD.get(str(mod.card), card)
            if mod.matching is not None:
                on = str(mod.matching.type).endswith("Include")
                labels = tuple(mod.matching.labels)
            include = tuple(mod.group_labels or ())
        matching = ast.VectorMatching(card, on, labels, include)
    if op in ast.COMPARISON_OPS and lhs.type == ast.SCALAR and rhs.type == ast.SCALAR and not return_bool:
        raise ParseError("comparisons between scalars must use BOOL modifier")
    return ast.Binary(op, lhs, rhs, return_bool, matching)
