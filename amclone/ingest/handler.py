"""``POST /api/v1/write``: the remote-write receiver as an aiohttp handler.

`make_write_handler(head)` returns the handler; the composition root mounts it. Answers match
Prometheus 3: 204 on success, 400 for bad bodies and refused samples, 413 over the size limit,
415 for unknown messages or compressions, 405 for other methods; 2.0 answers carry the
``X-Prometheus-Remote-Write-{Samples,Histograms,Exemplars}-Written`` headers. Decoding runs in
a worker thread: the event loop also serves the Alertmanager API, which must not wait.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web

from amclone.ingest.codec import (
    MAX_DECODED_SIZE,
    V1_MESSAGE,
    WriteError,
    check_encoding,
    decompress,
    parse_content_type,
)
from amclone.ingest.receiver import Receiver, WriteStats
from amclone.tsdb.head import Head

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
log = logging.getLogger(__name__)


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    """Go's ``http.Error``: the message and a newline, as plain text."""
    h = {"X-Content-Type-Options": "nosniff"}
    h.update(headers or {})
    return web.Response(status=status, text=message + "\n", content_type="text/plain", charset="utf-8", headers=h)


def _stats_headers(stats: WriteStats) -> dict[str, str]:
    return {
        "X-Prometheus-Remote-Write-Samples-Written": str(stats.samples),
        "X-Prometheus-Remote-Write-Histograms-Written": str(stats.histograms),
        "X-Prometheus-Remote-Write-Exemplars-Written": str(stats.exemplars),
    }


def make_write_handler(head: Head, max_body_bytes: int = MAX_DECODED_SIZE,
                       receiver: Receiver | None = None) -> Handler:
    rx = receiver or Receiver(head)
    # One thread applies every request, one after another: they all take the head's write lock
    # anyway, and several threads queueing on it and on the GIL cost more than they overlap.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="remote-write")

    def process(msg: str, body: bytes) -> web.Response:
        try:
            data = decompress(body, max_body_bytes)
            if msg == V1_MESSAGE:
                rx.write_v1(data)
                return web.Response(status=204)
            stats, err = rx.write_v2(data)
        except WriteError as exc:
            return _text(exc.status, str(exc), None if msg == V1_MESSAGE else _stats_headers(WriteStats()))
        except Exception as exc:
            log.exception("remote write failed")
            return _text(500, str(exc))
        if err:
            return _text(400, err, _stats_headers(stats))
        return web.Response(status=204, headers=_stats_headers(stats))

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.method != "POST":
            return _text(405, "Method not allowed")
        try:
            msg = parse_content_type(request.headers.get("Content-Type", ""))
            check_encoding(request.headers.get("Content-Encoding", ""))
        except WriteError as exc:
            return _text(exc.status, str(exc))
        if request.content_length is not None and request.content_length > max_body_bytes:
            return _text(413, f"request body exceeds the {max_body_bytes} bytes limit")
        body = await request.content.read(max_body_bytes + 1)
        if len(body) > max_body_bytes:
            return _text(413, f"request body exceeds the {max_body_bytes} bytes limit")
        if not body:
            return _text(400, "snappy: corrupt input")
        if len(body) < 4096:  # tiny: not worth a thread hop; larger ones must not stall the loop
            return process(msg, body)
        return await asyncio.get_running_loop().run_in_executor(pool, process, msg, body)

    return handle
