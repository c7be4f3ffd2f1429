"""The fake clock runs timelines without sleeping: sleepers wake in deadline order, and a task
woken by one timer can start the next before time moves on."""

import asyncio

from amclone.timeutil import NS_PER_SECOND, FakeClock, run_every


async def test_sleepers_wake_in_deadline_order() -> None:
    clock = FakeClock()
    start = clock.now()
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, s: float) -> None:
        await clock.sleep(s)
        woke.append((name, (clock.now() - start) / NS_PER_SECOND))

    tasks = [asyncio.create_task(sleeper("late", 30)), asyncio.create_task(sleeper("early", 5))]
    await clock.advance(3600)
    await asyncio.gather(*tasks)
    assert woke == [("early", 5.0), ("late", 30.0)]
    assert clock.now() - start == 3600 * NS_PER_SECOND


async def test_chained_timers_fire_within_one_advance() -> None:
    clock = FakeClock()
    ticks: list[int] = []

    async def ticker() -> None:
        for _ in range(4):
            await clock.sleep(60)
            ticks.append(clock.now())

    task = asyncio.create_task(ticker())
    await clock.advance(4 * 60)
    await task
    assert [b - a for a, b in zip(ticks, ticks[1:])] == [60 * NS_PER_SECOND] * 3


async def test_nothing_wakes_before_its_deadline() -> None:
    clock = FakeClock()
    done = asyncio.Event()

    async def sleeper() -> None:
        await clock.sleep(10)
        done.set()

    task = asyncio.create_task(sleeper())
    await clock.advance(9.999)
    assert not done.is_set()
    await clock.advance(0.001)
    await task
    assert done.is_set()


async def test_run_every_ticks_per_interval_and_stops_at_once() -> None:
    clock = FakeClock()
    stop = asyncio.Event()
    ticks: list[int] = []
    task = asyncio.create_task(run_every(clock, 60, stop, lambda: ticks.append(clock.now())))
    await clock.advance(150)
    assert len(ticks) == 2
    stop.set()
    await asyncio.wait_for(task, 1)  # no more clock time needed to end it
    await clock.advance(600)
    assert len(ticks) == 2
