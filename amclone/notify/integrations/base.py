"""The shape every templated integration shares: built from (config, template, external URL,
clock), one HTTP client from the config's http_config (a missing one means Go's zero config:
the defaults), and ``notify`` returning ``(retry, error)`` like webhook.py.

Subclasses implement `requests`, which renders what would be sent (the compat tests and
``amctl receiver test`` use it without sending), and may override `handle` for services
whose answer body matters.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from amclone.alerts import Alert
from amclone.notify.http import HttpClient, HttpResult
from amclone.notify.integrations.common import (
    UNCOUNTED,
    NotifyFailure,
    Rendered,
    Templater,
    TransportError,
    Truncations,
    check,
    send,
    template_data,
)
from amclone.notify.stage import NotifyContext
from amclone.template import Template
from amclone.timeutil import Clock

__all__ = ["HttpNotifier", "NotifyFailure"]


class HttpNotifier:
    """Base for the HTTP integrations."""

    name: ClassVar[str] = ""
    retry_codes: ClassVar[tuple[int, ...]] = ()

    def __init__(self, conf: Any, template: Template, external_url: str, clock: Clock,
                 truncations: Truncations = UNCOUNTED) -> None:
        self.conf = conf
        self.template = template
        self.external_url = external_url
        self.clock = clock
        self.truncations = truncations
        self.client = HttpClient(getattr(conf, "http_config", None))

    def truncated(self, field: str, fields: Mapping[str, object] | None = None, msg: str = "",
                  level: int | None = logging.WARNING) -> None:
        """A field was cut to the service's limit: Alertmanager's log line and amclone's counter."""
        self.truncations.note(self.name, field, fields, msg, level)

    def templater(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> Templater:
        return Templater(self.template, template_data(ctx, alerts, self.external_url))

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        raise NotImplementedError

    def handle(self, req: Rendered, resp: HttpResult) -> tuple[bool, Exception | None]:
        return check(resp.status, resp.body, self.retry_codes)

    async def notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]:
        try:
            reqs = self.requests(ctx, alerts)
        except NotifyFailure as e:
            return e.retry, e
        except OSError as e:  # a secret file that cannot be read
            return False, e
        for req in reqs:
            try:
                resp = await send(self.client, req)
            except TransportError as e:
                return True, e
            retry, err = self.handle(req, resp)
            if err is not None:
                return retry, err
        return False, None

    async def close(self) -> None:
        await self.client.close()
