"""The HTTP server: Alertmanager 0.25's handler chain on aiohttp, and the listeners.

Chain, outermost first, as in 0.25: exporter-toolkit (web config headers, basic auth) ->
ServeMux (path cleaning, ``<prefix>/api/v2/`` to go-swagger, everything else to the router) ->
limitHandler (GET concurrency, ``--web.timeout``) -> router with per-route instrumentation
(API v2 is not instrumented in 0.25) or the go-swagger layer.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import os
import socket
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from amclone.api import swagger
from amclone.api.metrics import ServerMetrics
from amclone.api.mux import DropConnection, Router, clean_path, redirect, text_error, with_query
from amclone.api.netaddr import split_host_port
from amclone.api.state import ApiDeps
from amclone.api.swagger import ApiError
from amclone.api.v1 import V1
from amclone.api.v2 import V2
from amclone.api.web import Web
from amclone.api.webconfig import LiveWebConfig, WebConfigError, ssl_context
from amclone.compat.duration import format_go_duration

log = logging.getLogger("amclone.api")

MAX_BODY = 256 << 20  # Go sets no limit; this only bounds memory
MAX_HEADER = 1 << 20  # Go's DefaultMaxHeaderBytes


@dataclass(frozen=True)
class ServerOptions:
    route_prefix: str = "/"
    get_concurrency: int = 0
    timeout_ns: int = 0
    web_config_file: str = ""
    ui_path: str = "/usr/share/prometheus/alertmanager/ui/"
    # amclone's additions beside Alertmanager's surface (remote write, the Prometheus API),
    # mounted under the route prefix and behind the web config like everything else.
    extra_routes: tuple[tuple[str, Any], ...] = ()
    extra_apps: tuple[tuple[str, web.Application], ...] = ()


def _v2_match(table: dict[str, dict[str, Any]], path: str) -> tuple[dict[str, Any] | None, dict[str, str]]:
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    parts = path.split("/")
    for pattern, methods in table.items():
        pp = pattern.split("/")
        if len(pp) != len(parts):
            continue
        params: dict[str, str] = {}
        for a, b in zip(pp, parts):
            if a.startswith("{"):
                if b == "":
                    break
                params[a[1:-1]] = b
            elif a != b:
                break
        else:
            return methods, params
    return None, {}


class HttpServer:
    def __init__(self, deps: ApiDeps, metrics: ServerMetrics, opts: ServerOptions) -> None:
        self.deps = deps
        self.metrics = metrics
        self.opts = opts
        self.prefix = opts.route_prefix
        self.api_prefix = "" if self.prefix == "/" else self.prefix
        conc = opts.get_concurrency
        self.concurrency = conc if conc >= 1 else max(os.cpu_count() or 1, 8)
        self._in_flight = 0
        self.webconfig = LiveWebConfig(opts.web_config_file) if opts.web_config_file else None
        self.router = Router()
        if self.prefix != "/":
            self.router.add("GET", "/", self._to_prefix, name="/")
        Web(metrics.registry, deps.reload, opts.ui_path).register(self.router, self.prefix)
        V1(deps).register(self.router, self.prefix)
        self.v2 = V2(deps).routes()
        self._runners: list[web.AppRunner] = []

    async def _to_prefix(self, request: web.Request, params: dict[str, str]) -> web.StreamResponse:
        return redirect(request, self.prefix, 302)

    # -- the chain ------------------------------------------------------------------------------

    @web.middleware
    async def _web_config(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """exporter-toolkit's wrapper: around everything served, mounted extras included."""
        if self.webconfig is None:
            resp: web.StreamResponse = await handler(request)
            return resp
        try:
            wc = self.webconfig.get()
        except (OSError, WebConfigError) as e:
            log.error("Unable to parse configuration: %s", e)
            return text_error("Internal Server Error", 500)
        if wc.users and not self._authorized(request, wc.users):
            denied = text_error("Unauthorized", 401, {"WWW-Authenticate": "Basic"})
            denied.headers.update(wc.headers)
            return denied
        resp = await handler(request)
        resp.headers.update(wc.headers)
        return resp

    async def handle(self, request: web.Request) -> web.StreamResponse:
        return await self._mux(request)

    def _authorized(self, request: web.Request, users: dict[str, str]) -> bool:
        assert self.webconfig is not None
        auth = request.headers.get("Authorization", "")
        if auth[:6].lower() != "basic ":
            return False
        try:
            user, _, password = base64.b64decode(auth[6:], validate=True).decode("utf-8", "replace").partition(":")
        except (binascii.Error, ValueError):
            return False
        return self.webconfig.auth.check(users, user, password)

    async def _mux(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        v2_root = self.api_prefix + "/api/v2/"
        if request.method != "CONNECT":
            # ServeMux.Handler: clean the path; /tree -> /tree/ first, then the cleaning redirect.
            cleaned = clean_path(path)
            if cleaned == v2_root[:-1]:
                return redirect(request, with_query(v2_root, request), 301)
            if cleaned != path:
                return redirect(request, with_query(cleaned, request), 301)
        if path.startswith(v2_root):
            raw = request.rel_url.raw_path  # go-swagger names paths as sent (escapes kept)
            raw = raw.removeprefix(self.api_prefix)
            return await self._limit(request, lambda: self._swagger(request, path[len(self.api_prefix):], raw))
        return await self._limit(request, lambda: self._route(request, path))

    async def _limit(self, request: web.Request, inner: Any) -> web.StreamResponse:
        """0.25's limitHandler: the GET limit inside http.TimeoutHandler. As in Go, a request that
        times out is answered 503 but its handler runs to the end (an alert batch still gets
        stored and logged), holding its concurrency slot until then."""
        if self.opts.timeout_ns <= 0:
            return await self._concurrency(request, inner)
        task = asyncio.ensure_future(self._concurrency(request, inner))
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.opts.timeout_ns / 1e9)
        except TimeoutError:
            task.add_done_callback(_discard)
            msg = f"Exceeded configured timeout of {format_go_duration(self.opts.timeout_ns)}.\n"
            return web.Response(status=503, body=msg.encode(),
                                headers={"Content-Type": "text/plain; charset=utf-8"})

    async def _concurrency(self, request: web.Request, inner: Any) -> web.StreamResponse:
        is_get = request.method == "GET"
        if is_get:
            if self._in_flight >= self.concurrency:
                self.metrics.limit_exceeded.inc()
                return text_error(f"Limit of concurrent GET requests reached ({self.concurrency}), "
                                  "try again later.\n", 503)
            self._in_flight += 1
            self.metrics.in_flight.inc()
        try:
            resp: web.StreamResponse = await inner()
            return resp
        finally:
            if is_get:
                self._in_flight -= 1
                self.metrics.in_flight.dec()

    async def _route(self, request: web.Request, path: str) -> web.StreamResponse:
        route, params, answer = self.router.resolve(request, path)
        if route is None:
            assert answer is not None
            return answer
        start = time.perf_counter()
        resp = await self._guarded(request, lambda: route.handler(request, params))
        size = resp.body_length if isinstance(resp, web.Response) else 0
        self.metrics.observe(route.name, request.method, time.perf_counter() - start, size)
        return resp

    async def _swagger(self, request: web.Request, path: str, raw: str) -> web.StreamResponse:
        pre = swagger.cors_preflight(request)
        if pre is not None:
            return pre
        resp = await self._guarded(request, lambda: self._swagger_inner(request, path, raw))
        swagger.cors_actual(request, resp)
        return resp

    async def _swagger_inner(self, request: web.Request, path: str, raw: str) -> web.StreamResponse:
        methods, params = _v2_match(self.v2, path[len("/api/v2"):])
        if methods is None:
            return swagger.error_response(ApiError(404, f"path {raw} was not found"))
        handler = methods.get(request.method)
        if handler is None:
            allow = ",".join(sorted(methods))
            resp = swagger.error_response(
                ApiError(405, f"method {request.method} is not allowed, but [{allow}] are"))
            resp.headers["Allow"] = allow
            return resp
        try:
            if await swagger.has_body(request):
                swagger.check_content_type(request)
            out: web.StreamResponse = await handler(request, params)
            return out
        except ApiError as e:
            return swagger.error_response(e)

    async def _guarded(self, request: web.Request, call: Any) -> web.StreamResponse:
        try:
            resp: web.StreamResponse = await call()
            return resp
        except BaseException as e:
            if isinstance(e, DropConnection):
                if request.transport is not None:
                    request.transport.close()
                return web.Response(status=500)
            if isinstance(e, (asyncio.CancelledError, KeyboardInterrupt, SystemExit)):
                raise
            log.error("request %s %s failed: %r", request.method, request.path, e)
            return text_error("Internal Server Error", 500)

    # -- listening ------------------------------------------------------------------------------

    def application(self) -> web.Application:
        # Go never decompresses request bodies; remote write needs its snappy bytes as sent.
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._web_config], handler_args={
            "max_line_size": MAX_HEADER, "max_field_size": MAX_HEADER, "auto_decompress": False})
        for path, handler in self.opts.extra_routes:
            app.router.add_route("*", self.api_prefix + path, handler)
        for path, sub in self.opts.extra_apps:
            app.add_subapp(self.api_prefix + path, sub)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        app.on_response_prepare.append(_strip_server_header)
        return app

    async def start(self, addresses: list[str], systemd: bool = False) -> list[str]:
        """Listen on every address (or the systemd sockets); returns the bound addresses."""
        ctx = None
        if self.webconfig is not None:
            ctx = ssl_context(self.webconfig.get())
        # Alertmanager exits on SIGTERM without waiting for slow requests; give them a moment only.
        runner = web.AppRunner(self.application(), access_log=None, handle_signals=False,
                               shutdown_timeout=2.0)
        await runner.setup()
        self._runners.append(runner)
        bound: list[str] = []
        if systemd:
            log.info("Listening on systemd activated listeners instead of port listeners.")
            fds = _listen_fds()
            if fds < 1:
                raise OSError("no socket activation file descriptors found")
            for fd in range(3, 3 + fds):
                sock = socket.socket(fileno=fd)
                site: web.BaseSite = web.SockSite(runner, sock, ssl_context=ctx)
                await site.start()
                bound.append(str(sock.getsockname()))
            return bound
        for addr in addresses:
            host, port = split_host_port(addr)
            try:
                site = web.TCPSite(runner, host or None, int(port or 0), ssl_context=ctx,
                                   reuse_address=True)
                await site.start()
            except OSError as e:
                reason = os.strerror(e.errno).lower() if e.errno else str(e)
                raise OSError(f"listen tcp {addr}: bind: {reason}") from None
            bound.append(addr)
            log.info("Listening on", extra={"address": addr})
            if ctx is None:
                log.info("TLS is disabled.", extra={"http2": "false", "address": addr})
            else:
                log.info("TLS is enabled.", extra={"http2": "false", "address": addr})
        return bound

    async def stop(self) -> None:
        for r in self._runners:
            await r.cleanup()
        self._runners.clear()


def _listen_fds() -> int:
    """go-systemd activation.Files: the sockets systemd passed this very process (fd 3 on)."""
    try:
        if int(os.environ.get("LISTEN_PID", "")) != os.getpid():
            return 0
        return int(os.environ.get("LISTEN_FDS", ""))
    except ValueError:
        return 0


def _discard(task: asyncio.Future[web.StreamResponse]) -> None:
    """The late result of a timed-out request: nobody is waiting for it any more."""
    if not task.cancelled() and task.exception() is not None:
        log.error("request finished after its timeout with an error: %r", task.exception())


async def _strip_server_header(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.popall("Server", None)
