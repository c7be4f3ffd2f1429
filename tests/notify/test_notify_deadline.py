"""Flush deadlines on the real clock (amclone.notify.deadline via retry.run_until): an attempt that
outlives its deadline is cancelled and reported as DeadlineExceeded, one that finishes in time is
untouched, a cancellation from outside still propagates, and NotifyContext's hand-written
constructor matches its fields."""

from __future__ import annotations

import asyncio
import dataclasses
import inspect

import pytest

from amclone.notify.deadline import Expired, await_before
from amclone.notify.retry import DeadlineExceeded, run_until
from amclone.notify.stage import NotifyContext
from amclone.timeutil import NS_PER_SECOND, SystemClock


async def test_slow_attempt_is_cancelled_at_the_deadline() -> None:
    cancelled = asyncio.Event()

    async def slow() -> str:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return "late"

    clock = SystemClock()
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    with pytest.raises(DeadlineExceeded):
        await run_until(clock, clock.now() + NS_PER_SECOND // 20, slow())
    assert 0.04 < loop.time() - t0 < 1 and cancelled.is_set()
    task = asyncio.current_task()
    assert task is not None and task.cancelling() == 0  # our own cancellation was taken back


async def test_many_deadlines_each_fire_on_time_and_finished_ones_never() -> None:
    async def take(seconds: float, value: int) -> int:
        await asyncio.sleep(seconds)
        return value

    async def one(i: int) -> object:
        try:
            # even i: finishes well before its deadline; odd i: outlives it
            return await await_before(0.05 + 0.01 * (i % 3), take(0.001 if i % 2 == 0 else 5, i))
        except Expired:
            return "expired"

    results = await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(40))), 3)
    assert results == [i if i % 2 == 0 else "expired" for i in range(40)]


async def test_outside_cancellation_propagates() -> None:
    started = asyncio.Event()

    async def attempt() -> None:
        started.set()
        await await_before(5, asyncio.sleep(10))

    t = asyncio.ensure_future(attempt())
    await started.wait()
    t.cancel()
    with pytest.raises(asyncio.CancelledError):
        await t


async def test_deadline_and_outside_cancel_together_is_a_cancel() -> None:
    loop = asyncio.get_running_loop()

    async def attempt() -> None:
        await await_before(0.01, asyncio.sleep(10))

    # The owner's cancel (a reload) is due no later than the deadline, so the loop runs both
    # before the task wakes, or the owner's first: either way the task is cancelled, not expired.
    loop.call_at(loop.time() + 0.01, lambda: t.cancel())
    t = asyncio.ensure_future(attempt())
    with pytest.raises(asyncio.CancelledError):
        await t


async def test_result_in_time() -> None:
    async def quick() -> str:
        await asyncio.sleep(0)
        return "ok"

    clock = SystemClock()
    assert await run_until(clock, clock.now() + NS_PER_SECOND, quick()) == "ok"


def test_notify_context_init_matches_the_fields() -> None:
    params = list(inspect.signature(NotifyContext.__init__).parameters)[1:]
    fields = dataclasses.fields(NotifyContext)
    assert params == [f.name for f in fields]
    values = ["k", {"a": "b"}, "r", 1, 2, 3, ("m",), ("a",), (4,), (5,)]
    ctx = NotifyContext(*values)  # type: ignore[arg-type]
    assert [getattr(ctx, f.name) for f in fields] == values
    assert ctx == NotifyContext(*values)  # type: ignore[arg-type]
    assert ctx.with_hashes([7], [8]) == dataclasses.replace(ctx, firing=(7,), resolved=(8,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.now = 5  # type: ignore[misc]
    defaults = NotifyContext("k", {}, "r", 1, 2, 3)
    assert (defaults.mute_time_intervals, defaults.active_time_intervals, defaults.firing, defaults.resolved) == (
        (), (), None, None)


async def test_finished_attempts_do_not_pile_up() -> None:
    from amclone.notify import wakeup

    async def quick() -> None:
        await asyncio.sleep(0)

    for _ in range(1000):
        await await_before(300, quick())  # a group_interval away: never reached
    t = wakeup._timerfd(asyncio.get_running_loop())
    assert t is None or len(t.heap) <= 2 * wakeup._COMPACT_MIN + 2
    with pytest.raises(Expired):
        await await_before(0.01, asyncio.sleep(5))  # the timer still serves new deadlines
