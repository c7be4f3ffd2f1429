"""The non-API routes of 0.25's ``ui/web.go``: ``/metrics``, the UI files, ``/-/reload``,
``/-/healthy``, ``/-/ready``.

The UI is the Debian build's: static files from ``--web.ui-path`` when that directory holds an
``index.html``, otherwise the package's "no UI" page beside it, served with the no-cache headers
Alertmanager sets. Readiness is unconditional, as in 0.25.
"""

from __future__ import annotations

import gzip
import mimetypes
import posixpath
from collections.abc import Awaitable, Callable
from email.utils import formatdate
from pathlib import Path

from aiohttp import web
from prometheus_client import CollectorRegistry, generate_latest

from amclone.api.mux import Params, Router, not_found, text_error
from amclone.api.state import ReloadError

NO_CACHE = {"Cache-Control": "no-cache, no-store, must-revalidate", "Pragma": "no-cache", "Expires": "0"}
_TYPES = {".ico": "image/vnd.microsoft.icon", ".js": "text/javascript; charset=utf-8",
          ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8"}


def ui_dirs(ui_path: str) -> list[Path]:
    p = Path(ui_path)
    return [p, p.parent / "no-ui"]


class Web:
    def __init__(self, registry: CollectorRegistry, reload: Callable[[], Awaitable[None]],
                 ui_path: str = "/usr/share/prometheus/alertmanager/ui/") -> None:
        self.registry = registry
        self.reload = reload
        self.ui_path = ui_path

    def register(self, r: Router, prefix: str) -> None:
        p = "" if prefix == "/" else prefix
        for method, path, h in (
            ("GET", "/metrics", self.metrics), ("GET", "/", self._static("/index.html")),
            ("GET", "/script.js", self._static("/script.js")),
            ("GET", "/favicon.ico", self._static("/favicon.ico")), ("GET", "/lib/*path", self.lib),
            ("POST", "/-/reload", self.do_reload),
            ("GET", "/-/healthy", self.ok), ("HEAD", "/-/healthy", self.head_ok),
            ("GET", "/-/ready", self.ok), ("HEAD", "/-/ready", self.head_ok),
        ):
            r.add(method, p + path, h, name=path)

    async def metrics(self, request: web.Request, params: Params) -> web.StreamResponse:
        body = generate_latest(self.registry)
        headers = {"Content-Type": "text/plain; version=0.0.4; charset=utf-8"}
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        return web.Response(body=body, headers=headers)

    async def ok(self, request: web.Request, params: Params) -> web.StreamResponse:
        return web.Response(body=b"OK", headers={"Content-Type": "text/plain; charset=utf-8"})

    async def head_ok(self, request: web.Request, params: Params) -> web.StreamResponse:
        return web.Response(status=200)

    async def do_reload(self, request: web.Request, params: Params) -> web.StreamResponse:
        try:
            await self.reload()
        except ReloadError as e:
            return text_error(f"failed to reload config: {e}", 500)
        return web.Response(status=200)

    def _static(self, name: str) -> Callable[[web.Request, Params], Awaitable[web.StreamResponse]]:
        async def serve(request: web.Request, params: Params) -> web.StreamResponse:
            return self._file(name)
        return serve

    async def lib(self, request: web.Request, params: Params) -> web.StreamResponse:
        return self._file(posixpath.join("/lib", posixpath.normpath(params["path"]).lstrip("/")))

    def _file(self, name: str) -> web.StreamResponse:
        for d in ui_dirs(self.ui_path):
            if name == "/index.html" and not (d / "index.html").is_file():
                continue
            f = d / name.lstrip("/")
            if f.is_file():
                body = f.read_bytes()
                ctype = _TYPES.get(f.suffix) or mimetypes.guess_type(f.name)[0] or "application/octet-stream"
                headers = dict(NO_CACHE)
                headers.update({"Content-Type": ctype, "Accept-Ranges": "bytes",
                                "Last-Modified": formatdate(f.stat().st_mtime, usegmt=True)})
                return web.Response(body=body, headers=headers)
            if name == "/index.html":
                break
        resp = not_found()
        resp.headers.update(NO_CACHE)
        return resp
