"""VictorOps / Splunk On-Call REST endpoint (0.25 ``notify/victorops``): POST to
``<api_url><api_key>/<routing_key>`` with a flat JSON object (sorted keys: Go encodes a map).

message_type is CRITICAL unless the template gives INFO or WARNING; a resolved group sends
RECOVERY. state_message is cut to 20480 runes. Only 5xx are retried.
"""

from __future__ import annotations

from collections.abc import Sequence

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line, sorted_map
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    key_hash,
    read_secret_file,
    secret,
    truncate_runes,
)
from amclone.notify.stage import NotifyContext

MAX_MESSAGE_RUNES = 20480
ALLOWED_EVENTS = frozenset({"INFO", "WARNING", "CRITICAL"})


class VictorOpsNotifier(HttpNotifier):
    name = "victorops"

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        api_key = secret(c.api_key) or read_secret_file(c.api_key_file, wrap="failed to read API key from file")
        u = c.api_url.url
        url = u.with_path(u.path + f"{api_key}/{t.text(c.routing_key)}").string()
        if t.error is not None:
            raise NotifyFailure(f"templating error: {t.error}")
        t2 = self.templater(ctx, alerts)
        resolved = all(a.resolved_at(ctx.now) for a in alerts)
        message_type = t2.text(c.message_type)
        state_message = t2.text(c.state_message)
        if not resolved and message_type not in ALLOWED_EVENTS:
            message_type = "CRITICAL"
        if resolved:
            message_type = "RECOVERY"
        state_message, cut = truncate_runes(state_message, MAX_MESSAGE_RUNES)
        if cut:
            self.truncated("state_message", {"incident": ctx.group_key, "max_runes": MAX_MESSAGE_RUNES})
        msg = {"message_type": message_type, "entity_id": key_hash(ctx.group_key),
               "entity_display_name": t2.text(c.entity_display_name), "state_message": state_message,
               "monitoring_tool": t2.text(c.monitoring_tool)}
        if t2.error is not None:
            # 0.25 returns retry=true for payload errors
            raise NotifyFailure(f"templating error: {t2.error}", retry=True)
        for k, v in (c.custom_fields or {}).items():
            msg[k] = t2.text(v)
            if t2.error is not None:
                raise NotifyFailure(f"templating error: {t2.error}", retry=True)
        return [Rendered("POST", url, encoder_line(sorted_map(msg)))]
