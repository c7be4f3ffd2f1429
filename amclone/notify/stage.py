"""The notification pipeline's building blocks (0.25 ``notify/notify.go``): the per-flush context,
the `Stage` protocol and its composites, and the stages that only filter.

Go threads a ``context.Context`` carrying values (group key, receiver, now, ...) and a deadline
through ``Stage.Exec(ctx, alerts) (ctx, alerts, error)``. Here the values are one frozen
`NotifyContext` (stages that add values return a copy), the deadline is a `Clock` instant in it,
errors are raised, and cancellation (reload, shutdown) is asyncio task cancellation.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from amclone.alerts import Alert, Muter
from amclone.timeinterval import TimeInterval

__all__ = [
    "FanoutStage", "GossipSettleStage", "MultiError", "MultiStage", "MuteStage", "NotifyContext",
    "NotifyError", "Peer", "RoutingStage", "Stage", "TimeActiveStage", "TimeMuteStage", "WaitStage",
]

log = logging.getLogger("amclone.notify")

_set = object.__setattr__


@dataclass(frozen=True, slots=True)
class NotifyContext:
    """What a flush hands the pipeline (0.25's ``notify.With*`` context values).

    `now` is the instant the group's timer fired (Go's ``WithNow``), `deadline` the instant the
    flush's notifications are abandoned (``max(group_interval, 10s) + peer wait`` later). `firing`
    and `resolved` are the dedup stage's alert hashes for the set-notifies stage.
    """

    group_key: str
    group_labels: Mapping[str, str]
    receiver: str
    repeat_interval: int
    now: int
    deadline: int
    mute_time_intervals: tuple[str, ...] = ()
    active_time_intervals: tuple[str, ...] = ()
    firing: tuple[int, ...] | None = None
    resolved: tuple[int, ...] | None = None

    # Written out instead of generated (one is built per flush, and a copy per integration):
    # the frozen dataclass's own __init__ looks up object.__setattr__ per field, and
    # dataclasses.replace costs several times that. test_stage checks it against the fields.
    def __init__(self, group_key: str, group_labels: Mapping[str, str], receiver: str, repeat_interval: int,
                 now: int, deadline: int, mute_time_intervals: tuple[str, ...] = (),
                 active_time_intervals: tuple[str, ...] = (), firing: tuple[int, ...] | None = None,
                 resolved: tuple[int, ...] | None = None) -> None:
        _set(self, "group_key", group_key)
        _set(self, "group_labels", group_labels)
        _set(self, "receiver", receiver)
        _set(self, "repeat_interval", repeat_interval)
        _set(self, "now", now)
        _set(self, "deadline", deadline)
        _set(self, "mute_time_intervals", mute_time_intervals)
        _set(self, "active_time_intervals", active_time_intervals)
        _set(self, "firing", firing)
        _set(self, "resolved", resolved)

    def with_hashes(self, firing: Sequence[int], resolved: Sequence[int]) -> NotifyContext:
        return NotifyContext(self.group_key, self.group_labels, self.receiver, self.repeat_interval, self.now,
                             self.deadline, self.mute_time_intervals, self.active_time_intervals, tuple(firing),
                             tuple(resolved))


class NotifyError(Exception):
    """A stage's failure; ``str()`` is the text 0.25 logs."""


class MultiError(NotifyError):
    """``types.MultiError``: the failures of a fan-out, joined with ``; ``."""

    def __init__(self, errors: Sequence[BaseException]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


class Stage(Protocol):
    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]: ...


StageResult = tuple[NotifyContext, list[Alert]]
SyncExec = Callable[[NotifyContext, list[Alert]], StageResult]


class MultiStage:
    """Stages in sequence; stops as soon as no alerts are left (nothing to notify).

    A stage that never waits also offers its work as a plain method, ``exec_sync``; the
    sequence calls that directly. A flush passes through a dozen stages, and a coroutine per stage is
    time spent between the group's timer and the request leaving."""

    __slots__ = ("_steps", "stages")

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = tuple(stages)
        self._steps: tuple[tuple[SyncExec | None, Stage], ...] = tuple(
            (getattr(s, "exec_sync", None), s) for s in self.stages)

    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        for now, s in self._steps:
            if not alerts:
                return ctx, []
            if now is not None:
                ctx, alerts = now(ctx, alerts)
            else:
                ctx, alerts = await s.exec(ctx, alerts)
        return ctx, alerts


class FanoutStage:
    """Stages run concurrently on the same alerts (one per integration); all failures are
    collected. The input alerts are passed on."""

    __slots__ = ("stages",)

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = tuple(stages)

    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        if len(self.stages) == 1:
            await self.stages[0].exec(ctx, alerts)
            return ctx, alerts
        results = await asyncio.gather(*(s.exec(ctx, alerts) for s in self.stages), return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        for e in errors:
            if isinstance(e, asyncio.CancelledError) or not isinstance(e, Exception):
                raise e
        if errors:
            raise MultiError(errors)
        return ctx, alerts


class RoutingStage:
    """The pipeline's entry: the receiver's stage chain by the context's receiver name."""

    __slots__ = ("stages",)

    def __init__(self, stages: Mapping[str, Stage]) -> None:
        self.stages = dict(stages)

    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        if not ctx.receiver:
            raise NotifyError("receiver missing")
        s = self.stages.get(ctx.receiver)
        if s is None:
            raise NotifyError("stage for receiver missing")
        return await s.exec(ctx, alerts)


class Peer(Protocol):
    """The gossip peer's readiness (``cluster.Peer.WaitReady``)."""

    async def wait_ready(self) -> None: ...


class GossipSettleStage:
    """Waits for the cluster to settle before the first notifications; a no-op without a peer."""

    __slots__ = ("peer",)

    def __init__(self, peer: Peer | None) -> None:
        self.peer = peer

    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        if self.peer is not None:
            await self.peer.wait_ready()
        return ctx, alerts


class MuteStage:
    """Drops alerts the muter (inhibitor or silencer) mutes; the muter updates the marker."""

    __slots__ = ("muter",)

    def __init__(self, muter: Muter) -> None:
        self.muter = muter

    def exec_sync(self, ctx: NotifyContext, alerts: list[Alert]) -> StageResult:
        mutes = self.muter.mutes
        return ctx, [a for a in alerts if not mutes(a.labels)]

    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        return self.exec_sync(ctx, alerts)


Intervals = Mapping[str, Sequence[TimeInterval]]


def in_time_intervals(now: int, intervals: Intervals, names: Sequence[str]) -> bool:
    for name in names:
        found = intervals.get(name)
        if found is None:
            raise NotifyError(f"time interval {name} doesn't exist in config")
        for ti in found:
            if ti.contains(now):
                return True
    return False


class TimeActiveStage:
    """Drops every alert while the route has active_time_intervals and none contains now."""

    __slots__ = ("intervals",)

    def __init__(self, intervals: Intervals) -> None:
        self.intervals = intervals

    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        return self.exec_sync(ctx, alerts)

    def exec_sync(self, ctx: NotifyContext, alerts: list[Alert]) -> StageResult:
        names = ctx.active_time_intervals
        if not names:
            return ctx, alerts
        if not in_time_intervals(ctx.now, self.intervals, names):
            log.debug("Notifications not sent, route is not within active time")
            return ctx, []
        return ctx, alerts


class TimeMuteStage:
    """Drops every alert while now is inside one of the route's mute_time_intervals."""

    __slots__ = ("intervals",)

    def __init__(self, intervals: Intervals) -> None:
        self.intervals = intervals

    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        return self.exec_sync(ctx, alerts)

    def exec_sync(self, ctx: NotifyContext, alerts: list[Alert]) -> StageResult:
        if in_time_intervals(ctx.now, self.intervals, ctx.mute_time_intervals):
            log.debug("Notifications not sent, route is within mute time")
            return ctx, []
        return ctx, alerts


class Sleeper(Protocol):
    async def sleep(self, seconds: float) -> None: ...


class WaitStage:
    """Waits ``peer position x --cluster.peer-timeout`` so that peers notify one after another."""

    __slots__ = ("clock", "wait")

    def __init__(self, wait: Callable[[], float], clock: Sleeper) -> None:
        self.wait = wait
        self.clock = clock

    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        d = self.wait()
        if d > 0:
            await self.clock.sleep(d)
        return ctx, alerts
