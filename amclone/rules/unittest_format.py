"""promtool's rule unit-test files (``promtool test rules``, 2.42): parsed into values, not run.

Running the tests needs the evaluator and comes later; this fixes what a file *says*, including
promtool's quirks the runner must keep: relative ``rule_files`` are joined to the test file's
directory and globbed (a pattern matching nothing is only a warning); ``evaluation_interval``
defaults to 1m; a test group's ``interval`` is both the input series step and the default
interval of the loaded rule groups, and is kept as written (0 if absent), as 2.42 does;
``group_eval_order`` may not repeat a name. The file is read with go-yaml v2 semantics, as
promtool reads it (repeated keys are ``already set`` errors).

Only a few problems end the whole file (YAML, a bad glob, a repeated group name); the others
fail one test group while the rest still run, so they are kept on the group for the runner, with
promtool's words: `TestGroup.series_error` (the first bad input series), `alertname_error`,
`ExpSample.labels_error`.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from typing import Any

from amclone.compat.duration import format_model_duration
from amclone.compat.goquote import quote
from amclone.rules.config import valid_glob
from amclone.rules.decode import Decoder, Duration, Float, Slice, Str, StrMap, Struct
from amclone.rules.seriesnotation import NotationError, parse_metric, parse_series
from amclone.rules.yamlv3 import Node, YamlError, read_file
from amclone.rules.yamlv3 import parse as parse_yaml

DEFAULT_EVALUATION_INTERVAL = 60_000_000_000


class UnitTestFormatError(Exception):
    """A test file promtool would reject before running anything; ``str()`` is the message."""


@dataclass(frozen=True)
class InputSeries:
    series: str
    values_text: str
    labels: dict[str, str]
    values: tuple[float | None, ...]  # None: no sample at that step; stale markers keep their NaN bits
    error: str | None = None  # promtool's text when the line does not parse (labels/values then empty)


@dataclass(frozen=True)
class ExpAlert:
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AlertTestCase:
    eval_time: int  # ns since the test's start (Unix 0)
    alertname: str
    exp_alerts: tuple[ExpAlert, ...] = ()


@dataclass(frozen=True)
class ExpSample:
    labels_text: str
    labels: dict[str, str]
    value: float
    labels_error: str | None = None  # ``labels "up{": 1:4: parse error: ...``, reported per test case


@dataclass(frozen=True)
class PromQLTestCase:
    expr: str
    eval_time: int
    exp_samples: tuple[ExpSample, ...] = ()


@dataclass(frozen=True)
class TestGroup:
    interval: int = 0  # ns, as written (see the module docstring)
    input_series: tuple[InputSeries, ...] = ()
    alert_rule_test: tuple[AlertTestCase, ...] = ()
    promql_expr_test: tuple[PromQLTestCase, ...] = ()
    external_labels: dict[str, str] = field(default_factory=dict)
    external_url: str = ""
    name: str = ""

    @property
    def series_error(self) -> str | None:
        """What promtool reports for the group when its input does not load (the first bad line)."""
        return next((s.error for s in self.input_series if s.error is not None), None)

    @property
    def alertname_error(self) -> str | None:
        for case in self.alert_rule_test:
            if not case.alertname:
                where = f" (in TestGroup {self.name})" if self.name else ""
                return ("an item under alert_rule_test misses required attribute alertname at eval_time "
                        f"{format_model_duration(case.eval_time)}{where}")
        return None

    def max_eval_time(self) -> int:
        times = [a.eval_time for a in self.alert_rule_test] + [p.eval_time for p in self.promql_expr_test]
        return max(times, default=0)


@dataclass(frozen=True)
class UnitTestFile:
    path: str
    rule_files: tuple[str, ...]  # resolved and globbed
    evaluation_interval: int
    group_eval_order: tuple[str, ...]
    tests: tuple[TestGroup, ...]
    warnings: tuple[str, ...] = ()  # promtool's stderr warnings (``  WARNING: no file match pattern x``)


def _series(v: dict[str, Any], _n: Node) -> InputSeries:
    series, values = v.get("series", ""), v.get("values", "")
    try:
        labels, samples = parse_series(series, values)
    except NotationError as e:
        return InputSeries(series, values, {}, (), str(e))
    if not labels:
        return InputSeries(series, values, {}, (), "empty labelset: invalid sample")
    return InputSeries(series, values, labels, samples)


def _sample(v: dict[str, Any], _n: Node) -> ExpSample:
    text = v.get("labels", "")
    try:
        return ExpSample(text, parse_metric(text), v.get("value", 0.0))
    except NotationError as e:
        return ExpSample(text, {}, v.get("value", 0.0), f"labels {quote(text)}: {e}")


_ALERT = Struct("main.alert", {"exp_labels": StrMap(), "exp_annotations": StrMap()},
                lambda v, _n: ExpAlert(v.get("exp_labels", {}), v.get("exp_annotations", {})))
_ALERT_CASE = Struct("main.alertTestCase", {"eval_time": Duration(), "alertname": Str(), "exp_alerts": Slice(_ALERT)},
                     lambda v, _n: AlertTestCase(v.get("eval_time", 0), v.get("alertname", ""),
                                                 tuple(v.get("exp_alerts", ()))))
_SAMPLE = Struct("main.sample", {"labels": Str(), "value": Float()}, _sample)
_PROMQL_CASE = Struct("main.promqlTestCase", {"expr": Str(), "eval_time": Duration(), "exp_samples": Slice(_SAMPLE)},
                      lambda v, _n: PromQLTestCase(v.get("expr", ""), v.get("eval_time", 0),
                                                   tuple(v.get("exp_samples", ()))))
_SERIES = Struct("main.series", {"series": Str(), "values": Str()}, _series)
_GROUP = Struct("main.testGroup", {
    "interval": Duration(), "input_series": Slice(_SERIES), "alert_rule_test": Slice(_ALERT_CASE),
    "promql_expr_test": Slice(_PROMQL_CASE), "external_labels": StrMap(), "external_url": Str(), "name": Str()},
    lambda v, _n: TestGroup(v.get("interval", 0), tuple(v.get("input_series", ())),
                            tuple(v.get("alert_rule_test", ())), tuple(v.get("promql_expr_test", ())),
                            v.get("external_labels", {}), v.get("external_url", ""), v.get("name", "")))
_FILE = Struct("main.unitTestFile", {"rule_files": Slice(Str()), "evaluation_interval": Duration(),
                                     "group_eval_order": Slice(Str()), "tests": Slice(_GROUP)}, lambda v, _n: v)


def parse(content: bytes, path: str) -> UnitTestFile:
    """Decode and check a unit-test file; raises `UnitTestFormatError`."""
    try:
        raw = Decoder(known_fields=True, v2=True).run(parse_yaml(content), _FILE) or {}
    except YamlError as e:
        raise UnitTestFormatError(str(e)) from None
    base = os.path.dirname(path)
    files, warnings = [], []
    for pattern in raw.get("rule_files", ()):
        if pattern and not os.path.isabs(pattern):
            pattern = os.path.normpath(os.path.join(base, pattern))
        if not valid_glob(pattern):
            raise UnitTestFormatError("syntax error in pattern")
        matched = sorted(glob.glob(pattern))
        if not matched:
            warnings.append(f"  WARNING: no file match pattern {pattern}")
        files.extend(matched)
    order = tuple(raw.get("group_eval_order", ()))
    seen: set[str] = set()
    for name in order:
        if name in seen:
            raise UnitTestFormatError(f"group name repeated in evaluation order: {name}")
        seen.add(name)
    tests = tuple(raw.get("tests", ()))
    return UnitTestFile(path, tuple(files), raw.get("evaluation_interval", 0) or DEFAULT_EVALUATION_INTERVAL,
                        order, tests, tuple(warnings))


def load_file(path: str) -> UnitTestFile:
    try:
        content = read_file(path)
    except YamlError as e:
        raise UnitTestFormatError(str(e)) from None
    return parse(content, path)
