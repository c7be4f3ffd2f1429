"""A runner for Prometheus's PromQL test scripts (``promql/promqltest/testdata/*.test``).

It reads the script language described in README.promqltest.md (load / clear / eval with expect
lines), loads series into a real `Head`, runs every eval against our engine - instant evals also in
range mode around the instant, as Prometheus's harness does - and records per eval: passed, failed
(with the reason) or skipped (with the reason; only native histograms are skipped).

Run directly for a summary: ``python -m tests.promql.promqltest [file ...]``.
"""

from __future__ import annotations

import ast as pyast
import dataclasses
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from amclone.promql import Engine, Plan, PromQLError, ast
from amclone.promql.histogram import almost_equal
from amclone.promql.parse import parse
from amclone.promql.value import Sample
from amclone.tsdb import STALE_NAN, Head
from amclone.tsdb.series import Labels

TESTDATA = Path(__file__).resolve().parents[3] / "shared" / "promql-testdata" / "v3.14.0"
EPSILON = 1e-6
_UNITS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000,
          "y": 31_536_000_000}
_NUM = r"[+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|inf|NaN|nan)"
_UNUM = r"(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|inf|NaN|nan)"
_DEC = r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|inf|NaN|nan)"
_UDEC = r"(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|inf|NaN|nan)"
_SERIES_ITEM = re.compile(rf"^({_DEC})(?:([+-])({_UDEC}))?x(\d+)$")
_PLAIN = re.compile(rf"^{_NUM}$")
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
OMIT = object()


def duration_ms(text: str) -> int:
    text = text.strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text) * 1000
    neg = text.startswith("-")
    parts = re.findall(r"(\d+)(ms|s|m|h|d|w|y)", text)
    if not parts or "".join(n + u for n, u in parts) != text.lstrip("-"):
        raise ValueError(f"bad duration {text!r}")
    total = sum(int(n) * _UNITS[u] for n, u in parts)
    return -total if neg else total


def _num(s: str) -> float:
    low = s.lower().lstrip("+-")
    if low.startswith("0x"):
        return float(int(s, 16)) if not s.startswith("-") else -float(int(s[1:], 16))
    return float(s)


def _tokens(text: str) -> list[str]:
    """Split on spaces, except inside ``{{ ... }}`` histogram literals."""
    out, cur, depth, i = [], "", 0, 0
    while i < len(text):
        if text.startswith("{{", i):
            depth += 1
            cur += "{{"
            i += 2
            continue
        if text.startswith("}}", i) and depth:
            depth -= 1
            cur += "}}"
            i += 2
            continue
        c = text[i]
        if c.isspace() and not depth:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    if cur:
        out.append(cur)
    return out


def parse_values(text: str) -> tuple[list[object], bool]:
    """Expanding notation -> list of float / STALE / OMIT; also says if histograms appeared."""
    out: list[object] = []
    hist = False
    for tok in _tokens(text):
        if tok.startswith("{{") or "{{" in tok:
            hist = True
            m = re.search(r"x(\d+)$", tok)
            out.extend([OMIT] * (int(m.group(1)) + 1 if m else 1))
            continue
        if tok == "_":
            out.append(OMIT)
        elif re.fullmatch(r"_x\d+", tok):
            out.extend([OMIT] * int(tok[2:]))
        elif tok == "stale":
            out.append(STALE_NAN)
        elif _SERIES_ITEM.match(tok):
            start, sign, step, n = _SERIES_ITEM.match(tok).groups()  # type: ignore[union-attr]
            a = _num(start)
            b = _num(step) if step else 0.0
            if sign == "-":
                b = -b
            out.extend(a + b * i for i in range(int(n) + 1))
        elif _PLAIN.match(tok):
            out.append(_num(tok))
        else:
            m = _SERIES_ITEM.match(tok)
            if not m:
                raise ValueError(f"bad value {tok!r}")
            start, sign, step, n = m.groups()
            a = _num(start)
            b = _num(step) if step else 0.0
            if sign == "-":
                b = -b
            out.extend(a + b * i for i in range(int(n) + 1))
    return out, hist


def split_series(line: str) -> tuple[Labels, str]:
    """``metric{a="b"} values`` -> (sorted labels, values text)."""
    depth, quote, i = 0, "", 0
    end = None
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'`":
            quote = c
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                end = i + 1
                break
        elif c.isspace() and depth == 0:
            end = i
            break
        i += 1
    if end is None:
        end = len(line)
    sel, rest = line[:end], line[end:]
    if sel.replace(" ", "") == "{}":
        return (), rest.strip()
    node = parse(sel)
    if not isinstance(node, ast.VectorSelector):
        raise TypeError(f"bad series {sel!r}")
    labels = {m.name: m.value for m in node.matchers}
    return tuple(sorted((k, v) for k, v in labels.items() if v)), rest.strip()


@dataclass
class Expect:
    kind: str  # fail warn info no_warn no_info ordered
    msg: str | None = None
    regex: str | None = None

    def matches(self, text: str) -> bool:
        if self.msg is not None:
            return text == self.msg
        if self.regex is not None:
            return re.search(self.regex, text) is not None
        return True


@dataclass
class EvalCase:
    file: str
    line: int
    expr: str
    instant: bool
    start: int
    end: int
    step: int
    expects: list[Expect] = field(default_factory=list)
    series: dict[Labels, list[object]] = field(default_factory=dict)
    order: list[Labels] = field(default_factory=list)
    scalar: float | None = None
    string: str | None = None
    range_vector: tuple[int, int, int] | None = None
    has_histogram: bool = False

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"

    def kinds(self, kind: str) -> list[Expect]:
        return [e for e in self.expects if e.kind == kind]


@dataclass
class Outcome:
    case: EvalCase
    status: str  # passed | failed | skipped
    reason: str = ""


def _parse_expect(line: str) -> Expect:
    m = re.match(r"^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$", line)
    if not m:
        raise ValueError(f"bad expect line {line!r}")
    kind, mode, text = m.groups()
    if mode == "msg":
        return Expect(kind, msg=text.strip())
    if mode == "regex":
        return Expect(kind, regex=text.strip())
    return Expect(kind)


class Script:
    """One .test file: runs its commands in order and yields an `Outcome` per eval."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = [("" if l.strip().startswith("#") else l.strip()) for l in path.read_text().split("\n")]
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
                i = self._load(i)
            elif word.startswith("eval"):
                case, i = self._parse_eval(i)
                out.append(self._run_case(case))
            else:
                raise ValueError(f"{self.path.name}:{i + 1}: invalid command {line!r}")
        return out

    def _block(self, i: int) -> tuple[list[str], int]:
        body = []
        j = i + 1
        while j < len(self.lines) and self.lines[j]:
            body.append(self.lines[j])
            j += 1
        return body, j

    def _load(self, i: int) -> int:
        m = re.match(r"^load(?:_(with_nhcb))?\s+(.+?)$", self.lines[i])
        assert m, self.lines[i]
        nhcb = m.group(1) is not None
        step = duration_ms(m.group(2))
        body, j = self._block(i)
        defs: dict[Labels, list[object]] = {}  # a later line for the same series replaces it, as in Go
        for line in body:
            labels, values_text = split_series(line)
            values, hist = parse_values(values_text)
            if hist:
                self.hist_series.add(labels)
            if nhcb:
                lm = dict(labels)
                name = lm.get("__name__", "")
                for suffix in ("_bucket", "_count", "_sum"):
                    if name.endswith(suffix):
                        lm["__name__"] = name[: -len(suffix)]
                        lm.pop("le", None)
                        self.hist_series.add(tuple(sorted(lm.items())))
            defs[labels] = values
        for labels, values in defs.items():
            for k, v in enumerate(values):
                if v is OMIT:
                    continue
                assert isinstance(v, float)
                self.head.append(labels, k * step, v)
        return j

    def _parse_eval(self, i: int) -> tuple[EvalCase, int]:
        line = self.lines[i]
        mi = re.match(r"^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$", line)
        mr = re.match(r"^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$",
                      line)
        name = self.path.name
        if mi:
            t = duration_ms(mi.group(2) or "0")
            case = EvalCase(name, i + 1, mi.group(3), True, t, t, 0)
            mod = mi.group(1)
        elif mr:
            case = EvalCase(name, i + 1, mr.group(5), False, duration_ms(mr.group(2)), duration_ms(mr.group(3)),
                            duration_ms(mr.group(4)))
            mod = mr.group(1)
        else:
            raise ValueError(f"{name}:{i + 1}: invalid eval {line!r}")
        if mod:
            case.expects.append(Expect(mod))
        body, j = self._block(i)
        for k, defline in enumerate(body):
            if defline.startswith("expected_fail_message"):
                case.expects = [e for e in case.expects if e.kind != "fail"]
                case.expects.append(Expect("fail", msg=defline[len("expected_fail_message"):].strip()))
            elif defline.startswith("expected_fail_regexp"):
                case.expects = [e for e in case.expects if e.kind != "fail"]
                case.expects.append(Expect("fail", regex=defline[len("expected_fail_regexp"):].strip()))
            elif defline.startswith("expect range vector"):
                m = re.match(r"^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$", defline)
                assert m, defline
                case.range_vector = (duration_ms(m.group(1)), duration_ms(m.group(2)), duration_ms(m.group(3)))
            elif defline.startswith("expect string"):
                lit = defline[len("expect string"):].strip()
                case.string = lit[1:-1] if lit.startswith("`") else pyast.literal_eval(lit)
            elif defline.split(" ")[0] == "expect":
                case.expects.append(_parse_expect(defline))
            elif _PLAIN.match(defline):
                case.scalar = _num(defline)
            else:
                labels, values_text = split_series(defline)
                values, hist = parse_values(values_text)
                case.has_histogram |= hist
                case.series[labels] = values
                case.order.append(labels)
        return case, j

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
