"""Jira issues (newer Alertmanager ``notify/jira``, 0.28+): one issue per alert group, found by
its ``ALERT{<group key hash>}`` label through a JQL search, created (POST ``issue``) or updated
(PUT ``issue/<key>``), then moved with the configured reopen / resolve transition.

Search goes to ``/search`` (datacenter, or a host outside atlassian.net under ``auto``) or the
v3 ``/search/jql`` (cloud). Summary is cut to 255 runes, description to 32767; with a ``/3`` API
URL the description must be Atlassian Document Format JSON. 429 and 5xx are retried.
Format: Atlassian's Jira REST API v2/v3 "Create issue", "Edit issue", "Search for issues using
JQL", "Get transitions" and "Transition issue".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from amclone.alerts import Alert
from amclone.compat.gojson import encoder_line, sorted_map
from amclone.compat.goquote import quote
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    Templater,
    TransportError,
    check,
    failure_reason,
    key_hash,
    send,
    truncate_runes,
)
from amclone.notify.integrations.msteams import NewerNotifier
from amclone.notify.stage import NotifyContext

MAX_SUMMARY_RUNES, MAX_DESCRIPTION_RUNES = 255, 32767


def _join(base: str, elem: str) -> str:
    """url.JoinPath for our cases: one slash between, query kept."""
    head, _, query = base.partition("?")
    out = head.rstrip("/") + "/" + elem.lstrip("/")
    return out + ("?" + query if query else "")


def _deep_template(v: Any, t: Templater) -> Any:
    if isinstance(v, str):
        return t.text(v)
    if isinstance(v, dict):
        return {k: _deep_template(x, t) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_deep_template(x, t) for x in v]
    return v


class JiraNotifier(NewerNotifier):
    name = "jira"
    retry_codes = (429,)

    def _api(self) -> str:
        return str(self.conf.api_url)

    async def _call(self, method: str, url: str, body: Any) -> tuple[bytes, bool, Exception | None]:
        raw = encoder_line(body) if body is not None else b""
        req = Rendered(method, url, raw, "application/json", {"Accept-Language": "en"})
        try:
            resp = await send(self.client, req)
        except TransportError as e:
            return b"", False, e
        retry, err = check(resp.status, resp.body, self.retry_codes)
        return resp.body, retry, err

    def search_request(self, t: Templater, group_hash: str, firing: bool) -> tuple[str, dict[str, Any]]:
        c = self.conf
        jql = ""
        if c.wont_fix_resolution:
            jql += f"(resolution is EMPTY or resolution != {quote(c.wont_fix_resolution)}) and "
        minutes = c.reopen_duration // 60_000_000_000
        if firing and c.reopen_transition and minutes > 0:
            jql += f"(resolutiondate is EMPTY OR resolutiondate >= -{minutes}m) and "
        else:
            jql += "statusCategory != Done and "
        jql += (f"project={quote(t.text(c.project))} and labels={quote(f'ALERT{{{group_hash}}}')} "
                "order by status ASC,resolutiondate DESC")
        api = self._api()
        host = c.api_url.url.host.split(":")[0]
        if c.api_type == "cloud" or (c.api_type == "auto" and host.endswith("atlassian.net")):
            path = _join(api, "/search/jql").replace("/rest/api/2/", "/rest/api/3/", 1)
        else:
            path = _join(api, "/search")
        return path, {"fields": ["status"], "jql": jql, "maxResults": 2}

    def issue_body(self, ctx: NotifyContext, t: Templater, group_hash: str, update: bool) -> dict[str, Any]:
        c = self.conf
        summary, cut = truncate_runes(t.text(c.summary.template), MAX_SUMMARY_RUNES)
        if cut:
            self.truncated("summary", {"max_runes": MAX_SUMMARY_RUNES})
        fields: dict[str, Any] = {}
        if not update or c.summary.enable_update is not False:
            fields["summary"] = summary
        desc, cut = truncate_runes(t.text(c.description.template), MAX_DESCRIPTION_RUNES)
        if cut:
            self.truncated("description", {"max_runes": MAX_DESCRIPTION_RUNES})
        if c.api_url.url.path.rstrip("/").endswith("/3"):
            desc = desc.strip()
            if desc:
                try:
                    fields["description"] = json.loads(desc)
                except ValueError:
                    raise NotifyFailure("description template: invalid JSON for API v3") from None
        elif desc:
            fields["description"] = desc
        if update and c.description.enable_update is False:
            fields.pop("description", None)
        fields["issuetype"] = {"name": t.text(c.issue_type)}
        labels = [t.text(lb) for lb in c.labels] + [f"ALERT{{{group_hash}}}"]
        fields["labels"] = sorted(labels)
        priority = t.text(c.priority)
        if priority:
            fields["priority"] = {"name": priority}
        fields["project"] = {"key": t.text(c.project)}
        for k, v in (c.fields or {}).items():
            fields[str(k)] = _deep_template(v, t)
        if t.error is not None:
            raise NotifyFailure(f"template: {t.error}")
        return {"fields": sorted_map(fields)}

    async def notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]:
        t = self.templater(ctx, alerts)
        group_hash = key_hash(ctx.group_key)
        firing = any(not a.resolved_at(ctx.now) for a in alerts)
        try:
            path, search = self.search_request(t, group_hash, firing)
            if t.error is not None:
                return False, NotifyFailure(f"invalid project template or value: {t.error}")
            body, retry, err = await self._call("POST", path, search)
            if err is not None:
                return retry, _wrap(f"failed to look up existing issues: HTTP request to JIRA API: {err}", err)
            try:
                issues = json.loads(body).get("issues") or []
            except (ValueError, AttributeError) as e:
                return False, NotifyFailure(f"failed to look up existing issues: {e}")
            existing = issues[0] if issues else None
            if existing is None and not firing:
                return False, None
            method, ipath = ("PUT", f"issue/{existing.get('key', '')}") if existing else ("POST", "issue")
            req = self.issue_body(ctx, t, group_hash, update=existing is not None)
        except NotifyFailure as e:
            return e.retry, e
        _, retry, err = await self._call(method, _join(self._api(), ipath), req)
        if err is not None:
            return retry, _wrap(f"failed to {method} request to {quote(ipath)}: {err}", err)
        return await self._transition(existing, firing)

    async def _transition(self, issue: dict[str, Any] | None, firing: bool) -> tuple[bool, Exception | None]:
        if not issue or not issue.get("key") or not isinstance(issue.get("fields"), dict):
            return False, None
        status = issue["fields"].get("status")
        if not isinstance(status, dict):
            return False, None
        done = (status.get("statusCategory") or {}).get("key") == "done"
        if firing and not done or not firing and done:
            return False, None
        name = self.conf.reopen_transition if firing else self.conf.resolve_transition
        if not name:
            return False, None
        key = issue["key"]
        body, retry, err = await self._call("GET", _join(self._api(), f"issue/{key}/transitions"), None)
        if err is not None:
            return retry, err
        try:
            transitions = json.loads(body).get("transitions") or []
        except (ValueError, AttributeError) as e:
            return False, NotifyFailure(str(e))
        ids = [tr.get("id", "") for tr in transitions if isinstance(tr, dict) and tr.get("name") == name]
        if not ids:
            return False, NotifyFailure(f"can't find transition {name} for issue {key}")
        _, retry, err = await self._call("POST", _join(self._api(), f"issue/{key}/transitions"),
                                         {"transition": {"id": ids[0]}})
        return retry, err


def _wrap(text: str, err: Exception) -> NotifyFailure:
    return NotifyFailure(text, status=getattr(err, "status", None), reason=failure_reason(err))


__all__ = ["JiraNotifier"]
