"""The pipeline on a FakeClock: retries and backoff until the deadline, unrecoverable errors,
dedup rules, muting stages in 0.25's order, time intervals, metrics, the notified hook."""

from __future__ import annotations

import random

from amclone.nflog import NotificationLog, Receiver
from amclone.nflog.codec import Entry
from amclone.notify.dedup import hash_alert, needs_update
from amclone.notify.reason import REASONS
from amclone.notify.retry import Backoff
from tests.dispatch.harness import Core, S

CFG = """
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1m
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:1/hook
"""


def test_backoff_schedule_matches_cenkalti_defaults() -> None:
    b = Backoff(rng=random.Random(1))
    intervals = []
    for _ in range(15):
        cur = b.current
        v = b.next()
        assert cur * 0.5 <= v <= cur * 1.5
        intervals.append(cur)
    assert intervals[:4] == [0.5, 0.75, 1.125, 1.6875] and intervals[-1] == 60.0


def test_hash_alert_is_0_25_value() -> None:
    # value read from a 0.25 nflog snapshot (docs research, section 3.3)
    assert hash_alert({"alertname": "HostDown", "instance": "db1", "severity": "critical"}) == 14447901313238907854


def test_needs_update_rules() -> None:
    e = Entry("k", Receiver("r", "webhook"), 100 * S, 0, (1, 2), (3,))
    assert needs_update(None, {1}, set(), False, 10 * S, 101 * S)
    assert not needs_update(None, set(), {1}, True, 10 * S, 101 * S)
    assert needs_update(e, {1, 4}, set(), False, 10 * S, 101 * S)  # new firing
    assert not needs_update(e, {1}, {2}, False, 10 * S, 101 * S)  # shrink only
    assert needs_update(e, {1}, {2}, True, 10 * S, 101 * S)  # newly resolved, send_resolved
    assert needs_update(e, set(), {1, 2}, False, 10 * S, 101 * S)  # all resolved
    assert not needs_update(Entry("k", Receiver("r", "webhook"), 0, 0, (), (1,)), set(), {1}, True, S, 5 * S)
    assert needs_update(e, {1}, set(), False, 10 * S, 111 * S)  # repeat elapsed


async def test_retries_with_backoff_until_success() -> None:
    core = Core(CFG)
    await core.start()
    rec = core._recorder("webhook", core.cfg.receivers[0].webhook_configs[0])
    rec.script = [(True, "boom"), (True, "boom")]
    await core.post({"alertname": "A"})
    await core.advance(10)
    times = [(s.at - core.sent[0].at) / S for s in core.sent]
    assert len(times) == 3 and 0.25 <= times[1] <= 0.75 and times[1] + 0.375 <= times[2] <= times[1] + 1.125
    reg = core.registry
    assert reg.get_sample_value("alertmanager_notification_requests_total", {"integration": "webhook"}) == 3
    assert reg.get_sample_value("alertmanager_notification_requests_failed_total", {"integration": "webhook"}) == 2
    assert all(reg.get_sample_value("alertmanager_notifications_failed_total",
                                    {"integration": "webhook", "reason": r}) == 0 for r in REASONS)
    assert len(core.nflog) == 1
    await core.stop()


async def test_retries_stop_at_deadline_then_next_flush_resends() -> None:
    core = Core(CFG)
    await core.start()
    rec = core._recorder("webhook", core.cfg.receivers[0].webhook_configs[0])
    rec.script = [(True, "down")] * 1000
    await core.post({"alertname": "A"})
    await core.advance(60.5)  # deadline = max(1m, 10s) after the first flush at 1 s
    first = core.sent[0].at
    assert all(s.at - first < 60 * S for s in core.sent)
    n = len(core.sent)
    assert 8 < n < 40
    rec.script = []
    await core.advance(1)

    def failed() -> float | None:
        return core.registry.get_sample_value("alertmanager_notifications_failed_total",
                                              {"integration": "webhook", "reason": "other"})

    await core.eventually(lambda: failed() == 1 and len(core.sent) == n + 1)
    assert failed() == 1
    assert len(core.sent) == n + 1 and len(core.nflog) == 1  # retried at once by the next tick
    await core.stop()


async def test_unrecoverable_error_is_not_retried() -> None:
    core = Core(CFG)
    await core.start()
    rec = core._recorder("webhook", core.cfg.receivers[0].webhook_configs[0])
    rec.script = [(False, "unexpected status code 400")]
    await core.post({"alertname": "A"})
    await core.advance(30)
    assert len(core.sent) == 1 and len(core.nflog) == 0
    await core.advance(31)  # next group_interval tick: the alert is still there, nothing logged
    assert len(core.sent) == 2
    await core.stop()


async def test_inhibited_then_silenced_order_and_marker() -> None:
    yml = CFG + """
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
"""
    core = Core(yml)
    await core.start()
    from amclone.labels.matcher import MatchType
    from amclone.silence import Silence, SilenceMatcher

    now = core.clock.now()
    sid = core.silences.set(Silence("", (SilenceMatcher("alertname", MatchType.EQUAL, "W"),), now, now + 3600 * S,
                                    now, "t", "c"))
    src = await core.post({"alertname": "C", "severity": "critical"})
    tgt = await core.post({"alertname": "W", "severity": "warning"})
    await core.advance(2)
    assert [s.names() for s in core.sent] == [["C"]]
    st = core.marker.status(tgt.fingerprint)
    # inhibition runs first in the pipeline, so the silencer never saw the inhibited alert
    assert st.inhibited_by == (src.fingerprint_hex,) and st.silenced_by == ()
    core.system.set_alert_status(tgt.labels)
    assert core.marker.status(tgt.fingerprint).silenced_by == (sid,)
    await core.stop()


async def test_time_intervals_mute_and_active() -> None:
    yml = CFG.replace("receivers:", """  routes:
    - match: {r: muted}
      mute_time_intervals: [always]
    - match: {r: inactive}
      active_time_intervals: [never]
    - match: {r: active}
      active_time_intervals: [always]
receivers:""") + """
time_intervals:
  - name: always
    time_intervals: [{weekdays: ['sunday:saturday'], location: Europe/Berlin}]
  - name: never
    time_intervals: [{years: ['1999']}]
"""
    core = Core(yml)
    await core.start()
    for r in ("muted", "inactive", "active", "none"):
        await core.post({"alertname": r, "r": r})
    await core.advance(2)
    assert sorted(n for s in core.sent for n in s.names()) == ["active", "none"]
    await core.stop()


async def test_notified_hook_sees_each_notification() -> None:
    core = Core(CFG)
    seen: list[tuple[str, str, int]] = []
    core.system.add_hook(lambda ctx, recv, alerts: seen.append((ctx.group_key, recv.key(), len(alerts))))

    def broken(ctx: object, recv: object, alerts: object) -> None:
        raise ZeroDivisionError

    core.system.add_hook(broken)  # a broken hook changes nothing
    await core.start()
    await core.post({"alertname": "A"})
    await core.advance(2)
    assert seen == [('{}:{alertname="A"}', "hook/webhook/0", 1)] and len(core.nflog) == 1
    await core.stop()


async def test_nflog_expiry_is_twice_repeat_interval() -> None:
    core = Core(CFG)
    await core.start()
    await core.post({"alertname": "A"})
    await core.advance(2)
    (e,) = core.nflog.entries()
    assert e.expires_at - e.timestamp == 2 * 3600 * S
    await core.stop()


def test_nflog_log_keeps_future_entry() -> None:
    from amclone.timeutil import FakeClock

    clock = FakeClock()
    nf = NotificationLog(clock)
    r = Receiver("r", "webhook", 0)
    nf.merge(__import__("amclone.nflog.codec", fromlist=["x"]).encode_state(
        [Entry("k", r, clock.now() + 100 * S, clock.now() + 200 * S, (1,))]))
    nf.log(r, "k", (2,), ())
    assert nf.query("k", r).firing_alerts == (1,)  # type: ignore[union-attr]



