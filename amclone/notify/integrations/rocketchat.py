"""Rocket.Chat ``chat.postMessage`` (newer Alertmanager ``notify/rocketchat``, 0.28+): one
attachment, ``X-Auth-Token`` / ``X-User-Id`` headers, title cut to 1024 runes. A 2xx whose JSON
lacks ``"success": true`` is a permanent failure. Only 5xx retried.
Format: Rocket.Chat REST API "Post Message" (``POST /api/v1/chat.postMessage``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line
from amclone.compat.goquote import quote
from amclone.notify.http import HttpResult
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    check,
    read_secret_file,
    secret,
    truncate_runes,
)
from amclone.notify.integrations.msteams import NewerNotifier
from amclone.notify.reason import CLIENT_ERROR
from amclone.notify.stage import NotifyContext

MAX_TITLE_RUNES = 1024


def _put(d: dict[str, Any], k: str, v: Any) -> None:
    if v:
        d[k] = v


class RocketchatNotifier(NewerNotifier):
    name = "rocketchat"

    def _tokens(self) -> tuple[str, str]:
        c = self.conf
        token = read_secret_file(c.token_file, wrap=f"could not read {c.token_file}") if c.token_file \
            else secret(c.token)
        token_id = read_secret_file(c.token_id_file, wrap=f"could not read {c.token_id_file}") \
            if c.token_id_file else secret(c.token_id)
        return token, token_id

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        title, cut = truncate_runes(t.text(c.title), MAX_TITLE_RUNES)
        if cut:
            self.truncated("title", {"max_runes": MAX_TITLE_RUNES})
        att: dict[str, Any] = {}
        for k, v in (("title", title), ("title_link", t.text(c.title_link)), ("text", t.text(c.text)),
                     ("image_url", t.text(c.image_url)), ("thumb_url", t.text(c.thumb_url)),
                     ("color", t.text(c.color))):
            _put(att, k, v)
        if c.fields:
            fields = []
            for f in c.fields:
                item: dict[str, Any] = {"short": f.short if f.short is not None else c.short_fields}
                _put(item, "title", t.text(f.title))
                _put(item, "value", t.text(f.value))
                fields.append(item)
            att["fields"] = fields
        if c.actions:
            actions = []
            for a in c.actions:
                act: dict[str, Any] = {"type": "button"}
                _put(act, "text", t.text(a.text))
                _put(act, "url", t.text(a.url))
                act["is_webview"] = False
                _put(act, "msg", t.text(a.msg))
                act["msg_in_chat_window"] = False
                actions.append(act)
            att["actions"] = actions
        body: dict[str, Any] = {}
        channel = t.text(c.channel)
        _put(body, "channel", channel)
        _put(body, "emoji", t.text(c.emoji))
        _put(body, "avatar", t.text(c.icon_url))
        body["attachments"] = [att]
        if t.error is not None:
            raise NotifyFailure(str(t.error))
        token, token_id = self._tokens()
        u = c.api_url.url
        url = u.with_path(u.path.rstrip("/") + "/api/v1/chat.postMessage").string()
        return [Rendered("POST", url, encoder_line(body), "application/json",
                         {"X-Auth-Token": token, "X-User-Id": token_id}, context=f"channel {quote(channel)}")]

    def handle(self, req: Rendered, resp: HttpResult) -> tuple[bool, Exception | None]:
        retry, err = check(resp.status, resp.body)
        if err is not None:
            return retry, NotifyFailure(f"{req.context}: {err}", status=resp.status)
        try:
            data = json.loads(resp.body)
        except ValueError as e:
            retry, err = True, NotifyFailure(
                f"could not unmarshal JSON response {quote(resp.body.decode('utf-8', 'replace'))}: {e}")
        else:
            if isinstance(data, dict) and data.get("success") is True:
                return False, None
            reason = data.get("error", "") if isinstance(data, dict) else ""
            retry, err = False, NotifyFailure(f"error response from Rocketchat: {reason}", status=400)
        # newer releases count every refusal in a 2xx answer as a client error
        return retry, NotifyFailure(f"{req.context}: {err}", status=getattr(err, "status", None), reason=CLIENT_ERROR)
