"""Pushover (0.25 ``notify/pushover``): every field goes in the query string of a POST with an
empty ``text/plain`` body, to the fixed API URL (newer configs may name another).

Title, message and URL are cut to 250, 1024 and 512 runes; an empty message becomes
``(no details)``; ``html: true`` renders the message with the HTML template set. retry and
expire are whole seconds. Only 5xx are retried.
"""

from __future__ import annotations

from collections.abc import Sequence

from amclone.alerts import Alert
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    query_encode,
    read_secret_file,
    secret,
    truncate_runes,
)
from amclone.notify.stage import NotifyContext

API_URL = "https://api.pushover.net/1/messages.json"
MAX_TITLE_RUNES, MAX_MESSAGE_RUNES, MAX_URL_RUNES = 250, 1024, 512
NS = 1_000_000_000


class PushoverNotifier(HttpNotifier):
    name = "pushover"
    api_url = API_URL  # tests point it elsewhere, as 0.25's own tests do

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        token = secret(c.token) or read_secret_file(getattr(c, "token_file", ""))
        user = secret(c.user_key) or read_secret_file(getattr(c, "user_key_file", ""))
        p: list[tuple[str, str]] = [("token", t.text(token)), ("user", t.text(user))]
        title, cut = truncate_runes(t.text(c.title), MAX_TITLE_RUNES)
        if cut:
            self.truncated("title", {"incident": ctx.group_key, "max_runes": MAX_TITLE_RUNES})
        p.append(("title", title))
        if c.html:
            p.append(("html", "1"))
            message = t.html(c.message)
        else:
            message = t.text(c.message)
        message, cut = truncate_runes(message, MAX_MESSAGE_RUNES)
        if cut:
            self.truncated("message", {"incident": ctx.group_key, "max_runes": MAX_MESSAGE_RUNES})
        message = message.strip() or "(no details)"
        p.append(("message", message))
        url, cut = truncate_runes(t.text(c.url), MAX_URL_RUNES)
        if cut:
            self.truncated("URL", {"incident": ctx.group_key, "max_runes": MAX_URL_RUNES})
        p += [("url", url), ("url_title", t.text(c.url_title)), ("priority", t.text(c.priority)),
              ("retry", str(int(c.retry // NS))), ("expire", str(int(c.expire // NS))),
              ("sound", t.text(c.sound))]
        if hasattr(c, "device"):  # newer releases' keys (extended schema), sent as they send them
            p.append(("device", t.text(c.device)))
            if c.monospace:
                p.append(("monospace", "1"))
            if c.ttl // NS > 0:
                p.append(("ttl", str(int(c.ttl // NS))))
        if t.error is not None:
            raise NotifyFailure(str(t.error))
        base = str(getattr(c, "api_url", None) or self.api_url)
        return [Rendered("POST", base.split("?", 1)[0] + "?" + query_encode(p), b"", "text/plain")]
