"""incident.io alert sources (newer Alertmanager ``notify/incidentio``, 0.29+): the webhook
payload (version "1"), with the alert source token as Bearer authorization. 429 and 5xx are
retried. Over 512 KiB, only the first alert is kept. ``timeout`` bounds each request.
Format: incident.io's "Alertmanager alert source" HTTP endpoint."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line
from amclone.notify.http import HttpClient, HttpResult
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import (
    UNCOUNTED,
    NotifyFailure,
    Rendered,
    TransportError,
    Truncations,
    check,
    read_secret_file,
    secret,
)
from amclone.notify.stage import NotifyContext
from amclone.notify.webhook import template_data as webhook_data
from amclone.template import Template
from amclone.timeutil import Clock

MAX_PAYLOAD = 512 * 1024


def _details(status: int, body: bytes) -> str:
    import json

    try:
        d = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(d, dict):
        return ""
    parts = [str(d[k]) for k in ("message", "error") if d.get(k)]
    if d.get("errors"):
        parts.append(", ".join(str(e) for e in d["errors"]))
    return ": ".join(parts)


class _Auth:
    """An authorization block (the http_config shape HttpClient reads)."""

    def __init__(self, token: str) -> None:
        self.type, self.credentials, self.credentials_file = "Bearer", token, ""


class IncidentioNotifier(HttpNotifier):
    name = "incidentio"
    retry_codes = (429,)

    def __init__(self, conf: Any, template: Template, external_url: str, clock: Clock,
                 truncations: Truncations = UNCOUNTED) -> None:
        super().__init__(conf, template, external_url, clock, truncations)
        token = secret(conf.alert_source_token)
        if conf.alert_source_token_file:
            token = read_secret_file(conf.alert_source_token_file, wrap="failed to read alert_source_token_file")
        if token:
            hc = conf.http_config
            self.client = HttpClient(_with_auth(hc, token))

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        truncated = 0
        if c.max_alerts and len(alerts) > c.max_alerts:
            truncated = len(alerts) - c.max_alerts
            alerts = alerts[:c.max_alerts]
        msg = webhook_data(ctx.receiver, ctx.group_labels, alerts, self.external_url, ctx.now)
        msg.update(version="1", groupKey=ctx.group_key, truncatedAlerts=truncated)
        body = encoder_line(msg)
        if len(body) > MAX_PAYLOAD:
            size = len(body)
            msg["alerts"] = msg["alerts"][:1]
            body = encoder_line(msg)
            self.truncated("alerts", {"original_size": size, "final_size": len(body), "max_size": MAX_PAYLOAD},
                           "Truncated alert content due to incident.io payload size limit")
        url = str(c.url) if c.url is not None else read_secret_file(c.url_file, wrap="read url_file")
        return [Rendered("POST", url, body)]

    async def notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]:
        timeout = self.conf.timeout / 1e9 if self.conf.timeout else None
        if timeout is None:
            return await super().notify(ctx, alerts)
        try:
            async with asyncio.timeout(timeout):
                return await super().notify(ctx, alerts)
        except TimeoutError:
            return True, TransportError(f'Post "<redacted>": context deadline exceeded: configured incident.io '
                                        f"timeout reached ({self.conf.timeout / 1e9:g}s)")

    def handle(self, req: Rendered, resp: HttpResult) -> tuple[bool, Exception | None]:
        return check(resp.status, resp.body, self.retry_codes, _details)


def _with_auth(hc: Any, token: str) -> Any:
    if hc is None:
        from amclone.config.httpconfig import HTTPClientConfig

        hc = HTTPClientConfig(follow_redirects=True)  # Go's DefaultHTTPClientConfig
    try:
        return replace(hc, authorization=_Auth(token), basic_auth=None, oauth2=None)
    except (TypeError, ValueError):
        raise NotifyFailure("incidentio: cannot apply alert_source_token") from None
