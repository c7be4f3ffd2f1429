"""WeChat Work (0.25 ``notify/wechat``): fetch an access token (``gettoken``, cached for two
hours per integration, dropped when the API says it expired: errcode 42001), then
``message/send``.

0.25 quirks kept because a receiver sees them: both ``text`` and ``markdown`` objects are
always in the body (Go's omitempty does not drop structs), a non-200 answer is retried, and
the answer is read for fields ``code``/``error`` (which WeChat does not send, so any 200 counts
as success unless it carries them).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    TransportError,
    query_encode,
    read_secret_file,
    secret,
    send,
)
from amclone.notify.stage import NotifyContext

TOKEN_TTL_S = 2 * 3600


def _field(d: object, name: str) -> object:
    """encoding/json's case-insensitive key match."""
    if not isinstance(d, dict):
        return None
    if name in d:
        return d[name]
    for k, v in d.items():
        if isinstance(k, str) and k.lower() == name:
            return v
    return None


class WechatNotifier(HttpNotifier):
    name = "wechat"
    access_token = ""
    access_token_at = 0.0

    def _url(self, suffix: str, extra: Sequence[tuple[str, str]], keep_query: bool) -> str:
        u = self.conf.api_url.url
        u = u.with_path(u.path + suffix)
        base = u.string().split("?", 1)[0]
        params = list(extra)
        if keep_query and u.raw_query:
            names = {k for k, _ in extra}
            for p in u.raw_query.split("&"):
                k, _, v = p.partition("=")
                if k and k not in names:
                    params.append((k, v))
        return str(base) + "?" + query_encode(params)

    async def notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]:
        c = self.conf
        t = self.templater(ctx, alerts)
        if not self.access_token or time.monotonic() - self.access_token_at > TOKEN_TTL_S:
            api_secret = secret(c.api_secret) or (read_secret_file(c.api_secret_file)
                                                  if getattr(c, "api_secret_file", "") else "")
            params = [("corpsecret", t.text(api_secret)), ("corpid", t.text(c.corp_id))]
            if t.error is not None:
                return False, NotifyFailure(f"templating error: {t.error}")
            try:
                resp = await send(self.client, Rendered("GET", self._url("gettoken", params, False), b"", None))
            except TransportError as e:
                return True, e
            try:
                tok = json.loads(resp.body)
            except ValueError as e:
                return False, NotifyFailure(str(e))
            token = _field(tok, "access_token")
            if not isinstance(token, str) or not token:
                return False, NotifyFailure(f"invalid APISecret for CorpID: {c.corp_id}")
            self.access_token, self.access_token_at = token, time.monotonic()
        content = {"content": t.text(c.message)}
        empty = {"content": ""}
        msg = {"text": empty if c.message_type == "markdown" else content}
        for key, attr in (("touser", "to_user"), ("toparty", "to_party"), ("totag", "to_tag"),
                          ("agentid", "agent_id")):
            v = t.text(getattr(c, attr))
            if v:
                msg[key] = v  # type: ignore[assignment]
        msg.update({"safe": "0", "msgtype": c.message_type})  # type: ignore[dict-item]
        msg["markdown"] = content if c.message_type == "markdown" else empty
        if t.error is not None:
            return False, NotifyFailure(f"templating error: {t.error}")
        url = self._url("message/send", [("access_token", self.access_token)], True)
        try:
            resp = await send(self.client, Rendered("POST", url, encoder_line(msg)))
        except TransportError as e:
            return True, e
        if resp.status != 200:
            return True, NotifyFailure(f"unexpected status code {resp.status}", retry=True, status=resp.status)
        try:
            answer = json.loads(resp.body)
        except ValueError as e:
            return True, NotifyFailure(str(e), retry=True)
        code = _field(answer, "code") or 0
        if code == 0:
            return False, None
        text = str(_field(answer, "error") or "")
        if code == 42001:
            self.access_token = ""
            return True, NotifyFailure(text, retry=True)
        return False, NotifyFailure(text)
