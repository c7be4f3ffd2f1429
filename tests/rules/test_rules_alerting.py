"""The alerting state machine and recording rules, driven by scripted query results."""

from __future__ import annotations

import pytest

from amclone.rules.alerting import FIRING, INACTIVE, PENDING, AlertingRule, RuleEvalError, TemplateContext
from amclone.rules.recording import RecordingRule

M = 60 * 1_000_000_000
T0 = 1_700_000_000 * 1_000_000_000


class Script:
    """Query results by time: ``{t_ms: rows}``; missing times give no rows."""

    def __init__(self) -> None:
        self.rows: dict[int, list[tuple[tuple[tuple[str, str], ...], float]]] = {}
        self.calls: list[int] = []

    def __call__(self, t_ms: int) -> list[tuple[tuple[tuple[str, str], ...], float]]:
        self.calls.append(t_ms)
        return self.rows.get(t_ms, [])

    def at(self, minute: int, *rows: tuple[dict[str, str], float]) -> None:
        self.rows[(T0 + minute * M) // 1_000_000] = [(tuple(sorted(l.items())), v) for l, v in rows]


def run(rule: AlertingRule, minutes: range, **kw: int) -> list[list[tuple[str, int]]]:
    out = []
    for m in minutes:
        rule.eval(T0 + m * M, **kw)
        out.append(sorted((a.labels["i"], a.state) for a in rule.active.values()))
    return out


def test_for_pending_then_firing_and_resolution_kept() -> None:
    q = Script()
    for m in range(0, 4):
        q.at(m, ({"__name__": "x", "i": "1"}, 5.0))
    rule = AlertingRule("A", "x > 1", q, for_=2 * M)
    states = run(rule, range(0, 6))
    assert states == [[("1", PENDING)], [("1", PENDING)], [("1", FIRING)], [("1", FIRING)],
                      [("1", INACTIVE)], [("1", INACTIVE)]]
    a = next(iter(rule.active.values()))
    assert a.fired_at == T0 + 2 * M and a.resolved_at == T0 + 4 * M
    assert "__name__" not in a.labels and a.labels["alertname"] == "A"


def test_resolved_alert_dropped_after_15_minutes() -> None:
    q = Script()
    q.at(0, ({"i": "1"}, 1.0))
    rule = AlertingRule("A", "x", q)
    rule.eval(T0)
    rule.eval(T0 + M)
    assert rule.active
    rule.eval(T0 + 16 * M)
    assert rule.active  # 15m after resolution, not yet more
    rule.eval(T0 + 16 * M + 1)
    assert not rule.active


def test_single_gap_resets_pending() -> None:
    q = Script()
    for m in (0, 1, 3, 4, 5):
        q.at(m, ({"i": "1"}, 1.0))
    rule = AlertingRule("A", "x", q, for_=2 * M)
    states = run(rule, range(0, 6))
    assert states[2] == [] and states[4] == [("1", PENDING)] and states[5] == [("1", FIRING)]


def test_keep_firing_for_counts_from_first_miss() -> None:
    q = Script()
    q.at(0, ({"i": "1"}, 7.0))
    rule = AlertingRule("A", "x", q, keep_firing_for=2 * M)
    states = run(rule, range(0, 4))
    assert states == [[("1", FIRING)], [("1", FIRING)], [("1", FIRING)], [("1", INACTIVE)]]
    assert next(iter(rule.active.values())).value == 7.0


def test_refire_after_resolution_restarts_for() -> None:
    q = Script()
    for m in (0, 1, 3, 4):
        q.at(m, ({"i": "1"}, 1.0))
    rule = AlertingRule("A", "x", q, for_=M)
    states = run(rule, range(0, 5))
    assert states[1] == [("1", FIRING)] and states[2] == [("1", INACTIVE)]
    assert states[3] == [("1", PENDING)] and states[4] == [("1", FIRING)]


def test_alerts_series_only_when_restored_and_at_offset_time() -> None:
    q = Script()
    q.rows[(T0 - 30_000_000_000) // 1_000_000] = [((("i", "1"),), 1.0)]
    rule = AlertingRule("A", "x", q, labels={"sev": "x"})
    assert rule.eval(T0, query_offset=30_000_000_000) == []
    rule2 = AlertingRule("A", "x", q, labels={"sev": "x"}, restored=True)
    rows = dict(rule2.eval(T0, query_offset=30_000_000_000))
    assert rows[(("__name__", "ALERTS"), ("alertname", "A"), ("alertstate", "firing"), ("i", "1"),
                 ("sev", "x"))] == 1.0
    assert rows[(("__name__", "ALERTS_FOR_STATE"), ("alertname", "A"), ("i", "1"), ("sev", "x"))] == T0 // 10**9


def test_limit_clears_state() -> None:
    q = Script()
    q.at(0, ({"i": "1"}, 1.0), ({"i": "2"}, 1.0))
    rule = AlertingRule("A", "x", q)
    with pytest.raises(RuleEvalError, match="exceeded limit of 1 with 2 alerts"):
        rule.eval(T0, limit=1)
    assert rule.active == {}


def test_duplicate_labelset_after_labels() -> None:
    q = Script()
    q.at(0, ({"i": "1"}, 1.0), ({"i": "2"}, 1.0))
    rule = AlertingRule("A", "x", q, labels={"i": "same"})
    with pytest.raises(RuleEvalError, match="same labelset after applying alert labels"):
        rule.eval(T0)


def test_templates_value_labels_external_and_query() -> None:
    q = Script()
    q.at(0, ({"__name__": "x", "i": "1"}, 0.25))
    ctx = TemplateContext({"dc": "eu"}, "http://am", lambda text, t: [((("k", "v"),), 3.0)])
    rule = AlertingRule("A", "x", q, labels={"i": "{{ $labels.i }}-{{ $externalLabels.dc }}", "empty": "{{ $labels.nope }}"},
                        annotations={"a": "{{ $value | humanizePercentage }} {{ $labels.__name__ }}",
                                     "q": '{{ query "up" | first | value }}', "u": "{{ $externalURL }}"},
                        templates=ctx)
    rule.eval(T0)
    a = next(iter(rule.active.values()))
    assert a.labels == {"i": "1-eu", "alertname": "A"}
    assert a.annotations["a"] == "25% x" and a.annotations["q"] == "3" and a.annotations["u"] == "http://am"


def test_template_error_becomes_text() -> None:
    q = Script()
    q.at(0, ({"i": "1"}, 1.0))
    rule = AlertingRule("A", "x", q, annotations={"a": "{{ nosuchfunc }}"})
    rule.eval(T0)
    assert next(iter(rule.active.values())).annotations["a"].startswith("<error expanding template: ")


def test_sending_decisions() -> None:
    q = Script()
    q.at(0, ({"i": "1"}, 1.0))
    q.at(1, ({"i": "1"}, 1.0))
    q.at(2, ({"i": "1"}, 1.0))
    rule = AlertingRule("A", "x", q)
    sent = []
    for m in range(0, 5):
        rule.eval(T0 + m * M)
        sent.append([(a.state, a.valid_until) for a in rule.alerts_to_send(T0 + m * M, M, 30_000_000_000)])
    # fired at 0 (sent, valid 4 x max(1m, 30s)); resend only after more than the delay; resolved goes at once
    assert sent[0] == [(FIRING, T0 + 4 * M)] and sent[1] == [] and sent[2] == [(FIRING, T0 + 6 * M)]
    assert sent[3] == [(INACTIVE, T0 + 7 * M)] and sent[4] == []


def test_pending_never_sent() -> None:
    q = Script()
    q.at(0, ({"i": "1"}, 1.0))
    rule = AlertingRule("A", "x", q, for_=M)
    rule.eval(T0)
    assert rule.alerts_to_send(T0, M, M) == []


def test_recording_rule_renames_sets_labels_and_limits() -> None:
    q = Script()
    q.at(0, ({"__name__": "x", "i": "1", "drop": "d"}, 2.0), ({"__name__": "x", "i": "2", "drop": "d"}, 3.0))
    r = RecordingRule("r:x", "x", q, {"env": "p", "drop": ""})
    assert r.eval(T0) == [((("__name__", "r:x"), ("env", "p"), ("i", "1")), 2.0),
                          ((("__name__", "r:x"), ("env", "p"), ("i", "2")), 3.0)]
    with pytest.raises(RuleEvalError, match="exceeded limit of 1 with 2 series"):
        r.eval(T0, limit=1)
    with pytest.raises(RuleEvalError, match="same labelset after applying rule labels"):
        RecordingRule("r", "x", q, {"i": "c"}).eval(T0)
