"""PagerDuty (0.25 ``notify/pagerduty``): Events API v2 with a routing key, v1 with a service key.

The dedup (v2) or incident (v1) key is the SHA-256 of the group key, so every notification of a
group updates one incident. 5xx are retried, and 429 (v2) or 403 (v1): PagerDuty's throttling
answers. An event over 512 kB loses its custom details, replaced by a note, as in 0.25.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line, sorted_map
from amclone.compat.goquote import quote
from amclone.notify.http import HttpResult
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    Templater,
    check,
    key_hash,
    read_secret_file,
    secret,
    truncate_runes,
)
from amclone.notify.stage import NotifyContext
from amclone.template import TemplateError

V1_URL = "https://events.pagerduty.com/generic/2010-04-15/create_event.json"
MAX_EVENT_SIZE = 512000
MAX_SUMMARY_RUNES = 1024  # v2 summary and v1 description alike


def metric_bytes(n: int) -> str:
    """alecthomas/units ``MetricBytes.String`` (512000 -> ``512KB``; remainders appended)."""
    out = []
    for i, mag in enumerate("EPTGMK"):
        base = 1000 ** (6 - i)
        if n >= base:
            out.append(f"{n // base}{mag}B")
            n %= base
    if n > 0 or not out:
        out.append(f"{n}B")
    return "".join(out)


def _err_details(status: int, body: bytes) -> str:
    """A 400's ``{message, errors}`` summarised; nothing for other statuses."""
    if status != 400 or not body:
        return ""
    try:
        d = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(d, dict):
        return ""
    errors = d.get("errors") or []
    return f"{d.get('message', '')}: {','.join(str(e) for e in errors)}"


class PagerDutyNotifier(HttpNotifier):
    name = "pagerduty"

    @property
    def v1(self) -> bool:
        return bool(secret(self.conf.service_key) or self.conf.service_key_file)

    @property
    def retry_codes(self) -> tuple[int, ...]:  # type: ignore[override]
        return (403,) if self.v1 else (429,)

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        resolved = all(a.resolved_at(ctx.now) for a in alerts)
        event = "resolve" if resolved else "trigger"
        details: dict[str, str] = {}
        for k, v in (c.details or {}).items():
            try:
                details[k] = self.template.execute_text(v, t.data)
            except TemplateError as e:
                raise NotifyFailure(f"{quote(k)}: failed to template {quote(v)}: {e}") from None
        details = sorted_map(details)
        key = key_hash(ctx.group_key)
        msg = self._v1(t, c, event, key, details, ctx) if self.v1 else self._v2(t, c, event, key, details, ctx)
        body = encoder_line(msg)
        if len(body) > MAX_EVENT_SIZE:
            note = ("Custom details have been removed because the original event exceeds the maximum size of "
                    f"{metric_bytes(MAX_EVENT_SIZE)}")
            if self.v1:
                msg["details"] = {"error": note}
            else:
                msg["payload"]["custom_details"] = {"error": note}
            self.truncated("details", msg=f"Truncated Details because message of size {metric_bytes(len(body))} "
                                          f"exceeds limit {metric_bytes(MAX_EVENT_SIZE)}")
            body = encoder_line(msg)
        url = V1_URL if self.v1 else str(c.url)
        return [Rendered("POST", url, body)]

    def _v1(self, t: Templater, c: Any, event: str, key: str, details: dict[str, str],
            ctx: NotifyContext) -> dict[str, Any]:
        desc, cut = truncate_runes(t.text(c.description), MAX_SUMMARY_RUNES)
        if cut:
            self.truncated("description", {"key": ctx.group_key, "max_runes": MAX_SUMMARY_RUNES})
        service_key = secret(c.service_key) or read_secret_file(
            c.service_key_file, wrap="failed to read service key from file")
        msg: dict[str, Any] = {}
        sk = t.text(service_key)
        if sk:
            msg["service_key"] = sk
        msg["incident_key"] = key
        msg["event_type"] = event
        if desc:
            msg["description"] = desc
        msg["event_action"] = ""
        msg["payload"] = None
        if event == "trigger":
            client, client_url = t.text(c.client), t.text(c.client_url)
            if client:
                msg["client"] = client
            if client_url:
                msg["client_url"] = client_url
        if details:
            msg["details"] = details
        if t.error is not None:
            raise NotifyFailure(f"failed to template PagerDuty v1 message: {t.error}")
        if not sk:
            raise NotifyFailure("service key cannot be empty")
        return msg

    def _v2(self, t: Templater, c: Any, event: str, key: str, details: dict[str, str],
            ctx: NotifyContext) -> dict[str, Any]:
        summary, cut = truncate_runes(t.text(c.description), MAX_SUMMARY_RUNES)
        if cut:
            self.truncated("summary", {"key": ctx.group_key, "max_runes": MAX_SUMMARY_RUNES})
        routing_key = secret(c.routing_key) or read_secret_file(
            c.routing_key_file, wrap="failed to read routing key from file")
        client, client_url, rk = t.text(c.client), t.text(c.client_url), t.text(routing_key)
        payload: dict[str, Any] = {"summary": summary, "source": t.text(c.source),
                                   "severity": t.text(c.severity or "error")}
        for k in ("class", "component", "group"):
            v = t.text(getattr(c, k + "_" if k == "class" else k))
            if v:
                payload[k] = v
        if details:
            payload["custom_details"] = details
        images = []
        for im in c.images:
            item = {"src": t.text(im.src), "alt": t.text(im.alt), "href": t.text(im.href)}
            if item["src"]:
                images.append(item)
        links = []
        for ln in c.links:
            link = {"href": t.text(ln.href), "text": t.text(ln.text)}
            if link["href"]:
                links.append(link)
        msg: dict[str, Any] = {}
        if rk:
            msg["routing_key"] = rk
        msg["dedup_key"] = key
        msg["event_action"] = event
        msg["payload"] = payload
        if client:
            msg["client"] = client
        if client_url:
            msg["client_url"] = client_url
        if images:
            msg["images"] = images
        if links:
            msg["links"] = links
        if t.error is not None:
            raise NotifyFailure(f"failed to template PagerDuty v2 message: {t.error}")
        if not rk:
            raise NotifyFailure("routing key cannot be empty")
        return msg

    def handle(self, req: Rendered, resp: HttpResult) -> tuple[bool, Exception | None]:
        return check(resp.status, resp.body, self.retry_codes, _err_details)
