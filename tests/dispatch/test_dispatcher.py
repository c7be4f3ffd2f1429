"""Dispatcher and aggregation groups on a FakeClock: group_wait, group_interval, repeat_interval,
resolution, send_resolved, old alerts, cleanup, reload without re-sends, the API's groups view."""

from __future__ import annotations

import json

from tests.dispatch.harness import Core

BASE = """
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:1/hook
"""


async def test_group_wait_batches_then_group_interval_follow_up() -> None:
    core = Core(BASE)
    await core.start()
    t0 = core.clock.now()
    await core.post({"alertname": "A", "i": "1"})
    await core.advance(10)
    await core.post({"alertname": "A", "i": "2"})
    await core.post({"alertname": "B"})
    await core.advance(30)
    assert core.since(t0) == [(30.0, '{}:{alertname="A"}', ["A", "A"]), (40.0, '{}:{alertname="B"}', ["B"])]
    await core.advance(60)
    await core.post({"alertname": "A", "i": "3"}, resolve_timeout=3600)
    await core.advance(300)
    # next tick of group A is 30 + 300 = 330 s
    assert core.since(t0)[2] == (330.0, '{}:{alertname="A"}', ["A", "A", "A"])
    await core.stop()


async def test_repeat_interval_resend_on_tick_after_expiry() -> None:
    core = Core(BASE)
    await core.start()
    t0 = core.clock.now()
    await core.post({"alertname": "A"}, resolve_timeout=10 * 3600)
    await core.advance(2 * 3600)
    times = [t for t, _, _ in core.since(t0)]
    # first at 30 s; ticks every 300 s; repeat once the last send is older than 1 h: 30 + 13*300
    assert times == [30.0, 30.0 + 13 * 300]
    await core.stop()


async def test_resolved_sent_and_group_removed_after_cleanup() -> None:
    core = Core(BASE)
    await core.start()
    t0 = core.clock.now()
    await core.post({"alertname": "A"}, ends=600)
    await core.advance(31)
    assert len(core.sent) == 1
    await core.post({"alertname": "A"}, ends=0)  # resolved now (overlapping post merges)
    await core.advance(300)
    assert [(t, n) for t, _, n in core.since(t0)] == [(30.0, ["A"]), (330.0, ["A"])]
    body = json.loads(core.sent[1].body)
    assert body["status"] == "resolved" and body["alerts"][0]["endsAt"] != "0001-01-01T00:00:00Z"
    assert json.loads(core.sent[0].body)["alerts"][0]["endsAt"] == "0001-01-01T00:00:00Z"
    disp = core.system.dispatcher
    assert disp is not None
    await core.advance(60)
    assert disp.group_count() == 0
    await core.stop()


async def test_send_resolved_false_sends_nothing_but_clears() -> None:
    yml = BASE.replace("url: http://127.0.0.1:1/hook", "url: http://127.0.0.1:1/hook\n        send_resolved: false")
    core = Core(yml)
    await core.start()
    await core.post({"alertname": "A"}, ends=600)
    await core.advance(31)
    await core.post({"alertname": "A"}, ends=0)
    await core.advance(300)
    assert len(core.sent) == 1
    entries = core.nflog.entries()
    assert len(entries) == 1 and entries[0].firing_alerts == () and len(entries[0].resolved_alerts) == 1
    await core.stop()


async def test_old_alert_skips_group_wait() -> None:
    core = Core(BASE)
    await core.start()
    t0 = core.clock.now()
    await core.post({"alertname": "A"}, starts=-60)
    assert core.since(t0) == [(0.0, '{}:{alertname="A"}', ["A"])]
    await core.stop()


async def test_fired_and_resolved_within_group_wait_never_sent() -> None:
    core = Core(BASE)
    await core.start()
    await core.post({"alertname": "A"}, ends=600)
    await core.advance(5)
    await core.post({"alertname": "A"}, ends=0)
    await core.advance(400)
    assert core.sent == []
    await core.stop()


async def test_reload_rebuilds_groups_without_resending() -> None:
    core = Core(BASE)
    await core.start()
    t0 = core.clock.now()
    await core.post({"alertname": "A"}, resolve_timeout=7200)
    await core.advance(40)
    assert len(core.sent) == 1
    await core.reload(BASE)
    await core.advance(100)
    assert len(core.sent) == 1  # the replayed alert flushed at once, dedup said nothing new
    rerouted = BASE.replace("group_by: [alertname]", "group_by: [severity]")
    await core.reload(rerouted)
    await core.advance(1)
    # a new group key is a new nflog entry: the receiver hears of it again at once (old alert)
    assert [k for _, k, _ in core.since(t0)] == ['{}:{alertname="A"}', '{}:{}']
    await core.stop()


async def test_continue_and_group_by_all_keys() -> None:
    yml = """
route:
  receiver: hook
  group_wait: 1s
  routes:
    - matchers: ['team="db"', 'env=~"prod|stage"']
      group_by: ['...']
      continue: true
    - match: {team: db}
      group_by: [alertname]
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:1/hook
"""
    core = Core(yml)
    await core.start()
    await core.post({"alertname": "DiskFull", "team": "db", "env": "prod"})
    await core.advance(2)
    keys = sorted(s.group_key for s in core.sent)
    assert keys == ['{}/{env=~"prod|stage",team="db"}:{alertname="DiskFull", env="prod", team="db"}',
                    '{}/{team="db"}:{alertname="DiskFull"}']
    await core.stop()


async def test_groups_view_sorted_with_receivers() -> None:
    yml = """
route:
  receiver: a
  group_by: [g]
  routes:
    - receiver: b
      continue: true
    - receiver: a
receivers:
  - name: a
  - name: b
"""
    core = Core(yml)
    await core.start()
    await core.post({"alertname": "X", "g": "2"})
    await core.post({"alertname": "Y", "g": "1"})
    groups, receivers = core.system.groups(lambda r: True, lambda a, now: True)
    assert [(dict(g.labels), g.receiver) for g in groups] == [
        ({"g": "1"}, "a"), ({"g": "1"}, "b"), ({"g": "2"}, "a"), ({"g": "2"}, "b")]
    assert all(v == ["a", "b"] for v in receivers.values())
    only_b, _ = core.system.groups(lambda r: r.opts.receiver == "b", lambda a, now: True)
    assert {g.receiver for g in only_b} == {"b"}
    await core.stop()


async def test_alert_order_job_instance_then_labels() -> None:
    core = Core(BASE.replace("group_by: [alertname]", "group_by: []"))
    await core.start()
    for labels in ({"alertname": "Z"}, {"alertname": "A", "job": "b"}, {"alertname": "A", "job": "a", "instance": "2"},
                   {"alertname": "A", "job": "a", "instance": "1"}, {"alertname": "B", "x": "1"}):
        await core.post(labels)
    await core.advance(31)
    assert [dict(a.labels) for a in core.sent[0].alerts] == [
        {"alertname": "A", "job": "a", "instance": "1"}, {"alertname": "A", "job": "a", "instance": "2"},
        {"alertname": "A", "job": "b"}, {"alertname": "Z"}, {"alertname": "B", "x": "1"}]
    await core.stop()


async def test_metrics_groups_gauge() -> None:
    core = Core(BASE)
    await core.start()
    await core.post({"alertname": "A"})
    await core.post({"alertname": "B"})
    assert core.registry.get_sample_value("alertmanager_dispatcher_aggregation_groups") == 2
    assert core.registry.get_sample_value("alertmanager_notifications_total", {"integration": "email"}) == 0
    await core.advance(31)
    assert core.registry.get_sample_value("alertmanager_notifications_total", {"integration": "webhook"}) == 2
    await core.stop()





async def test_old_alert_joining_before_first_flush_triggers_it() -> None:
    core = Core(BASE)
    await core.start()
    t0 = core.clock.now()
    await core.post({"alertname": "A", "i": "1"})
    await core.advance(5)
    await core.post({"alertname": "A", "i": "2"}, starts=-60)
    assert core.since(t0) == [(5.0, '{}:{alertname="A"}', ["A", "A"])]
    await core.stop()


async def test_empty_group_lingers_until_cleanup_and_is_rejoined_without_group_wait() -> None:
    core = Core(BASE)
    await core.start()
    t0 = core.clock.now()
    await core.advance(1)  # off the cleanup ticker's beat (every 30 s from the start)
    await core.post({"alertname": "A"}, ends=100)
    await core.advance(331)  # firing at 31 s, resolved at 331 s: the group is empty now
    assert [t for t, _, _ in core.since(t0)] == [31.0, 331.0]
    disp = core.system.dispatcher
    assert disp is not None and disp.group_count() == 1  # next cleanup at 360 s
    await core.post({"alertname": "A", "x": "again"})  # joins the empty group: no group_wait
    await core.advance(300)
    assert [t for t, _, _ in core.since(t0)] == [31.0, 331.0, 631.0]
    await core.advance(600)  # resolved by its timeout, notified at the 931 s tick, then cleaned up
    assert disp.group_count() == 0
    await core.stop()


async def test_missing_group_label_and_empty_value_are_different_groups() -> None:
    core = Core(BASE.replace("group_by: [alertname]", "group_by: [alertname, g]"))
    await core.start()
    await core.post({"alertname": "A"})
    await core.post({"alertname": "A", "g": ""})
    await core.post({"alertname": "A", "g": "", "i": "2"})
    await core.advance(31)
    assert sorted((s.group_key, len(s.alerts)) for s in core.sent) == [
        ('{}:{alertname="A", g=""}', 2), ('{}:{alertname="A"}', 1)]
    await core.stop()


async def test_group_dropped_by_cleanup_is_new_again() -> None:
    core = Core(BASE)
    await core.start()
    t0 = core.clock.now()
    await core.advance(1)
    await core.post({"alertname": "A"}, ends=100)
    await core.advance(360)  # notified at 31 s and (resolved) 331 s; cleanup at 360 s drops it
    disp = core.system.dispatcher
    assert disp is not None and disp.group_count() == 0
    await core.post({"alertname": "A", "x": "again"})  # a new group: group_wait again
    await core.advance(31)
    assert [t for t, _, _ in core.since(t0)] == [31.0, 331.0, 391.0]
    assert disp.group_count() == 1
    await core.stop()


async def test_processing_summary_counts_alerts_and_exposes_as_a_summary() -> None:
    from prometheus_client import generate_latest

    core = Core(BASE.replace("receiver: hook\n", "receiver: hook\n  routes:\n    - receiver: hook\n      continue: true\n"
                             "    - receiver: hook\n", 1))
    await core.start()
    await core.post({"alertname": "A"})
    await core.post({"alertname": "B"})
    name = "alertmanager_dispatcher_alert_processing_duration_seconds"
    assert core.registry.get_sample_value(name + "_count") == 2  # per alert, not per route
    assert 0 < (core.registry.get_sample_value(name + "_sum") or 0) < 1
    text = generate_latest(core.registry).decode()
    assert (f"# HELP {name} Summary of latencies for the processing of alerts.\n"
            f"# TYPE {name} summary\n{name}_count 2.0\n{name}_sum ") in text
    await core.stop()
