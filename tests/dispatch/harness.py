"""An in-process Alertmanager core on a FakeClock: store, marker, silences, nflog and the
NotificationSystem, with webhook integrations replaced by recorders (what a receiver would get)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry

from amclone import config as amconfig
from amclone.alerts import Alert, AlertStore, Marker
from amclone.dispatch.system import NotificationSystem
from amclone.nflog import NotificationLog
from amclone.notify.stage import NotifyContext
from amclone.notify.webhook import webhook_body
from amclone.silence import Silencer, Silences
from amclone.timeutil import NS_PER_SECOND, FakeClock

S = NS_PER_SECOND


@dataclass
class Sent:
    at: int
    url: str
    receiver: str
    group_key: str
    alerts: list[Alert]
    body: bytes

    def names(self) -> list[str]:
        return [a.labels.get("alertname", "") for a in self.alerts]


@dataclass
class Recorder:
    """A notifier that records; `script` holds (retry, error text) results to return first."""

    url: str
    clock: FakeClock
    max_alerts: int
    log: list[Sent]
    script: list[tuple[bool, str]] = field(default_factory=list)
    delay: float = 0.0

    async def notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]:
        if self.delay:
            await self.clock.sleep(self.delay)
        body = webhook_body(ctx, alerts, self.max_alerts, "http://am", self.clock.now())
        self.log.append(Sent(self.clock.now(), self.url, ctx.receiver, ctx.group_key, list(alerts), body))
        if self.script:
            retry, text = self.script.pop(0)
            return retry, RuntimeError(text)
        return False, None


class Core:
    def __init__(self, yml: str, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.registry = CollectorRegistry()
        self.marker = Marker()
        self.store = AlertStore(self.clock, self.marker)
        self.silences = Silences(self.clock)
        self.silencer = Silencer(self.silences, self.marker)
        self.nflog = NotificationLog(self.clock)
        self.sent: list[Sent] = []
        self.recorders: dict[str, Recorder] = {}
        self.system = NotificationSystem(clock=self.clock, store=self.store, marker=self.marker,
                                         silencer=self.silencer, nflog=self.nflog, external_url="http://am",
                                         registry=self.registry, factories={"webhook": self._recorder})
        self.cfg = amconfig.load(yml)

    def _recorder(self, name: str, conf: Any) -> Recorder:
        url = str(conf.url)
        rec = self.recorders.get(url)
        if rec is None:
            rec = self.recorders[url] = Recorder(url, self.clock, int(conf.max_alerts or 0), self.sent)
        return rec

    async def start(self) -> None:
        await self.store.start()
        self.system.apply(self.cfg)
        await self.clock.advance(0)

    async def reload(self, yml: str) -> None:
        self.cfg = amconfig.load(yml)
        self.system.apply(self.cfg)
        await self.clock.advance(0)

    async def stop(self) -> None:
        await self.system.close()
        await self.store.stop()

    async def post(self, labels: Mapping[str, str], *, starts: float = 0, ends: float | None = None,
                   annotations: Mapping[str, str] | None = None, resolve_timeout: float = 300) -> Alert:
        now = self.clock.now()
        a = Alert(dict(labels), dict(annotations or {}), now + int(starts * S),
                  now + int((ends if ends is not None else resolve_timeout) * S), now, "", ends is None)
        await self.store.put([a])
        await self.clock.advance(0)
        return a

    async def advance(self, seconds: float) -> None:
        await self.clock.advance(seconds)

    async def eventually(self, cond: Callable[[], bool], real_seconds: float = 5.0) -> None:
        """Wait (in real time, fake time standing still) until `cond` holds: work handed to threads,
        such as the log writers, finishes on the machine's time, which a loaded CI box stretches."""
        deadline = time.monotonic() + real_seconds
        while not cond() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
            await self.clock.advance(0)

    def since(self, t0: int) -> list[tuple[float, str, list[str]]]:
        return [((s.at - t0) / S, s.group_key, s.names()) for s in self.sent]
