"""The manager on a FakeClock over a real head: grid slots, order within a group, missed
iterations, reload keeping state, restore after restart, on-write evaluation, alerts into the store."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from prometheus_client import CollectorRegistry

from amclone.alerts import AlertStore, Marker
from amclone.promql import Engine
from amclone.rules import files
from amclone.rules.datasource import LocalSource
from amclone.rules.group import HeadWriter, RuleGroup, eval_timestamp, group_offset
from amclone.rules.manager import ManagerOptions, RuleManager
from amclone.rules.metrics import RuleMetrics
from amclone.rules.restore import HeadForState
from amclone.rules.sender import OutAlert, StoreSender
from amclone.timeutil import FakeClock
from amclone.tsdb import Head, is_stale

S = 1_000_000_000
START = 1_700_000_000 * S


class Capture:
    def __init__(self) -> None:
        self.batches: list[list[OutAlert]] = []

    async def send(self, alerts: Sequence[OutAlert]) -> None:
        self.batches.append(list(alerts))


def spec(*rules: files.Rule, name: str = "g", interval: int = 10 * S, evaluation: str = files.INTERVAL,
         limit: int = 0, query_offset: int = 0) -> files.Group:
    return files.Group("/r.yml", name, interval, rules, limit, query_offset, {}, evaluation)


def alert(name: str, expr: str, for_: int = 0, **labels: str) -> files.Rule:
    return files.Rule(files.ALERT, name, expr, for_, 0, labels, {"summary": "v={{ $value }}"})


def record(name: str, expr: str) -> files.Rule:
    return files.Rule(files.RECORD, name, expr)


def setup(clock: FakeClock, head: Head, for_state: bool = False) -> tuple[RuleManager, Capture, CollectorRegistry]:
    reg = CollectorRegistry()
    cap = Capture()
    m = RuleManager(clock, LocalSource(Engine(head)), HeadWriter(head), [cap], RuleMetrics(reg),
                    ManagerOptions(external_url="http://am:9093", external_labels=(("dc", "eu"),), threaded=False,
                                   resend_delay=10 * S, on_write_min_interval=2 * S),
                    for_state=HeadForState(head) if for_state else None, head=head)
    return m, cap, reg


def feed(head: Head, t_ns: int, v: float, name: str = "x") -> None:
    head.append((("__name__", name), ("i", "1")), t_ns // 1_000_000, v)


def test_group_offset_is_stable_and_within_interval() -> None:
    off = group_offset("/r.yml", "g", 60 * S)
    assert 0 <= off < 60 * S and off == group_offset("/r.yml", "g", 60 * S)
    assert off != group_offset("/r.yml", "h", 60 * S)
    now = START + 123 * S
    ts = eval_timestamp(now, 60 * S, off)
    assert ts <= now < ts + 60 * S and (ts - off) % (60 * S) == 0


async def test_evaluates_on_grid_sends_with_external_labels_and_generator_url() -> None:
    clock, head = FakeClock(START), Head()
    m, cap, reg = setup(clock, head)
    g = spec(record("x:copy", "x"), alert("High", "x:copy > 1"))
    m.apply([g])
    await m.start()
    for k in range(0, 40):
        feed(head, START + k * S, 5.0)
    first = RuleGroup(g, m.source, None).eval_timestamp(START) + g.interval
    await clock.advance((first - START) / S)
    assert m.groups()[0].last_evaluation == first
    out = cap.batches[0][0]
    assert out.labels == {"alertname": "High", "i": "1", "dc": "eu"}
    assert out.annotations == {"summary": "v=5"} and out.starts_at == first and out.ends_at == first + 40 * S
    assert out.generator_url == "http://am:9093/prometheus/api/v1/query?query=x%3Acopy+%3E+1"
    await clock.advance(10)
    assert m.groups()[0].last_evaluation == first + 10 * S
    assert reg.get_sample_value("prometheus_rule_evaluations_total", {"rule_group": "/r.yml;g"}) == 4
    assert reg.get_sample_value("prometheus_rule_group_rules", {"rule_group": "/r.yml;g"}) == 2
    await m.stop()


async def test_missed_iterations_skip_slots() -> None:
    clock, head = FakeClock(START), Head()
    m, _, reg = setup(clock, head)
    m.apply([spec(record("r", "vector(1)"))])
    await m.start()
    await clock.advance(20)
    run = next(iter(m.running.values()))
    before = run.group.last_evaluation
    clock._now += 35 * S  # the process stalled 3.5 intervals
    await clock.advance(10)
    assert (run.group.last_evaluation - before) % (10 * S) == 0
    assert (reg.get_sample_value("prometheus_rule_group_iterations_missed_total", {"rule_group": "/r.yml;g"})
            or 0) >= 2
    await m.stop()


async def test_reload_keeps_state_of_unchanged_and_renamed_groups_go_stale() -> None:
    clock, head = FakeClock(START), Head()
    m, _, _ = setup(clock, head)
    g = spec(alert("A", "vector(1)", for_=30 * S))
    m.apply([g])
    await m.start()
    await clock.advance(25)
    rule = m.groups()[0].alerting_rules()[0]
    assert rule.active
    m.apply([g])  # unchanged: same object keeps running
    assert m.groups()[0].rules[0] is rule
    g2 = spec(alert("A", "vector(1)", for_=30 * S), record("extra", "vector(2)"))
    m.apply([g2])
    assert m.groups()[0].alerting_rules()[0].active == rule.active
    m.apply([])
    await clock.advance(30)
    series = [s for s in head._by_labels.values() if dict(s.labels).get("__name__") == "ALERTS"]
    assert series and all(is_stale(s.vs[-1]) for s in series)
    await m.stop()


async def test_restore_for_state_after_restart() -> None:
    clock, head = FakeClock(START), Head()
    # a previous run wrote ALERTS_FOR_STATE: active since START-20m, last sample at START-1m (down since)
    lbls = (("__name__", "ALERTS_FOR_STATE"), ("alertname", "Long"), ("i", "1"))
    head.append(lbls, (START - 60 * S) // 1_000_000, float((START - 1200 * S) // S))
    m, _, _ = setup(clock, head, for_state=True)
    for k in range(-100, 200):
        feed(head, START + k * S, 1.0)
    m.apply([spec(alert("Long", "x > 0", for_=3600 * S))])
    await m.start()
    await clock.advance(25)
    rule = m.groups()[0].alerting_rules()[0]
    a = next(iter(rule.active.values()))
    # 19m spent pending before the outage (down at START-1m); the time down does not count
    assert START - 1200 * S < a.active_at <= START - 1140 * S + 30 * S
    assert a.state == 1 and rule.restored
    await m.stop()


async def test_on_write_group_evaluates_soon_after_a_write_debounced() -> None:
    clock, head = FakeClock(START), Head()
    m, cap, _ = setup(clock, head)
    m.apply([spec(alert("W", "x > 1"), interval=60 * S, evaluation=files.ON_WRITE)])
    await m.start()
    await clock.advance(0.5)
    feed(head, START, 5.0)
    m.notify_write()
    await clock.advance(0.01)
    g = m.groups()[0]
    assert g.last_evaluation == START + 10_000_000 or g.last_evaluation >= START
    assert cap.batches, "evaluated without waiting for the 60 s grid"
    n = len(cap.batches)
    feed(head, START + S, 5.0)
    m.notify_write()
    m.notify_write()
    await clock.advance(0.5)
    assert g.last_evaluation < START + 2 * S  # debounced: not yet
    await clock.advance(2)
    assert g.last_evaluation >= START + 2 * S and len(cap.batches) >= n
    await m.stop()


async def test_alerts_reach_the_alert_store() -> None:
    clock, head = FakeClock(START), Head()
    store = AlertStore(clock, Marker())
    await store.start()
    m = RuleManager(clock, LocalSource(Engine(head)), HeadWriter(head), [StoreSender(store, clock)],
                    RuleMetrics(CollectorRegistry()), ManagerOptions(threaded=False))
    m.apply([spec(alert("S", "vector(3)"))])
    await m.start()
    await clock.advance(25)
    got = store.list()
    assert [dict(a.labels) for a in got] == [{"alertname": "S"}]
    assert got[0].ends_at > clock.now() and "prometheus/api/v1/query" in got[0].generator_url
    await m.stop()
    await store.stop()


async def test_threaded_evaluation_on_real_clock() -> None:
    from amclone.timeutil import SystemClock

    head = Head()
    m = RuleManager(SystemClock(), LocalSource(Engine(head)), HeadWriter(head), [], RuleMetrics(CollectorRegistry()))
    m.apply([spec(record("one", "vector(1)"), interval=S)])
    await m.start()
    await asyncio.sleep(2.2)
    assert m.groups()[0].last_evaluation > 0
    await m.stop()


@pytest.mark.parametrize("bad", ["sum(", "x[5m]"])
def test_bad_expression_fails_apply_or_rule(bad: str) -> None:
    clock, head = FakeClock(START), Head()
    m, _, _ = setup(clock, head)
    try:
        m.apply([spec(record("r", bad))])
    except Exception:
        return
    g = m.groups()[0]
    g.eval(START)
    assert g.rules[0].last_error == "rule result is not a vector or scalar"


def test_query_offset_shifts_queries_and_written_samples_not_alert_times() -> None:
    head = Head()
    feed(head, START - 40 * S, 3.0)
    g = RuleGroup(spec(record("r", "x"), alert("A", "x > 1"), query_offset=30 * S), LocalSource(Engine(head)),
                  HeadWriter(head), restored=True)
    g.eval(START)
    rec = next(s for s in head._by_labels.values() if dict(s.labels)["__name__"] == "r")
    assert list(rec.ts) == [(START - 30 * S) // 1_000_000]
    a = next(iter(g.alerting_rules()[0].active.values()))
    assert a.active_at == START and a.fired_at == START


def test_limit_on_group_fails_rule_and_counts() -> None:
    head, reg = Head(), CollectorRegistry()
    feed(head, START, 1.0)
    head.append((("__name__", "x"), ("i", "2")), START // 1_000_000, 1.0)
    g = RuleGroup(spec(alert("A", "x > 0"), limit=1), LocalSource(Engine(head)), HeadWriter(head),
                  metrics=RuleMetrics(reg))
    g.eval(START)
    assert g.rules[0].last_error == "exceeded limit of 1 with 2 alerts" and g.rules[0].health == "err"
    assert reg.get_sample_value("prometheus_rule_evaluation_failures_total", {"rule_group": "/r.yml;g"}) == 1
