"""A runner for Prometheus's PromQL test scripts (``promql/promqltest/testdata/*.test``).

It reads the script language described in README.promqltest.md (load / clear / eval with expect
lines), loads series into a real `Head`, runs every eval against our engine - instant evals also in
range mode around the instant, as Prometheus's harness does - and records per eval: passed, failed
(with the reason) or skipped (with the reason; only native histograms are skipped).

Run directly for a summary: ``python -m tests.promql.promqltest [file ...]``.
"""

from __future__ import annotations

import dataclasses
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from amclone.promql import Engine, Plan, PromQLError, ast
from amclone.promql.histogram import almost_equal
from amclone.promql.parse import parse
from amclone.promql.value import Sample
from amclone.tsdb import Head
from amclone.tsdb.series import Labels

from .script import EPSILON, OMIT, TESTDATA, EvalCase, parse_eval, parse_load, read_lines

_NATIVE_FUNCS = {"histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar"}
_CONTEXT_FUNCS = re.compile(r"(start|end|range|step)\(\)")
_AT_UNSAFE = {"days_in_month", "day_of_month", "day_of_week", "day_of_year", "end", "hour", "minute", "month",
              "year", "predict_linear", "range", "start", "step", "time", "timestamp"}


def with_at(expr: ast.Expr, ts: int) -> ast.Expr:
    """Prometheus's harness re-runs instant evals with ``@ <eval time>`` on every selector and
    subquery that has none (selectors inside subqueries untouched): results must not change."""
    at = ast.At("time", ts)

    def walk(node: ast.Expr) -> ast.Expr:
        if isinstance(node, ast.VectorSelector):
            return node if node.at is not None else dataclasses.replace(node, at=at)
        if isinstance(node, ast.MatrixSelector):
            return dataclasses.replace(node, selector=walk(node.selector))  # type: ignore[arg-type]
        if isinstance(node, ast.Subquery):
            return node if node.at is not None else dataclasses.replace(node, at=at)
        if isinstance(node, ast.Unary):
            return ast.Unary(walk(node.expr))
        if isinstance(node, ast.Binary):
            return dataclasses.replace(node, lhs=walk(node.lhs), rhs=walk(node.rhs))
        if isinstance(node, ast.Aggregate):
            param = walk(node.param) if node.param is not None else None
            return dataclasses.replace(node, expr=walk(node.expr), param=param)
        if isinstance(node, ast.Call):
            return dataclasses.replace(node, args=tuple(walk(a) for a in node.args))
        return node

    return walk(expr)
@dataclass
class Outcome:
    case: EvalCase
    status: str  # passed | failed | skipped
    reason: str = ""


class Script:
    """One .test file: runs its commands in order and yields an `Outcome` per eval."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = read_lines(path)
        self.head = Head(retention_ms=1 << 60, ooo_window_ms=1 << 60)
        self.engine = Engine(self.head)
        self.hist_series: set[Labels] = set()

    def run(self) -> list[Outcome]:
        out: list[Outcome] = []
        i, lines = 0, self.lines
        while i < len(lines):
            line = lines[i]
            if not line:
                i += 1
                continue
            word = line.split()[0].lower()
            if word == "clear":
                self.head.clear()
                self.hist_series.clear()
                i += 1
            elif word.startswith("load"):
                step, defs, hist, i = parse_load(lines, i)
                self.hist_series |= hist
                for labels, values in defs.items():
                    for k, v in enumerate(values):
                        if v is not OMIT:
                            assert isinstance(v, float)
                            self.head.append(labels, k * step, v)
            elif word.startswith("eval"):
                case, i = parse_eval(lines, i, self.path.name)
                out.append(self._run_case(case))
            else:
                raise ValueError(f"{self.path.name}:{i + 1}: invalid command {line!r}")
        return out

    # --- running -------------------------------------------------------------------------------

    def _skip_reason(self, case: EvalCase) -> str | None:
        if case.has_histogram:
            return "native histograms: expected result contains native histogram samples"
        try:
            expr = parse(case.expr)
        except PromQLError:
            return None
        for node in ast.walk(expr):
            if isinstance(node, ast.Call) and node.func in _NATIVE_FUNCS:
                return f"native histograms: {node.func}() reads only native histogram samples"
            if isinstance(node, ast.VectorSelector) and self.hist_series:
                for labels in self.hist_series:
                    lm = dict(labels)
                    if all(m.matches(lm.get(m.name, "")) for m in node.matchers):
                        return "native histograms: the query selects series loaded with native histogram samples"
        return None

    def _run_case(self, case: EvalCase) -> Outcome:
        """Cases touching native histograms still run (their samples are simply absent for us); only
        if the answer then differs is the case counted as skipped, with the reason."""
        reason = self._skip_reason(case)
        if reason and case.has_histogram:
            return Outcome(case, "skipped", reason)
        try:
            err = self._check(case)
        except Exception as exc:  # noqa: BLE001 - an engine bug: report it, do not abort the file
            err = f"crash: {type(exc).__name__}: {exc}"
        if err and reason:
            return Outcome(case, "skipped", f"{reason} ({err})")
        return Outcome(case, "failed" if err else "passed", err or "")

    def _check(self, case: EvalCase) -> str | None:
        fails = case.kinds("fail")
        try:
            plan = self.engine.compile(case.expr)
        except PromQLError as exc:
            return self._check_error(case, exc)
        err = self._run_once(case, plan, case.start)
        if err or not case.instant or fails or case.range_vector or case.string is not None:
            return err
        expr = plan.expr
        if any(isinstance(n, ast.Call) and n.func in _AT_UNSAFE for n in ast.walk(expr)):
            return None
        t = case.start
        variant = self.engine.compile_ast(with_at(expr, t))
        times = [-1000, 0, 1000] if t == 0 else [-10 * t, 0, t // 5, t, 10 * t]
        for et in times:
            err = self._run_once(case, variant, et)
            if err:
                return f"with @ {t / 1000:g} at {et / 1000:g}s: {err}"
        return None

    def _check_error(self, case: EvalCase, exc: PromQLError) -> str | None:
        fails = case.kinds("fail")
        if not fails:
            return f"unexpected error: {exc}"
        if not all(e.matches(str(exc)) for e in fails):
            return f"error {str(exc)!r} does not match expected {fails}"
        return None

    def _run_once(self, case: EvalCase, plan: Plan, at: int) -> str | None:
        fails = case.kinds("fail")
        try:
            if case.instant and case.range_vector is None:
                result = plan.instant(at)
            elif case.instant:
                result = plan.instant(case.range_vector[1])  # type: ignore[index]
            else:
                result = plan.range(case.start, case.end, case.step)
        except PromQLError as exc:
            return self._check_error(case, exc)
        if fails:
            return "expected an error, got none"
        err = self._check_annotations(case, list(result.warnings), list(result.infos))
        if err:
            return err
        err = self._compare(case, result.type, result.value)
        if err or not case.instant or case.range_vector or case.string is not None:
            return err
        if case.kinds("ordered") or _CONTEXT_FUNCS.search(case.expr):
            return None
        if plan.type not in (ast.VECTOR, ast.SCALAR):
            return None
        try:
            ranged = plan.range(at - 60_000, at + 60_000, 60_000)
        except PromQLError as exc:
            return f"range mode: {exc}"
        vec = []
        for s in ranged.value:
            for ts, v in zip(s.ts, s.vs):
                if ts == at:
                    vec.append(Sample(s.labels, v))
        if plan.type == ast.SCALAR:
            err = self._compare(case, ast.SCALAR, vec[0].value if vec else math.nan)
        else:
            err = self._compare(case, ast.VECTOR, vec, range_mode=True)
        return f"range mode: {err}" if err else None

    def _check_annotations(self, case: EvalCase, warnings: list[str], infos: list[str]) -> str | None:
        for kind, actual in (("warn", warnings), ("info", infos)):
            exp = case.kinds(kind)
            if not exp:
                continue
            if not actual:
                return f"expected {kind} annotations but none were found"
            for e in exp:
                if not any(e.matches(a) for a in actual):
                    return f"expected {kind} matching {e} but found {actual}"
            for a in actual:
                if not any(e.matches(a) for e in exp):
                    return f"unexpected {kind} annotation {a!r}"
        if case.kinds("no_warn") and warnings:
            return f"unexpected warnings {warnings}"
        if case.kinds("no_info") and infos:
            return f"unexpected infos {infos}"
        return None

    def _compare(self, case: EvalCase, kind: str, value: object, range_mode: bool = False) -> str | None:
        if case.string is not None:
            if kind != ast.STRING or value != case.string:
                return f"expected string {case.string!r}, got {kind} {value!r}"
            return None
        if kind == ast.SCALAR:
            if case.scalar is None:
                return f"expected vector or matrix result, got scalar {value}"
            assert isinstance(value, float)
            return None if almost_equal(case.scalar, value, EPSILON) else f"expected scalar {case.scalar}, got {value}"
        if case.scalar is not None:
            return f"expected scalar result, got {kind}"
        if kind == ast.VECTOR:
            assert isinstance(value, list)
            seen = set()
            ordered = bool(case.kinds("ordered")) and not range_mode
            for pos, s in enumerate(value):
                exp = case.series.get(s.labels)
                if exp is None:
                    return f"unexpected metric {s.labels} in result, has value {s.value}"
                if ordered and case.order.index(s.labels) != pos:
                    return f"expected metric {s.labels} at position {case.order.index(s.labels)} but was at {pos}"
                want = exp[0]
                if not isinstance(want, float) or not almost_equal(want, s.value, EPSILON):
                    return f"expected {want} for {s.labels} but got {s.value}"
                seen.add(s.labels)
            missing = [lb for lb in case.series if lb not in seen]
            return f"expected metric {missing[0]} not found" if missing else None
        if kind == ast.MATRIX:
            assert isinstance(value, list)
            if case.range_vector is not None:
                start, _, step = case.range_vector
            else:
                start, step = case.start, case.step
            seen = set()
            for s in value:
                exp = case.series.get(s.labels)
                if exp is None:
                    return f"unexpected metric {s.labels} in result, has {list(zip(s.ts, s.vs))}"
                want = [(start + i * step, v) for i, v in enumerate(exp) if v is not OMIT]
                got = list(zip(s.ts, s.vs))
                if len(want) != len(got):
                    return f"expected {len(want)} points for {s.labels}, got {got}"
                for (wt, wv), (gt, gv) in zip(want, got):
                    if wt != gt or not almost_equal(float(wv), gv, EPSILON):  # type: ignore[arg-type]
                        return f"expected ({wt}, {wv}) for {s.labels}, got ({gt}, {gv})"
                seen.add(s.labels)
            missing = [lb for lb in case.series if lb not in seen]
            return f"expected metric {missing[0]} not found" if missing else None
        return f"unexpected result type {kind}"


def run_files(paths: list[Path]) -> list[Outcome]:
    out: list[Outcome] = []
    for p in paths:
        out.extend(Script(p).run())
    return out


def main(argv: list[str]) -> int:
    paths = [Path(a) if "/" in a else TESTDATA / a for a in argv] or sorted(TESTDATA.glob("*.test"))
    outcomes = run_files(paths)
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for o in outcomes:
        counts[o.status] += 1
        if o.status != "passed":
            print(f"{o.status.upper():8} {o.case.id}: {o.case.expr}\n         {o.reason}")
    print(f"passed {counts['passed']}, failed {counts['failed']}, skipped {counts['skipped']}")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
