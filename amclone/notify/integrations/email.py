"""Email over SMTP (0.25 ``notify/email``) with aiosmtplib, following net/smtp's conversation.

Port 465 means implicit TLS; otherwise a plain connection, upgraded with STARTTLS only when
``require_tls`` (and failing if the server does not offer it). ``hello`` is sent as EHLO. AUTH
uses the first of the server's mechanisms we can serve (CRAM-MD5 with auth_secret, PLAIN or
LOGIN with the password), and only when auth_username is set; PLAIN over an unencrypted
connection to anything but localhost is refused, as Go's smtp.PlainAuth does. MAIL carries
``BODY=8BITMIME`` / ``SMTPUTF8`` when offered. The message is `email_mime`'s Go-identical text.
Connection and protocol failures are retried; templating and address errors are not.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import ssl
from collections.abc import Sequence
from email.utils import getaddresses
from typing import Any

import aiosmtplib

from amclone.alerts import Alert
from amclone.compat.goquote import quote
from amclone.config.receivers.email import with_notifier_headers
from amclone.notify.http import ssl_context
from amclone.notify.integrations import email_mime
from amclone.notify.integrations.common import (
    UNCOUNTED,
    NotifyFailure,
    Templater,
    Truncations,
    read_secret_file,
    secret,
    template_data,
)
from amclone.notify.stage import NotifyContext
from amclone.template import Template, TemplateError
from amclone.timeutil import Clock

_LOCAL = frozenset({"localhost", "127.0.0.1", "::1"})


def _tls(conf: Any) -> ssl.SSLContext:
    ctx = ssl_context(conf.tls_config)
    return ctx if isinstance(ctx, ssl.SSLContext) else ssl.create_default_context()


def _addresses(text: str, what: str) -> list[str]:
    pairs = getaddresses([text])
    addrs = [a for _, a in pairs if a]
    if not addrs or any("@" not in a for a in addrs):
        raise NotifyFailure(f"parse {quote(what)} addresses: mail: missing '@' or angle-addr")
    return addrs


class EmailNotifier:
    name = "email"

    def __init__(self, conf: Any, template: Template, external_url: str, clock: Clock,
                 truncations: Truncations = UNCOUNTED) -> None:  # nothing to cut: email has no limit
        self.conf = with_notifier_headers(conf)
        self.template = template
        self.external_url = external_url
        self.clock = clock
        self.hostname = socket.gethostname() or "localhost.localdomain"

    def message(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[str, list[str], bytes]:
        """(from address, recipients, DATA) for this notification."""
        c = self.conf
        t = Templater(self.template, template_data(ctx, alerts, self.external_url))
        sender = t.text(c.from_)
        if t.error is not None:
            raise NotifyFailure(f"execute 'from' template: {t.error}")
        to = t.text(c.to)
        if t.error is not None:
            raise NotifyFailure(f"execute 'to' template: {t.error}")
        froms = _addresses(sender, "from")
        if len(froms) != 1:
            raise NotifyFailure(f"must be exactly one 'from' address (got: {len(froms)})")
        rcpts = _addresses(to, "to")
        head = []
        for name, tmpl in c.headers.items():
            try:
                value = self.template.execute_text(tmpl, t.data)
            except TemplateError as e:
                raise NotifyFailure(f"execute {quote(name)} header template: {e}") from None
            head.append(f"{name}: {email_mime.q_encode(value)}\r\n")
        if "Message-Id" not in c.headers:
            head.append(f"Message-Id: {email_mime.message_id(self.hostname)}\r\n")
        bound = email_mime.boundary()
        head.append(f"Date: {email_mime.go_date()}\r\n")
        head.append(f"Content-Type: multipart/alternative;  boundary={bound}\r\n")
        head.append("MIME-Version: 1.0\r\n\r\n")
        parts = []
        for kind, tmpl, render in (("text", c.text, self.template.execute_text),
                                   ("html", c.html, self.template.execute_html)):
            if not tmpl:
                continue
            try:
                body = render(tmpl, t.data)
            except TemplateError as e:
                raise NotifyFailure(f"execute {kind} template: {e}") from None
            ctype = "text/plain; charset=UTF-8" if kind == "text" else "text/html; charset=UTF-8"
            parts.append(({"Content-Transfer-Encoding": "quoted-printable", "Content-Type": ctype},
                          email_mime.quoted_printable(body.encode("utf-8", "surrogateescape"))))
        data = "".join(head).encode("utf-8", "surrogateescape") + email_mime.multipart(parts, bound)
        return froms[0], rcpts, data

    def _password(self) -> str:
        c = self.conf
        if c.auth_password_file:
            return read_secret_file(c.auth_password_file, strip=False, wrap=f"could not read {c.auth_password_file}")
        return secret(c.auth_password)

    async def _auth(self, smtp: aiosmtplib.SMTP, mechs: str, tls: bool) -> None:
        c = self.conf
        if not c.auth_username:
            return
        errors: list[str] = []
        for mech in mechs.split(" "):
            if mech == "CRAM-MD5":
                auth_secret = secret(c.auth_secret) or (
                    read_secret_file(getattr(c, "auth_secret_file", ""), strip=False)
                    if getattr(c, "auth_secret_file", "") else "")
                if not auth_secret:
                    errors.append("missing secret for CRAM-MD5 auth mechanism")
                    continue
                code, msg = await self._cmd(smtp, "AUTH CRAM-MD5")
                challenge = base64.b64decode(msg)
                digest = hmac.new(auth_secret.encode(), challenge, hashlib.md5).hexdigest()
                await self._final(smtp, base64.b64encode(f"{c.auth_username} {digest}".encode()).decode(),
                                  "*smtp.cramMD5Auth")
                return
            if mech in ("PLAIN", "LOGIN"):
                password = self._password()
                if not password:
                    errors.append(f"missing password for {mech} auth mechanism")
                    continue
                if mech == "PLAIN":
                    if not tls and c.smarthost.host not in _LOCAL:
                        raise NotifyFailure("*smtp.plainAuth auth: unencrypted connection", retry=True)
                    raw = f"{c.auth_identity}\0{c.auth_username}\0{password}".encode()
                    code, msg = await self._cmd(smtp, "AUTH PLAIN " + base64.b64encode(raw).decode())
                    if code != 235:
                        raise NotifyFailure(f"*smtp.plainAuth auth: {code} {msg}", retry=True)
                    return
                code, msg = await self._cmd(smtp, "AUTH LOGIN")
                while code == 334:
                    prompt = base64.b64decode(msg).decode("utf-8", "replace").lower()
                    if prompt == "username:":
                        answer = c.auth_username
                    elif prompt == "password:":
                        answer = password
                    else:
                        await self._cmd(smtp, "*")
                        raise NotifyFailure("*email.loginAuth auth: unexpected server challenge", retry=True)
                    code, msg = await self._cmd(smtp, base64.b64encode(answer.encode()).decode())
                if code != 235:
                    raise NotifyFailure(f"*email.loginAuth auth: {code} {msg}", retry=True)
                return
        if not errors:
            errors.append("unknown auth mechanism: " + mechs)
        raise NotifyFailure("find auth mechanism: " + "; ".join(errors), retry=True)

    async def _cmd(self, smtp: aiosmtplib.SMTP, line: str) -> tuple[int, str]:
        resp = await smtp.execute_command(line.encode())
        return resp.code, resp.message

    async def _final(self, smtp: aiosmtplib.SMTP, line: str, kind: str) -> None:
        code, msg = await self._cmd(smtp, line)
        if code != 235:
            raise NotifyFailure(f"{kind} auth: {code} {msg}", retry=True)

    async def notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]:
        try:
            return await self._notify(ctx, alerts)
        except NotifyFailure as e:
            return e.retry, e
        except (aiosmtplib.SMTPException, OSError) as e:
            return True, NotifyFailure(str(e), retry=True)

    async def _notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]:
        c = self.conf
        host, port = c.smarthost.host, c.smarthost.port
        force = getattr(c, "force_implicit_tls", None)  # newer releases' override of the port rule
        implicit = port == "465" if force is None else bool(force)
        tls_server = getattr(c.tls_config, "server_name", "") or host
        smtp = aiosmtplib.SMTP(hostname=host, port=int(port or 25), use_tls=implicit, start_tls=False,
                               validate_certs=True, tls_context=_tls(c) if implicit else None,
                               local_hostname=c.hello or "localhost", timeout=None)
        try:
            await smtp.connect()  # implicit TLS verifies the smarthost name (tls_config.server_name: STARTTLS only)
        except (aiosmtplib.SMTPException, OSError) as e:
            what = "establish TLS connection to server" if implicit else "establish connection to server"
            return True, NotifyFailure(f"{what}: {e}", retry=True)
        tls = implicit
        try:
            try:
                await smtp.ehlo(hostname=c.hello or "localhost")
            except aiosmtplib.SMTPHeloError:
                await smtp.helo(hostname=c.hello or "localhost")
            if c.require_tls is None or c.require_tls:
                if not smtp.supports_extension("starttls"):
                    return True, NotifyFailure(f"'require_tls' is true (default) but {quote(str(c.smarthost))} "
                                               "does not advertise the STARTTLS extension", retry=True)
                try:
                    await smtp.starttls(tls_context=_tls(c), server_hostname=tls_server)
                    await smtp.ehlo(hostname=c.hello or "localhost")
                except (aiosmtplib.SMTPException, OSError) as e:
                    return True, NotifyFailure(f"send STARTTLS command: {e}", retry=True)
                tls = True
            if smtp.supports_extension("auth"):
                await self._auth(smtp, smtp.esmtp_extensions.get("auth", ""), tls)
            sender, rcpts, data = self.message(ctx, alerts)
            options = [o for o, ext in (("BODY=8BITMIME", "8bitmime"), ("SMTPUTF8", "smtputf8"))
                       if smtp.supports_extension(ext)]
            try:
                await smtp.mail(sender, options=options)
            except aiosmtplib.SMTPException as e:
                return True, NotifyFailure(f"send MAIL command: {e}", retry=True)
            for r in rcpts:
                try:
                    await smtp.rcpt(r)
                except aiosmtplib.SMTPException as e:
                    return True, NotifyFailure(f"send RCPT command: {e}", retry=True)
            # The answer after the message is read and a refusal retried, as newer releases do;
            # 0.25 dropped it (a deferred close) and counted the mail delivered.
            try:
                await smtp.data(data)
            except aiosmtplib.SMTPException as e:
                return True, NotifyFailure(f"delivery failure: {e}", retry=True)
            return False, None
        finally:
            try:
                await smtp.quit()
            except (aiosmtplib.SMTPException, OSError):
                smtp.close()

    async def close(self) -> None:
        return None
