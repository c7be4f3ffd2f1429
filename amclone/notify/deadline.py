"""Flush deadlines on the real clock without an asyncio timer per attempt.

Every attempt runs under its flush's deadline (``max(group_interval, 10s)`` away). With
``asyncio.timeout`` each attempt would build a loop timer handle, push it on the loop's heap and
cancel it again, which a burst of thousands of groups pays per notification on the path to the
socket. Here an attempt takes a `amclone.notify.wakeup` entry (a heap of our own under one timer
per loop), cancelled when the attempt is over.

When a deadline passes, the attempt's task is cancelled; the attempt sees that the cancellation
was ours (``uncancel``, as asyncio.timeout does) and turns it into `Expired`, while a
cancellation from outside (reload, shutdown) still propagates.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from amclone.notify import wakeup

__all__ = ["Expired", "await_before"]

T = TypeVar("T")


class Expired(Exception):
    """The deadline passed before the awaitable finished (it was cancelled)."""


class _Cancel:
    __slots__ = ("fired", "task")

    def __init__(self, task: asyncio.Task[object]) -> None:
        self.task = task
        self.fired = False

    def __call__(self) -> None:
        self.fired = True
        self.task.cancel()


async def await_before(seconds: float, aw: Awaitable[T]) -> T:
    """Await `aw` in the current task; cancel it and raise `Expired` if it takes longer than
    `seconds` (> 0) of the loop's clock."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task(loop)
    if task is None:  # not in a task (nothing to cancel): asyncio's own timeout says so
        async with asyncio.timeout(seconds):
            return await aw
    cancel = _Cancel(task)
    cancelling = task.cancelling()
    w = wakeup.call_at(loop, loop.time() + seconds, cancel, centred=False)
    try:
        result = await aw
    except asyncio.CancelledError:
        if cancel.fired and task.uncancel() <= cancelling:
            raise Expired() from None
        raise
    finally:
        w.cancel()
    if cancel.fired:  # `aw` swallowed our cancellation: take the request back
        task.uncancel()
    return result
