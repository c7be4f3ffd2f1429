"""Clocks. Every timer in amclone goes through a `Clock`, so tests can run hours of timeline in
milliseconds by driving a `FakeClock` instead of sleeping.

Time is an ``int`` of nanoseconds since the Unix epoch throughout amclone: Alertmanager keeps
Go ``time.Time`` values with nanosecond precision and echoes them back (webhook ``startsAt``),
which a ``datetime`` (microseconds) would round.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Protocol

NS_PER_SECOND = 1_000_000_000
NS_PER_MS = 1_000_000

# Go's zero time.Time (0001-01-01T00:00:00Z) in nanoseconds since the Unix epoch.
ZERO_TIME = -62_135_596_800 * NS_PER_SECOND


def is_zero(ns: int) -> bool:
    return ns == ZERO_TIME


def seconds(ns: int) -> float:
    return ns / NS_PER_SECOND


def from_seconds(s: float) -> int:
    return round(s * NS_PER_SECOND)


class Clock(Protocol):
    """Wall-clock time and sleeping. Implementations must be safe to share between tasks."""

    def now(self) -> int:
        """Nanoseconds since the Unix epoch."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Suspend the calling task for `seconds` of this clock's time."""
        ...


class SystemClock:
    def now(self) -> int:
        return time.time_ns()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class FakeClock:
    """A clock that moves only when told to. `advance` wakes sleepers in deadline order and lets
    each woken task run before the next deadline is reached, so a chain of timers behaves as it
    would in real time."""

    def __init__(self, start: int = 1_700_000_000 * NS_PER_SECOND) -> None:
        self._now = start
        self._seq = itertools.count()
        self._sleepers: list[tuple[int, int, asyncio.Future[None]]] = []

    def now(self) -> int:
        return self._now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + from_seconds(seconds), next(self._seq), fut))
        await fut

    async def advance(self, seconds: float) -> None:
        """Move time forward by `seconds`, waking every sleeper whose deadline passes."""
        target = self._now + from_seconds(seconds)
        await _settle()
        while self._sleepers and self._sleepers[0][0] <= target:
            deadline, _, fut = heapq.heappop(self._sleepers)
            self._now = max(self._now, deadline)
            if not fut.done():
                fut.set_result(None)
            await _settle()
        self._now = target
        await _settle()

    def pending(self) -> int:
        return sum(1 for _, _, f in self._sleepers if not f.done())


async def run_every(clock: Clock, interval_s: float, stop: asyncio.Event, tick: Callable[[], None]) -> None:
    """Call `tick` every `interval_s` of `clock`'s time until `stop` is set: the maintenance loops
    (--data.maintenance-interval). Setting `stop` ends the wait at once, and `tick` is not called
    after it; a final run at shutdown is the caller's."""
    while not stop.is_set():
        sleeper = asyncio.ensure_future(clock.sleep(interval_s))
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait({sleeper, stopper}, return_when=asyncio.FIRST_COMPLETED)
        sleeper.cancel()
        stopper.cancel()
        if not stop.is_set():
            tick()


async def _settle(rounds: int = 20) -> None:
    # Let woken tasks run until they block again; a few loop turns cover chained awaits.
    for _ in range(rounds):
        await asyncio.sleep(0)
