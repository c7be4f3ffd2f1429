"""Email facing a failing SMTP server, Alertmanager 0.25 beside amclone: a temporary refusal of
the recipient (451), a rejected message (554 at DATA), a server that is not there, and one
that closes the connection after its greeting. Every one of these is retried by 0.25 (its email
notifier retries all SMTP failures); both must try again within the flush and stop at its end.

One deliberate difference: 0.25 never reads the server's answer to the message itself (the
reply after the final ``.`` is dropped by a deferred close), so a 554 there counts as
delivered and the mail is lost silently. amclone reads it and retries, as newer releases do
("delivery failure").
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from test_integrations_payload import ALERTS, EXTERNAL, post_alerts

from amclone.testing.procs import free_port, start_alertmanager, start_amclone

FLUSH_S = 10.0


class FailingSmtp:
    """aiosmtpd answering `code` at RCPT or DATA; or a bare socket that greets and hangs up."""

    def __init__(self, mode: str) -> None:
        self.port = free_port()
        self.attempts: list[float] = []
        self.mode = mode
        self._ctl: Any = None
        self._sock: socket.socket | None = None
        if mode in ("rcpt451", "data554"):
            from aiosmtpd.controller import Controller

            outer = self

            class Handler:
                async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                                      options: Any) -> str:
                    outer.attempts.append(time.monotonic())
                    if outer.mode == "rcpt451":
                        return "451 4.3.0 try again later"
                    envelope.rcpt_tos.append(address)
                    return "250 OK"

                async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                    return "554 5.7.1 rejected"

            self._ctl = Controller(Handler(), hostname="127.0.0.1", port=self.port)
            self._ctl.start()
        elif mode == "hangup":
            self._sock = socket.socket()
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._sock.bind(("127.0.0.1", self.port))
            self._sock.listen(16)
            threading.Thread(target=self._hangup, daemon=True).start()

    def _hangup(self) -> None:
        assert self._sock is not None
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.attempts.append(time.monotonic())
            conn.sendall(b"220 hello\r\n")
            conn.close()

    def stop(self) -> None:
        if self._ctl is not None:
            self._ctl.stop()
        if self._sock is not None:
            self._sock.close()


def run(start: Any, d: Path, mode: str) -> tuple[list[float], str]:
    smtp = FailingSmtp(mode)
    d.mkdir()
    (d / "am.yml").write_text(f"""route: {{receiver: r, group_wait: 0s, group_interval: 1s}}
receivers:
- name: r
  email_configs: [{{to: a@example.com, from: b@example.com, smarthost: '127.0.0.1:{smtp.port}', require_tls: false}}]
""")
    proc, url = start(d / "am.yml", d, extra=[f"--web.external-url={EXTERNAL}"])
    try:
        post_alerts(url, ALERTS[:1])
        time.sleep(FLUSH_S + 2.0)
        log = proc.output()
    finally:
        proc.stop()
        smtp.stop()
    t0 = smtp.attempts[0] if smtp.attempts else 0.0
    return [t - t0 for t in smtp.attempts], log


@pytest.mark.parametrize("mode", ["rcpt451", "data554", "hangup", "refused"])
def test_smtp_failures_retried_like_alertmanager(tmp_path: Path, mode: str) -> None:
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        fa = pool.submit(run, start_alertmanager, tmp_path / "am", mode)
        fb = pool.submit(run, start_amclone, tmp_path / "amc", mode)
        (am, am_log), (amc, amc_log) = fa.result(), fb.result()
    if mode == "refused":
        # nothing listens: count the retry warnings instead
        assert "will retry later" in am_log and "Notify attempt failed" in amc_log
        return
    first_am = [t for t in am if t < FLUSH_S - 0.3]
    first_amc = [t for t in amc if t < FLUSH_S - 0.3]
    if mode == "data554":
        assert len(first_am) == 1, am
        assert len(first_amc) > 1 and "delivery failure: " in amc_log, amc
        return
    assert len(first_am) > 1 and len(first_amc) > 1, (am, amc)
    assert max(first_am) < FLUSH_S and max(first_amc) < FLUSH_S
