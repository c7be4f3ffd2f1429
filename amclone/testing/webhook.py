"""A webhook capture server for tests and benchmarks: records every request (path, arrival time,
headers, body) and answers as scripted per path (status codes, delays), so a test can make a
receiver fail with 500s or hang past a deadline.

It runs in a thread (``ThreadingHTTPServer``), so synchronous tests that drive real processes
can use it, and a hanging answer never delays other requests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from amclone.testing.procs import free_port

__all__ = ["Delivery", "WebhookCollector"]


@dataclass(frozen=True)
class Delivery:
    path: str
    at: float  # time.time() when the request's body had been read
    headers: dict[str, str]
    body: bytes
    status: int  # what the collector answered


@dataclass(frozen=True)
class Reply:
    status: int = 200
    delay: float = 0.0
    body: bytes = b""


class WebhookCollector:
    """``with WebhookCollector() as c: ... c.url + "/hook"``; `script(path, Reply(...), ...)`
    queues answers for that path, after which it answers 200."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.deliveries: list[Delivery] = []
        self._scripts: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self.on_delivery: Callable[[Delivery], None] | None = None
        collector = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                at = time.time()
                reply = collector._next_reply(self.path)
                d = Delivery(self.path, at, {k: v for k, v in self.headers.items()}, body, reply.status)
                collector._record(d)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the client gave up (deadline): nothing to answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-collector", daemon=True)

    def _next_reply(self, path: str) -> Reply:
        with self._lock:
            queue = self._scripts.get(path)
            if queue:
                return queue.pop(0)
        return Reply()

    def _record(self, d: Delivery) -> None:
        with self._cond:
            self.deliveries.append(d)
            self._cond.notify_all()
        if self.on_delivery is not None:
            self.on_delivery(d)

    def script(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self._scripts.setdefault(path, []).extend(replies)

    def wait_for(self, count: int, timeout: float) -> bool:
        """Until at least `count` deliveries arrived or `timeout` seconds passed."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.deliveries) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def snapshot(self) -> list[Delivery]:
        with self._lock:
            return list(self.deliveries)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
