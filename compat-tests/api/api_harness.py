"""Differential HTTP harness: the same request to the real Alertmanager 0.25 and to amclone, and
a comparison of what comes back after normalising only what must differ between two processes:
silence IDs (UUIDv4s each server generates), timestamps taken at request time, the uptime and
the build's own version strings.
"""

from __future__ import annotations

import base64
import difflib
import http.client
import json
import re
import ssl
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from amclone.compat import gojson
from amclone.compat.timefmt import parse_rfc3339

# Headers whose values clients act on; the rest (Date, Content-Length) follow from the body.
COMPARED_HEADERS = (
    "Content-Type", "Allow", "Location", "Vary", "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Expose-Headers",
    "Cache-Control", "Pragma", "Expires", "WWW-Authenticate", "X-Content-Type-Options",
    "Content-Encoding",
)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_TS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
_ALLOWED = re.compile(r"but \[([A-Z,]+)\] are")
_SLACK_NS = 15 * 1_000_000_000


@dataclass
class Answer:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    """One side: its base URL, the silence IDs it generated (in order) and request times."""

    url: str
    ids: dict[str, str] = field(default_factory=dict)
    ssl_context: ssl.SSLContext | None = None
    auth: tuple[str, str] | None = None
    times: list[int] = field(default_factory=list)

    def request(self, method: str, path: str, body: bytes | str | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        u = urlsplit(self.url)
        conn: http.client.HTTPConnection
        if u.scheme == "https":
            conn = http.client.HTTPSConnection(u.hostname or "", u.port, timeout=20, context=self.ssl_context)
        else:
            conn = http.client.HTTPConnection(u.hostname or "", u.port, timeout=20)
        data = body.encode() if isinstance(body, str) else body
        self.times.append(time.time_ns())
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            hdrs = dict(headers or {})
            if self.auth is not None and "Authorization" not in hdrs:
                token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
                hdrs["Authorization"] = "Basic " + token
            chunked = hdrs.get("Transfer-Encoding") == "chunked"
            if data is not None and "Content-Length" not in hdrs and not chunked:
                hdrs["Content-Length"] = str(len(data))
            for k, v in hdrs.items():
                conn.putheader(k, v)
            if chunked:
                conn.endheaders()
                payload = data or b""
                conn.send((f"{len(payload):x}\r\n".encode() + payload + b"\r\n") if payload else b"")
                conn.send(b"0\r\n\r\n")
            else:
                conn.endheaders(data)
            resp = conn.getresponse()
            got: dict[str, list[str]] = {}
            for k, v in resp.getheaders():
                got.setdefault(k.title(), []).append(v)
            return Answer(resp.status, got, resp.read())
        except (http.client.RemoteDisconnected, OSError) as e:
            return Answer(-1, {}, f"<connection failed: {type(e).__name__}>".encode())
        finally:
            conn.close()

    def normalise(self, text: str) -> str:
        for m in _UUID.findall(text):
            self.ids.setdefault(m, f"<id{len(self.ids)}>")
        text = _UUID.sub(lambda m: self.ids[m.group(0)], text)
        return _TS.sub(self._ts, text)

    def _ts(self, m: re.Match[str]) -> str:
        try:
            ns = parse_rfc3339(m.group(0))
        except ValueError:
            return m.group(0)
        for t in reversed(self.times[-50:]):
            for label, offset in (("now", 0), ("now+5m", 300 * 10**9)):
                if abs(ns - (t + offset)) < _SLACK_NS:
                    return f"<{label}>"
        return m.group(0)


def view(server: Server, a: Answer, ignore_keys: tuple[str, ...] = ()) -> dict[str, Any]:
    """What is compared: status, the selected headers, and the normalised body."""
    body: Any = a.body.decode("utf-8", "replace")
    if ignore_keys and a.body.strip():
        try:
            parsed = json.loads(a.body)
        except ValueError:
            parsed = None
        if parsed is not None:
            for k in ignore_keys:
                _drop(parsed, k.split("."))
            body = gojson.dumps(parsed) + ("\n" if a.body.endswith(b"\n") else "")
    headers = {h: a.headers[h] for h in COMPARED_HEADERS if h in a.headers}
    if "," in "".join(headers.get("Allow", [])) and ", " not in "".join(headers["Allow"]):
        # go-swagger lists the allowed methods in Go map order, which is random
        headers["Allow"] = [",".join(sorted(headers["Allow"][0].split(",")))]
        body = _ALLOWED.sub(lambda m: "but [" + ",".join(sorted(m.group(1).split(","))) + "] are", body)
    return {"status": a.status, "headers": headers, "body": server.normalise(body)}


def _drop(obj: Any, path: list[str]) -> None:
    if isinstance(obj, list):
        for x in obj:
            _drop(x, path)
    elif isinstance(obj, dict) and path:
        if len(path) == 1:
            obj.pop(path[0], None)
        elif path[0] in obj:
            _drop(obj[path[0]], path[1:])


def compare(am: Server, ours: Server, method: str, path: str, body: bytes | str | None = None,
            headers: dict[str, str] | None = None, ignore: tuple[str, ...] = ()) -> tuple[dict[str, Any], dict[str, Any]]:
    a = am.request(method, path, body, headers)
    b = ours.request(method, path, body, headers)
    return view(am, a, ignore), view(ours, b, ignore)


def explain(theirs: dict[str, Any], mine: dict[str, Any]) -> str:
    """A short account of how two views differ (status, headers, then the body's changed parts)."""
    out = []
    if theirs["status"] != mine["status"]:
        out.append(f"  status: alertmanager {theirs['status']}, amclone {mine['status']}")
    if theirs["headers"] != mine["headers"]:
        out.append(f"  headers: alertmanager {theirs['headers']}\n           amclone      {mine['headers']}")
    if theirs["body"] != mine["body"]:
        a = re.split(r"(?<=[,{\[])", theirs["body"])
        b = re.split(r"(?<=[,{\[])", mine["body"])
        diff = [d for d in difflib.ndiff(a, b) if d[:1] in "+-"]
        out.append("  body (- alertmanager, + amclone): " + " ".join(diff)[:1500])
        if len(theirs["body"]) < 300:
            out.append(f"  alertmanager body: {theirs['body']!r}\n  amclone body:      {mine['body']!r}")
    return "\n".join(out)
