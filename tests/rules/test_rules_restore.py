"""``for`` restore: the three branches of the remaining-time rule, stale and missing series."""

from __future__ import annotations

from amclone.rules.alerting import PENDING, AlertingRule
from amclone.rules.restore import HeadForState, restore_for_state
from amclone.tsdb import STALE_NAN, Head

S = 1_000_000_000
NOW = 1_700_000_000 * S
M = 60 * S


def rule(for_: int) -> AlertingRule:
    r = AlertingRule("R", "x", lambda t: [((("i", "1"),), 1.0)], for_=for_, labels={"sev": "a"})
    r.eval(NOW)
    assert next(iter(r.active.values())).state == PENDING
    return r


def state(head: Head, down_at: int, active_at: int, stale: bool = False) -> None:
    lbls = (("__name__", "ALERTS_FOR_STATE"), ("alertname", "R"), ("i", "1"), ("sev", "a"))
    head.append(lbls, down_at // 1_000_000, float(active_at // S))
    if stale:
        head.append(lbls, down_at // 1_000_000 + 1, STALE_NAN)


def active_at(r: AlertingRule) -> int:
    return next(iter(r.active.values())).active_at


def test_downtime_does_not_count() -> None:
    head = Head()
    state(head, NOW - 5 * M, NOW - 25 * M)  # 20m pending of 60m, down 5m
    r = rule(60 * M)
    assert restore_for_state([r], HeadForState(head), NOW) == 1
    assert active_at(r) == NOW - 20 * M and r.restored


def test_nearly_due_waits_the_grace_period() -> None:
    head = Head()
    state(head, NOW - 2 * M, NOW - 57 * M)  # 55m of 60m: 5m left < 10m grace
    r = rule(60 * M)
    restore_for_state([r], HeadForState(head), NOW)
    assert active_at(r) == NOW + 10 * M - 60 * M


def test_already_due_keeps_active_at() -> None:
    head = Head()
    state(head, NOW - 2 * M, NOW - 90 * M)
    r = rule(60 * M)
    restore_for_state([r], HeadForState(head), NOW)
    assert active_at(r) == NOW - 90 * M


def test_short_for_stale_and_too_old_are_not_restored() -> None:
    head = Head()
    state(head, NOW - 2 * M, NOW - 30 * M, stale=True)
    r = rule(60 * M)
    assert restore_for_state([r], HeadForState(head), NOW) == 0 and active_at(r) == NOW
    short = rule(5 * M)
    assert restore_for_state([short], HeadForState(head), NOW) == 0 and short.restored
    old = Head()
    state(old, NOW - 2 * 3600 * S, NOW - 2 * 3600 * S - 10 * M)
    r2 = rule(60 * M)
    assert restore_for_state([r2], HeadForState(old), NOW) == 0


async def test_remote_for_state_reads_the_query_api() -> None:
    import asyncio

    from amclone.rules.datasource import RemoteSource
    from amclone.rules.restore import RemoteForState

    from .test_rules_datasource import serve

    head = Head()
    state(head, NOW - 5 * M, NOW - 25 * M)
    runner, url = await serve(head)
    try:
        r = rule(60 * M)
        assert await asyncio.to_thread(restore_for_state, [r], RemoteForState(RemoteSource(url)), NOW) == 1
        assert active_at(r) == NOW - 20 * M
    finally:
        await runner.cleanup()
