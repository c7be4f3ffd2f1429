"""Capture servers for the integration compat tests: one aiohttp HTTP server and one aiosmtpd SMTP
server on 127.0.0.1, each recording what arrives, in a background thread so that the real
Alertmanager and amclone (separate processes) can both be pointed at them.

Replies are scripted per path prefix so that the integrations that read their answer (wechat's
token, telegram's sendMessage result, SNS's Publish response) get what the service would send.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from amclone.testing.procs import free_port

__all__ = ["Captured", "HttpCapture", "SmtpCapture", "default_reply"]

# Headers whose values differ by nature (connection handling, dates, signatures, SDK versions).
UNSTABLE_HEADERS = frozenset({"host", "content-length", "accept-encoding", "connection", "x-amz-date",
                              "authorization-sigv4", "date", "user-agent-aws"})


@dataclass
class Captured:
    method: str
    path: str  # path and query, as sent
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)


Reply = tuple[int, str, bytes]  # status, content type, body


def default_reply(method: str, path: str) -> Reply:
    """What each service answers on success."""
    if "gettoken" in path:
        return 200, "application/json", b'{"access_token":"tok-1","errcode":0}'
    if "/sendMessage" in path:
        return 200, "application/json", (b'{"ok":true,"result":{"message_id":7,"date":1,'
                                          b'"chat":{"id":1234,"type":"private"},"text":"x"}}')
    if path.startswith("/sns"):
        return 200, "text/xml", (b'<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">'
                                 b'<PublishResult><MessageId>m-1</MessageId></PublishResult>'
                                 b'<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>'
                                 b'</PublishResponse>')
    if "message/send" in path:
        return 200, "application/json", b'{"errcode":0,"errmsg":"ok"}'
    return 200, "application/json", b"{}"


class HttpCapture:
    """Records every request; `replies` (a function of method and path) chooses the answer.
    A reply status of -1 resets the connection, -2 never answers (a timeout)."""

    def __init__(self, reply: Callable[[str, str], Reply] = default_reply) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.reply = reply
        self.requests: list[Captured] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ready = threading.Event()
        self._runner: web.AppRunner | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=64 << 20)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        self._loop.run_until_complete(site.start())
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        c = Captured(request.method, request.path_qs, {k.lower(): v for k, v in request.headers.items()}, body)
        with self._lock:
            self.requests.append(c)
        status, ctype, out = self.reply(request.method, request.path_qs)
        if status == -1:
            assert request.transport is not None
            request.transport.abort()
            raise asyncio.CancelledError
        if status == -2:
            await self._stopping.wait()  # never answers; released at stop
            assert request.transport is not None
            request.transport.abort()
            raise asyncio.CancelledError
        return web.Response(status=status, body=out, content_type=ctype.split(";")[0])

    def start(self) -> HttpCapture:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        async def _stop() -> None:
            self._stopping.set()
            if self._runner is not None:
                await self._runner.cleanup()
        asyncio.run_coroutine_threadsafe(_stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def snapshot(self) -> list[Captured]:
        with self._lock:
            return list(self.requests)

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    def wait_for(self, n: int, timeout: float, prefix: str = "") -> list[Captured]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = [r for r in self.snapshot() if r.path.startswith(prefix)]
            if len(got) >= n:
                return got
            time.sleep(0.05)
        return [r for r in self.snapshot() if r.path.startswith(prefix)]


class SmtpCapture:
    """A real SMTP server (aiosmtpd) recording envelopes; AUTH PLAIN/LOGIN accepted for any
    credentials when `auth` is set (over plain text: the tests run on loopback)."""

    def __init__(self, auth: bool = False) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.port = free_port()
        self.messages: list[dict[str, Any]] = []
        outer = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                outer.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                       "data": envelope.original_content or envelope.content,
                                       "hello": session.host_name,
                                       "auth": getattr(session, "login_data", None)})
                return "250 OK"

        def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
            return AuthResult(success=True, auth_data=(mechanism, data))

        kwargs: dict[str, Any] = {}
        if auth:
            kwargs.update(authenticator=authenticator, auth_require_tls=False)
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **kwargs)

    def start(self) -> SmtpCapture:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def wait_for(self, n: int, timeout: float) -> list[dict[str, Any]]:
        end = time.monotonic() + timeout
        while time.monotonic() < end and len(self.messages) < n:
            time.sleep(0.05)
        return list(self.messages)


def pretty(c: Captured) -> str:
    try:
        body = json.dumps(json.loads(c.body), indent=1)
    except ValueError:
        body = c.body.decode("utf-8", "replace")
    return f"{c.method} {c.path}\n{c.headers}\n{body}"


def make_ca(workdir: str, hosts: tuple[str, ...]) -> tuple[str, str, str]:
    """A throwaway CA and a leaf certificate for `hosts` (openssl CLI). Returns (ca, cert, key)."""
    import subprocess
    from pathlib import Path

    d = Path(workdir)
    ca_key, ca, key, csr, cert = (str(d / n) for n in ("ca.key", "ca.pem", "leaf.key", "leaf.csr", "leaf.pem"))
    run = lambda *a: subprocess.run(a, check=True, capture_output=True)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2",
        "-subj", "/CN=amclone test CA")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", f"/CN={hosts[0]}")
    ext = d / "san.ext"
    ext.write_text("subjectAltName=" + ",".join(f"DNS:{h}" for h in hosts) + "\n")
    run("openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert,
        "-days", "2", "-extfile", str(ext))
    return ca, cert, key


class MitmProxy:
    """An HTTP proxy that answers CONNECT itself and terminates TLS with a test certificate, so
    requests to fixed https URLs (api.pushover.net, events.pagerduty.com) can be recorded.
    Every request gets `reply` (status, content type, body)."""

    def __init__(self, cert: str, key: str, reply: tuple[int, str, bytes] = (200, "application/json", b"{}")) -> None:
        import ssl

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.reply = reply
        self.requests: list[Captured] = []
        self._ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._ctx.load_cert_chain(cert, key)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", self.port))
        self._ready.set()
        self._loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b" ")[1].decode()
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            await writer.start_tls(self._ctx)
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for ln in lines[1:]:
                    if ":" in ln:
                        k, v = ln.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                headers["x-connect-target"] = target
                self.requests.append(Captured(method, path, headers, body))
                status, ctype, out = self.reply
                writer.write(f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {len(out)}\r\n\r\n"
                             .encode() + out)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError, ValueError):
            return
        finally:
            writer.close()

    def start(self) -> MitmProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
