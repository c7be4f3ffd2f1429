"""Opsgenie (0.25 ``notify/opsgenie``): create (and, with update_alerts, re-word) an alert whose
alias is the group key's hash; close it by alias when the group resolves.

The API key goes in ``Authorization: GenieKey``; 429 is retried besides 5xx (Opsgenie's rate
limit). Tags and actions are comma-separated template output; a responder of type ``teams``
expands into one ``team`` responder per comma-separated name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line, sorted_map
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    key_hash,
    query_encode,
    read_secret_file,
    secret,
    truncate_runes,
)
from amclone.notify.stage import NotifyContext

MAX_MESSAGE_RUNES = 130


def safe_split(s: str, sep: str) -> list[str]:
    """Go's safeSplit: trimmed, split, empty parts dropped."""
    return [x for x in s.strip().split(sep) if x]


def _omit(d: dict[str, Any], key: str, v: Any) -> None:
    if v:
        d[key] = v


class OpsGenieNotifier(HttpNotifier):
    name = "opsgenie"
    retry_codes = (429,)

    def _url(self, suffix: str, alias_query: bool) -> str:
        u = self.conf.api_url.url
        u = u.with_path(u.path + suffix)
        base = u.string()
        if alias_query:
            q = u.raw_query
            pairs = [tuple(p.split("=", 1)) for p in q.split("&") if p] if q else []
            pairs = [p for p in pairs if p[0] != "identifierType"] + [("identifierType", "alias")]
            base = base.split("?", 1)[0] + "?" + query_encode([(str(p[0]), str(p[1]) if len(p) > 1 else "")
                                                              for p in pairs])
        return str(base)

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        details = dict(t.data.CommonLabels)
        for k, v in (c.details or {}).items():
            details[k] = t.text(v)
        alias = key_hash(ctx.group_key)
        out: list[tuple[str, str, bytes]] = []
        if all(a.resolved_at(ctx.now) for a in alerts):
            body = encoder_line({"source": t.text(c.source)})
            out.append(("POST", self._url(f"v2/alerts/{alias}/close", True), body))
        else:
            message, cut = truncate_runes(t.text(c.message), MAX_MESSAGE_RUNES)
            if cut:
                self.truncated("message", {"alert": ctx.group_key, "max_runes": MAX_MESSAGE_RUNES})
            responders: list[dict[str, str]] = []
            for r in c.responders:
                rs = {"id": t.text(r.id), "name": t.text(r.name), "username": t.text(r.username),
                      "type": t.text(r.type)}
                if not any(rs.values()):
                    continue
                if rs["type"] == "teams":
                    for team in safe_split(rs["name"], ","):
                        responders.append({"name": t.text(team), "type": t.text("team")})
                    continue
                item: dict[str, str] = {}
                for k in ("id", "name", "username"):
                    _omit(item, k, rs[k])
                item["type"] = rs["type"]
                responders.append(item)
            msg: dict[str, Any] = {"alias": alias, "message": message}
            description = t.text(c.description)
            _omit(msg, "description", description)
            msg["details"] = sorted_map(details)
            msg["source"] = t.text(c.source)
            _omit(msg, "responders", responders)
            _omit(msg, "tags", safe_split(t.text(c.tags), ","))
            _omit(msg, "note", t.text(c.note))
            _omit(msg, "priority", t.text(c.priority))
            _omit(msg, "entity", t.text(c.entity))
            _omit(msg, "actions", safe_split(t.text(c.actions), ","))
            out.append(("POST", self._url("v2/alerts", False), encoder_line(msg)))
            if c.update_alerts:
                m = {"message": message} if message else {}
                out.append(("PUT", self._url(f"v2/alerts/{alias}/message", True), encoder_line(m)))
                d = {"description": description} if description else {}
                out.append(("PUT", self._url(f"v2/alerts/{alias}/description", True), encoder_line(d)))
        if secret(c.api_key):
            api_key = t.text(secret(c.api_key))
        else:
            api_key = t.text(read_secret_file(c.api_key_file, strip=False, wrap="read key_file error"))
        if t.error is not None:
            raise NotifyFailure(f"templating error: {t.error}")
        headers = {"Authorization": f"GenieKey {api_key}"}
        return [Rendered(m, u, b, "application/json", headers) for m, u, b in out]
