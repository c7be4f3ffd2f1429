"""`email_configs`: the only integration without an http_config; most fields fall back to global."""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from amclone.compat.goquote import quote
from amclone.config.errors import ConfigError
from amclone.config.globalconf import GlobalConfig
from amclone.config.godecode import Bool
from amclone.config.gostruct import Ptr, gofield
from amclone.config.httpconfig import TLS_CONFIG, TLSConfig
from amclone.config.receivers.base import Integration, integration_list, tmpl
from amclone.config.types import HOST_PORT, SECRET, STRING, STRING_MAP, HostPort, Secret

DEFAULT_SUBJECT = tmpl("email.default.subject")


@dataclass(frozen=True)
class EmailConfig(Integration):
    KIND: ClassVar[str] = "email"
    to: str = gofield("to", STRING)
    from_: str = gofield("from", STRING)
    hello: str = gofield("hello", STRING)
    smarthost: HostPort = gofield("smarthost", HOST_PORT, factory=HostPort)
    auth_username: str = gofield("auth_username", STRING)
    auth_password: Secret = gofield("auth_password", SECRET, factory=Secret)
    auth_password_file: str = gofield("auth_password_file", STRING)
    auth_secret: Secret = gofield("auth_secret", SECRET, factory=Secret)
    auth_identity: str = gofield("auth_identity", STRING)
    headers: Mapping[str, str] = gofield("headers", STRING_MAP)
    html: str = gofield("html", STRING)
    text: str = gofield("text", STRING)
    require_tls: bool | None = gofield("require_tls", Ptr(Bool()))
    tls_config: TLSConfig = gofield("tls_config", TLS_CONFIG, factory=TLSConfig)


def canonical_mime_header_key(s: str) -> str:
    """Go's textproto.CanonicalMIMEHeaderKey (`content-type` -> `Content-Type`)."""
    if any(not (c.isascii() and (c.isalnum() or c in "!#$%&'*+-.^_`|~")) for c in s):
        return s
    out = []
    upper = True
    for c in s:
        out.append(c.upper() if upper else c.lower())
        upper = c == "-"
    return "".join(out)


def validate(c: dict[str, Any]) -> None:
    if c["to"] == "":
        raise ConfigError("missing to address in email config")
    normalized: dict[str, str] = {}
    for h, v in c["headers"].items():
        key = canonical_mime_header_key(h)
        if key in normalized:
            raise ConfigError(f"duplicate header {quote(key)} in email config")
        normalized[key] = v
    c["headers"] = normalized


def _defaults() -> EmailConfig:
    return EmailConfig(send_resolved=False, html=tmpl("email.default.html"), text="")


EMAIL_CONFIGS = integration_list(EmailConfig, "EmailConfig", _defaults, validate)


def finalize(ec: EmailConfig, g: GlobalConfig) -> EmailConfig:
    """Global SMTP fallbacks, in 0.25's order (and with its two errors)."""
    changes: dict[str, Any] = {}
    if not str(ec.smarthost):
        if not str(g.smtp_smarthost):
            raise ConfigError("no global SMTP smarthost set")
        changes["smarthost"] = g.smtp_smarthost
    if ec.from_ == "":
        if g.smtp_from == "":
            raise ConfigError("no global SMTP from set")
        changes["from_"] = g.smtp_from
    if ec.hello == "":
        changes["hello"] = g.smtp_hello
    if ec.auth_username == "":
        changes["auth_username"] = g.smtp_auth_username
    if not ec.auth_password.value and ec.auth_password_file == "":
        changes["auth_password"] = g.smtp_auth_password
        changes["auth_password_file"] = g.smtp_auth_password_file
    if not ec.auth_secret.value:
        changes["auth_secret"] = g.smtp_auth_secret
    if ec.auth_identity == "":
        changes["auth_identity"] = g.smtp_auth_identity
    if ec.require_tls is None:
        changes["require_tls"] = g.smtp_require_tls
    return replace(ec, **changes)


def with_notifier_headers(ec: EmailConfig) -> EmailConfig:
    """0.25's email.New adds Subject, To and From headers to the config it is given.

    It mutates the loaded config in place, so every running Alertmanager shows them in
    `/api/v2/status` for receivers that a route uses; the notifier needs them too.
    """
    headers = dict(ec.headers)
    headers.setdefault("Subject", DEFAULT_SUBJECT)
    headers.setdefault("To", ec.to)
    headers.setdefault("From", ec.from_)
    return replace(ec, headers=headers)
