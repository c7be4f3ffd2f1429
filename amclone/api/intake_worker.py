"""The intake worker process: decodes and prepares large POST /api/v2/alerts bodies off the
event loop's core.

Python runs one thread of Python at a time, and decoding, validating and fingerprinting a body
costs about as much as everything else the server does for it put together, so on a machine with
a second core the server hands big bodies to this process (`amclone.api.intake.IntakeWorker`)
and keeps its own core for HTTP, the store and the dispatcher.

The work done here is exactly the in-process fast path (`posted_alerts`, then `prepare`), so the
answers cannot differ: a body the fast path declines comes back as "decline" and the server
judges it itself, with Go's error texts. What goes back for an accepted body is the prepared
alerts as the alert log's rows, and the log's payload of them (`amclone.alerts.logfile`), which
the server writes as it is when storing merged nothing.

Wire format over the socket pair, both directions: ``<u32 length><payload>``. A request's payload
is ``<i64 now><i64 resolve_timeout><body>``; an answer's is a `marshal` of
``(firing, resolved, errors, rows, log_payload)`` or of None for "decline". marshal because it is
the fastest to load here (0.65 us per alert row; pickle 1.0, msgpack 1.8) and it shares each
repeated label name within a body, as the in-process decoder does, which keeps the server's memory
the same. Its format is private to one Python version, which is fine: both ends are this program,
run by the same interpreter.

    python -m amclone.api.intake_worker FD
"""

from __future__ import annotations

import marshal
import signal
import socket
import struct
import sys

from amclone.alerts.ingest import prepare
from amclone.alerts.logfile import alert_rows, encode_payload
from amclone.api.fastalerts import posted_alerts

__all__ = ["DECLINE", "LENGTH", "REQUEST_HEAD", "answer", "serve"]

LENGTH = struct.Struct("<I")
REQUEST_HEAD = struct.Struct("<qq")
DECLINE: bytes = marshal.dumps(None)


def answer(request: bytes) -> bytes:
    """The answer payload for one request payload (see the module docstring)."""
    now, resolve_timeout = REQUEST_HEAD.unpack_from(request)
    posted = posted_alerts(request[REQUEST_HEAD.size:])
    if posted is None:
        return DECLINE
    p = prepare(posted, now=now, resolve_timeout=resolve_timeout)
    return marshal.dumps((p.firing, p.resolved, p.errors, alert_rows(p.alerts), encode_payload(p.alerts)))


def serve(sock: socket.socket) -> None:
    """Answer requests in order until the server closes its end."""
    rfile = sock.makefile("rb")
    while True:
        head = rfile.read(LENGTH.size)
        if len(head) < LENGTH.size:
            return
        (n,) = LENGTH.unpack(head)
        request = rfile.read(n)
        if len(request) < n:
            return
        try:
            reply = answer(request)
        except Exception:  # noqa: BLE001 - a fault here must not cost the server its worker
            reply = DECLINE  # the server judges the body itself
        sock.sendall(LENGTH.pack(len(reply)) + reply)


def main(argv: list[str]) -> int:
    # Ctrl-C and a service manager's SIGTERM reach the whole process group, while the server
    # may still be handing over work; this process ends when the server closes its end of the
    # socket (on stop, or when it dies: the kernel closes it) or kills it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sock = socket.socket(fileno=int(argv[1]))
    try:
        sock.sendall(LENGTH.pack(0))  # ready: everything is imported
        serve(sock)
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
