"""Microsoft Teams through Power Automate / Workflows webhooks (newer Alertmanager
``notify/msteamsv2``, 0.28+): a ``message`` with one Adaptive Card 1.2 attachment holding a
heading TextBlock (colour by status) and a wrapped markdown TextBlock. Only 5xx retried.
Format: Microsoft's "Adaptive Cards" schema and the Workflows "post card" payload
(``contentType: application/vnd.microsoft.card.adaptive``, ``contentUrl: null``)."""

from __future__ import annotations

from collections.abc import Sequence

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line
from amclone.notify.integrations.common import NotifyFailure, Rendered
from amclone.notify.integrations.msteams import NewerNotifier
from amclone.notify.stage import NotifyContext

COLORS = {"firing": "Attention", "resolved": "Good"}


class MSTeamsV2Notifier(NewerNotifier):
    name = "msteamsv2"

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        title, text = t.text(c.title), t.text(c.text)
        if t.error is not None:
            raise NotifyFailure(str(t.error))
        heading = {"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": True,
                   "style": "heading", "color": COLORS.get(t.data.Status, "Warning")}
        block = {"type": "TextBlock", "text": text, "wrap": True}
        card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                "version": "1.2", "body": [heading, block], "msteams": {"width": "full"}}
        body = {"type": "message", "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}]}
        return [Rendered("POST", self.webhook_url(), encoder_line(body))]
