"""What every templated integration shares (0.25 ``notify/util.go``): the template data of a flush,
template rendering that keeps the first error (``TmplText``/``TmplHTML``), rune and byte
truncation with Alertmanager's marker, the status check with per-service retry codes
(``Retrier.Check``), the group key hash and sending a request with transport errors turned
into retryable failures carrying Go's wording.

Truncation is logged as Alertmanager logs it (its message and fields, per integration) and
counted in ``amclone_notifications_truncated_total{integration,field}`` on the app's registry:
Alertmanager has no such metric (0.25 or newer), so the name says it is amclone's own.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

import aiohttp
from prometheus_client import Counter
from prometheus_client.registry import CollectorRegistry

from amclone.alerts import Alert
from amclone.labels.labelset import fingerprint_hex
from amclone.notify.http import HttpClient, HttpResult
from amclone.notify.reason import StatusError, failure_reason
from amclone.notify.stage import NotifyContext
from amclone.template import Template, TemplateError
from amclone.template import data as tdata
from amclone.template.gotime import zero_time

__all__ = [
    "UNCOUNTED",
    "NotifyFailure",
    "Rendered",
    "StatusError",
    "Templater",
    "Truncations",
    "check",
    "failure_reason",
    "key_hash",
    "query_encode",
    "send",
    "template_data",
    "truncate_bytes",
    "truncate_runes",
]

log = logging.getLogger("amclone.notify")

MARKER = "…"



class Truncations:
    """Where an integration reports a field cut to the service's limit: the log line Alertmanager
    writes for it (`fields` in Go's order; no log where Go logs nothing) and amclone's counter."""

    def __init__(self, registry: CollectorRegistry | None) -> None:
        self.counter = Counter("amclone_notifications_truncated",
                               "The total number of notification fields amclone cut to the service's limit.",
                               ["integration", "field"], registry=registry)

    def note(self, integration: str, field: str, fields: Mapping[str, object] | None = None, msg: str = "",
             level: int | None = logging.WARNING) -> None:
        self.counter.labels(integration, field).inc()
        if level is not None:
            log.log(level, msg or f"Truncated {field}", extra={"integration": integration, **(fields or {})})


UNCOUNTED = Truncations(None)  # notifiers built outside an app (tests, amctl receiver test)


def template_data(ctx: NotifyContext, alerts: Sequence[Alert], external_url: str) -> tdata.Data:
    """``notify.GetTemplateData``: firing alerts carry the zero EndsAt (the dispatcher clears
    it so that a flush does not see alerts resolve as time passes)."""
    out = []
    for a in alerts:
        resolved = a.resolved_at(ctx.now)
        out.append(tdata.Alert(
            "resolved" if resolved else "firing", tdata.KV(a.labels), tdata.KV(a.annotations),
            tdata.alert_time(a.starts_at, a.starts_off),
            tdata.alert_time(a.ends_at, a.ends_off) if resolved else zero_time(), a.generator_url,
            fingerprint_hex(a.fingerprint)))
    return tdata.build(ctx.receiver, ctx.group_labels, out, external_url)


class Templater:
    """Renders many fields against one Data; after the first error every call returns "" and the
    error is kept, so the notifier checks once at the end as Go's ``TmplText`` users do."""

    __slots__ = ("data", "error", "template")

    def __init__(self, template: Template, data: tdata.Data) -> None:
        self.template = template
        self.data = data
        self.error: TemplateError | None = None

    def text(self, s: str) -> str:
        if self.error is not None:
            return ""
        try:
            return self.template.execute_text(s, self.data)
        except TemplateError as e:
            self.error = e
            return ""

    def html(self, s: str) -> str:
        if self.error is not None:
            return ""
        try:
            return self.template.execute_html(s, self.data)
        except TemplateError as e:
            self.error = e
            return ""


def truncate_runes(s: str, n: int) -> tuple[str, bool]:
    """``TruncateInRunes``: at most n code points, the last one the ellipsis when n > 3."""
    if len(s) <= n:
        return s, False
    if n <= 3:
        return s[:n], True
    return s[:n - 1] + MARKER, True


def truncate_bytes(s: str, n: int) -> tuple[str, bool]:
    """``TruncateInBytes``: at most n UTF-8 bytes, whole runes, ending in the 3-byte ellipsis."""
    raw = s.encode("utf-8", "surrogateescape")
    if len(raw) <= n:
        return s, False
    if n <= 3:
        return (MARKER if n == 3 else "." * n), True
    target = n - 3
    cut = s[:target]
    while len(cut.encode("utf-8", "surrogateescape")) > target:
        cut = cut[:-1]
    return cut + MARKER, True


def key_hash(group_key: str) -> str:
    """``notify.Key.Hash``: the hex SHA-256 of the group key (dedup keys, aliases, entity ids)."""
    return hashlib.sha256(group_key.encode("utf-8", "surrogateescape")).hexdigest()


def query_encode(params: Sequence[tuple[str, str]]) -> str:
    """Go's ``url.Values.Encode``: sorted by key (stable for repeated keys), QueryEscape'd."""
    items = sorted(params, key=lambda kv: kv[0])
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in items)


DetailsFn = Callable[[int, bytes], str]


def check(status: int, body: bytes, retry_codes: Sequence[int] = (),
          details: DetailsFn | None = None) -> tuple[bool, Exception | None]:
    """``Retrier.Check``: 2xx ok; 5xx and the service's retry codes retried; the rest permanent,
    with the body (or the service's own summary of it) in the error."""
    if status // 100 == 2:
        return False, None
    retry = status // 100 == 5 or status in retry_codes
    text = f"unexpected status code {status}"
    d = details(status, body) if details is not None else body.decode("utf-8", "replace")
    if d:
        text = f"{text}: {d}"
    return retry, StatusError(text, status)


@dataclass(frozen=True)
class Rendered:
    """A request an integration built: what the compat tests compare and `send` posts."""

    method: str
    url: str
    body: bytes
    content_type: str | None = "application/json"
    headers: Mapping[str, str] | None = None
    context: str = ""  # what the service's status errors are prefixed with (slack's channel)


class TransportError(RuntimeError):
    """A request that got no HTTP answer (refused, reset, timed out): always retried."""


def transport_text(method: str, e: BaseException) -> str:
    """Go's ``*url.Error`` with the URL redacted, as 0.25's ``RedactURL`` prints it."""
    verb = method[:1] + method[1:].lower()
    if isinstance(e, aiohttp.ClientConnectorError):
        inner = f"dial tcp {e.host}:{e.port}: connect: connection refused"
    elif isinstance(e, ConnectionResetError):
        inner = "read: connection reset by peer"
    else:
        inner = str(e) or type(e).__name__
    if "connection closed" in inner.lower() or "server disconnected" in inner.lower():
        inner = "EOF"
    return f'{verb} "<redacted>": {inner}'


async def send(client: HttpClient, req: Rendered) -> HttpResult:
    """Send one request; raises TransportError (Go's text) when no answer came."""
    try:
        return await client.request(req.method, req.url, req.body, req.content_type, req.headers)
    except (aiohttp.ClientError, OSError) as e:
        raise TransportError(transport_text(req.method, e)) from e


def secret(v: Any) -> str:
    """A Secret's value ('' for None)."""
    if v is None:
        return ""
    reveal = getattr(v, "reveal", None)
    return str(reveal()) if reveal is not None else str(v)


class NotifyFailure(RuntimeError):
    """A failure decided before or after the request (templating, bad answer), with its retry."""

    def __init__(self, text: str, retry: bool = False, status: int | None = None, reason: str | None = None) -> None:
        super().__init__(text)
        self.retry = retry
        if status is not None:
            self.status = status
        if reason is not None:
            self.reason = reason  # where newer releases name the reason instead of the status deciding


def read_secret_file(path: str, strip: bool = True, wrap: str = "") -> str:
    """A ``*_file`` secret, read on every notification (rotation needs no reload); errors carry
    Go's ``open <path>: <reason>`` text, prefixed with `wrap` as 0.25 wraps it."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read()
    except OSError as e:
        msg = f"open {path}: {os.strerror(e.errno or 0).lower() if e.errno else e}"
        raise NotifyFailure(f"{wrap}: {msg}" if wrap else msg) from None
    return text.strip() if strip else text
