"""Email against a real SMTP server (aiosmtpd) with STARTTLS and AUTH, Alertmanager 0.25 beside
amclone: the same conversation outcome (EHLO name, STARTTLS taken, the mechanism chosen and the
credentials sent, envelope) and the same message once its random parts are normalised.

aiosmtpd offers LOGIN before PLAIN and prompts ``User Name``, which Go's LOGIN client rejects:
both must fail the same way there, and succeed over PLAIN when LOGIN is not offered.
"""

from __future__ import annotations

import ssl
import time
from pathlib import Path
from typing import Any

import pytest
from integ_harness import make_ca
from test_integrations_payload import ALERTS, EXTERNAL, norm_email, post_alerts

from amclone.testing.procs import free_port, start_alertmanager, start_amclone


class Smtp:
    def __init__(self, cert: str, key: str, exclude: list[str]) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.port = free_port()
        self.messages: list[dict[str, Any]] = []
        self.auths: list[tuple[str, bytes, bytes]] = []
        outer = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                outer.messages.append({"hello": session.host_name, "tls": session.ssl is not None,
                                       "from": envelope.mail_from, "to": envelope.rcpt_tos,
                                       "opts": envelope.mail_options, "data": envelope.original_content})
                return "250 OK"

        def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            self.auths.append((mechanism, data.login, data.password))
            return AuthResult(success=True)

        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        self.ctl = Controller(Handler(), hostname="127.0.0.1", port=self.port, tls_context=ctx,
                              authenticator=authenticator, auth_require_tls=True, auth_exclude_mechanism=exclude)
        self.ctl.start()

    def stop(self) -> None:
        self.ctl.stop()


def cfg(port: int, ca: str) -> str:
    return f"""route: {{receiver: r, group_wait: 1s, group_interval: 1s}}
receivers:
- name: r
  email_configs:
  - to: ops@example.com
    from: Alertmanager <am@example.com>
    smarthost: localhost:{port}
    hello: relay.example
    auth_username: user
    auth_password: pa55
    auth_identity: ident
    tls_config: {{ca_file: '{ca}'}}
"""


def run(start: Any, d: Path, ca: str, cert: str, key: str, exclude: list[str]) -> tuple[Smtp, str]:
    smtp = Smtp(cert, key, exclude)
    d.mkdir()
    (d / "am.yml").write_text(cfg(smtp.port, ca))
    proc, url = start(d / "am.yml", d, extra=[f"--web.external-url={EXTERNAL}"])
    try:
        post_alerts(url, ALERTS)
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and not smtp.messages and len(smtp.auths) < 1:
            time.sleep(0.1)
        time.sleep(1.5)
        log = proc.output()
    finally:
        proc.stop()
        smtp.stop()
    return smtp, log


@pytest.mark.parametrize("exclude", [["LOGIN"], []], ids=["plain", "login-offered-first"])
def test_smtp_starttls_auth_identical(tmp_path: Path, exclude: list[str]) -> None:
    ca, cert, key = make_ca(str(tmp_path), ("localhost",))
    am, am_log = run(start_alertmanager, tmp_path / "am", ca, cert, key, exclude)
    amc, amc_log = run(start_amclone, tmp_path / "amc", ca, cert, key, exclude)
    if exclude:
        # (once, Alertmanager was seen to authenticate twice: a retried attempt under load)
        assert set(am.auths) == set(amc.auths) == {("PLAIN", b"user", b"pa55")}, am_log[-1500:]
        assert am.messages and amc.messages
        w, g = am.messages[0], amc.messages[0]
        assert w["tls"] and g["tls"]
        assert (g["hello"], g["from"], g["to"], g["opts"]) == (w["hello"], w["from"], w["to"], w["opts"])
        assert norm_email(g["data"]) == norm_email(w["data"])
    else:
        assert am.messages == amc.messages == []
        assert "unexpected server challenge" in am_log and "unexpected server challenge" in amc_log
