"""Prometheus 2.42's template functions and expander, for alerting-rule labels and annotations.

Rule annotations are Go templates too, but with Prometheus's function map (``humanize``,
``query``, ``first``, ``label``...) and data (``$labels``, ``$externalLabels``, ``$externalURL``,
``$value``). ``expand`` reproduces Prometheus's Expander, including its error wrapping
("error executing template __alert_X: ..."), so rules evaluated by amclone annotate alerts as
Prometheus does. ``query`` is supplied by the rule evaluator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from amclone.compat.duration import DurationError, parse_model_duration
from amclone.template.funcs import match, re_replace_all, safe_html, to_lower, to_upper
from amclone.template.gotime import GoTime
from amclone.template.gotmpl.builtins import query_escape
from amclone.template.gotmpl.gofmt import format_float
from amclone.template.gotmpl.parser import TemplateError
from amclone.template.gotmpl.template import TemplateSet
from amclone.template.gotmpl.values import Func, GoError, GoMap, GoSlice, GoStruct, type_name


class StrMap(GoMap):
    """map[string]string: a missing label reads as ""."""

    go_type = "map[string]string"
    elem_zero = ""


class Sample(GoStruct):
    __slots__ = ("Labels", "Value")
    go_type = "*template.sample"
    go_fields = ("Labels", "Value")

    def __init__(self, labels: dict[str, str], value: float) -> None:
        self.Labels = StrMap(labels)
        self.Value = float(value)


class QueryResult(GoSlice):
    go_type = "template.queryResult"
    elem_type = "*template.sample"


QueryFunc = Callable[[str], Sequence[tuple[dict[str, str], float]]]


def _g4(v: float) -> str:
    return format_float(v, "g", 4)


def to_float(i: Any) -> float:
    """Prometheus's convertToFloat."""
    if isinstance(i, bool):
        raise GoError(f"can't convert {type_name(i)} to float")
    if isinstance(i, (int, float)):
        return float(i)
    if isinstance(i, str):
        try:
            return float(i)
        except ValueError:
            raise GoError(f'strconv.ParseFloat: parsing "{i}": invalid syntax') from None
    raise GoError(f"can't convert {type_name(i)} to float")


def humanize(i: Any) -> str:
    v = to_float(i)
    if v == 0 or math.isnan(v) or math.isinf(v):
        return _g4(v)
    prefix = ""
    if abs(v) >= 1:
        for p in ("k", "M", "G", "T", "P", "E", "Z", "Y"):
            if abs(v) < 1000:
                break
            prefix, v = p, v / 1000
        return _g4(v) + prefix
    for p in ("m", "u", "n", "p", "f", "a", "z", "y"):
        if abs(v) >= 1:
            break
        prefix, v = p, v * 1000
    return _g4(v) + prefix


def humanize1024(i: Any) -> str:
    v = to_float(i)
    if abs(v) <= 1 or math.isnan(v) or math.isinf(v):
        return _g4(v)
    prefix = ""
    for p in ("ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"):
        if abs(v) < 1024:
            break
        prefix, v = p, v / 1024
    return _g4(v) + prefix


def humanize_duration(i: Any) -> str:
    v = to_float(i)
    if math.isnan(v) or math.isinf(v):
        return _g4(v)
    if v == 0:
        return _g4(v) + "s"
    if abs(v) >= 1:
        sign = "-" if v < 0 else ""
        v = abs(v)
        d = int(v)
        s, m, h, days = d % 60, d // 60 % 60, d // 3600 % 24, d // 86400
        if days:
            return f"{sign}{days}d {h}h {m}m {s}s"
        if h:
            return f"{sign}{h}h {m}m {s}s"
        if m:
            return f"{sign}{m}m {s}s"
        return f"{sign}{_g4(v)}s"
    prefix = ""
    for p in ("m", "u", "n", "p", "f", "a", "z", "y"):
        if abs(v) >= 1:
            break
        prefix, v = p, v * 1000
    return f"{_g4(v)}{prefix}s"


def humanize_percentage(i: Any) -> str:
    return _g4(to_float(i) * 100) + "%"


def _float_to_time(v: float) -> GoTime:
    ts = v * 1e9
    if ts > 2**63 - 1 or ts < -(2**63):
        raise GoError(f"{format_float(v)} cannot be represented as a nanoseconds timestamp since it "
                      "overflows int64")
    ms = int(ts) // 1_000_000 if ts >= 0 else -((-int(ts)) // 1_000_000)  # model.TimeFromUnixNano
    return GoTime(ms * 1_000_000)


def humanize_timestamp(i: Any) -> str:
    v = to_float(i)
    if math.isnan(v) or math.isinf(v):
        return _g4(v)
    return _float_to_time(v).go_string()


def to_time(i: Any) -> GoTime:
    v = to_float(i)
    if math.isnan(v) or math.isinf(v):
        raise GoError("value is NaN or Inf")
    return _float_to_time(v)


def parse_duration(d: str) -> float:
    try:
        return parse_model_duration(d) / 1e9
    except DurationError as e:
        raise GoError(str(e)) from None


def go_strings_title(s: str) -> str:
    """strings.Title: upper-case the first letter of each word, leave the rest alone."""
    out = []
    prev = " "
    for c in s:
        sep = not (prev.isalnum() or prev == "_") if prev.isascii() else prev.isspace()
        out.append(c.upper() if sep and len(c.upper()) == 1 else c)
        prev = c
    return "".join(out)


def first(v: Any) -> Any:
    if v:
        return v[0]
    raise GoError("first() called on vector with no elements")


def sort_by_label(label: str, v: Any) -> QueryResult:
    return QueryResult(sorted(v, key=lambda s: s.Labels.get(label, "")))


def args(*a: Any) -> GoMap:
    return GoMap({f"arg{i}": x for i, x in enumerate(a)})


def graph_link(expr: str) -> str:
    return f"/graph?g0.expr={query_escape(expr)}&g0.tab=0"


def table_link(expr: str) -> str:
    return f"/graph?g0.expr={query_escape(expr)}&g0.tab=1"


def funcs(external_url: str = "", query: QueryFunc | None = None,
          tmpl: Callable[[str, Any], str] | None = None) -> dict[str, Func]:
    """Prometheus's DefaultFuncs plus the per-expansion ones (query, tmpl, pathPrefix, externalURL)."""
    from urllib.parse import urlsplit

    path = urlsplit(external_url).path

    def do_query(q: str) -> QueryResult:
        if query is None:
            raise GoError("query is not available here")
        return QueryResult(Sample(lbls, val) for lbls, val in query(q))

    def do_tmpl(name: str, data: Any) -> Any:
        if tmpl is None:
            raise GoError(f'template: no template "{name}" associated with template')
        return safe_html(tmpl(name, data))

    extra = {"tmpl": Func(do_tmpl, ("string", "any"))} if tmpl is not None else {}
    return {
        "query": Func(do_query, ("string",)),
        "first": Func(first, ("template.queryResult",)),
        "label": Func(lambda lbl, s: s.Labels.get(lbl, "") if s is not None else "",
                      ("string", "*template.sample")),
        "value": Func(lambda s: s.Value, ("*template.sample",)),
        "strvalue": Func(lambda s: s.Labels.get("__value__", ""), ("*template.sample",)),
        "args": Func(args, ("any",), True),
        "safeHtml": Func(safe_html, ("string",)),
        "match": Func(match, ("string", "string")),
        "title": Func(go_strings_title, ("string",)),
        "toUpper": Func(to_upper, ("string",)),
        "toLower": Func(to_lower, ("string",)),
        "graphLink": Func(graph_link, ("string",)),
        "tableLink": Func(table_link, ("string",)),
        "sortByLabel": Func(sort_by_label, ("string", "template.queryResult")),
        "humanize": Func(humanize, ("any",)),
        "humanize1024": Func(humanize1024, ("any",)),
        "humanizeDuration": Func(humanize_duration, ("any",)),
        "humanizePercentage": Func(humanize_percentage, ("any",)),
        "humanizeTimestamp": Func(humanize_timestamp, ("any",)),
        "toTime": Func(to_time, ("any",)),
        "parseDuration": Func(parse_duration, ("string",)),
        "pathPrefix": Func(lambda: path, ()),
        "externalURL": Func(lambda: external_url, ()),
        "reReplaceAll": Func(re_replace_all, ("string", "string", "string")),
        **extra,  # console templates (ExpandHTML) only; rule templates have no tmpl
    }


class RuleData(GoStruct):
    __slots__ = ("ExternalLabels", "ExternalURL", "Labels", "Value")
    go_type = "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; " \
              "Value interface {} }"
    go_fields = ("Labels", "ExternalLabels", "ExternalURL", "Value")
    go_comparable: ClassVar[bool] = False

    def __init__(self, labels: dict[str, str], external_labels: dict[str, str], external_url: str,
                 value: Any) -> None:
        self.Labels = StrMap(labels)
        self.ExternalLabels = StrMap(external_labels)
        self.ExternalURL = external_url
        self.Value = value


# What Prometheus prepends to every rule label and annotation template.
DEFS = ("{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}"
        "{{$value := .Value}}")


def expand(name: str, text: str, labels: dict[str, str], value: float, external_labels: dict[str, str]
           | None = None, external_url: str = "", query: QueryFunc | None = None) -> str:
    """Prometheus's Expander.Expand for an alerting rule's label or annotation (name is
    "__alert_" + alertname); raises TemplateError with Prometheus's message."""
    ts = TemplateSet(funcs(external_url, query))
    data = RuleData(labels, external_labels or {}, external_url, value)
    try:
        ts.parse(name, DEFS + text)
    except TemplateError as e:
        raise TemplateError(f"error parsing template {name}: {e}") from None
    try:
        return ts.execute(name, data)
    except TemplateError as e:
        raise TemplateError(f"error executing template {name}: {e}") from None
