"""Discord webhooks (0.25 ``notify/discord``): one embed, red while firing, green when resolved.
Only 5xx are retried; Discord's 429s are not (0.25 does not). Newer releases also cut the title
(256 runes) and message (4096); we keep 0.25's bytes there, so an over-long embed fails at
Discord as it did with 0.25."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    read_secret_file,
    secret,
    truncate_runes,
)
from amclone.notify.stage import NotifyContext

COLOR_RED, COLOR_GREEN, COLOR_GREY = 0x992D22, 0x2ECC71, 0x95A5A6
MAX_CONTENT_RUNES = 2000  # newer releases' ``content``; 0.25's title and message are not cut


class DiscordNotifier(HttpNotifier):
    name = "discord"

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        title = t.text(c.title)
        description = t.text(c.message)
        if t.error is not None:
            raise NotifyFailure(str(t.error))
        color = COLOR_GREEN if t.data.Status == "resolved" else COLOR_RED
        content, cut = truncate_runes(t.text(getattr(c, "content", "")), MAX_CONTENT_RUNES)
        if cut:
            self.truncated("content", {"max_runes": MAX_CONTENT_RUNES}, "Truncated message")
        if t.error is not None:
            raise NotifyFailure(str(t.error))
        body: dict[str, Any] = {"content": content,
                                "embeds": [{"title": title, "description": description, "color": color}]}
        # newer releases' keys (extended schema): sent as they are, like upstream
        if getattr(c, "username", ""):
            body["username"] = c.username
        if getattr(c, "avatar_url", ""):
            body["avatar_url"] = c.avatar_url
        if c.webhook_url is not None:
            url = secret(c.webhook_url)
        else:
            url = read_secret_file(getattr(c, "webhook_url_file", ""))
        return [Rendered("POST", url, encoder_line(body))]
