"""Wake-ups at an exact instant on the real clock (Linux: a timerfd), for the groups' timers
and the flushes' deadlines.

The event loop waits with epoll, whose timeout is whole milliseconds, so a plain loop timer
fires up to 1 ms after its time, and the kernel may stretch a long wait by a thousandth of it
(30 ms for a 30 s group_wait on an idle loop); waking half a millisecond early centres the
error on zero but leaves it ±0.5 ms. Here one timerfd per loop, armed (absolute, CLOCK_MONOTONIC, the loop's clock) for the
earliest pending wake-up, makes epoll return at that instant; the loop reads it and runs every
callback that is due: a group flushes at its time, never before (0.25's Go timers do the same).
Where no timerfd can be had, `call_at` falls back to the early loop timer.
"""

from __future__ import annotations

import asyncio
import ctypes
import heapq
import itertools
import math
import os
import sys
import threading
import weakref
from collections.abc import Callable

__all__ = ["Wakeup", "call_at", "early", "precise_wakeups"]

_EARLY_S = 0.0005  # the fallback's bias: the poll rounds its timeout up to the millisecond
_CLOCK_MONOTONIC = 1
_TFD_TIMER_ABSTIME = 1
_TFD_FLAGS = os.O_NONBLOCK | os.O_CLOEXEC  # TFD_NONBLOCK, TFD_CLOEXEC
_COMPACT_MIN = 100
_PR_SET_TIMERSLACK = 29


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


class _Itimerspec(ctypes.Structure):
    _fields_ = [("it_interval", _Timespec), ("it_value", _Timespec)]


class Wakeup:
    """A pending wake-up; `cancel` is idempotent (as a loop handle's)."""

    __slots__ = ("callback", "cancelled", "owner")

    def __init__(self, callback: Callable[[], object], owner: _TimerFd | None) -> None:
        self.callback = callback
        self.cancelled = False
        self.owner = owner

    def cancel(self) -> None:
        if not self.cancelled:
            self.cancelled = True
            if self.owner is not None:
                self.owner.cancelled_one()


class _LoopTimer(Wakeup):
    """The fallback: a loop timer."""

    __slots__ = ("handle",)

    def __init__(self, loop: asyncio.AbstractEventLoop, when: float, callback: Callable[[], object],
                 early: float) -> None:
        super().__init__(callback, None)
        self.handle = loop.call_at(when - early, callback)

    def cancel(self) -> None:
        self.cancelled = True
        self.handle.cancel()


class _TimerFd:
    def __init__(self, loop: asyncio.AbstractEventLoop, libc: ctypes.CDLL) -> None:
        fd = libc.timerfd_create(_CLOCK_MONOTONIC, _TFD_FLAGS)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "timerfd_create")
        self.fd = fd
        self.loop = loop
        self._settime = libc.timerfd_settime
        self.heap: list[tuple[float, int, Wakeup]] = []
        self.seq = itertools.count()
        self.armed = float("inf")
        self.cancelled = 0  # entries in the heap whose wake-up was cancelled
        loop.add_reader(fd, self._ready)
        weakref.finalize(loop, os.close, fd)

    def call_at(self, when: float, callback: Callable[[], object]) -> Wakeup:
        w = Wakeup(callback, self)
        heapq.heappush(self.heap, (when, next(self.seq), w))
        if when < self.armed:
            self._arm(when)
        return w

    def cancelled_one(self) -> None:
        self.cancelled += 1
        if self.cancelled > _COMPACT_MIN and 2 * self.cancelled > len(self.heap):
            self.heap = [item for item in self.heap if not item[2].cancelled]
            heapq.heapify(self.heap)
            self.cancelled = 0

    def _arm(self, when: float) -> None:
        self.armed = when
        # rounded up, so that the loop's clock has reached `when` once the timer has fired
        sec, nsec = divmod(max(1, math.ceil(when * 1e9)), 1_000_000_000)
        spec = _Itimerspec(_Timespec(0, 0), _Timespec(sec, nsec))
        if self._settime(self.fd, _TFD_TIMER_ABSTIME, ctypes.byref(spec), None) != 0:
            self.loop.call_at(when, self._ready)  # never expected; but a wake-up must not be lost

    def _ready(self) -> None:
        try:
            os.read(self.fd, 8)
        except OSError:  # not expired (a fallback call), or interrupted: the heap decides
            pass
        self.armed = float("inf")
        heap, now = self.heap, self.loop.time()
        while heap and heap[0][0] <= now:
            w = heapq.heappop(heap)[2]
            if w.cancelled:
                self.cancelled -= 1
                continue
            w.owner = None  # it has run: a later cancel has nothing to account for
            try:
                w.callback()
            except Exception as e:  # noqa: BLE001 - as the loop reports a failing callback, and go on
                self.loop.call_exception_handler({"message": "wake-up callback failed", "exception": e})
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
            self.cancelled -= 1
        if heap:
            self._arm(heap[0][0])


_libc: ctypes.CDLL | None = None
_timers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _TimerFd | None] = weakref.WeakKeyDictionary()
_last: tuple[asyncio.AbstractEventLoop, _TimerFd | None] | None = None


def _timerfd(loop: asyncio.AbstractEventLoop) -> _TimerFd | None:
    global _last, _libc
    last = _last
    if last is not None and last[0] is loop:
        return last[1]
    if loop in _timers:
        t = _timers[loop]
    else:
        t = None
        if sys.platform.startswith("linux"):
            try:
                if _libc is None:
                    _libc = ctypes.CDLL(None, use_errno=True)
                t = _TimerFd(loop, _libc)
            except (OSError, AttributeError, NotImplementedError):
                t = None  # no timerfd here (or a loop without add_reader): loop timers
        _timers[loop] = t
    _last = (loop, t)
    return t


def call_at(loop: asyncio.AbstractEventLoop, when: float, callback: Callable[[], object], *,
            centred: bool = True) -> Wakeup:
    """Run `callback` on `loop` at `when` (the loop's clock, seconds). Without a timerfd the
    loop timer is set `early` (see there) unless not `centred`: a deadline must not pass early."""
    t = _timerfd(loop)
    if t is None:
        return _LoopTimer(loop, when, callback, _EARLY_S if centred else 0.0)
    return t.call_at(when, callback)


def early(loop: asyncio.AbstractEventLoop) -> float:
    """How much earlier than asked a centred `call_at` may run its callback on `loop` (seconds):
    a wait shorter than this is not worth one."""
    return 0.0 if _timerfd(loop) is not None else _EARLY_S


_precise: set[int] = set()  # threads whose timer slack is already down


def precise_wakeups() -> None:
    """Ask Linux not to defer this thread's timed waits. By default the kernel may let a poll's
    timeout run up to 50 us long (timer slack, to coalesce wake-ups), which makes the loop's
    other timers (retries, deadlines, the fallback above) late by half that on average; the
    loop thread's slack is set to 1 ns. Elsewhere a no-op."""
    tid = threading.get_ident()
    if tid in _precise:
        return
    _precise.add(tid)
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_TIMERSLACK, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass
