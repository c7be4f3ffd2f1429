"""Webex messages API (0.25 ``notify/webex``): markdown into a room, authorised by the
required ``http_config.authorization``. The message is cut to 7439 bytes (Webex's limit
counts bytes), logged at debug level as 0.25 does. Only 5xx are retried."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import NotifyFailure, Rendered, truncate_bytes
from amclone.notify.stage import NotifyContext

MAX_MESSAGE_BYTES = 7439


class WebexNotifier(HttpNotifier):
    name = "webex"

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        message = t.text(c.message)
        if t.error is not None:
            raise NotifyFailure(str(t.error))
        message, cut = truncate_bytes(message, MAX_MESSAGE_BYTES)
        if cut:
            self.truncated("message", {"truncated_message": message},
                           "message truncated due to exceeding maximum allowed length by webex", logging.DEBUG)
        body: dict[str, str] = {"markdown": message}
        if c.room_id:
            body["roomId"] = c.room_id
        return [Rendered("POST", str(c.api_url), encoder_line(body))]
