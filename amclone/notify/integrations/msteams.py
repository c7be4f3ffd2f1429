"""Microsoft Teams incoming webhooks, legacy MessageCard (newer Alertmanager ``notify/msteams``,
0.26+). One card: title, summary, markdown text, a theme colour by status. Only 5xx retried.
Format: Microsoft's "Legacy actionable message card reference" (@context, @type-less ``type``,
``themeColor`` as hex without ``#``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import (
    UNCOUNTED,
    NotifyFailure,
    Rendered,
    Truncations,
    read_secret_file,
    secret,
)
from amclone.notify.integrations.newer_defaults import with_newer_defaults
from amclone.notify.stage import NotifyContext
from amclone.template import Template
from amclone.timeutil import Clock

COLORS = {"firing": "8C1A1A", "resolved": "2DC72D"}


class NewerNotifier(HttpNotifier):
    """Integrations whose default templates are not in 0.25's set."""

    def __init__(self, conf: Any, template: Template, external_url: str, clock: Clock,
                 truncations: Truncations = UNCOUNTED) -> None:
        super().__init__(conf, with_newer_defaults(template), external_url, clock, truncations)

    def webhook_url(self) -> str:
        c = self.conf
        if c.webhook_url is not None:
            return secret(c.webhook_url)
        return read_secret_file(c.webhook_url_file, wrap="read webhook_url_file")


class MSTeamsNotifier(NewerNotifier):
    name = "msteams"

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        title, text, summary = t.text(c.title), t.text(c.text), t.text(c.summary)
        if t.error is not None:
            raise NotifyFailure(str(t.error))
        body = {"@context": "http://schema.org/extensions", "type": "MessageCard", "title": title,
                "summary": summary, "text": text, "themeColor": COLORS.get(t.data.Status, "808080")}
        return [Rendered("POST", self.webhook_url(), encoder_line(body))]
