"""Reading Prometheus's PromQL test scripts: commands, the expanding value notation, series
descriptions and expectation lines (README.promqltest.md beside the test data has the format)."""

from __future__ import annotations

import ast as pyast
import re
from dataclasses import dataclass, field
from pathlib import Path

from amclone.promql import ast
from amclone.promql.parse import parse
from amclone.tsdb import STALE_NAN
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


def read_lines(path: Path) -> list[str]:
    """Trimmed lines, comments blanked (line numbers stay those of the file)."""
    return [("" if l.strip().startswith("#") else l.strip()) for l in path.read_text().split("\n")]


def block(lines: list[str], i: int) -> tuple[list[str], int]:
    """The lines after command ``i`` up to the next blank one, and the index after them."""
    body = []
    j = i + 1
    while j < len(lines) and lines[j]:
        body.append(lines[j])
        j += 1
    return body, j


def parse_load(lines: list[str], i: int) -> tuple[int, dict[Labels, list[object]], set[Labels], int]:
    """A ``load``: (step, values per series, series holding native histograms, next index).

    A later line for the same series replaces it, as in Go; ``load_with_nhcb`` also names the
    native-histogram series Prometheus derives from the classic buckets."""
    m = re.match(r"^load(?:_(with_nhcb))?\s+(.+?)$", lines[i])
    assert m, lines[i]
    nhcb = m.group(1) is not None
    step = duration_ms(m.group(2))
    body, j = block(lines, i)
    defs: dict[Labels, list[object]] = {}
    hist: set[Labels] = set()
    for line in body:
        labels, values_text = split_series(line)
        values, has_hist = parse_values(values_text)
        if has_hist:
            hist.add(labels)
        if nhcb:
            lm = dict(labels)
            name = lm.get("__name__", "")
            for suffix in ("_bucket", "_count", "_sum"):
                if name.endswith(suffix):
                    lm["__name__"] = name[: -len(suffix)]
                    lm.pop("le", None)
                    hist.add(tuple(sorted(lm.items())))
        defs[labels] = values
    return step, defs, hist, j


def parse_eval(lines: list[str], i: int, name: str) -> tuple[EvalCase, int]:
    """An ``eval`` and its expectation lines; returns the case and the index after it."""
    line = lines[i]
    mi = re.match(r"^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$", line)
    mr = re.match(r"^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$",
                  line)
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
    body, j = block(lines, i)
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

