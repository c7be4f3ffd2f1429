"""The small HTTP client against raw loopback servers: keep-alive reuse, chunked bodies, a server
that closes idle connections (retried once), connection: close, redirects through HttpClient."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from amclone.notify.http import HttpClient
from amclone.notify.wire import Pool


async def raw_server(handler: Any) -> tuple[asyncio.Server, int, list[int]]:
    conns: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conns.append(1)
        try:
            await handler(reader, writer)
        finally:
            writer.close()

    srv = await asyncio.start_server(serve, "127.0.0.1", 0)
    return srv, srv.sockets[0].getsockname()[1], conns


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    n = int(next(ln for ln in head.split(b"\r\n") if ln.lower().startswith(b"content-length")).split(b":")[1])
    return await reader.readexactly(n)


async def test_keep_alive_and_chunked() -> None:
    async def h(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                body = await read_request(reader)
            except asyncio.IncompleteReadError:
                return
            writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"
                         + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")
            await writer.drain()

    srv, port, conns = await raw_server(h)
    pool = Pool(True)
    for i in range(3):
        r = await pool.request("POST", f"http://127.0.0.1:{port}/x", {"A": "b"}, b"%d" % i)
        assert r.status == 200 and r.body == b"abc%d" % i
    assert len(conns) == 1
    await pool.close()
    srv.close()


async def test_idle_connection_closed_by_server_is_retried_once() -> None:
    async def h(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        # then hang up without saying so

    srv, port, conns = await raw_server(h)
    pool = Pool(True)
    assert (await pool.request("POST", f"http://127.0.0.1:{port}/", {}, b"1")).status == 204
    await asyncio.sleep(0.05)
    assert (await pool.request("POST", f"http://127.0.0.1:{port}/", {}, b"2")).status == 204
    assert len(conns) == 2
    await pool.close()
    srv.close()


async def test_connection_close_and_body_until_eof() -> None:
    async def h(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.0 500 Oops\r\n\r\nbroken")
        await writer.drain()

    srv, port, conns = await raw_server(h)
    pool = Pool(True)
    r = await pool.request("POST", f"http://127.0.0.1:{port}/", {}, b"")
    assert (r.status, r.body) == (500, b"broken")
    r = await pool.request("POST", f"http://127.0.0.1:{port}/", {}, b"")
    assert len(conns) == 2
    await pool.close()
    srv.close()


async def test_redirects_as_go(aiohttp_server: Any) -> None:
    seen: list[tuple[str, str, bytes]] = []

    async def hook(request: web.Request) -> web.Response:
        seen.append((request.method, request.path, await request.read()))
        return web.Response(text="ok")

    async def r302(request: web.Request) -> web.Response:
        raise web.HTTPFound("/hook")

    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect("/loop")

    app = web.Application()
    app.router.add_route("*", "/hook", hook)
    app.router.add_post("/302", r302)
    app.router.add_post("/loop", loop)
    srv = await aiohttp_server(app)
    c = HttpClient(None)
    r = await c.post(f"http://127.0.0.1:{srv.port}/302", b"body")
    assert r.status == 200 and seen == [("GET", "/hook", b"")]
    try:
        await c.post(f"http://127.0.0.1:{srv.port}/loop", b"body")
        raise AssertionError("expected an error")
    except OSError as e:
        assert str(e) == "stopped after 10 redirects"
    await c.close()


async def test_credentials_in_url_become_basic_auth(aiohttp_server: Any) -> None:
    import base64

    seen: list[str] = []

    async def hook(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization", ""))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    srv = await aiohttp_server(app)
    c = HttpClient(None)
    await c.post(f"http://us%40r:p%3Ass@127.0.0.1:{srv.port}/hook", b"")
    assert seen == ["Basic " + base64.b64encode(b"us@r:p:ss").decode()]
    await c.close()


async def test_request_heads_in_go_order_per_method_url_and_headers() -> None:
    heads: list[bytes] = []

    async def h(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                return
            n = next((int(ln.split(b":")[1]) for ln in head.split(b"\r\n") if ln.lower().startswith(b"content-length")), 0)
            body = await reader.readexactly(n)
            heads.append(head + body)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()

    srv, port, _ = await raw_server(h)
    pool = Pool(True)
    url = f"http://u:p@127.0.0.1:{port}/a?x=%3A"
    for headers, method, body in [
            ({"User-Agent": "UA", "Content-Type": "application/json"}, "POST", b"{}"),
            ({"User-Agent": "UA", "Content-Type": "application/json", "Authorization": "Bearer 1"}, "POST", b"[1]"),
            ({"User-Agent": "UA", "Content-Type": "application/json", "Authorization": "Bearer 2"}, "POST", b""),
            ({"User-Agent": "UA", "Content-Type": "application/json"}, "POST", b"{}"),
            ({"Z": "z", "User-Agent": "UA"}, "GET", b"")]:
        assert (await pool.request(method, url, headers, body)).status == 200
    host = f"127.0.0.1:{port}"
    assert heads == [
        f"POST /a?x=%3A HTTP/1.1\r\nHost: {host}\r\nUser-Agent: UA\r\nContent-Length: 2\r\n"
        "Content-Type: application/json\r\n\r\n{}".encode(),
        f"POST /a?x=%3A HTTP/1.1\r\nHost: {host}\r\nUser-Agent: UA\r\nContent-Length: 3\r\n"
        "Authorization: Bearer 1\r\nContent-Type: application/json\r\n\r\n[1]".encode(),
        f"POST /a?x=%3A HTTP/1.1\r\nHost: {host}\r\nUser-Agent: UA\r\nContent-Length: 0\r\n"
        "Authorization: Bearer 2\r\nContent-Type: application/json\r\n\r\n".encode(),
        f"POST /a?x=%3A HTTP/1.1\r\nHost: {host}\r\nUser-Agent: UA\r\nContent-Length: 2\r\n"
        "Content-Type: application/json\r\n\r\n{}".encode(),
        f"GET /a?x=%3A HTTP/1.1\r\nHost: {host}\r\nUser-Agent: UA\r\nZ: z\r\n\r\n".encode()]
    await pool.close()
    srv.close()
