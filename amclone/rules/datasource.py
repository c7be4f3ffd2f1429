"""Where rules get their data: amclone's own series store, or a remote Prometheus-compatible API.

Both give a rule a `RuleQuery` (a function of the query time in ms returning ``(labels, value)``
rows) and templates a ``query(text, t_ms)``. The local source compiles each expression once (the
point of amclone's engine; Prometheus re-parses every evaluation); the remote source
(``--rules.datasource.url``) sends an instant query per evaluation, as vmalert does, so a user
who outgrows one machine keeps amclone's rule semantics over Mimir, Thanos or VictoriaMetrics.
A result that is neither a vector nor a scalar fails the rule with Prometheus's text.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Protocol

from amclone.promql import Engine, Plan, Result, ast
from amclone.rules.alerting import RuleEvalError, RuleQuery, Rows
from amclone.tsdb.series import Labels

NOT_VECTOR = "rule result is not a vector or scalar"


class DataSource(Protocol):
    def compile(self, expr: str) -> RuleQuery:
        """Raises on an expression the source cannot take (rule files are validated before)."""
        ...

    def query(self, expr: str, t_ms: int) -> Rows: ...

    def invalidate(self) -> None:
        """The store changed (a group wrote): forget results shared between rules."""
        ...


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt, "<": operator.lt, ">=": operator.ge, "<=": operator.le, "==": operator.eq, "!=": operator.ne}


def _rows(res: Result) -> Rows:
    if res.type == "vector":
        return [(s.labels, s.value) for s in res.value]
    if res.type == "scalar":
        return [((), float(res.value))]
    raise RuleEvalError(NOT_VECTOR)


class LocalSource:
    """Queries amclone's head through a compiled plan per rule.

    Rule files repeat an expression with different thresholds (``> 80`` warning, ``> 95``
    critical, one rule per tenant...). A rule of the form ``<vector expr> <cmp> <number>`` (filter,
    no ``bool``) therefore evaluates its left side once per query time and shares it with every rule
    of that shape, and applies the threshold itself (keeping labels and value, as a filter does).
    The shared results are dropped whenever a group writes (`invalidate`), so a later rule still
    sees an earlier recording rule's output."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._shared: dict[tuple[str, int], Rows | Exception] = {}
        self._plans: dict[str, Plan] = {}
        self._users: dict[str, int] = {}  # rules compiled with each shared left side

    def invalidate(self) -> None:
        self._shared.clear()

    def compile(self, expr: str) -> RuleQuery:
        plan = self.engine.compile(expr)
        split = self._threshold(plan.expr)
        if split is None:
            return lambda t_ms: _rows(plan.instant(t_ms))
        lhs_expr, cmp, bound = split
        lhs_text = repr(lhs_expr)
        lhs = self._plans.get(lhs_text)
        if lhs is None:
            lhs = self._plans[lhs_text] = self.engine.compile_ast(lhs_expr, lhs_text)
        self._users[lhs_text] = self._users.get(lhs_text, 0) + 1
        shared, users = self._shared, self._users

        def run(t_ms: int) -> Rows:
            if users[lhs_text] < 2:  # nothing to share: the whole plan filters while it scans
                return _rows(plan.instant(t_ms))
            key = (lhs_text, t_ms)
            got = shared.get(key)
            if got is None:
                try:
                    got = _rows(lhs.instant(t_ms))
                except Exception as e:  # the whole expression decides (it may not fail)
                    got = e
                if len(shared) > 4096:
                    shared.clear()
                shared[key] = got
            if isinstance(got, Exception):
                return _rows(plan.instant(t_ms))
            return [r for r in got if cmp(r[1], bound)]
        return run

    @staticmethod
    def _threshold(expr: ast.Expr) -> tuple[ast.Expr, Callable[[float, float], bool], float] | None:
        if not (isinstance(expr, ast.Binary) and expr.op in _COMPARE and not expr.return_bool
                and expr.matching is None and isinstance(expr.rhs, ast.NumberLiteral)
                and expr.lhs.type == ast.VECTOR):
            return None
        return expr.lhs, _COMPARE[expr.op], expr.rhs.value

    def query(self, expr: str, t_ms: int) -> Rows:
        return self.compile(expr)(t_ms)


def _value(text: Any) -> float:
    return float(text) if text not in ("+Inf", "-Inf", "NaN") else {"+Inf": math.inf, "-Inf": -math.inf}.get(
        text, math.nan)


class RemoteSource:
    """Instant queries over HTTP (``GET <url>/api/v1/query``); blocking, so groups using it are
    evaluated in a worker thread by the manager."""

    def __init__(self, url: str, timeout_s: float = 120.0, headers: dict[str, str] | None = None) -> None:
        self.base = url.rstrip("/")
        self.timeout_s = timeout_s
        self.headers = headers or {}

    def compile(self, expr: str) -> RuleQuery:
        return lambda t_ms: self.query(expr, t_ms)

    def invalidate(self) -> None:
        pass

    def query(self, expr: str, t_ms: int) -> Rows:
        kind, result = self._instant(expr, t_ms)
        if kind == "scalar":
            return [((), _value(result[1]))]
        if kind != "vector":
            raise RuleEvalError(NOT_VECTOR)
        rows: list[tuple[Labels, float]] = []
        for item in result:
            rows.append((tuple(sorted(item.get("metric", {}).items())), _value(item["value"][1])))
        return rows

    def query_matrix(self, expr: str, t_ms: int) -> list[tuple[Labels, int, float]]:
        """Each series of a range selector with its newest sample (for restoring ``for`` state)."""
        kind, result = self._instant(expr, t_ms)
        if kind != "matrix":
            raise RuleEvalError(f"unexpected result type {kind}")
        out = []
        for item in result:
            values = item.get("values") or []
            if values:
                t, v = values[-1]
                out.append((tuple(sorted(item.get("metric", {}).items())), round(float(t) * 1000), _value(v)))
        return out

    def _instant(self, expr: str, t_ms: int) -> tuple[str, Any]:
        params = urllib.parse.urlencode({"query": expr, "time": f"{t_ms / 1000:.3f}"})
        req = urllib.request.Request(f"{self.base}/api/v1/query?{params}", headers=self.headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:
                body = json.loads(resp.read())
        except urllib.error.HTTPError as e:
            body = _error_body(e)
        except (OSError, ValueError) as e:
            raise RuleEvalError(f"datasource {self.base}: {e}") from None
        if body.get("status") != "success":
            raise RuleEvalError(str(body.get("error") or "datasource error"))
        data: dict[str, Any] = body.get("data") or {}
        return str(data.get("resultType")), data.get("result") or []


def _error_body(e: urllib.error.HTTPError) -> dict[str, Any]:
    try:
        body = json.loads(e.read())
        if isinstance(body, dict):
            return body
    except ValueError:
        pass
    return {"status": "error", "error": f"server returned HTTP status {e.code} {e.reason}"}
