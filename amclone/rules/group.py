"""A rule group at run time: its rules in file order, one evaluation timestamp for all of them,
their output written back before the next rule runs, and the stale markers Prometheus writes when
a series a rule produced last time is gone.

The group's slot on the interval grid comes from Prometheus's hash of ``{file, name}``: groups
spread over the interval instead of all firing at :00, and the same file gives the same times in
amclone and Prometheus. Evaluation is synchronous (the manager runs it in a worker thread), so
the same code serves the scheduler, event-driven evaluation and ``amctl test rules``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

import xxhash

from amclone.rules import files
from amclone.rules.alerting import ZERO, ActiveAlert, AlertingRule, RuleEvalError, TemplateContext
from amclone.rules.datasource import DataSource
from amclone.rules.metrics import RuleMetrics
from amclone.rules.recording import RecordingRule
from amclone.tsdb import STALE_NAN, AppendError, Head
from amclone.tsdb.series import Labels

Rule = AlertingRule | RecordingRule
#: called after an alerting rule's evaluation with the alerts that go out now and the slot time
Notify = Callable[[AlertingRule, Sequence[ActiveAlert], int], None]


class Appendable(Protocol):
    def append_rows(self, rows: Sequence[tuple[Labels, float]], t_ms: int) -> int:
        """Write rows at one timestamp; returns how many were refused (out of order, duplicate)."""
        ...


class HeadWriter:
    """Rule output into amclone's head: one lock for the batch, refused samples counted, not raised
    (Prometheus logs and counts out-of-order and duplicate rule samples, and ignores them for stale
    markers)."""

    def __init__(self, head: Head) -> None:
        self.head = head

    def append_rows(self, rows: Sequence[tuple[Labels, float]], t_ms: int) -> int:
        refused = 0
        head = self.head
        with head.write_lock:
            for labels, v in rows:
                try:
                    head.append(labels, t_ms, v)
                except AppendError:
                    refused += 1
        return refused


def group_offset(file: str, name: str, interval: int) -> int:
    """``hash(labels{file, name}) % interval``: labels.Hash is xxhash64 over sorted name/value pairs,
    each followed by 0xff."""
    data = b"file\xff" + file.encode() + b"\xffname\xff" + name.encode() + b"\xff"
    return xxhash.xxh64_intdigest(data) % interval if interval > 0 else 0


def eval_timestamp(now: int, interval: int, offset: int) -> int:
    """The latest slot at or before ``now`` (ns) on the group's grid."""
    adj = now - offset
    return adj - adj % interval + offset


class RuleGroup:
    def __init__(self, spec: files.Group, source: DataSource, appender: Appendable | None, *,
                 external_labels: dict[str, str] | None = None, external_url: str = "",
                 resend_delay: int = 60_000_000_000, notify: Notify | None = None,
                 metrics: RuleMetrics | None = None, restored: bool = True, nil_url_funcs: bool = False) -> None:
        self.spec = spec
        self.key = spec.key
        self.name, self.file = spec.name, spec.file
        self.interval, self.limit, self.query_offset = spec.interval, spec.limit, spec.query_offset
        self.appender = appender
        self.source = source
        self.resend_delay = resend_delay
        self.notify = notify
        self.metrics = metrics
        self.external_labels = dict(external_labels or {})
        templates = TemplateContext(dict(external_labels or {}), external_url, source.query, nil_url_funcs)
        self.rules: list[Rule] = []
        for r in spec.rules:
            query = source.compile(r.expr)
            if r.kind == files.ALERT:
                self.rules.append(AlertingRule(r.name, r.expr, query, r.for_, r.keep_firing_for, dict(r.labels),
                                               dict(r.annotations), templates, restored))
            else:
                self.rules.append(RecordingRule(r.name, r.expr, query, dict(r.labels)))
        self.previous: list[set[Labels]] = [set() for _ in self.rules]
        self.offset = group_offset(spec.file, spec.name, spec.interval)
        self.last_evaluation = ZERO
        self.evaluation_seconds = 0.0
        self.last_samples = 0
        if metrics is not None:
            metrics.rules.labels(self.key).set(len(self.rules))
            metrics.interval.labels(self.key).set(spec.interval / 1e9)

    def eval_timestamp(self, now: int) -> int:
        return eval_timestamp(now, self.interval, self.offset)

    def alerting_rules(self) -> list[AlertingRule]:
        return [r for r in self.rules if isinstance(r, AlertingRule)]

    def eval(self, ts: int) -> None:
        """Evaluate every rule at slot ``ts`` (ns), in order; errors stay on the rule."""
        m = self.metrics
        started = time.perf_counter()
        t_ms = (ts - self.query_offset) // 1_000_000
        samples = 0
        for i, rule in enumerate(self.rules):
            r_start = time.perf_counter()
            if m is not None:
                m.evaluations.labels(self.key).inc()
            try:
                rows = rule.eval(ts, self.query_offset, self.limit)
            except RuleEvalError as e:
                rule.health, rule.last_error = "err", str(e)
                rule.last_evaluation = ts
                rule.evaluation_seconds = time.perf_counter() - r_start
                if m is not None:
                    m.eval_failures.labels(self.key).inc()
                continue
            rule.health, rule.last_error = "ok", ""
            if isinstance(rule, AlertingRule) and self.notify is not None:
                out = rule.alerts_to_send(ts, self.resend_delay, self.interval)
                if out:
                    self.notify(rule, out, ts)
            samples += len(rows)
            if self.appender is not None:
                current = {r[0] for r in rows}
                if rows:
                    self.appender.append_rows(rows, t_ms)
                gone = self.previous[i] - current
                if gone:
                    self.appender.append_rows([(lbls, STALE_NAN) for lbls in gone], t_ms)
                if rows or gone:
                    self.source.invalidate()
                self.previous[i] = current
            rule.last_evaluation = ts
            rule.evaluation_seconds = time.perf_counter() - r_start
            if m is not None:
                m.eval_duration.observe(rule.evaluation_seconds)
        self.evaluation_seconds = time.perf_counter() - started
        self.last_evaluation = ts
        self.last_samples = samples
        if m is not None:
            m.group_duration.observe(self.evaluation_seconds)
            m.last_duration.labels(self.key).set(self.evaluation_seconds)
            m.last_evaluation.labels(self.key).set(ts / 1e9)
            m.last_samples.labels(self.key).set(samples)

    def stale_all(self) -> None:
        """A removed group's last series get stale markers (Prometheus waits 2 intervals first)."""
        if self.appender is None or self.last_evaluation == ZERO:
            return
        t_ms = (self.last_evaluation - self.query_offset) // 1_000_000 + 1
        for prev in self.previous:
            if prev:
                self.appender.append_rows([(lbls, STALE_NAN) for lbls in prev], t_ms)

    def copy_state(self, old: RuleGroup) -> None:
        """Reload of an unchanged group keeps alerts and written series, matched by rule name and
        labels (``CopyState``); a rule that appears twice takes the state in order."""
        by_name: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[int]] = {}
        for i, r in enumerate(old.rules):
            by_name.setdefault((r.kind, r.name, tuple(sorted(r.labels.items()))), []).append(i)
        for i, r in enumerate(self.rules):
            idx = by_name.get((r.kind, r.name, tuple(sorted(r.labels.items()))))
            if not idx:
                continue
            j = idx.pop(0)
            o = old.rules[j]
            self.previous[i] = old.previous[j]
            r.health, r.last_error, r.last_evaluation = o.health, o.last_error, o.last_evaluation
            if isinstance(r, AlertingRule) and isinstance(o, AlertingRule):
                r.active = o.active
                r.restored = o.restored
        self.last_evaluation = old.last_evaluation
