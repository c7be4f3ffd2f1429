"""Sending with retries (0.25 ``RetryStage``), the `Notifier` seam and the notification metrics.

An attempt that fails with a recoverable error (5xx, transport error, timeout) is retried with
cenkalti/backoff's exponential schedule (500 ms, x1.5, +-50 % jitter, at most 60 s apart, never
giving up by itself) until it succeeds, fails unrecoverably, or the flush's deadline
(``max(group_interval, 10s) + peer wait``) passes. As with backoff's ``Ticker``, the next attempt
is due one backoff after the previous one *started*, so a slow attempt is followed at once.
Every sleep and the deadline go through the injected `Clock`.

``alertmanager_notifications_failed_total`` carries newer releases' ``reason`` label beside 0.25's
``integration`` (see `amclone.notify.reason`): an unrecoverable error gives its own reason; a flush
that runs out of time gives the reason of the last error seen before the deadline, or
contextDeadlineExceeded when no attempt finished in time; a flush cancelled by a reload or
shutdown is contextCanceled (0.25 counts those failures too, under the integration alone).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from prometheus_client import Counter, Histogram
from prometheus_client.registry import CollectorRegistry

from amclone.alerts import Alert
from amclone.notify.deadline import Expired, await_before
from amclone.notify.reason import CONTEXT_CANCELED, CONTEXT_DEADLINE_EXCEEDED, OTHER, REASONS, failure_reason
from amclone.notify.stage import NotifyContext, NotifyError
from amclone.timeutil import NS_PER_SECOND, Clock, SystemClock

__all__ = ["Backoff", "Integration", "Notifier", "NotifyMetrics", "RetryStage", "run_until"]

log = logging.getLogger("amclone.notify")

T = TypeVar("T")

# Pre-initialised label values (0.25 NewMetrics; discord and webex are not in the list).
_RNG = random.Random()  # seeding one per flush would cost more than the rest of the retry stage

PREINITIALISED = ("email", "pagerduty", "wechat", "pushover", "slack", "opsgenie", "webhook", "victorops",
                  "sns", "telegram")


class Notifier(Protocol):
    """One integration's sender: ``(retry, error)``; error None means delivered."""

    async def notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]: ...


@dataclass(frozen=True)
class Integration:
    """``notify.Integration``: a notifier, its send_resolved, its kind and index in the receiver."""

    notifier: Notifier
    send_resolved: bool
    name: str
    idx: int

    def __str__(self) -> str:
        return f"{self.name}[{self.idx}]"


class NotifyMetrics:
    def __init__(self, registry: CollectorRegistry | None) -> None:
        r = registry
        self.notifications = Counter("alertmanager_notifications", "The total number of attempted notifications.",
                                     ["integration"], registry=r)
        self.failed = Counter("alertmanager_notifications_failed", "The total number of failed notifications.",
                              ["integration", "reason"], registry=r)
        self.requests = Counter("alertmanager_notification_requests",
                                "The total number of attempted notification requests.", ["integration"], registry=r)
        self.requests_failed = Counter("alertmanager_notification_requests_failed",
                                       "The total number of failed notification requests.", ["integration"],
                                       registry=r)
        self.latency = Histogram("alertmanager_notification_latency_seconds", "The latency of notifications in seconds.",
                                 ["integration"], buckets=(1, 5, 10, 15, 20), registry=r)
        for name in PREINITIALISED:
            for m in (self.notifications, self.requests, self.requests_failed, self.latency):
                m.labels(name)
            for reason in REASONS:
                self.failed.labels(name, reason)


class Backoff:
    """cenkalti/backoff v4 ``ExponentialBackOff`` with 0.25's settings (MaxElapsedTime 0)."""

    def __init__(self, initial: float = 0.5, multiplier: float = 1.5, randomization: float = 0.5,
                 max_interval: float = 60.0, rng: random.Random | None = None) -> None:
        self.initial, self.multiplier, self.randomization, self.max_interval = (
            initial, multiplier, randomization, max_interval)
        self.current = initial
        self._rng = rng or _RNG

    def next(self) -> float:
        delta = self.randomization * self.current
        lo, hi = self.current - delta, self.current + delta
        # Go adds 1 (ns) to the span; irrelevant in float seconds.
        value = lo + self._rng.random() * (hi - lo)
        if self.current >= self.max_interval / self.multiplier:
            self.current = self.max_interval
        else:
            self.current *= self.multiplier
        return value


class DeadlineExceeded(NotifyError):
    reason = CONTEXT_DEADLINE_EXCEEDED

    def __init__(self) -> None:
        super().__init__("context deadline exceeded")


class RetryError(NotifyError):
    """The retry stage's failure: 0.25's text and the reason it is counted under."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(text)
        self.reason = reason


async def run_until(clock: Clock, deadline: int, aw: Awaitable[T]) -> T:
    """Await `aw`, abandoning it (DeadlineExceeded) when `clock` reaches `deadline`."""
    remaining = (deadline - clock.now()) / NS_PER_SECOND
    if remaining <= 0:
        if asyncio.iscoroutine(aw):
            aw.close()
        raise DeadlineExceeded()
    if isinstance(clock, SystemClock):
        try:
            return await await_before(remaining, aw)
        except Expired:
            raise DeadlineExceeded() from None
    task = asyncio.ensure_future(aw)
    timer = asyncio.ensure_future(clock.sleep(remaining))
    try:
        await asyncio.wait({task, timer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        timer.cancel()
    if task.done():
        return task.result()
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    raise DeadlineExceeded()


class RetryStage:
    __slots__ = ("_m", "_where", "clock", "group_name", "integration", "metrics", "rng")

    def __init__(self, integration: Integration, group_name: str, metrics: NotifyMetrics, clock: Clock,
                 rng: random.Random | None = None) -> None:
        self.integration = integration
        self.group_name = group_name
        self.metrics = metrics
        self.clock = clock
        self.rng = rng
        self._where = f"{group_name}/{integration}"
        n = integration.name  # children looked up once: labels() costs more than inc()
        self._m = (metrics.notifications.labels(n), metrics.requests.labels(n),
                   metrics.requests_failed.labels(n), metrics.latency.labels(n))

    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        self._m[0].inc()
        try:
            return await self._exec(ctx, alerts)
        except NotifyError as e:
            self._failed(getattr(e, "reason", OTHER))
            raise
        except asyncio.CancelledError:
            self._failed(CONTEXT_CANCELED)
            raise

    def _failed(self, reason: str) -> None:
        self.metrics.failed.labels(self.integration.name, reason).inc()

    async def _exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        if not self.integration.send_resolved:
            if ctx.firing is None:
                raise RetryError("firing alerts missing", OTHER)
            if not ctx.firing:
                # Only resolved alerts and nobody wants them: report success so that the log
                # records the resolution and the group can go.
                return ctx, alerts
            now = self.clock.now()
            sent = [a for a in alerts if not a.resolved_at(now)]
        else:
            sent = alerts
        clock, integ = self.clock, self.integration
        _, requests, requests_failed, latency = self._m
        where = self._where
        backoff: Backoff | None = None  # made at the first failure: most flushes need none
        last: Exception | None = None
        # the reason a timed-out flush counts under: newer releases keep only errors seen in time
        timed_out = CONTEXT_DEADLINE_EXCEEDED
        attempt = 0
        next_at = 0  # the first attempt goes at once
        while True:
            attempt += 1
            now = clock.now()
            if now >= ctx.deadline:
                raise RetryError(f"{where}: notify retry canceled after {attempt} attempts: "
                                 f"{last or 'context deadline exceeded'}", timed_out)
            if next_at > now:
                if next_at >= ctx.deadline:
                    await clock.sleep((ctx.deadline - now) / NS_PER_SECOND)
                    raise RetryError(f"{where}: notify retry canceled after {attempt} attempts: "
                                     f"{last or 'context deadline exceeded'}", timed_out)
                await clock.sleep((next_at - now) / NS_PER_SECOND)
                started = clock.now()
            else:
                started = now
            t0 = time.perf_counter()
            try:
                retry, err = await run_until(clock, ctx.deadline, integ.notifier.notify(ctx, sent))
            except DeadlineExceeded as e:
                retry, err = True, e
            latency.observe(time.perf_counter() - t0)
            requests.inc()
            if err is None:
                (log.info if attempt > 1 else log.debug)(
                    "Notify success receiver=%s integration=%s attempts=%d", self.group_name, integ, attempt)
                return ctx, alerts
            if backoff is None:
                backoff = Backoff(rng=self.rng)
            next_at = started + int(backoff.next() * NS_PER_SECOND)
            requests_failed.inc()
            if not retry:
                raise RetryError(f"{where}: notify retry canceled due to unrecoverable error after "
                                 f"{attempt} attempts: {err}", failure_reason(err))
            if clock.now() < ctx.deadline:
                if last is None or str(err) != str(last):
                    log.warning("Notify attempt failed, will retry later receiver=%s integration=%s attempts=%d "
                                "err=%s", self.group_name, integ, attempt, err)
                timed_out = failure_reason(err)
            last = err
