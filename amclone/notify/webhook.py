"""The webhook integration, byte for byte as 0.25 sends it (``notify/webhook/webhook.go``).

The body is Go's ``json.Encoder`` output of ``Message{*template.Data, version, groupKey,
truncatedAlerts}``: struct fields in declaration order, map keys sorted, HTML-safe escaping, a
trailing newline. The receiver name goes through ``regexp.QuoteMeta`` (template.Data does that),
firing alerts carry the zero ``endsAt``, ``max_alerts`` keeps the first N of the sorted alerts and
counts the rest in ``truncatedAlerts``, and the common labels are computed over what is sent.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line, sorted_map
from amclone.compat.timefmt import format_rfc3339nano
from amclone.labels.labelset import fingerprint_hex
from amclone.labels.regex import quote_meta
from amclone.notify.http import HttpClient, check_status
from amclone.notify.stage import NotifyContext
from amclone.timeutil import ZERO_TIME, Clock

__all__ = ["WebhookNotifier", "quote_meta", "webhook_body"]

# Start and end times repeat from flush to flush (a group re-sends the same alerts).
_time = functools.lru_cache(maxsize=1 << 16)(format_rfc3339nano)
_ZERO = format_rfc3339nano(ZERO_TIME)


_quote_receiver = functools.lru_cache(maxsize=1024)(quote_meta)  # one per receiver name


def _common(maps: Sequence[Mapping[str, str]]) -> Mapping[str, str]:
    if not maps:
        return {}
    if len(maps) == 1:
        return maps[0]
    common = dict(maps[0])
    for m in maps[1:]:
        if not common:
            break
        common = {k: v for k, v in common.items() if m.get(k) == v}
    return common


def template_data(receiver: str, group_labels: Mapping[str, str], alerts: Sequence[Alert], external_url: str,
                  now: int) -> dict[str, Any]:
    """``template.Data`` as JSON (the webhook's payload minus its own three fields)."""
    out_alerts = []
    any_firing = False
    for a in alerts:
        resolved = a.resolved_at(now)
        any_firing = any_firing or not resolved
        out_alerts.append({
            "status": "resolved" if resolved else "firing",
            "labels": sorted_map(a.labels),
            "annotations": sorted_map(a.annotations),
            "startsAt": _time(a.starts_at, a.starts_off),
            "endsAt": _time(a.ends_at, a.ends_off) if resolved else _ZERO,
            "generatorURL": a.generator_url,
            "fingerprint": fingerprint_hex(a.fingerprint),
        })
    # Common labels and annotations are computed independently: Go stops early only when both
    # are empty, which gives the same result.
    common_labels = _common([a.labels for a in alerts])
    common_annotations = _common([a.annotations for a in alerts])
    return {
        "receiver": _quote_receiver(receiver),
        "status": "firing" if any_firing else "resolved",
        "alerts": out_alerts,
        "groupLabels": sorted_map(group_labels),
        "commonLabels": sorted_map(common_labels),
        "commonAnnotations": sorted_map(common_annotations),
        "externalURL": external_url,
    }


def webhook_body(ctx: NotifyContext, alerts: Sequence[Alert], max_alerts: int, external_url: str,
                 now: int) -> bytes:
    truncated = 0
    if max_alerts and len(alerts) > max_alerts:
        truncated = len(alerts) - max_alerts
        alerts = alerts[:max_alerts]
    msg = template_data(ctx.receiver, ctx.group_labels, alerts, external_url, now)
    msg["version"] = "4"
    msg["groupKey"] = ctx.group_key
    msg["truncatedAlerts"] = truncated
    return encoder_line(msg)


class WebhookNotifier:
    def __init__(self, conf: Any, external_url: str, clock: Clock) -> None:
        self.url = str(conf.url)
        self.max_alerts = int(getattr(conf, "max_alerts", 0) or 0)
        self.external_url = external_url
        self.clock = clock
        self.client = HttpClient(getattr(conf, "http_config", None))

    async def notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]:
        body = webhook_body(ctx, alerts, self.max_alerts, self.external_url, self.clock.now())
        try:
            resp = await self.client.post(self.url, body)
        except (aiohttp.ClientError, OSError) as e:
            return True, RuntimeError(f'Post "{self.url}": {_transport_text(e)}')
        # errDetails: the URL and whatever the receiver answered
        return check_status(resp.status, f"{self.url}: {resp.body.decode('utf-8', 'replace')}")

    async def close(self) -> None:
        await self.client.close()


def _transport_text(e: BaseException) -> str:
    if isinstance(e, aiohttp.ClientConnectorError):
        return f"dial tcp {e.host}:{e.port}: connect: connection refused"
    return str(e) or type(e).__name__
