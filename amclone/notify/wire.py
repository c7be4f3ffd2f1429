"""A small HTTP/1.1 client for integrations: pooled keep-alive connections, one POST at a time per
connection, Content-Length and chunked responses.

Why not aiohttp for this: a notification burst (thousands of groups flushing together) spends most
of its CPU in the HTTP client, and aiohttp's request machinery costs about four times what a
request needs here (one method, bytes in, status and body out). aiohttp remains the client for
what this one does not do (proxies, see `amclone.notify.http`).

A request that fails on a reused connection before any response byte arrived is retried once on
a fresh connection, as Go's transport does (the peer may have closed an idle connection).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["Pool", "ProtocolError", "Response"]

_MAX_HEADER = 1 << 20


class ProtocolError(OSError):
    """A response that is not HTTP/1.x as we understand it."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes


class _Conn:
    __slots__ = ("reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    def close(self) -> None:
        try:
            self.writer.close()
        except (OSError, RuntimeError):  # already closed, or the loop is gone
            return


class Pool:
    """Connections by (scheme, host, port), at most `limit` open per host."""

    def __init__(self, ssl_context: ssl.SSLContext | bool, server_name: str | None = None, limit: int = 64) -> None:
        self._ssl = ssl_context
        self._server_name = server_name
        self._limit = limit
        self._idle: dict[tuple[str, str, int], list[_Conn]] = {}
        self._slots: dict[tuple[str, str, int], asyncio.Semaphore] = {}

    async def close(self) -> None:
        for conns in self._idle.values():
            for c in conns:
                c.close()
        self._idle.clear()

    async def request(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> Response:
        target = _target(method, url, headers)
        if body or method not in ("GET", "HEAD"):
            raw = b"".join((target.head, b"Content-Length: %d\r\n" % len(body), target.tail, body))
        else:
            raw = target.head + target.tail + body
        key = target.key
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = asyncio.Semaphore(self._limit)
        async with slot:
            idle = self._idle.get(key)
            if idle:
                conn = idle.pop()
                try:
                    return await self._exchange(key, conn, raw, method)
                except _Stale:
                    pass  # the server closed the idle connection: once more on a fresh one
            scheme, host, port = key
            conn = await self._connect(scheme, host, port)
            try:
                return await self._exchange(key, conn, raw, method)
            except _Stale as e:
                raise ConnectionResetError(f"read tcp {host}:{port}: connection reset by peer") from e

    async def _connect(self, scheme: str, host: str, port: int) -> _Conn:
        try:
            if scheme == "https":
                reader, writer = await asyncio.open_connection(host, port, ssl=self._ssl or None,
                                                               server_hostname=self._server_name or host)
            else:
                reader, writer = await asyncio.open_connection(host, port)
        except ssl.SSLError as e:
            raise ssl.SSLError(f"tls: {e.reason or e}") from None
        except socket.gaierror:
            raise OSError(f"dial tcp: lookup {host}: no such host") from None
        except ConnectionRefusedError:
            raise ConnectionRefusedError(f"dial tcp {host}:{port}: connect: connection refused") from None
        except OSError as e:
            raise OSError(f"dial tcp {host}:{port}: {(e.strerror or str(e)).lower()}") from None
        return _Conn(reader, writer)

    async def _exchange(self, key: tuple[str, str, int], conn: _Conn, raw: bytes, method: str) -> Response:
        ok = False
        try:
            conn.writer.write(raw)
            try:
                head = await conn.reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError as e:
                if not e.partial:
                    raise _Stale() from None
                raise ProtocolError("malformed HTTP response") from None
            except (ConnectionResetError, BrokenPipeError) as e:
                raise _Stale() from e
            except asyncio.LimitOverrunError:
                raise ProtocolError("server response headers too long") from None
            status, headers, keep = _parse_head(head)
            body = await _read_body(conn.reader, headers, status, method)
            if "content-length" not in headers and "chunked" not in headers.get("transfer-encoding", ""):
                keep = False
            ok = True
        finally:
            if not ok:
                conn.close()
        if keep:
            self._idle.setdefault(key, []).append(conn)
        else:
            conn.close()
        return Response(status, headers, body)


class _Stale(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Target:
    """A request's fixed parts: the pool key, the head up to where Content-Length goes, and
    the rest of the head."""

    key: tuple[str, str, int]
    head: bytes
    tail: bytes


# Integrations send to the same few URLs with the same headers again and again: the parsed URL
# and the encoded head are kept (bounded: a rotating token in a header makes a new entry each time).
_TARGETS: dict[tuple[str, str, tuple[tuple[str, str], ...]], _Target] = {}
_TARGETS_MAX = 1024


def _target(method: str, url: str, headers: Mapping[str, str]) -> _Target:
    ck = (method, url, tuple(headers.items()))
    t = _TARGETS.get(ck)
    if t is not None:
        return t
    u = urlsplit(url)
    scheme = u.scheme.lower()
    port = u.port or (443 if scheme == "https" else 80)
    path = (u.path or "/") + (f"?{u.query}" if u.query else "")
    # Go's order: Host, User-Agent, Content-Length, then the other headers sorted by name.
    lines = [f"{method} {path} HTTP/1.1", f"Host: {u.netloc.rsplit('@', 1)[-1]}"]
    agent = headers.get("User-Agent")
    if agent is not None:
        lines.append(f"User-Agent: {agent}")
    rest = [f"{k}: {headers[k]}" for k in sorted(headers) if k != "User-Agent"]
    head = "".join(line + "\r\n" for line in lines).encode("latin-1")
    tail = "".join(line + "\r\n" for line in rest).encode("latin-1") + b"\r\n"
    t = _Target((scheme, u.hostname or "", port), head, tail)
    if len(_TARGETS) >= _TARGETS_MAX:
        _TARGETS.clear()
    _TARGETS[ck] = t
    return t


def _parse_head(head: bytes) -> tuple[int, dict[str, str], bool]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise ProtocolError(f"malformed HTTP response {lines[0]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    conn = headers.get("connection", "").lower()
    keep = "close" not in conn and (parts[0] != "HTTP/1.0" or "keep-alive" in conn)
    return int(parts[1]), headers, keep


async def _read_body(reader: asyncio.StreamReader, headers: Mapping[str, str], status: int, method: str) -> bytes:
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        out = bytearray()
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers
                return bytes(out)
            out += await reader.readexactly(size)
            await reader.readexactly(2)
            if len(out) > _MAX_HEADER * 64:
                raise ProtocolError("response body too large")
    length = headers.get("content-length")
    if length is not None:
        return await reader.readexactly(int(length))
    return await reader.read()
