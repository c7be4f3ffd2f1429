"""The dispatcher (0.25 ``dispatch.Dispatcher``): sorts every stored alert into the aggregation
groups of the routes it matches and runs their flushes through the notification pipeline.

On `run` it subscribes to the alert store, which first replays every alert it holds: that is how
a reload (a new dispatcher on the new route tree) rebuilds its groups, and why it does not
re-send what was sent: old alerts make their new group flush at once, and the notification log
tells the dedup stage what the receiver already knows. Every 30 s (counted from `run`) empty
groups are stopped and removed; until then a new alert for such a group joins it without a new
group_wait, as in 0.25.

Entry points for the composition root: ``Dispatcher(route, store, marker, pipeline, clock)``,
`start` / `run`, `stop`, and `groups(route_filter, alert_filter)` for ``/api/v2/alerts/groups``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from prometheus_client import Gauge
from prometheus_client import metrics as prometheus_metrics
from prometheus_client.core import Metric, SummaryMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

from amclone.alerts import Alert
from amclone.dispatch.group import AggrGroup, sort_alerts
from amclone.dispatch.route import Route
from amclone.labels.labelset import before, fingerprint
from amclone.notify.stage import NotifyContext, Stage
from amclone.notify.wakeup import precise_wakeups
from amclone.timeutil import NS_PER_SECOND, Clock, SystemClock

__all__ = ["MIN_TIMEOUT", "AlertGroup", "Dispatcher", "DispatcherMetrics", "default_timeout"]

log = logging.getLogger("amclone.dispatch")

MIN_TIMEOUT = 10 * NS_PER_SECOND  # notify.MinTimeout
CLEANUP_INTERVAL_S = 30.0


def default_timeout(wait: Callable[[], float] = lambda: 0.0) -> Callable[[int], int]:
    """main.go's ``timeoutFunc``: a flush may take ``max(group_interval, 10s) + peer wait``."""
    def timeout(d: int) -> int:
        return max(d, MIN_TIMEOUT) + int(wait() * NS_PER_SECOND)
    return timeout


class ProcessingSummary(Collector):
    """``alertmanager_dispatcher_alert_processing_duration_seconds``, exposed exactly as the
    prometheus_client Summary it replaces (count and sum, ``_created`` when the library emits
    those), but observed with two additions: a Summary's observe takes a lock and costs about as
    much as the rest of routing an alert into an existing group."""

    NAME = "alertmanager_dispatcher_alert_processing_duration_seconds"
    HELP = "Summary of latencies for the processing of alerts."

    def __init__(self, registry: CollectorRegistry | None) -> None:
        self.count = 0
        self.sum = 0.0
        self._created = time.time()
        if registry is not None:
            registry.register(self)

    def observe(self, seconds: float) -> None:
        self.count += 1
        self.sum += seconds

    def describe(self) -> Iterator[Metric]:
        yield SummaryMetricFamily(self.NAME, self.HELP)

    def collect(self) -> Iterator[Metric]:
        m = SummaryMetricFamily(self.NAME, self.HELP)
        m.add_sample(self.NAME + "_count", {}, float(self.count))
        m.add_sample(self.NAME + "_sum", {}, self.sum)
        if getattr(prometheus_metrics, "_use_created", True):
            m.add_sample(self.NAME + "_created", {}, self._created)
        yield m


class DispatcherMetrics:
    """Created once and shared by the dispatchers of successive configurations."""

    def __init__(self, registry: CollectorRegistry | None) -> None:
        self.groups = Gauge("alertmanager_dispatcher_aggregation_groups", "Number of active aggregation groups",
                            registry=registry)
        self.processing = ProcessingSummary(registry)


@dataclass(frozen=True)
class AlertGroup:
    """One group as ``GET /api/v2/alerts/groups`` shows it (`amclone.api.state.AlertGroup`)."""

    labels: Mapping[str, str]
    receiver: str
    alerts: Sequence[Alert]


class _Before:
    __slots__ = ("g",)

    def __init__(self, g: AlertGroup) -> None:
        self.g = g

    def __lt__(self, other: _Before) -> bool:
        a, b = self.g, other.g
        if a.labels == b.labels:
            return a.receiver < b.receiver
        return before(a.labels, b.labels)


class _RouteGroups:
    """One route's groups, found by the alert's values of the route's group_by labels (a dict
    lookup on a tuple of strings is cheaper than building and hashing the group's label set for
    every alert); `by_fp` holds them by group-label fingerprint, the key 0.25 uses."""

    __slots__ = ("by_fp", "by_values", "names", "route_key")

    def __init__(self, route: Route) -> None:
        opts = route.opts
        self.names: tuple[str, ...] | None = None if opts.group_by_all else tuple(sorted(opts.group_by))
        self.by_fp: dict[int, AggrGroup] = {}
        self.by_values: dict[Hashable, AggrGroup] = {}
        self.route_key = route.key()

    def drop_empty(self) -> list[AggrGroup]:
        gone = [fp for fp, ag in self.by_fp.items() if ag.empty()]
        if not gone:
            return []
        out = [self.by_fp.pop(fp) for fp in gone]
        if self.names is not None:
            for key in [k for k, ag in self.by_values.items() if ag.empty()]:
                del self.by_values[key]
        return out


class Dispatcher:
    def __init__(self, route: Route, store: Any, marker: Any, pipeline: Stage, clock: Clock, *,
                 timeout: Callable[[int], int] | None = None, metrics: DispatcherMetrics | None = None) -> None:
        self.route = route
        self._store = store
        self._marker = marker  # kept for the signature 0.25 has; groups read status via the API
        self._pipeline = pipeline
        self._clock = clock
        self._timeout = timeout or default_timeout()
        self._metrics = metrics or DispatcherMetrics(None)
        self._groups: dict[Route, dict[int, AggrGroup]] = {}  # by group-label fingerprint
        self._routes: dict[Route, _RouteGroups] = {}  # the same groups, with the intake's index
        self._processing = self._metrics.processing
        self._count = 0
        self._task: asyncio.Task[None] | None = None
        self._sub: Any = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Subscribe now (so nothing put after this call is missed) and run in the background."""
        if self._task is None:
            self._metrics.groups.set(0)
            self._sub = self._store.subscribe()
            self._task = asyncio.create_task(self.run(), name="dispatcher")

    async def run(self) -> None:
        if isinstance(self._clock, SystemClock):
            precise_wakeups()  # on the loop's thread, whose timers wake the groups
        if self._sub is None:
            self._metrics.groups.set(0)
            self._sub = self._store.subscribe()
        sub = self._sub
        cleanup = asyncio.create_task(self._cleanup_loop(), name="dispatcher-cleanup")
        try:
            while True:
                batch = await sub.batch()
                if not batch:
                    return
                for a in batch:
                    self.process(a)
                if not sub.pending():
                    # Replay done: later puts are processed within the put, a loop turn sooner.
                    sub.deliver_directly(self._process_all)
        finally:
            cleanup.cancel()
            sub.close()

    def cancel(self) -> list[asyncio.Task[None]]:
        """Stop at once: the intake and every group's timer and in-flight notification are
        cancelled (a reload must not let the old tree send). Returns the tasks to await."""
        if self._sub is not None:
            self._sub.close()
        tasks = [t for t in (self._task,) if t is not None]
        for per in self._groups.values():
            for ag in per.values():
                t = ag.cancel()
                if t is not None:
                    tasks.append(t)
        for t in tasks:
            t.cancel()
        self._task = None
        self._groups.clear()
        self._routes.clear()
        return tasks

    async def stop(self) -> None:
        """`cancel`, then wait until everything has wound down."""
        await _wait_cancelled(self.cancel())

    # -- intake -------------------------------------------------------------------------------

    def _process_all(self, alerts: list[Alert]) -> None:
        for a in alerts:
            self.process(a)

    def process(self, alert: Alert) -> None:
        """Put `alert` into the group of every route it matches (creating groups as needed)."""
        t0 = time.perf_counter()
        for r in self.route.match(alert.labels):
            self._process(alert, r)
        m = self._processing
        m.count += 1
        m.sum += time.perf_counter() - t0

    def _process(self, alert: Alert, route: Route) -> None:
        rg = self._routes.get(route)
        if rg is None:
            rg = self._routes[route] = _RouteGroups(route)
            self._groups[route] = rg.by_fp
        labels = alert.labels
        if rg.names is None:  # group_by: [...]: the group's labels are the alert's
            key: Hashable = alert.fingerprint
            ag = rg.by_fp.get(alert.fingerprint)
        else:
            names = rg.names
            key = labels.get(names[0]) if len(names) == 1 else tuple(map(labels.get, names))
            ag = rg.by_values.get(key)
        if ag is not None:
            ag.insert(alert)
            return
        group_by = route.opts.group_by
        group_labels = dict(labels) if rg.names is None else {k: v for k, v in labels.items() if k in group_by}
        fp = alert.fingerprint if rg.names is None else fingerprint(group_labels)
        ag = AggrGroup(group_labels, route, self._clock, self._timeout, self._notify, route_key=rg.route_key)
        rg.by_fp[fp] = ag
        if rg.names is not None:
            rg.by_values[key] = ag
        self._count += 1
        self._metrics.groups.inc()
        ag.insert(alert)  # before the timer runs, so the first flush sees it
        ag.start()

    async def _notify(self, ctx: NotifyContext, alerts: list[Alert]) -> bool:
        try:
            await self._pipeline.exec(ctx, alerts)
        except asyncio.CancelledError:
            log.debug("Notify for alerts canceled num_alerts=%d", len(alerts))
            raise
        except Exception as e:  # noqa: BLE001 - any failure is a failed flush, as in Go
            log.error("Notify for alerts failed num_alerts=%d err=%s", len(alerts), e)
            return False
        return True

    async def _cleanup_loop(self) -> None:
        while True:
            await self._clock.sleep(CLEANUP_INTERVAL_S)
            await self.cleanup()

    async def cleanup(self) -> None:
        """Stop and drop groups with no alerts left."""
        gone: list[AggrGroup] = []
        for rg in self._routes.values():
            gone += rg.drop_empty()
        tasks = []
        for ag in gone:
            self._count -= 1
            self._metrics.groups.dec()
            t = ag.cancel()
            if t is not None:
                tasks.append(t)
        await _wait_cancelled(tasks)

    # -- the API's view -----------------------------------------------------------------------

    def groups(self, route_filter: Callable[[Route], bool], alert_filter: Callable[[Alert, int], bool]
               ) -> tuple[list[AlertGroup], dict[int, list[str]]]:
        """``Dispatcher.Groups``: groups sorted by labels then receiver, alerts as a flush sorts
        them, and the receivers of every alert's routes (sorted)."""
        now = self._clock.now()
        receivers: dict[int, list[str]] = {}
        out: list[AlertGroup] = []
        for route, per in self._groups.items():
            if not route_filter(route):
                continue
            receiver = route.opts.receiver
            for ag in per.values():
                kept = []
                for a in ag.alerts.values():
                    if not alert_filter(a, now):
                        continue
                    receivers.setdefault(a.fingerprint, []).append(receiver)
                    kept.append(a)
                if kept:
                    out.append(AlertGroup(ag.labels, receiver, sort_alerts(kept)))
        out.sort(key=_Before)
        for names in receivers.values():
            names.sort()
        return out, receivers

    def group_count(self) -> int:
        return self._count

    def aggregation_groups(self) -> list[AggrGroup]:
        return [ag for per in self._groups.values() for ag in per.values()]


async def _wait_cancelled(tasks: Sequence[asyncio.Task[None]]) -> None:
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            pass
