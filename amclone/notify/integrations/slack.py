"""Slack incoming webhooks (0.25 ``notify/slack``): one attachment per notification.

Key order and omitempty follow 0.25's structs. The answer is checked as newer releases do (a
200 whose JSON says ``"ok": false``, or a text answer other than ``ok``, is a permanent failure);
0.25 looked at the status only. 429 is not retried: Slack's own rule is to back off.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line
from amclone.compat.goquote import quote
from amclone.notify.http import HttpResult
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    check,
    read_secret_file,
    secret,
    truncate_runes,
)
from amclone.notify.reason import CLIENT_ERROR
from amclone.notify.stage import NotifyContext

MAX_TITLE_RUNES = 1024
DEFAULT_MRKDWN_IN = ("fallback", "pretext", "text")
APP_URL = "https://slack.com/api/chat.postMessage"


def _put(d: dict[str, Any], key: str, value: Any) -> None:
    """omitempty"""
    if value:
        d[key] = value


class SlackNotifier(HttpNotifier):
    name = "slack"

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        title, cut = truncate_runes(t.text(c.title), MAX_TITLE_RUNES)
        if cut:
            self.truncated("title", {"key": ctx.group_key, "max_runes": MAX_TITLE_RUNES})
        att: dict[str, Any] = {}
        _put(att, "title", title)
        _put(att, "title_link", t.text(c.title_link))
        _put(att, "pretext", t.text(c.pretext))
        att["text"] = t.text(c.text)
        att["fallback"] = t.text(c.fallback)
        att["callback_id"] = t.text(c.callback_id)
        if c.fields:
            att["fields"] = [{"title": t.text(f.title), "value": t.text(f.value),
                              "short": f.short if f.short is not None else c.short_fields} for f in c.fields]
        if c.actions:
            actions = []
            for a in c.actions:
                act: dict[str, Any] = {}
                for key in ("type", "text", "url", "style", "name", "value"):
                    _put(act, key, t.text(getattr(a, key)))
                if a.confirm is not None:
                    conf: dict[str, Any] = {}
                    for key in ("text", "title", "ok_text", "dismiss_text"):
                        _put(conf, key, t.text(getattr(a.confirm, key)))
                    act["confirm"] = conf
                actions.append(act)
            att["actions"] = actions
        _put(att, "image_url", t.text(c.image_url))
        _put(att, "thumb_url", t.text(c.thumb_url))
        att["footer"] = t.text(c.footer)
        _put(att, "color", t.text(c.color))
        att["mrkdwn_in"] = list(c.mrkdwn_in or DEFAULT_MRKDWN_IN)
        req: dict[str, Any] = {}
        channel = t.text(c.channel)
        _put(req, "channel", channel)
        _put(req, "username", t.text(c.username))
        _put(req, "icon_emoji", t.text(c.icon_emoji))
        _put(req, "icon_url", t.text(c.icon_url))
        _put(req, "link_names", c.link_names)
        _put(req, "text", t.text(getattr(c, "message_text", "")))  # newer releases' top-level text
        req["attachments"] = [att]
        if t.error is not None:
            raise NotifyFailure(str(t.error))
        headers: dict[str, str] | None = None
        token = secret(getattr(c, "app_token", None)) or (
            read_secret_file(c.app_token_file) if getattr(c, "app_token_file", "") else "")
        if token:  # newer releases: a Slack app posts to chat.postMessage with a bearer token
            app_url = getattr(c, "app_url", None)
            url = str(app_url) if app_url is not None else APP_URL
            headers = {"Authorization": f"Bearer {token}"}
        else:
            url = secret(c.api_url) if c.api_url is not None else read_secret_file(c.api_url_file)
        return [Rendered("POST", url, encoder_line(req), headers=headers, context=f"channel {quote(channel)}")]

    def handle(self, req: Rendered, resp: HttpResult) -> tuple[bool, Exception | None]:
        retry, err = check(resp.status, resp.body)
        if err is not None:
            return retry, NotifyFailure(f"{req.context}: {err}", status=resp.status)
        retry, err = _answer(resp)
        if err is None:
            return False, None
        # newer releases count every refusal in a 2xx answer as a client error
        return retry, NotifyFailure(f"{req.context}: {err}", status=getattr(err, "status", None), reason=CLIENT_ERROR)


def _answer(resp: HttpResult) -> tuple[bool, Exception | None]:
    """Newer Alertmanager's reading of a 2xx answer (``slackResponseHandler``)."""
    body = resp.body
    text = body.decode("utf-8", "replace")
    if not resp.headers.get("content-type", "").startswith("application/json"):
        if body != b"ok":
            return False, NotifyFailure(f"received an error response from Slack: {text}", status=400)
        return False, None
    try:
        data = json.loads(body)
    except ValueError as e:
        return True, NotifyFailure(f"could not unmarshal JSON response {quote(text)}: {e}")
    if not isinstance(data, dict) or data.get("ok") is not True:
        reason = data.get("error", "") if isinstance(data, dict) else ""
        return False, NotifyFailure(f"error response from Slack: {reason}", status=400)
    return False, None
