"""The alert store: 0.25's ``provider/mem.Alerts`` (merge on put, subscribe, GC) made durable.

Why it looks the way it does:
- `put` applies a batch to memory synchronously (no await between the merge decisions of one
  batch, so concurrent requests never interleave inside a batch), hands the stored alerts to the
  log, and returns only when the log says they are on disk. The HTTP handler answers 200 after
  ``await store.put(...)``, so an acknowledged alert survives kill -9. Memory is updated first
  and the log is written in the same order, so any prefix of the log is a state the store was
  in; a put whose write failed raises and the API answers 500, as Alertmanager does.
- Subscribers (the dispatcher) get, in Go's order, every current alert and then every stored
  alert as it is put. Their queues are unbounded instead of Go's 200-slot channel that blocks
  ``Put``: a slow dispatcher must not stall the API.
- GC drops resolved alerts every ``--alerts.gc-interval`` and tells the marker (and any
  `on_delete` callback) to forget them. Deletions are not logged: on load, alerts resolved
  for longer than one GC interval are dropped, which is what GC would have done by then.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol, Self

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

from amclone.alerts.alert import Alert, overlaps
from amclone.alerts.marker import AlertState, Marker
from amclone.timeutil import NS_PER_SECOND, Clock

__all__ = ["AlertLog", "AlertStore", "Subscription"]

log = logging.getLogger("amclone.alerts")

AlertList = list[Alert]  # spelled out here: inside AlertStore, `list` is the method

DEFAULT_GC_INTERVAL = 30 * 60 * NS_PER_SECOND  # --alerts.gc-interval default (30m)


class AlertLog(Protocol):
    """Where accepted alerts are made durable (`amclone.alerts.wal.AlertWAL` in production)."""

    def load(self) -> Iterable[Alert]:
        """Every alert last stored per fingerprint, in any order, as of the last run."""
        ...

    def append(self, alerts: Sequence[Alert], payload: bytes | None = None) -> asyncio.Future[None]:
        """Queue `alerts` for writing (`payload`: their encoding, when the caller has it); the
        future is done once they are durable."""
        ...

    async def start(self, snapshot: Callable[[], list[Alert]]) -> None: ...

    async def close(self) -> None: ...


class AlertStore:
    """Alerts by fingerprint. Use on one event loop; call `start` before use and `stop` at the end."""

    def __init__(self, clock: Clock, marker: Marker, *, gc_interval: int = DEFAULT_GC_INTERVAL,
                 wal: AlertLog | None = None, on_delete: Callable[[Alert], None] | None = None,
                 registry: CollectorRegistry | None = None) -> None:
        self._clock = clock
        self._marker = marker
        self._gc_interval = gc_interval
        self._wal = wal
        self._on_delete = on_delete
        self._alerts: dict[int, Alert] = {}
        self._subs: list[Subscription] = []
        self._gc_task: asyncio.Task[None] | None = None
        if registry is not None:
            registry.register(_AlertsCollector(self))

    async def start(self) -> None:
        """Load the log (dropping alerts GC would have removed by now) and start GC."""
        if self._wal is not None:
            horizon = self._clock.now() - self._gc_interval
            loaded = dropped = 0
            for a in self._wal.load():
                if a.resolved_at(horizon):
                    self._alerts.pop(a.fingerprint, None)
                    dropped += 1
                else:
                    self._alerts[a.fingerprint] = a
                    loaded += 1
            if loaded or dropped:
                log.info("loaded %d alerts from disk, dropped %d long resolved", loaded, dropped)
            await self._wal.start(self.list)
        if self._gc_task is None and self._gc_interval > 0:
            self._gc_task = asyncio.create_task(self._gc_loop(), name="alerts-gc")

    async def stop(self) -> None:
        if self._gc_task is not None:
            self._gc_task.cancel()
            try:
                await self._gc_task
            except asyncio.CancelledError:
                pass
            self._gc_task = None
        for s in list(self._subs):
            s.close()
        if self._wal is not None:
            await self._wal.close()

    # -- reading ---------------------------------------------------------------------------

    def get(self, fp: int) -> Alert | None:
        return self._alerts.get(fp)

    def list(self) -> AlertList:
        """All stored alerts (``GetPending``): resolved ones too, until GC; unordered."""
        return list(self._alerts.values())

    def __iter__(self) -> Iterator[Alert]:
        return iter(list(self._alerts.values()))

    def __len__(self) -> int:
        return len(self._alerts)

    def __contains__(self, fp: object) -> bool:
        return fp in self._alerts

    # -- writing ---------------------------------------------------------------------------

    def apply(self, alerts: Iterable[Alert]) -> AlertList:
        """Merge `alerts` into memory and notify subscribers; returns what was stored.

        The synchronous half of `put`, for callers that need no durability (tests, tools).
        """
        return self._apply(alerts)[0]

    def _apply(self, alerts: Iterable[Alert]) -> tuple[AlertList, bool]:
        """`apply`, and whether every alert was stored as given (none merged with a stored one)."""
        now = self._clock.now()
        store = self._alerts
        stored: AlertList = []
        as_given = True
        for a in alerts:
            old = store.get(a.fingerprint)
            if old is not None and overlaps(a, old):
                a = old.merge(a, now)
                as_given = False
            store[a.fingerprint] = a
            stored.append(a)
        if stored:
            for s in self._subs:
                s._push(stored)
        return stored, as_given

    async def put(self, alerts: Iterable[Alert], payload: bytes | None = None) -> None:
        """Store `alerts` (merging with stored ones) and return once they are durable.

        `payload`, when given, is the alert log's encoding of exactly `alerts` (the intake
        worker made it); it is written as it is when nothing merged, saving the encoding here.
        """
        stored, as_given = self._apply(alerts)
        if stored and self._wal is not None:
            await self._wal.append(stored, payload if as_given else None)

    def subscribe(self) -> Subscription:
        """An async iterator over every current alert, then every alert put from now on."""
        sub = Subscription(self, self._alerts.values())
        self._subs.append(sub)
        return sub

    def _unsubscribe(self, sub: Subscription) -> None:
        try:
            self._subs.remove(sub)
        except ValueError:
            pass

    # -- garbage collection -----------------------------------------------------------------

    def gc(self) -> AlertList:
        """Drop resolved alerts, forget their marker status; returns the dropped alerts."""
        now = self._clock.now()
        gone = [a for a in self._alerts.values() if a.resolved_at(now)]
        for a in gone:
            del self._alerts[a.fingerprint]
            self._marker.delete(a.fingerprint)
            if self._on_delete is not None:
                try:
                    self._on_delete(a)
                except Exception:  # a faulty hook must not stop GC
                    log.exception("alert delete callback failed")
        return gone

    async def _gc_loop(self) -> None:
        while True:
            await self._clock.sleep(self._gc_interval / NS_PER_SECOND)
            self.gc()

    def count(self, state: AlertState) -> int:
        """Non-resolved alerts whose marker state is `state` (the ``alertmanager_alerts`` gauge)."""
        return self.counts()[state]

    def counts(self) -> dict[AlertState, int]:
        now = self._clock.now()
        # list() first: a scrape may run on another thread while the loop mutates the dict.
        items = list(self._alerts.items())
        return self._marker.counts(fp for fp, a in items if not a.resolved_at(now))


class Subscription:
    """One listener's view of the store: replayed alerts first, then puts, in order.

    Iterate with ``async for``; `drain` takes whatever is queued without waiting (a consumer
    that handles batches saves a loop turn per alert). `close` (or leaving ``async with``)
    unsubscribes and ends the iteration.
    """

    __slots__ = ("_closed", "_deliver", "_queue", "_store", "_waiter")

    def __init__(self, store: AlertStore, initial: Iterable[Alert]) -> None:
        self._store = store
        self._queue: deque[Alert] = deque(initial)
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False
        self._deliver: Callable[[AlertList], None] | None = None

    def deliver_directly(self, fn: Callable[[AlertList], None]) -> None:
        """From now on hand every put to `fn` within the put itself, instead of queueing it for
        the consumer's next loop turn (the dispatcher: a new group's timer starts a turn earlier).
        Only once the queue is drained, so the order stays the store's. `fn` must not raise; if it
        does, the error is logged and the put still succeeds."""
        if self._queue:
            raise RuntimeError("drain the subscription before delivering directly")
        self._deliver = fn

    def _push(self, alerts: list[Alert]) -> None:
        fn = self._deliver
        if fn is not None and alerts:
            try:
                fn(alerts)
            except Exception:  # a consumer's fault must not fail the put that reached it
                log.exception("alert subscriber failed")
            return
        self._queue.extend(alerts)
        w = self._waiter
        if w is not None and not w.done():
            w.set_result(None)

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Alert:
        while not self._queue:
            if self._closed:
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._queue.popleft()

    def drain(self) -> AlertList:
        items = list(self._queue)
        self._queue.clear()
        return items

    async def batch(self) -> AlertList:
        """Wait for at least one alert, then take everything queued; empty once closed."""
        while not self._queue:
            if self._closed:
                return []
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self.drain()

    def pending(self) -> int:
        return len(self._queue)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._deliver = None
            self._store._unsubscribe(self)
            self._push([])

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class _AlertsCollector(Collector):
    """``alertmanager_alerts{state}``: non-resolved stored alerts by marker state (0.25)."""

    def __init__(self, store: AlertStore) -> None:
        self._store = store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        g = GaugeMetricFamily("alertmanager_alerts", "How many alerts by state.", labels=["state"])
        counts = self._store.counts()
        for state in (AlertState.ACTIVE, AlertState.SUPPRESSED, AlertState.UNPROCESSED):
            g.add_metric([state.value], counts[state])
        yield g
