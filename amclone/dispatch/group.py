"""Aggregation groups (0.25 ``dispatch.aggrGroup``): the alerts of one route that share the
route's group_by labels, and the timer that flushes them into the pipeline.

The timing is what receivers observe, so it is 0.25's: the first flush ``group_wait`` after the
group is created, or at once when an alert arrives (before the first flush) that started more
than group_wait ago; then one flush every ``group_interval``, counted from when the previous one
*started* (the timer is re-armed before flushing, and a flush that overruns is followed at once).
A flush sends every alert, firing ones with a zero end time, sorted by job, instance, then label
set; after a successful flush, resolved alerts not updated meanwhile leave the group.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from amclone.alerts import Alert
from amclone.labels.labelset import before, to_string
from amclone.notify import wakeup
from amclone.notify.stage import NotifyContext
from amclone.timeutil import NS_PER_SECOND, ZERO_TIME, Clock, SystemClock

__all__ = ["AggrGroup", "alert_sort_key", "sort_alerts"]

NotifyFn = Callable[[NotifyContext, list[Alert]], Awaitable[bool]]


def _alert_less(a: Alert, b: Alert) -> int:
    """``types.AlertSlice.Less`` as a comparison: job, then instance (alerts lacking the label
    after those that have it), then ``LabelSet.Before``."""
    for key in ("job", "instance"):
        av, bv = a.labels.get(key), b.labels.get(key)
        if av is None and bv is None:
            continue
        if av is None:
            return 1
        if bv is None:
            return -1
        if av != bv:
            return -1 if av < bv else 1
    if before(a.labels, b.labels):
        return -1
    if before(b.labels, a.labels):
        return 1
    return 0


alert_sort_key = functools.cmp_to_key(_alert_less)


def sort_alerts(alerts: list[Alert]) -> list[Alert]:
    alerts.sort(key=alert_sort_key)
    return alerts


class AggrGroup:
    __slots__ = (
        "_active",
        "_clock",
        "_mute",
        "_next_at",
        "_notify",
        "_task",
        "_timeout",
        "_wake",
        "alerts",
        "group_key",
        "has_flushed",
        "labels",
        "opts",
        "route",
    )

    def __init__(self, labels: Mapping[str, str], route: Any, clock: Clock, timeout: Callable[[int], int],
                 notify: NotifyFn, route_key: str | None = None) -> None:
        self.labels = labels
        self.route = route
        self.opts = route.opts
        self.group_key = f"{route.key() if route_key is None else route_key}:{to_string(labels)}"
        self.alerts: dict[int, Alert] = {}
        self.has_flushed = False
        self._clock = clock
        self._timeout = timeout
        self._notify = notify
        self._next_at = clock.now() + self.opts.group_wait
        self._wake: asyncio.Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._mute = tuple(self.opts.mute_time_intervals)
        self._active = tuple(self.opts.active_time_intervals)

    def __repr__(self) -> str:
        return f"AggrGroup({self.group_key!r})"

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def cancel(self) -> asyncio.Task[None] | None:
        """Cancel the timer and any notification in flight (reload, shutdown, cleanup); returns
        the task to await, if any."""
        t, self._task = self._task, None
        if t is not None:
            t.cancel()
        return t

    def insert(self, alert: Alert) -> None:
        self.alerts[alert.fingerprint] = alert
        if not self.has_flushed and alert.starts_at + self.opts.group_wait < self._clock.now():
            self._reset(self._clock.now())

    def empty(self) -> bool:
        return not self.alerts

    def _reset(self, at: int) -> None:
        self._next_at = at
        w = self._wake
        if w is not None and not w.done():
            w.set_result(None)

    def _wake_up(self, *_: object) -> None:
        w = self._wake
        if w is not None and not w.done():
            w.set_result(None)

    async def _sleep_until_next(self) -> None:
        clock = self._clock
        loop = asyncio.get_running_loop()
        real = isinstance(clock, SystemClock)
        early = wakeup.early(loop) if real else 0.0
        while True:
            delay = (self._next_at - clock.now()) / NS_PER_SECOND
            if delay <= early:
                return
            self._wake = loop.create_future()
            handle: Any
            if real:
                handle = wakeup.call_at(loop, loop.time() + delay, self._wake_up)
            else:
                handle = asyncio.ensure_future(clock.sleep(delay))
                handle.add_done_callback(self._wake_up)
            try:
                await self._wake
            finally:
                handle.cancel()
                self._wake = None

    async def _run(self) -> None:
        opts = self.opts
        receiver, repeat, interval = opts.receiver, opts.repeat_interval, opts.group_interval
        while True:
            await self._sleep_until_next()
            now = self._clock.now()
            ctx = NotifyContext(self.group_key, self.labels, receiver, repeat, now, now + self._timeout(interval),
                                self._mute, self._active)
            self._next_at = now + interval
            self.has_flushed = True
            await self.flush(ctx)

    async def flush(self, ctx: NotifyContext) -> None:
        if not self.alerts:
            return
        now = self._clock.now()
        batch = [a if a.resolved_at(now) else a.with_ends_at(ZERO_TIME) for a in self.alerts.values()]
        sort_alerts(batch)
        if not await self._notify(ctx, batch):
            return
        now = self._clock.now()
        for a in batch:
            if not a.resolved_at(now):
                continue
            got = self.alerts.get(a.fingerprint)
            # Only if it was not re-inserted while we were notifying about it.
            if got is not None and got.updated_at == a.updated_at:
                del self.alerts[a.fingerprint]
