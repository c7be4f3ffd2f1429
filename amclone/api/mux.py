"""Request routing with the answers Go's net/http.ServeMux and julienschmidt/httprouter give.

Alertmanager's HTTP surface is a ServeMux (path cleaning, ``/api/v2`` -> ``/api/v2/`` redirects)
in front of an httprouter (``:param`` and ``*catchall`` patterns, trailing-slash and case-fixing
redirects, automatic ``OPTIONS`` and ``405 Method Not Allowed`` with an ``Allow`` header, and
``404 page not found``). Clients and probes see these answers, so they are reproduced rather
than left to aiohttp's defaults.
"""

from __future__ import annotations

import posixpath
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote as urlquote

from aiohttp import web

Params = dict[str, str]
Handler = Callable[[web.Request, Params], Awaitable[web.StreamResponse]]


class DropConnection(Exception):
    """Alertmanager panics on this input: the connection closes without an answer."""


_HEX = "0123456789abcdefABCDEF"


def _unescape(s: str) -> str | None:
    """Go's url.QueryUnescape; None where Go reports an error (the pair is then dropped)."""
    if "%" not in s:
        return s.replace("+", " ")
    out = bytearray()
    i = 0
    raw = s.encode("utf-8", "surrogateescape")
    while i < len(raw):
        c = raw[i]
        if c == 0x25:
            if i + 2 >= len(raw) or chr(raw[i + 1]) not in _HEX or chr(raw[i + 2]) not in _HEX:
                return None
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
            continue
        out.append(0x20 if c == 0x2B else c)
        i += 1
    return out.decode("utf-8", "replace")


def go_query(raw: str) -> list[tuple[str, str]]:
    """Go's url.ParseQuery: ``&``-separated, pairs with a ``;`` or a bad escape silently dropped."""
    out = []
    for pair in raw.split("&"):
        if pair == "" or ";" in pair:
            continue
        k, _, v = pair.partition("=")
        key, value = _unescape(k), _unescape(v)
        if key is None or value is None:
            continue
        out.append((key, value))
    return out


def text_error(body: str, status: int, headers: dict[str, str] | None = None) -> web.Response:
    """Go's http.Error: the text plus a newline, as text/plain, with nosniff."""
    h = {"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"}
    h.update(headers or {})
    return web.Response(status=status, body=(body + "\n").encode(), headers=h)


def not_found() -> web.Response:
    return text_error("404 page not found", 404)


_STATUS_TEXT = {301: "Moved Permanently", 302: "Found", 307: "Temporary Redirect",
                308: "Permanent Redirect"}


_HTML = {"&": "&amp;", "'": "&#39;", "<": "&lt;", ">": "&gt;", '"': "&#34;"}


def html_escape(s: str) -> str:
    """Go's html.EscapeString (numeric entities for quotes, unlike Python's html.escape)."""
    return "".join(_HTML.get(c, c) for c in s)


def redirect(request: web.Request, location: str, code: int) -> web.Response:
    """Go's http.Redirect: an HTML body for GET, a content type for GET and HEAD only."""
    headers = {"Location": location}
    body = b""
    if request.method in ("GET", "HEAD"):
        headers["Content-Type"] = "text/html; charset=utf-8"
    if request.method == "GET":
        body = f'<a href="{html_escape(location)}">{_STATUS_TEXT[code]}</a>.\n\n'.encode()
    return web.Response(status=code, body=body, headers=headers)


def clean_path(p: str) -> str:
    """Go's path cleaning for request paths: rooted, no dot segments, trailing slash kept."""
    if p == "":
        return "/"
    if not p.startswith("/"):
        p = "/" + p
    np = posixpath.normpath(p)
    if np.startswith("//"):
        np = "/" + np.lstrip("/")
    if p.endswith("/") and np != "/":
        np += "/"
    return np


@dataclass(frozen=True)
class _Route:
    method: str
    segments: tuple[str, ...]
    pattern: str
    handler: Handler
    name: str  # the instrumentation label: the path as registered, without router prefixes

    def match(self, path: str, fold: bool = False) -> Params | None:
        parts = path.split("/")[1:]
        params: Params = {}
        for i, seg in enumerate(self.segments):
            if seg.startswith("*"):
                if i >= len(parts):  # "/lib" is not "/lib/*path" (that needs the slash)
                    return None
                params[seg[1:]] = "/" + "/".join(parts[i:])
                return params
            if i >= len(parts):
                return None
            if seg.startswith(":"):
                if parts[i] == "":
                    return None
                params[seg[1:]] = parts[i]
            elif (parts[i].lower() != seg.lower()) if fold else (parts[i] != seg):
                return None
        return params if len(parts) == len(self.segments) else None

    def canonical(self, path: str) -> str:
        """The path as the route spells it (for case-fixing redirects)."""
        parts = path.split("/")[1:]
        out = []
        for i, seg in enumerate(self.segments):
            if seg.startswith("*"):
                out.extend(parts[i:])
                break
            out.append(parts[i] if seg[0] == ":" else seg)
        return "/" + "/".join(out)


class Router:
    """httprouter: exact routes; handlers get the route pattern as their instrumentation name."""

    def __init__(self) -> None:
        self.routes: list[_Route] = []

    def add(self, method: str, pattern: str, handler: Handler, name: str = "") -> None:
        self.routes.append(_Route(method, tuple(pattern.split("/")[1:]), pattern, handler,
                                  name or pattern))

    def _lookup(self, method: str, path: str) -> tuple[_Route, Params] | None:
        for r in self.routes:
            if r.method == method:
                got = r.match(path)
                if got is not None:
                    return r, got
        return None

    def _param_follows(self, method: str, path: str) -> bool:
        """httprouter's quirk: ``/x/`` is redirected to ``/x`` whenever ``/x/:param`` exists,
        whether or not ``/x`` itself is a route."""
        return path.endswith("/") and any(
            r.method == method and r.pattern.startswith(path) and r.pattern[len(path):].startswith(":")
            for r in self.routes)

    def allowed(self, path: str, method: str) -> str:
        methods = {r.method for r in self.routes
                   if r.method not in (method, "OPTIONS") and r.match(path) is not None}
        if not methods:
            return ""
        methods.add("OPTIONS")
        return ", ".join(sorted(methods))

    def resolve(self, request: web.Request, path: str) -> tuple[_Route | None, Params, web.Response | None]:
        """The route to run, or the response httprouter itself gives."""
        method = request.method
        found = self._lookup(method, path)
        if found is not None:
            return found[0], found[1], None
        if any(r.method == method for r in self.routes) and method != "CONNECT" and path != "/":
            code = 301 if method == "GET" else 307  # httprouter 1.3
            alt = path[:-1] if path.endswith("/") else path + "/"
            if self._lookup(method, alt) is not None or self._param_follows(method, path):
                return None, {}, redirect(request, with_query(alt, request), code)
            fixed = clean_path(path)
            for cand in (fixed, fixed[:-1] if fixed.endswith("/") else fixed + "/"):
                for r in self.routes:
                    if r.method == method and r.match(cand, fold=True) is not None:
                        return None, {}, redirect(request, with_query(r.canonical(cand), request), code)
        if method == "OPTIONS":
            allow = self.allowed(path, method)
            if allow:
                return None, {}, web.Response(status=200, headers={"Allow": allow})
        else:
            allow = self.allowed(path, method)
            if allow:
                return None, {}, text_error("Method Not Allowed", 405, {"Allow": allow})
        return None, {}, not_found()


def with_query(path: str, request: web.Request) -> str:
    """url.URL{Path: path, RawQuery: r.URL.RawQuery}.String(): the path escaped, the query as sent."""
    p = urlquote(path, safe="/:@!$&'()*+,;=-._~")
    raw = request.rel_url.raw_query_string
    return p + ("?" + raw if raw else "")
