"""Where rule alerts go: straight into amclone's own alert store, and to other Alertmanagers named
in ``alerting.alertmanagers`` (as Prometheus's notifier posts them).

What is sent is Prometheus's notifier alert: external labels added where the alert lacks them,
``startsAt`` = when it fired, ``endsAt`` = its resolution time or ``ValidUntil`` (4 x max(interval,
resend delay) after the send), so a lost send is repaired by the next one and an amclone that
stops evaluating lets its alerts resolve on their own. The store path goes through the same
``prepare`` as API v2 posts, so rule alerts are validated and counted like posted ones. External
Alertmanagers get batches of at most 64 (Prometheus 2.x) with a 10 s timeout and no retry: the
resend is the retry.
"""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp
from prometheus_client import Counter
from prometheus_client.registry import CollectorRegistry

from amclone.alerts import AlertStore, IngestMetrics, PostedAlert, prepare
from amclone.compat.timefmt import format_rfc3339nano
from amclone.rules.alerting import ZERO, ActiveAlert
from amclone.rules.config import AlertmanagerTargets
from amclone.timeutil import Clock

log = logging.getLogger(__name__)
MAX_BATCH = 64


@dataclass(frozen=True, slots=True)
class OutAlert:
    labels: dict[str, str]
    annotations: dict[str, str]
    starts_at: int
    ends_at: int
    generator_url: str

    def to_json(self) -> dict[str, object]:
        return {"labels": self.labels, "annotations": self.annotations,
                "startsAt": format_rfc3339nano(self.starts_at), "endsAt": format_rfc3339nano(self.ends_at),
                "generatorURL": self.generator_url}


def generator_url(external_url: str, expr: str) -> str:
    """amclone's own query API for the rule's expression (amclone serves no graph page)."""
    return f"{external_url.rstrip('/')}/prometheus/api/v1/query?query={urllib.parse.quote_plus(expr)}"


def to_out(alerts: Sequence[ActiveAlert], expr: str, external_labels: dict[str, str],
           external_url: str) -> list[OutAlert]:
    url = generator_url(external_url, expr)
    out = []
    for a in alerts:
        labels = dict(a.labels)
        for k, v in external_labels.items():
            labels.setdefault(k, v)
        ends = a.resolved_at if a.resolved_at != ZERO else a.valid_until
        out.append(OutAlert(labels, dict(a.annotations), a.fired_at, ends, url))
    return out


class StoreSender:
    """Into amclone's AlertStore, as if posted to /api/v2/alerts."""

    def __init__(self, store: AlertStore, clock: Clock, metrics: IngestMetrics | None = None,
                 resolve_timeout: int = 300_000_000_000) -> None:
        self.store = store
        self.clock = clock
        self.metrics = metrics
        self.resolve_timeout = resolve_timeout

    async def send(self, alerts: Sequence[OutAlert]) -> None:
        posted = [PostedAlert(a.labels, a.annotations, a.starts_at, a.ends_at, a.generator_url) for a in alerts]
        prepared = prepare(posted, now=self.clock.now(), resolve_timeout=self.resolve_timeout, version="v2",
                           metrics=self.metrics)
        if prepared.errors:
            log.warning("rule alerts refused: %s", prepared.error_text)
        if prepared.alerts:
            await self.store.put(prepared.alerts)


class AlertmanagerSender:
    """POSTs to the static Alertmanagers of ``--rules.config``; counts like Prometheus's notifier."""

    def __init__(self, targets: Sequence[AlertmanagerTargets], registry: CollectorRegistry | None = None,
                 user_agent: str = "amclone") -> None:
        self.endpoints: list[tuple[str, int]] = []
        self.set_targets(targets)
        self.user_agent = user_agent
        self.sent = Counter("prometheus_notifications_sent", "Total number of alerts sent.", ["alertmanager"],
                            registry=registry)
        self.errors = Counter("prometheus_notifications_errors", "Total number of sent alerts affected by "
                              "errors.", ["alertmanager"], registry=registry)
        self.dropped = Counter("prometheus_notifications_dropped",
                               "Total number of alerts dropped due to errors when sending to Alertmanager.",
                               registry=registry)
        self._session: aiohttp.ClientSession | None = None

    def set_targets(self, targets: Sequence[AlertmanagerTargets]) -> None:
        """A reloaded ``alerting.alertmanagers`` (the counters, registered once, stay)."""
        self.endpoints = [(url, t.timeout) for t in targets for url in t.urls()]

    async def send(self, alerts: Sequence[OutAlert]) -> None:
        if not self.endpoints or not alerts:
            return
        if self._session is None:
            self._session = aiohttp.ClientSession(headers={"User-Agent": self.user_agent})
        for i in range(0, len(alerts), MAX_BATCH):
            batch = alerts[i:i + MAX_BATCH]
            body = json.dumps([a.to_json() for a in batch]).encode()
            results = await asyncio.gather(*(self._post(url, timeout, body, len(batch))
                                             for url, timeout in self.endpoints))
            if not any(results):
                self.dropped.inc(len(batch))

    async def _post(self, url: str, timeout_ns: int, body: bytes, n: int) -> bool:
        assert self._session is not None
        try:
            async with self._session.post(url, data=body, headers={"Content-Type": "application/json"},
                                          timeout=aiohttp.ClientTimeout(total=timeout_ns / 1e9)) as resp:
                await resp.read()
                if resp.status // 100 != 2:
                    raise OSError(f"bad response status {resp.status}")
        except (OSError, aiohttp.ClientError, TimeoutError) as e:
            log.warning("sending alerts to %s failed: %s", url, e)
            self.errors.labels(url).inc(n)
            return False
        self.sent.labels(url).inc(n)
        return True

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
