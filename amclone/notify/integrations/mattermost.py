"""Mattermost incoming webhooks (newer Alertmanager ``notify/mattermost``, 0.30+): text, channel,
user and one attachment built from the top-level fields (or the configured ``attachments``, each
templated, with the text moved to the message), ``props.card`` and message ``priority``
(urgent / important / standard; acknowledgement only when not standard, persistent
notifications only when urgent). Text is cut to 16383 runes. Only 5xx retried.
Format: Mattermost "Incoming webhooks" and "Message attachments" documentation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line
from amclone.compat.goquote import quote
from amclone.notify.http import HttpResult
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    Templater,
    check,
    truncate_runes,
)
from amclone.notify.integrations.msteams import NewerNotifier
from amclone.notify.stage import NotifyContext

MAX_TEXT_RUNES = 16383
ATTACHMENT_KEYS = ("fallback", "color", "pretext", "text", "author_name", "author_link", "author_icon", "title",
                   "title_link", "fields", "thumb_url", "footer", "footer_icon", "image_url")


def _attachment(t: Templater, src: Mapping[str, Any], text: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in ATTACHMENT_KEYS:
        if k == "fields":
            fields = []
            for f in src.get("fields") or []:
                item: dict[str, Any] = {}
                for fk in ("title", "value"):
                    v = t.text(str(f.get(fk, "") or ""))
                    if v:
                        item[fk] = v
                if f.get("short") is not None:
                    item["short"] = bool(f["short"])
                fields.append(item)
            if fields:
                out["fields"] = fields
            continue
        v = text if (k == "text" and text is not None) else t.text(str(src.get(k, "") or ""))
        if v:
            out[k] = v
    return out


class MattermostNotifier(NewerNotifier):
    name = "mattermost"

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        url = self.webhook_url()
        if not url:
            raise NotifyFailure("webhook url missing")
        t = self.templater(ctx, alerts)
        text = t.text(c.text)
        req: dict[str, Any] = {}
        top = {k: getattr(c, k, "") for k in ATTACHMENT_KEYS if k != "text"}
        configured = list(c.attachments or [])
        if configured:
            req["text"] = text
            atts = [_attachment(t, a, None) for a in configured]
        else:
            atts = [_attachment(t, top, text)]
        for k in ("channel", "username", "icon_url", "icon_emoji"):
            v = t.text(getattr(c, k, "") or "")
            if v:
                req[k] = v
        req["attachments"] = atts
        kind = t.text(c.type or "")
        if kind:
            req["type"] = kind
        props = c.props if isinstance(c.props, Mapping) else None
        if props and props.get("card"):
            req["props"] = {"card": t.text(str(props["card"]))}
        prio = c.priority if isinstance(c.priority, Mapping) else None
        if prio and prio.get("priority"):
            req["priority"] = self._priority(t.text(str(prio["priority"])), bool(prio.get("requested_ack")),
                                             bool(prio.get("persistent_notifications")))
        if t.error is not None:
            raise NotifyFailure(str(t.error))
        if "text" in req:
            cut_text, cut = truncate_runes(req["text"], MAX_TEXT_RUNES)
            if cut:
                self.truncated("text", {"key": ctx.group_key, "max_runes": MAX_TEXT_RUNES})
                req["text"] = cut_text
        order = ("text", "channel", "username", "icon_url", "icon_emoji", "attachments", "type", "props", "priority")
        body = {k: req[k] for k in order if k in req and req[k] != ""}
        return [Rendered("POST", url, encoder_line(body), context=f"channel {quote(req.get('channel', ''))}")]

    @staticmethod
    def _priority(p: str, ack: bool, persistent: bool) -> dict[str, Any]:
        p = p.lower() if p.lower() in ("urgent", "important", "standard") else "standard"
        out: dict[str, Any] = {"priority": p}
        if ack and p != "standard":
            out["requested_ack"] = True
        if persistent and p == "urgent":
            out["persistent_notifications"] = True
        return out

    def handle(self, req: Rendered, resp: HttpResult) -> tuple[bool, Exception | None]:
        retry, err = check(resp.status, resp.body)
        if err is None:
            return False, None
        return retry, NotifyFailure(f"{req.context}: {err}", status=getattr(err, "status", None))
