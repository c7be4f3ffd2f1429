"""The rule manager: runs every group on its slot of the interval grid, keeps state across reloads,
restores ``for`` state after a start, and hands alerts to the senders.

Scheduling is Prometheus 3's: the first evaluation is at the group's next slot after start (or
reload), later ones every interval; when an evaluation overruns, the slots it covered are skipped
and counted in ``prometheus_rule_group_iterations_missed_total``, never replayed. Start-up restore
waits for the second evaluation (the first may not have seen recent data) and then adjusts the
pending alerts from ALERTS_FOR_STATE. A reload keeps an unchanged group running untouched, moves
the state of a changed group's rules that keep their name and labels, and writes stale markers for
the series of removed groups after two of their intervals.

Groups with ``evaluation: on_write`` also run when a remote write touches a series their rules
select (`notify_write`), at most once per ``on_write_min_interval``; their grid evaluations stay,
so ``for``, resolution and absent() still advance when no data comes. Each evaluation runs in a
worker thread (it is CPU work, and the remote datasource blocks), one at a time per group. Every
wait goes through the injected `Clock`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web

from amclone.promql import ast
from amclone.promql.parse import parse
from amclone.rules import files
from amclone.rules.alerting import ActiveAlert, AlertingRule
from amclone.rules.datasource import DataSource
from amclone.rules.group import Appendable, RuleGroup
from amclone.rules.metrics import RuleMetrics
from amclone.rules.restore import DEFAULT_GRACE_PERIOD, DEFAULT_OUTAGE_TOLERANCE, ForStateSource, restore_for_state
from amclone.rules.sender import OutAlert, to_out
from amclone.timeutil import Clock
from amclone.tsdb import Head, MatchOp, SeriesMatcher

log = logging.getLogger(__name__)
S = 1_000_000_000


class Sender(Protocol):
    async def send(self, alerts: Sequence[OutAlert]) -> None: ...


@dataclass(frozen=True)
class ManagerOptions:
    external_url: str = "http://localhost:9093"
    external_labels: tuple[tuple[str, str], ...] = ()
    resend_delay: int = 60 * S
    outage_tolerance: int = DEFAULT_OUTAGE_TOLERANCE
    grace_period: int = DEFAULT_GRACE_PERIOD
    on_write_min_interval: int = S
    threaded: bool = True  # evaluate in a worker thread (tests on a FakeClock turn it off)


class _Running:
    """A group and the task that drives it."""

    def __init__(self, group: RuleGroup, restore: bool) -> None:
        self.group = group
        self.restore = restore
        self.task: asyncio.Task[None] | None = None
        self.lock = asyncio.Lock()
        self.selectors: list[list[SeriesMatcher]] = []
        self.watermark = -(1 << 62)
        self.pending_write = False
        self.last_run = 0


def selectors_of(exprs: Sequence[str]) -> list[list[SeriesMatcher]]:
    """The series selectors of the expressions (what an on-write group listens to)."""
    out = []
    for text in exprs:
        for node in ast.walk(parse(text)):
            if isinstance(node, ast.VectorSelector):
                ms = list(node.matchers)
                if node.name and not any(m.name == "__name__" for m in ms):
                    ms.append(SeriesMatcher("__name__", MatchOp.EQUAL, node.name))
                out.append(ms)
    return out


class RuleManager:
    def __init__(self, clock: Clock, source: DataSource, appender: Appendable | None, senders: Sequence[Sender],
                 metrics: RuleMetrics, options: ManagerOptions | None = None,
                 for_state: ForStateSource | None = None, head: Head | None = None) -> None:
        self.clock = clock
        self.source = source
        self.appender = appender
        self.senders = list(senders)
        self.metrics = metrics
        self.options = options or ManagerOptions()
        self.for_state = for_state
        self.head = head  # for on-write triggering (local datasource only)
        self.running: dict[str, _Running] = {}
        self._started = False
        self._first_load = True

    # -- loading ---------------------------------------------------------------------------------

    def apply(self, specs: Sequence[files.Group], external_labels: dict[str, str] | None = None) -> None:
        """Swap in a new set of groups (call on the loop). Raises on an expression the datasource
        refuses, before anything changed."""
        ext = dict(external_labels if external_labels is not None else self.options.external_labels)
        old = self.running
        new: dict[str, _Running] = {}
        restore = self._first_load and self.for_state is not None
        for spec in specs:
            prev = old.get(spec.key)
            if prev is not None and prev.group.spec == spec and prev.group.external_labels == ext:
                new[spec.key] = prev
                continue
            g = self._build(spec, ext, restored=not restore)
            if prev is not None:
                g.copy_state(prev.group)
            run = _Running(g, restore)
            if spec.evaluation == files.ON_WRITE:
                run.selectors = selectors_of([r.expr for r in spec.rules])
            new[spec.key] = run
        self._first_load = False
        self.running = new
        for key, run in old.items():
            if new.get(key) is not run:
                if run.task is not None:
                    run.task.cancel()
                if key not in new:
                    self.metrics.remove(key)
                    if self._started:
                        asyncio.get_running_loop().create_task(self._stale_later(run.group))
        if self._started:
            for run in new.values():
                if run.task is None or run.task.done():
                    run.task = asyncio.get_running_loop().create_task(self._loop(run))

    def _build(self, spec: files.Group, ext: dict[str, str], restored: bool) -> RuleGroup:
        return RuleGroup(spec, self.source, self.appender, external_labels=ext,
                         external_url=self.options.external_url, resend_delay=self.options.resend_delay,
                         metrics=self.metrics, restored=restored)

    # -- running ---------------------------------------------------------------------------------

    async def start(self) -> None:
        self._started = True
        loop = asyncio.get_running_loop()
        for run in self.running.values():
            if run.task is None:
                run.task = loop.create_task(self._loop(run))

    async def stop(self) -> None:
        self._started = False
        tasks = [r.task for r in self.running.values() if r.task is not None]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for r in self.running.values():
            r.task = None

    async def _sleep_until(self, ts: int) -> None:
        delay = ts - self.clock.now()
        if delay > 0:
            await self.clock.sleep(delay / S)

    async def _loop(self, run: _Running) -> None:
        g = run.group
        interval = g.interval
        ts = g.eval_timestamp(self.clock.now()) + interval
        await self._sleep_until(ts)
        self.metrics.iterations_scheduled.labels(g.key).inc()
        await self.evaluate(run, ts)
        if run.restore:
            ts = await self._next(run, ts)
            await self.evaluate(run, ts)
            restore_for_state(g.alerting_rules(), self.for_state, self.clock.now(),  # type: ignore[arg-type]
                              self.options.outage_tolerance, self.options.grace_period)
            run.restore = False
        while True:
            ts = await self._next(run, ts)
            await self.evaluate(run, ts)

    async def _next(self, run: _Running, ts: int) -> int:
        interval = run.group.interval
        await self._sleep_until(ts + interval)
        missed = (self.clock.now() - ts) // interval - 1
        key = run.group.key
        if missed > 0:
            self.metrics.iterations_missed.labels(key).inc(missed)
            self.metrics.iterations_scheduled.labels(key).inc(missed)
        self.metrics.iterations_scheduled.labels(key).inc()
        return ts + (missed + 1) * interval if missed > 0 else ts + interval

    async def evaluate(self, run: _Running, ts: int) -> None:
        """One evaluation at ``ts`` (ns), then the alerts it produced go out."""
        async with run.lock:
            g = run.group
            if ts <= g.last_evaluation:
                return
            outbox: list[list[OutAlert]] = []
            ext, url = g.external_labels, self.options.external_url

            def collect(rule: AlertingRule, alerts: Sequence[ActiveAlert], _ts: int) -> None:
                outbox.append(to_out(alerts, rule.expr, ext, url))
            g.notify = collect
            try:
                if self.options.threaded:
                    await asyncio.to_thread(g.eval, ts)
                else:
                    g.eval(ts)
            except Exception:
                log.exception("evaluating rule group %s failed", g.key)
            run.last_run = self.clock.now()
            if run.selectors:
                run.watermark = self._watermark(run)
            for batch in outbox:
                for s in self.senders:
                    try:
                        await s.send(batch)
                    except Exception:
                        log.exception("sending alerts of %s failed", g.key)

    # -- event-driven evaluation -----------------------------------------------------------------

    def _watermark(self, run: _Running) -> int:
        head = self.head
        if head is None:
            return 0
        best = -(1 << 62)
        for ms in run.selectors:
            for s in head.select(ms, -(1 << 62), 1 << 62):
                if not s.empty():
                    best = max(best, s.max_time())
        return best

    def notify_write(self) -> None:
        """A remote write finished: evaluate the on-write groups whose series moved (call on the loop)."""
        if not self._started:
            return
        loop = asyncio.get_running_loop()
        for run in self.running.values():
            if not run.selectors or run.pending_write:
                continue
            if self._watermark(run) <= run.watermark:
                continue
            run.pending_write = True
            loop.create_task(self._on_write(run))

    async def _on_write(self, run: _Running) -> None:
        try:
            wait = run.last_run + self.options.on_write_min_interval - self.clock.now()
            if wait > 0:
                await self.clock.sleep(wait / S)
            run.pending_write = False
            await self.evaluate(run, self.clock.now())
        finally:
            run.pending_write = False

    async def _stale_later(self, g: RuleGroup) -> None:
        await self.clock.sleep(2 * g.interval / S)
        await asyncio.to_thread(g.stale_all)

    # -- reading ---------------------------------------------------------------------------------

    def groups(self) -> list[RuleGroup]:
        return [r.group for r in self.running.values()]


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def notifying(handler: Handler, manager: RuleManager) -> Handler:
    """The remote-write handler, telling the manager after each accepted write (event-driven
    evaluation); mount this instead of the bare handler when on-write groups may exist."""

    async def handle(request: web.Request) -> web.StreamResponse:
        resp = await handler(request)
        if resp.status // 100 == 2:
            manager.notify_write()
        return resp
    return handle
