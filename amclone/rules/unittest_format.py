"""promtool's rule unit-test files (``promtool test rules``, 2.42): parsed into values, not run.

Running the tests needs the evaluator and comes later; this fixes what a file *says*, including
promtool's quirks the runner must keep: relative ``rule_files`` are joined to the test file's
directory and globbed (a pattern matching nothing is only a warning); ``evaluation_interval``
defaults to 1m; a test group's ``interval`` is both the input series step and the default
interval of the loaded rule groups, and is kept as written (0 if absent), as 2.42 does;
``group_eval_order`` may not repeat a name; an ``alert_rule_test`` item needs an ``alertname``.
Input series and expected sample labels are parsed here (`seriesnotation`), so a bad one is
reported at load time.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from typing import Any

from amclone.rules.decode import Decoder, Duration, Float, Slice, Str, StrMap, Struct
from amclone.rules.seriesnotation import NotationError, parse_metric, parse_values
from amclone.rules.yamlv3 import Node, YamlError
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
        return InputSeries(series, values, parse_metric(series), parse_values(values))
    except NotationError as e:
        raise YamlError(str(e)) from None


def _sample(v: dict[str, Any], _n: Node) -> ExpSample:
    text = v.get("labels", "")
    try:
        labels = parse_metric(text) if text.strip() else {}
    except NotationError as e:
        raise YamlError(f"labels {text!r}: {e}") from None
    return ExpSample(text, labels, v.get("value", 0.0))


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
        raw = Decoder(known_fields=True).run(parse_yaml(content), _FILE) or {}
    except YamlError as e:
        raise UnitTestFormatError(str(e)) from None
    base = os.path.dirname(path)
    files, warnings = [], []
    for pattern in raw.get("rule_files", ()):
        if pattern and not os.path.isabs(pattern):
            pattern = os.path.normpath(os.path.join(base, pattern))
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
    for t in tests:
        for case in t.alert_rule_test:
            if not case.alertname:
                where = f" (in TestGroup {t.name})" if t.name else ""
                from amclone.compat.duration import format_model_duration

                raise UnitTestFormatError("an item under alert_rule_test misses required attribute alertname "
                                          f"at eval_time {format_model_duration(case.eval_time)}{where}")
    return UnitTestFile(path, tuple(files), raw.get("evaluation_interval", 0) or DEFAULT_EVALUATION_INTERVAL,
                        order, tests, tuple(warnings))


def load_file(path: str) -> UnitTestFile:
    try:
        with open(path, "rb") as fh:
            content = fh.read()
    except OSError as e:
        raise UnitTestFormatError(f"open {path}: {(e.strerror or 'error').lower()}") from None
    return parse(content, path)
