"""Flush deadlines on the real clock: one timer per event loop for every notification in flight,
instead of one per attempt.

Every attempt runs under its flush's deadline (``max(group_interval, 10s)`` away). With
``asyncio.timeout`` each attempt would build a timer handle, push it on the loop's heap and
cancel it again, which a burst of thousands of groups pays per notification on the path to the
socket. Here an attempt pushes (deadline, seq, entry) on a heap of our own; a single loop timer
is armed for the earliest entry; an attempt that finishes marks its entry done, and done entries
are dropped when the timer reaches them. Deadlines are the flushes' own, so they grow with time
and the loop timer is rarely re-armed.

When a deadline passes, the attempt's task is cancelled; the attempt sees that the cancellation
was ours (``uncancel``, as asyncio.timeout does) and turns it into `DeadlineExceeded`, while a
cancellation from outside (reload, shutdown) still propagates.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import weakref
from collections.abc import Awaitable
from typing import TypeVar

__all__ = ["Expired", "await_before"]

T = TypeVar("T")


class Expired(Exception):
    """The deadline passed before the awaitable finished (it was cancelled)."""


class _Entry:
    __slots__ = ("done", "fired", "task")

    def __init__(self, task: asyncio.Task[object]) -> None:
        self.task = task
        self.done = False
        self.fired = False


class _Watch:
    """One loop's deadlines, in loop time (seconds, monotonic)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.heap: list[tuple[float, int, _Entry]] = []
        self.seq = itertools.count()
        self.timer: asyncio.TimerHandle | None = None
        self.armed_at = 0.0
        self.finished = 0  # entries in the heap that are done

    def add(self, when: float, entry: _Entry) -> None:
        heapq.heappush(self.heap, (when, next(self.seq), entry))
        if self.timer is None or when < self.armed_at:
            self._arm(when)

    def finish(self, entry: _Entry) -> None:
        """`entry`'s attempt is over. A flush deadline is minutes away (group_interval), so
        finished entries are dropped in bulk once they are most of the heap, as the loop does
        with cancelled timers."""
        entry.done = True
        self.finished += 1
        if self.finished > _COMPACT_MIN and 2 * self.finished > len(self.heap):
            self.heap = [item for item in self.heap if not item[2].done]
            heapq.heapify(self.heap)
            self.finished = 0

    def _arm(self, when: float) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.armed_at = when
        self.timer = self.loop.call_at(when, self._fire)

    def _fire(self) -> None:
        self.timer = None
        heap, now = self.heap, self.loop.time()
        while heap and heap[0][0] <= now:
            entry = heapq.heappop(heap)[2]
            if entry.done:
                self.finished -= 1
            else:
                entry.fired = True
                entry.task.cancel()
        while heap and heap[0][2].done:
            heapq.heappop(heap)
            self.finished -= 1
        if heap:
            self._arm(heap[0][0])


_COMPACT_MIN = 100
_WATCHES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Watch] = weakref.WeakKeyDictionary()
_last: _Watch | None = None  # the loop seen last: production has one, so the lookup is skipped


def _watch(loop: asyncio.AbstractEventLoop) -> _Watch:
    global _last
    w = _last
    if w is not None and w.loop is loop:
        return w
    w = _WATCHES.get(loop)
    if w is None:
        w = _WATCHES[loop] = _Watch(loop)
    _last = w
    return w


async def await_before(seconds: float, aw: Awaitable[T]) -> T:
    """Await `aw` in the current task; cancel it and raise `Expired` if it takes longer than
    `seconds` (> 0) of the loop's clock."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task(loop)
    if task is None:  # not in a task (nothing to cancel): asyncio's own timeout says so
        async with asyncio.timeout(seconds):
            return await aw
    entry = _Entry(task)
    cancelling = task.cancelling()
    watch = _watch(loop)
    watch.add(loop.time() + seconds, entry)
    try:
        result = await aw
    except asyncio.CancelledError:
        if entry.fired and task.uncancel() <= cancelling:
            raise Expired() from None
        raise
    finally:
        if not entry.fired:
            watch.finish(entry)
    if entry.fired:  # `aw` swallowed our cancellation: take the request back
        task.uncancel()
    return result
