"""Deciding whether a flush notifies, and remembering that it did (0.25 ``DedupStage`` and
``SetNotifiesStage``), against the notification log.

The log keeps, per (group key, integration), the hashes of the alerts that were firing and
resolved at the last successful notification. A flush notifies when it brings a firing alert the
receiver has not heard of, when everything it last heard of has resolved, when a newly resolved
alert should be announced (send_resolved), or when repeat_interval has passed since the last
notification; otherwise it is silent. The hash is 0.25's ``hashAlert`` (xxhash64 over the sorted
labels), the value stored in the ``nflog`` file, not the fingerprint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

import xxhash

from amclone.alerts import Alert
from amclone.nflog.codec import Entry, Receiver
from amclone.notify.stage import NotifyContext, NotifyError
from amclone.timeutil import Clock

__all__ = ["DedupStage", "NotificationLog", "NotifiedHook", "SetNotifiesStage", "hash_alert", "needs_update"]

log = logging.getLogger("amclone.notify")

_SEP = b"\xff"


def hash_alert(labels: Mapping[str, str]) -> int:
    """0.25 ``hashAlert``: xxhash64 of ``name 0xff value 0xff`` over label names in byte order."""
    h = xxhash.xxh64()
    for name in sorted(labels):
        h.update(name.encode())
        h.update(_SEP)
        h.update(labels[name].encode())
        h.update(_SEP)
    return h.intdigest()


class NotificationLog(Protocol):
    """What the pipeline needs of `amclone.nflog.NotificationLog`."""

    def log(self, receiver: Receiver, group_key: str, firing: Sequence[int], resolved: Sequence[int],
            expiry_ns: int = 0) -> None: ...

    def query(self, group_key: str, receiver: Receiver) -> Entry | None: ...


def needs_update(entry: Entry | None, firing: set[int], resolved: set[int], send_resolved: bool,
                 repeat_interval: int, now: int) -> bool:
    """0.25 ``needsUpdate``, rule for rule."""
    if entry is None:
        return bool(firing)  # nothing sent yet: only firing alerts are news
    if not firing.issubset(entry.firing_alerts):
        return True
    if not firing:
        # Everything resolved: notify (whatever send_resolved says) so the log forgets the
        # firing set, unless the receiver never heard of any of them.
        return bool(entry.firing_alerts)
    if send_resolved and not resolved.issubset(entry.resolved_alerts):
        return True
    return entry.timestamp < now - repeat_interval


class DedupStage:
    __slots__ = ("clock", "nflog", "receiver", "send_resolved")

    def __init__(self, send_resolved: bool, nflog: NotificationLog, receiver: Receiver, clock: Clock) -> None:
        self.send_resolved = send_resolved
        self.nflog = nflog
        self.receiver = receiver
        self.clock = clock

    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        return self.exec_sync(ctx, alerts)

    def exec_sync(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        # 0.25 asks the wall clock here (utcNow), not the flush's `now`.
        now = self.clock.now()
        firing: list[int] = []
        resolved: list[int] = []
        for a in alerts:
            (resolved if a.resolved_at(now) else firing).append(hash_alert(a.labels))
        ctx = ctx.with_hashes(firing, resolved)
        entry = self.nflog.query(ctx.group_key, self.receiver)
        if needs_update(entry, set(firing), set(resolved), self.send_resolved, ctx.repeat_interval, now):
            return ctx, alerts
        return ctx, []


# Called after a notification went out and was logged: (context, receiver, the alerts of the
# flush). The seam escalation and on-call hook into; a failing hook never fails the pipeline.
NotifiedHook = Callable[[NotifyContext, Receiver, Sequence[Alert]], None]


class SetNotifiesStage:
    """Logs the whole batch's hashes (not just what was sent), with expiry 2 x repeat_interval."""

    __slots__ = ("hooks", "nflog", "receiver")

    def __init__(self, nflog: NotificationLog, receiver: Receiver, hooks: Iterable[NotifiedHook] = ()) -> None:
        self.nflog = nflog
        self.receiver = receiver
        self.hooks = tuple(hooks)

    async def exec(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        return self.exec_sync(ctx, alerts)

    def exec_sync(self, ctx: NotifyContext, alerts: list[Alert]) -> tuple[NotifyContext, list[Alert]]:
        if ctx.firing is None:
            raise NotifyError("firing alerts missing")
        if ctx.resolved is None:
            raise NotifyError("resolved alerts missing")
        self.nflog.log(self.receiver, ctx.group_key, ctx.firing, ctx.resolved, 2 * ctx.repeat_interval)
        for hook in self.hooks:
            try:
                hook(ctx, self.receiver, alerts)
            except Exception:  # the notification is out: a hook must not turn it into a failure
                log.exception("notified hook failed")
        return ctx, alerts
