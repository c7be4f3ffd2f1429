"""Everything that a configuration (re)load replaces, as one object the composition root holds:
the inhibitor, the integrations, the pipeline and the dispatcher (0.25 main.go's coordinator
subscriber), and what outlives reloads: the notification log and the metrics.

`apply(config)` does what 0.25 does on every successful load, in its order: build the receivers
the route tree uses, stop the old inhibitor and dispatcher (cancelling notifications in flight),
then start the new ones, whose replay of the store rebuilds the groups; the notification log,
shared across reloads, keeps them from re-sending. `groups` and `set_alert_status` are the API's
seams (``/api/v2/alerts/groups`` and the marker refresh of ``GET /api/v2/alerts``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from prometheus_client.registry import CollectorRegistry

from amclone.alerts import Alert, Marker, Muter
from amclone.dispatch.dispatcher import AlertGroup, Dispatcher, DispatcherMetrics, default_timeout
from amclone.dispatch.route import Route
from amclone.inhibit import Inhibitor
from amclone.nflog.log import NotificationLog
from amclone.notify.dedup import NotifiedHook
from amclone.notify.pipeline import NotifierFactory, build_integrations, build_pipeline, close_integrations
from amclone.notify.retry import Integration, NotifyMetrics
from amclone.notify.stage import Peer
from amclone.timeutil import Clock

__all__ = ["NotificationSystem"]

log = logging.getLogger("amclone.dispatch")


class NotificationSystem:
    def __init__(self, *, clock: Clock, store: Any, marker: Marker, silencer: Muter, nflog: NotificationLog,
                 external_url: str, registry: CollectorRegistry | None = None,
                 wait: Callable[[], float] = lambda: 0.0, peer: Peer | None = None,
                 hooks: Iterable[NotifiedHook] = (),
                 factories: Mapping[str, NotifierFactory] | None = None) -> None:
        self.clock = clock
        self.store = store
        self.marker = marker
        self.silencer = silencer
        self.nflog = nflog
        self.external_url = external_url
        self.wait = wait
        self.peer = peer
        self.hooks = list(hooks)
        self.factories = dict(factories or {})
        self.notify_metrics = NotifyMetrics(registry)
        self.dispatch_metrics = DispatcherMetrics(registry)
        self.inhibitor: Inhibitor | None = None
        self.dispatcher: Dispatcher | None = None
        self.receivers: dict[str, list[Integration]] = {}
        self._winding_down: list[asyncio.Future[None]] = []

    def add_hook(self, hook: NotifiedHook) -> None:
        """Register a callback run after each notification went out (escalation, on-call). Takes
        effect at the next `apply`."""
        self.hooks.append(hook)

    def apply(self, cfg: Any) -> None:
        """Switch to configuration `cfg` (an `amclone.config.Config`). Synchronous, so the
        config coordinator's subscriber can call it; must run on the event loop. The old
        dispatcher and inhibitor are cancelled at once and wound down in the background."""
        route = Route.from_config(cfg.route)
        active: set[str] = set()
        route.walk(lambda r: active.add(r.opts.receiver))
        receivers: dict[str, list[Integration]] = {}
        for rcv in cfg.receivers:
            if rcv.name in active:
                receivers[rcv.name] = build_integrations(rcv, self.external_url, self.clock, self.factories)
        intervals = {ti.name: tuple(ti.time_intervals) for ti in cfg.named_intervals().values()}

        old_receivers = self.receivers
        pending = self._cancel()
        inhibitor = Inhibitor(cfg.inhibit_rules, self.store, self.marker, self.clock)
        pipeline = build_pipeline(receivers, clock=self.clock, nflog=self.nflog, metrics=self.notify_metrics,
                                  inhibitor=inhibitor, silencer=self.silencer, intervals=intervals,
                                  wait=self.wait, peer=self.peer, hooks=self.hooks)
        dispatcher = Dispatcher(route, self.store, self.marker, pipeline, self.clock,
                                timeout=default_timeout(self.wait), metrics=self.dispatch_metrics)
        self.inhibitor, self.dispatcher, self.receivers = inhibitor, dispatcher, receivers
        inhibitor.start()
        dispatcher.start()
        self._winding_down.append(asyncio.ensure_future(self._wind_down(pending, old_receivers)))

    def _cancel(self) -> list[asyncio.Task[None]]:
        tasks: list[asyncio.Task[None]] = []
        if self.dispatcher is not None:
            tasks += self.dispatcher.cancel()
            self.dispatcher = None
        if self.inhibitor is not None:
            tasks += self.inhibitor.cancel()
            self.inhibitor = None
        return tasks

    async def _wind_down(self, tasks: list[asyncio.Task[None]], receivers: dict[str, list[Integration]]) -> None:
        for t in tasks:
            try:
                await t
            except asyncio.CancelledError:
                pass
        await close_integrations(receivers)

    async def close(self) -> None:
        """Shutdown: stop everything and release the integrations' connections."""
        self._winding_down.append(asyncio.ensure_future(self._wind_down(self._cancel(), self.receivers)))
        self.receivers = {}
        await asyncio.gather(*self._winding_down)
        self._winding_down = []

    # -- the API's seams ----------------------------------------------------------------------

    def groups(self, route_filter: Callable[[Any], bool], alert_filter: Callable[[Alert, int], bool]
               ) -> tuple[Sequence[AlertGroup], Mapping[int, Sequence[str]]]:
        if self.dispatcher is None:
            return [], {}
        return self.dispatcher.groups(route_filter, alert_filter)

    def set_alert_status(self, labels: Mapping[str, str]) -> None:
        """What 0.25's api.Update callback does per listed alert: inhibitor, then silencer."""
        if self.inhibitor is not None:
            self.inhibitor.mutes(labels)
        self.silencer.mutes(labels)
