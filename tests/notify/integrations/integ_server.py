"""A real aiohttp server on 127.0.0.1 for the integration unit tests: records requests and
answers from a script (a function of method and path)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

from amclone.testing.procs import free_port


@dataclass
class Req:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Answer = Callable[[str, str], tuple[int, str, bytes]]


@asynccontextmanager
async def serve(answer: Answer) -> AsyncIterator[tuple[str, list[Req]]]:
    seen: list[Req] = []

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        seen.append(Req(request.method, request.path_qs, {k.lower(): v for k, v in request.headers.items()}, body))
        status, ctype, out = answer(request.method, request.path_qs)
        return web.Response(status=status, body=out, content_type=ctype)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()
