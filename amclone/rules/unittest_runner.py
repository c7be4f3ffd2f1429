"""Running promtool rule unit tests (``promtool test rules``, 2.42) on amclone's evaluator.

The file is parsed by `amclone.rules.unittest_format`; this module plays it the way promtool does,
quirks included, because the verdicts must agree: every group is evaluated at ``0, interval, ...``
up to the largest ``eval_time`` (all groups at every tick, in ``group_eval_order``); input samples
are loaded lazily, only up to the tick being evaluated (so a ``promql_expr_test`` between ticks
does not see samples after the last tick); an alert test at ``eval_time`` looks at the state after
the last tick at or before it and compares only *firing* alerts; promql tests run after all ticks,
with the subquery step equal to the evaluation interval; values compare with Go's ``==`` (so an
expected NaN never matches); the first rule error ends the test group.

Rule files are read in Prometheus 2.42's format (no extensions), as promtool reads them. The
results are error texts in promtool's layout; the command (`amclone.cli.amctl.test_rules`)
prints them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from amclone.compat.duration import format_go_duration, format_model_duration
from amclone.compat.goquote import quote
from amclone.promql import Engine, PromQLError
from amclone.rules import files
from amclone.rules.alerting import AlertingRule, RuleEvalError
from amclone.rules.datasource import NOT_VECTOR, LocalSource
from amclone.rules.group import HeadWriter, RuleGroup
from amclone.rules.rulefmt import parse_file
from amclone.rules.unittest_format import PromQLTestCase, TestGroup, UnitTestFile
from amclone.template.gotmpl.gofmt import format_float
from amclone.tsdb import AppendError, Head

_FOREVER_MS = 1 << 60
LabelPairs = tuple[tuple[str, str], ...]


def labels_string(labels: dict[str, str]) -> str:
    """``labels.Labels.String()``: sorted by name (bytewise), Go-quoted values."""
    items = sorted(labels.items(), key=lambda kv: kv[0].encode())
    return "{" + ", ".join(f"{k}={quote(v)}" for k, v in items) + "}"


def _cmp_key(labels: dict[str, str]) -> list[tuple[bytes, bytes]]:
    """``labels.Compare`` order: pairwise by name then value, a prefix first."""
    return [(k.encode(), v.encode()) for k, v in sorted(labels.items(), key=lambda kv: kv[0].encode())]


def indent_lines(text: str, indent: str) -> str:
    return ("\n" + indent).join(text.split("\n"))


def _alerts_string(alerts: Sequence[tuple[dict[str, str], dict[str, str]]]) -> str:
    if not alerts:
        return "[]"
    parts = []
    for i, (lbls, ann) in enumerate(alerts):
        body = "Labels:" + labels_string(lbls) + "\nAnnotations:" + labels_string(ann)
        parts.append(f"{i}:" + indent_lines("\n" + body, "  "))
    return "[\n" + ",\n".join(parts) + "\n]"


def _samples_string(samples: Sequence[tuple[dict[str, str], float]]) -> str:
    if not samples:
        return "nil"
    return ", ".join(labels_string(lbls) + " " + format_float(v, "E", -1) for lbls, v in samples)


def load_rule_groups(paths: Sequence[str], interval: int) -> tuple[list[files.Group], list[str]]:
    """Groups in 2.42's format; a group without ``interval`` takes the test group's."""
    groups: list[files.Group] = []
    errors: list[str] = []
    for path in paths:
        parsed, errs = parse_file(path, extensions=False)
        if errs or parsed is None:
            errors.extend(errs)
            continue
        for g in parsed.groups:
            rules = tuple(
                files.Rule(files.ALERT, r.alert_name, r.expr_text, r.for_, r.keep_firing_for, dict(r.labels),
                           dict(r.annotations)) if r.alert_name else
                files.Rule(files.RECORD, r.record_name, r.expr_text, 0, 0, dict(r.labels), {})
                for r in g.rules)
            groups.append(files.Group(path, g.name, g.interval or interval, rules, g.limit))
    return groups, errors


class _Loader:
    """The input series, appended up to a time as the ticks advance (promtool's lazy loader)."""

    def __init__(self, head: Head, tg: TestGroup) -> None:
        self.head = head
        self.pending: list[tuple[LabelPairs, list[tuple[int, float]]]] = []
        for s in tg.input_series:
            samples = [(i * tg.interval // 1_000_000, v) for i, v in enumerate(s.values) if v is not None]
            self.pending.append((tuple(sorted(s.labels.items())), samples))
        self.pos = [0] * len(self.pending)

    def till(self, t_ms: int) -> list[str]:
        errors: list[str] = []
        with self.head.write_lock:
            for i, (labels, samples) in enumerate(self.pending):
                j = self.pos[i]
                while j < len(samples) and samples[j][0] <= t_ms:
                    try:
                        self.head.append(labels, samples[j][0], samples[j][1])
                    except AppendError as e:
                        errors.append(str(e))
                    j += 1
                self.pos[i] = j
        return errors


def run_test_group(tg: TestGroup, ut: UnitTestFile) -> list[str]:
    """Every failure of one test group, in promtool's words and order ([] when it passes)."""
    if tg.series_error is not None:
        return [tg.series_error]
    eval_interval = ut.evaluation_interval
    head = Head(retention_ms=_FOREVER_MS)
    engine = Engine(head, subquery_step_ms=eval_interval // 1_000_000)
    source = LocalSource(engine)
    specs, errs = load_rule_groups(ut.rule_files, tg.interval)
    if errs:
        return errs
    order = {name: i for i, name in enumerate(ut.group_eval_order)}
    specs.sort(key=lambda g: order.get(g.name, 0))
    groups = [RuleGroup(g, source, HeadWriter(head), external_labels=tg.external_labels,
                        external_url=tg.external_url, restored=True, nil_url_funcs=True) for g in specs]
    if tg.alertname_error is not None:
        return [tg.alertname_error]
    loader = _Loader(head, tg)
    maxt = tg.max_eval_time()
    alert_times = sorted({a.eval_time for a in tg.alert_rule_test})
    errors: list[str] = []
    curr = 0
    ts = 0
    while ts <= maxt:
        errors.extend(loader.till(ts // 1_000_000))
        eval_errors = []
        for g in groups:
            g.eval(ts)
            for r in g.rules:
                if r.last_error:
                    eval_errors.append(f"    rule: {r.name}, time: {format_go_duration(ts)}, err: {r.last_error}")
        errors.extend(eval_errors)
        if eval_errors:
            return errors
        while curr < len(alert_times) and ts <= alert_times[curr] < ts + eval_interval:
            errors.extend(_check_alerts(tg, groups, alert_times[curr]))
            curr += 1
        ts += eval_interval
    for case in tg.promql_expr_test:
        errors.extend(_check_promql(case, source))
    return errors


def _check_alerts(tg: TestGroup, groups: list[RuleGroup], t: int) -> list[str]:
    cases = [c for c in tg.alert_rule_test if c.eval_time == t]
    names = {c.alertname for c in cases}
    got: dict[str, list[tuple[dict[str, str], dict[str, str]]]] = {}
    for g in groups:
        for r in g.rules:
            if isinstance(r, AlertingRule) and r.name in names:
                got.setdefault(r.name, []).extend((dict(a.labels), dict(a.annotations)) for a in r.firing())
    out = []
    for c in cases:
        have = got.get(c.alertname, [])
        exp = [({**a.labels, "alertname": c.alertname}, dict(a.annotations)) for a in c.exp_alerts]
        have.sort(key=lambda la: (_cmp_key(la[0]), _cmp_key(la[1])))
        exp.sort(key=lambda la: (_cmp_key(la[0]), _cmp_key(la[1])))
        if exp != have:
            name = f"    name: {tg.name},\n" if tg.name else ""
            out.append(f"{name}    alertname: {c.alertname}, time: {format_model_duration(c.eval_time)}, \n"
                       f"        exp:{indent_lines(_alerts_string(exp), '            ')}, \n"
                       f"        got:{indent_lines(_alerts_string(have), '            ')}")
    return out


def _check_promql(case: PromQLTestCase, source: LocalSource) -> list[str]:
    when = format_model_duration(case.eval_time)
    head = f"    expr: {quote(case.expr)}, time: {when}"
    try:
        rows = source.compile(case.expr)(case.eval_time // 1_000_000)
    except (PromQLError, RuleEvalError) as e:
        return [f"{head}, err: {e}"]
    for s in case.exp_samples:
        if s.labels_error is not None:
            return [f"{head}, err: {s.labels_error}"]
    got = sorted(((dict(lbls), v) for lbls, v in rows), key=lambda x: _cmp_key(x[0]))
    exp = sorted(((dict(s.labels), s.value) for s in case.exp_samples), key=lambda x: _cmp_key(x[0]))
    same = len(got) == len(exp) and all(
        g[0] == e[0] and g[1] == e[1] and not math.isnan(g[1]) for g, e in zip(got, exp, strict=True))
    if same:
        return []
    return [f"{head},\n        exp: {_samples_string(exp)}\n        got: {_samples_string(got)}"]


__all__ = ["NOT_VECTOR", "labels_string", "load_rule_groups", "run_test_group"]
