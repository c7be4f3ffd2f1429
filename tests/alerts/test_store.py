"""AlertStore: provider/mem semantics (merge on put, subscribe replay, GC, gauges), FakeClock time."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import CollectorRegistry

from amclone.alerts import Alert, AlertState, AlertStore, Marker
from amclone.timeutil import NS_PER_SECOND, FakeClock

S = NS_PER_SECOND


def alert(clock: FakeClock, name: str, starts: int = 0, ends: int = 300, *, timeout: bool = False,
          summary: str = "") -> Alert:
    now = clock.now()
    return Alert({"alertname": name}, {"summary": summary}, now + starts * S, now + ends * S, now,
                 "", timeout)


async def test_put_get_list() -> None:
    clock = FakeClock()
    store = AlertStore(clock, Marker())
    await store.start()
    a, b = alert(clock, "A"), alert(clock, "B")
    await store.put([a, b])
    assert store.get(a.fingerprint) is a and len(store) == 2 and b.fingerprint in store
    assert {x.name for x in store.list()} == {"A", "B"}
    assert store.get(12345) is None
    await store.stop()


async def test_overlapping_repost_merges_and_disjoint_replaces() -> None:
    clock = FakeClock()
    store = AlertStore(clock, Marker())
    await store.start()
    first = alert(clock, "A", 0, 300, summary="first")
    await store.put([first])
    await clock.advance(10)
    # Starts inside the stored span: merged, earliest start kept, newer content.
    second = alert(clock, "A", -5, 600, summary="second")
    await store.put([second])
    got = store.get(first.fingerprint)
    assert got is not None
    assert (got.starts_at, got.ends_at, got.annotations["summary"]) == (
        first.starts_at, second.ends_at, "second")
    # A re-fire after the stored one ended: replaced wholesale.
    await clock.advance(1000)
    third = alert(clock, "A", 0, 300, summary="third")
    await store.put([third])
    assert store.get(first.fingerprint) is third
    await store.stop()


async def test_subscribe_replays_then_streams() -> None:
    clock = FakeClock()
    store = AlertStore(clock, Marker())
    await store.start()
    a = alert(clock, "A")
    await store.put([a])
    sub = store.subscribe()
    got: list[str] = []

    async def consume() -> None:
        async for x in sub:
            got.append(x.name)

    task = asyncio.create_task(consume())
    await asyncio.sleep(0)
    await store.put([alert(clock, "B"), alert(clock, "C")])
    await asyncio.sleep(0)
    assert got == ["A", "B", "C"]
    sub.close()
    await asyncio.wait_for(task, 1)
    await store.put([alert(clock, "D")])  # closed subscribers get nothing more
    assert sub.pending() == 0
    await store.stop()


async def test_subscription_drain_and_context_manager() -> None:
    clock = FakeClock()
    store = AlertStore(clock, Marker())
    await store.start()
    async with store.subscribe() as sub:
        store.apply([alert(clock, "A"), alert(clock, "B")])
        assert [x.name for x in sub.drain()] == ["A", "B"]
    store.apply([alert(clock, "C")])
    assert sub.pending() == 0
    await store.stop()


async def test_gc_removes_resolved_and_forgets_marker() -> None:
    clock = FakeClock()
    marker = Marker()
    deleted: list[str] = []
    store = AlertStore(clock, marker, gc_interval=60 * S, on_delete=lambda a: deleted.append(a.name))
    await store.start()
    short, long = alert(clock, "Short", 0, 30), alert(clock, "Long", 0, 3600)
    await store.put([short, long])
    marker.set_silenced(short.fingerprint, ["s"])
    await clock.advance(59)
    assert len(store) == 2  # resolved at 30s but GC runs at 60s
    await clock.advance(2)
    assert [a.name for a in store.list()] == ["Long"]
    assert deleted == ["Short"] and marker.unprocessed(short.fingerprint)
    await store.stop()


async def test_alerts_gauge_counts_unresolved_by_marker_state() -> None:
    clock = FakeClock()
    reg = CollectorRegistry()
    marker = Marker()
    store = AlertStore(clock, marker, registry=reg)
    await store.start()
    a, b, c = (alert(clock, n) for n in "abc")
    r = alert(clock, "r", -100, -10)
    await store.put([a, b, c, r])
    marker.set_silenced(a.fingerprint, ["s"])
    marker.set_inhibited(b.fingerprint)
    marker.set_silenced(r.fingerprint, ["s"])  # resolved: not counted

    def g(state: str) -> float | None:
        return reg.get_sample_value("alertmanager_alerts", {"state": state})

    assert (g("active"), g("suppressed"), g("unprocessed")) == (1, 1, 1)
    assert store.count(AlertState.SUPPRESSED) == 1
    await store.stop()


async def test_subscription_batches() -> None:
    clock = FakeClock()
    store = AlertStore(clock, Marker())
    await store.start()
    store.apply([alert(clock, "A")])
    sub = store.subscribe()
    assert [x.name for x in await sub.batch()] == ["A"]
    waiting = asyncio.create_task(sub.batch())
    await asyncio.sleep(0)
    store.apply([alert(clock, "B"), alert(clock, "C")])
    assert [x.name for x in await asyncio.wait_for(waiting, 1)] == ["B", "C"]
    sub.close()
    assert await sub.batch() == []
    await store.stop()


async def test_same_alert_twice_in_one_batch_merges_in_order() -> None:
    clock = FakeClock()
    store = AlertStore(clock, Marker())
    await store.start()
    first = alert(clock, "A", 0, 300, summary="1")
    second = Alert(first.labels, {"summary": "2"}, first.starts_at + S, first.ends_at + 600 * S,
                   first.updated_at + 1, "", False)
    stored = store.apply([first, second])
    got = store.get(first.fingerprint)
    assert got is stored[-1] and got is not None
    assert (got.starts_at, got.annotations["summary"]) == (first.starts_at, "2")
    await store.stop()


async def test_direct_delivery_hands_puts_over_within_the_put(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock(1000 * NS_PER_SECOND)
    store = AlertStore(clock, Marker())
    await store.put([alert(clock, "a")])
    sub = store.subscribe()
    with pytest.raises(RuntimeError):
        sub.deliver_directly(lambda alerts: None)  # the replayed alert is still queued
    assert [a.labels["alertname"] for a in sub.drain()] == ["a"]
    got: list[list[str]] = []
    sub.deliver_directly(lambda alerts: got.append([a.labels["alertname"] for a in alerts]))
    await store.put([alert(clock, "b"), alert(clock, "c")])
    assert got == [["b", "c"]] and sub.pending() == 0  # already handed over, nothing queued

    def broken(alerts: list[Alert]) -> None:
        raise ValueError("consumer bug")

    sub.deliver_directly(broken)
    await store.put([alert(clock, "d")])  # the put still succeeds
    assert store.get(alert(clock, "d").fingerprint) is not None
    assert "alert subscriber failed" in caplog.text
    sub.close()
    await store.put([alert(clock, "e")])
    assert await sub.batch() == []  # closed: neither delivered nor queued
