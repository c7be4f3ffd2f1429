"""Telegram Bot API ``sendMessage`` (0.25 ``notify/telegram``, which sends through telebot v3).

telebot posts a JSON object of strings (sorted keys, no trailing newline, Go's default
User-Agent) to ``<api_url>/bot<token>/sendMessage`` and reads the answer's ``ok``. With
parse_mode HTML the message is rendered with the HTML template set (escaping). Every failure
is retried, whatever the status: 0.25 does not look at it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line, sorted_map
from amclone.notify.http import HttpResult
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    read_secret_file,
    secret,
    truncate_runes,
)
from amclone.notify.stage import NotifyContext

MAX_MESSAGE_RUNES = 4096
GO_USER_AGENT = "Go-http-client/1.1"


class TelegramNotifier(HttpNotifier):
    name = "telegram"

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        render = t.html if c.parse_mode == "HTML" else t.text
        text, cut = truncate_runes(render(c.message), MAX_MESSAGE_RUNES)
        if cut:
            self.truncated("message", {"alert": ctx.group_key, "max_runes": MAX_MESSAGE_RUNES})
        if t.error is not None:
            raise NotifyFailure(str(t.error), retry=True)
        token = secret(c.bot_token) or read_secret_file(getattr(c, "bot_token_file", ""))
        chat_id = str(c.chat_id)
        if getattr(c, "chat_id_file", ""):
            chat_id = read_secret_file(c.chat_id_file, wrap="failed to read chat_id_file")
        params = {"chat_id": chat_id, "text": text, "disable_web_page_preview": "true"}
        if c.parse_mode:
            params["parse_mode"] = c.parse_mode
        if c.disable_notifications:
            params["disable_notification"] = "true"
        thread = getattr(c, "message_thread_id", 0)
        if thread:
            params["message_thread_id"] = str(thread)
        url = f"{c.api_url}/bot{token}/sendMessage"
        return [Rendered("POST", url, encoder_line(sorted_map(params)), "application/json",
                         {"User-Agent": GO_USER_AGENT})]

    def handle(self, req: Rendered, resp: HttpResult) -> tuple[bool, Exception | None]:
        """telebot's reading: a JSON answer with ``ok``; anything else is an error (retried)."""
        try:
            data = json.loads(resp.body)
        except ValueError as e:
            return True, NotifyFailure(f"telebot: {e}", retry=True)
        if isinstance(data, dict) and data.get("ok") is True:
            return False, None
        desc = data.get("description", "") if isinstance(data, dict) else ""
        code = data.get("error_code", resp.status) if isinstance(data, dict) else resp.status
        # telebot's Error carries the API's error_code, which names the reason
        return True, NotifyFailure(f"telegram: {desc} ({code})", retry=True,
                                   status=code if isinstance(code, int) else resp.status)
