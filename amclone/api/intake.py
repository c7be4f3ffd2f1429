"""The server's side of the intake worker (`amclone.api.intake_worker`): start it, hand it large
POST /api/v2/alerts bodies, and carry on without it whenever it is not there.

The worker is an optimisation only. Until it has started, after it died, or for a body it
declines, `IntakeWorker.prepare` answers None and the caller takes the in-process route, so no
request ever depends on it. Answers come back in the order requests were written (the worker is
one sequential loop), hence a plain FIFO of futures. A dead worker is restarted after a pause.

Set ``AMCLONE_INTAKE_WORKERS=0`` to keep all intake in-process (the default on a one-core
machine, where a second process only adds copying).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import marshal
import os
import socket
import sys
from dataclasses import dataclass

from amclone.alerts import Alert, Prepared
from amclone.alerts.logfile import alerts_from_rows
from amclone.api.intake_worker import LENGTH, REQUEST_HEAD

__all__ = ["MIN_BODY_BYTES", "Handed", "IntakeWorker", "worker_enabled"]

log = logging.getLogger("amclone.api")

# Below this a body costs less to prepare here than to copy there and back (one alert is ~400
# bytes; Prometheus batches up to 64 by default). Small bodies also keep the notification delay
# free of the round trip.
MIN_BODY_BYTES = 8 * 1024
RESTART_DELAY_S = 1.0
MAX_RESTART_DELAY_S = 60.0
ENV = "AMCLONE_INTAKE_WORKERS"


def worker_enabled() -> bool:
    """``AMCLONE_INTAKE_WORKERS`` (0 or 1) when set, else whether there is a second core."""
    value = os.environ.get(ENV, "").strip()
    if value:
        return value != "0"
    return (os.cpu_count() or 1) > 1


@dataclass(frozen=True)
class Handed:
    """A body the worker prepared: `payload` is the alert log's encoding of `prepared.alerts`."""

    prepared: Prepared
    payload: bytes


class IntakeWorker:
    def __init__(self) -> None:
        self._proc: asyncio.subprocess.Process | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._pending: collections.deque[asyncio.Future[bytes | None]] = collections.deque()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._writer is not None

    async def start(self) -> None:
        """Start supervising the worker; returns at once (it becomes usable when it is up)."""
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._supervise(), name="intake-worker")

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def prepare(self, body: bytes, now: int, resolve_timeout: int) -> Handed | None:
        """The worker's `prepare` of `body`, or None: take the in-process route."""
        writer = self._writer
        if writer is None:
            return None
        fut: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._pending.append(fut)
        writer.write(LENGTH.pack(REQUEST_HEAD.size + len(body)) + REQUEST_HEAD.pack(now, resolve_timeout))
        writer.write(body)
        reply = await fut
        if reply is None:
            return None
        answer = marshal.loads(reply)  # trusted: our own child process, over a socket pair
        if answer is None:
            return None
        firing, resolved, errors, rows, payload = answer
        alerts: list[Alert] = alerts_from_rows(rows)
        return Handed(Prepared(alerts, errors, firing, resolved), payload)

    async def _supervise(self) -> None:
        delay = RESTART_DELAY_S
        while not self._stopping:
            try:
                if await self._run_once():
                    delay = RESTART_DELAY_S  # it served: a crash now is not a crash loop
                else:
                    delay = min(delay * 2, MAX_RESTART_DELAY_S)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # noqa: BLE001 - any failure only means: in-process for a while
                log.warning("intake worker failed, alerts are prepared in-process meanwhile: %s", e)
            finally:
                proc = self._detach()
                if proc is not None:
                    await proc.wait()
            await asyncio.sleep(delay)

    async def _run_once(self) -> bool:
        """Run one worker until it ends; whether it became ready."""
        ours, theirs = socket.socketpair()
        try:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "amclone.api.intake_worker", str(theirs.fileno()),
                pass_fds=(theirs.fileno(),), stdin=asyncio.subprocess.DEVNULL)
        finally:
            theirs.close()
        reader, writer = await asyncio.open_connection(sock=ours)
        try:
            # The worker's first frame is empty: it has imported everything and is serving.
            try:
                await reader.readexactly(LENGTH.size)
            except asyncio.IncompleteReadError:
                log.warning("intake worker did not start, alerts are prepared in-process")
                return False
            self._writer = writer
            while True:
                head = await reader.readexactly(LENGTH.size)
                (n,) = LENGTH.unpack(head)
                reply = await reader.readexactly(n)
                fut = self._pending.popleft()
                if not fut.done():  # its request may have been cancelled (the client went away)
                    fut.set_result(reply)
        except asyncio.IncompleteReadError:
            if not self._stopping:
                log.warning("intake worker exited, restarting it")
        finally:
            writer.close()
        return True

    def _detach(self) -> asyncio.subprocess.Process | None:
        """Forget the worker (killed if still running, returned for reaping): every request
        still waiting for it is answered None."""
        self._writer = None
        while self._pending:
            fut = self._pending.popleft()
            if not fut.done():
                fut.set_result(None)
        proc, self._proc = self._proc, None
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
        return proc
