"""The integrations added after 0.25, checked against the formats the services document
(Microsoft MessageCard and Adaptive Card webhooks, Rocket.Chat chat.postMessage, Mattermost
incoming webhooks, incident.io's Alertmanager alert source, Jira REST v2/v3), sent to a real
loopback server."""

from __future__ import annotations

import json

from integ_fixtures import KEY, alerts, ctx, notifiers
from integ_server import serve

from amclone.notify.integrations.common import key_hash


def ok(method: str, path: str) -> tuple[int, str, bytes]:
    return 200, "application/json", b'{"success": true}'


async def test_msteams_message_card() -> None:
    async with serve(ok) as (url, seen):
        (n,) = notifiers(f"  msteams_configs: [{{webhook_url: '{url}/teams'}}]\n")
        assert await n.notify(ctx(), alerts()) == (False, None)
        body = json.loads(seen[0].body)
        assert body["@context"] == "http://schema.org/extensions" and body["type"] == "MessageCard"
        assert body["themeColor"] == "8C1A1A" and body["title"] == body["summary"] == "[FIRING:1] A (0 critical)"
        assert "# Alerts Firing:" in body["text"] and "  - severity = critical" in body["text"]
        await n.notify(ctx(), alerts(resolved=True))
        assert json.loads(seen[1].body)["themeColor"] == "2DC72D"


async def test_msteamsv2_adaptive_card() -> None:
    async with serve(ok) as (url, seen):
        (n,) = notifiers(f"  msteamsv2_configs: [{{webhook_url: '{url}/flow'}}]\n")
        assert await n.notify(ctx(), alerts()) == (False, None)
        body = json.loads(seen[0].body)
        att = body["attachments"][0]
        assert body["type"] == "message" and att["contentType"] == "application/vnd.microsoft.card.adaptive"
        assert att["contentUrl"] is None and att["content"]["type"] == "AdaptiveCard"
        assert att["content"]["version"] == "1.2" and att["content"]["msteams"] == {"width": "full"}
        head, text = att["content"]["body"]
        assert head["style"] == "heading" and head["color"] == "Attention" and text["wrap"] is True


async def test_rocketchat_post_message_and_success_flag() -> None:
    answers = [b'{"success": true}', b'{"success": false, "error": "no channel"}']

    def answer(method: str, path: str) -> tuple[int, str, bytes]:
        return 200, "application/json", answers.pop(0)

    async with serve(answer) as (url, seen):
        (n,) = notifiers(f"  rocketchat_configs: [{{api_url: '{url}', token: t, token_id: tid, channel: '#c',"
                         " fields: [{title: f, value: v}], actions: [{text: go, url: 'http://x'}]}]\n")
        assert await n.notify(ctx(), alerts()) == (False, None)
        r = seen[0]
        assert r.path == "/api/v1/chat.postMessage"
        assert r.headers["x-auth-token"] == "t" and r.headers["x-user-id"] == "tid"
        body = json.loads(r.body)
        assert body["channel"] == "#c" and body["attachments"][0]["color"] == "red"
        assert body["attachments"][0]["fields"] == [{"short": False, "title": "f", "value": "v"}]
        assert body["attachments"][0]["actions"][0]["type"] == "button"
        retry, err = await n.notify(ctx(), alerts())
        assert not retry and str(err) == 'channel "#c": error response from Rocketchat: no channel'


async def test_mattermost_webhook_and_priority() -> None:
    async with serve(lambda m, p: (200, "text/plain", b"ok")) as (url, seen):
        (n,) = notifiers(f"  mattermost_configs: [{{webhook_url: '{url}/hooks/x', channel: town,"
                         " priority: {priority: URGENT, requested_ack: true, persistent_notifications: true}}]\n")
        assert await n.notify(ctx(), alerts()) == (False, None)
        body = json.loads(seen[0].body)
        assert "text" not in body and body["channel"] == "town" and body["username"] == "Alertmanager"
        att = body["attachments"][0]
        assert att["color"] == "danger" and att["title"] == "[FIRING:1] A (0 critical)"
        assert att["fallback"].startswith("[FIRING:1] A") and "# Alerts Firing:" in att["text"]
        assert body["priority"] == {"priority": "urgent", "requested_ack": True, "persistent_notifications": True}


async def test_incidentio_payload_token_and_retries() -> None:
    statuses = [200, 429, 400]

    def answer(method: str, path: str) -> tuple[int, str, bytes]:
        return statuses.pop(0), "application/json", b'{"message": "bad", "errors": ["x", "y"]}'

    async with serve(answer) as (url, seen):
        (n,) = notifiers(f"  incidentio_configs: [{{url: '{url}/v2/alert_events/alertmanager/1',"
                         " alert_source_token: sekrit, max_alerts: 1}]\n")
        assert await n.notify(ctx(), alerts(n=2)) == (False, None)
        body = json.loads(seen[0].body)
        assert seen[0].headers["authorization"] == "Bearer sekrit"
        assert body["version"] == "1" and body["groupKey"] == KEY and body["truncatedAlerts"] == 1
        assert len(body["alerts"]) == 1
        retry, err = await n.notify(ctx(), alerts())
        assert retry and str(err) == "unexpected status code 429: bad: x, y"
        retry, err = await n.notify(ctx(), alerts())
        assert not retry


async def test_jira_create_then_update_and_resolve_transition() -> None:
    state = {"issues": []}

    def answer(method: str, path: str) -> tuple[int, str, bytes]:
        if path.endswith("/search"):
            return 200, "application/json", json.dumps({"issues": state["issues"]}).encode()
        if path.endswith("/transitions") and method == "GET":
            return 200, "application/json", b'{"transitions": [{"id": "31", "name": "Done"}]}'
        return 201, "application/json", b'{"key": "OPS-1"}'

    async with serve(answer) as (url, seen):
        (n,) = notifiers(f"  jira_configs: [{{api_url: '{url}/rest/api/2', project: OPS, issue_type: Bug,"
                         " resolve_transition: Done, labels: ['{{ .CommonLabels.severity }}'],"
                         " fields: {customfield_1: '{{ .Status }}'}}]\n")
        assert await n.notify(ctx(), alerts()) == (False, None)
        search, create = seen
        q = json.loads(search.body)
        label = f"ALERT{{{key_hash(KEY)}}}"
        assert search.path == "/rest/api/2/search" and q["maxResults"] == 2 and q["fields"] == ["status"]
        assert q["jql"] == f'statusCategory != Done and project="OPS" and labels="{label}" order by status ASC,resolutiondate DESC'
        body = json.loads(create.body)["fields"]
        assert create.method == "POST" and create.path == "/rest/api/2/issue"
        assert body["project"] == {"key": "OPS"} and body["issuetype"] == {"name": "Bug"}
        assert body["labels"] == sorted(["critical", label]) and body["priority"] == {"name": "High"}
        assert body["summary"] == "[FIRING:1] A (0 critical)" and body["customfield_1"] == "firing"
        assert create.headers["accept-language"] == "en"
        state["issues"] = [{"key": "OPS-1", "fields": {"status": {"name": "Open", "statusCategory": {"key": "new"}}}}]
        seen.clear()
        assert await n.notify(ctx(), alerts(resolved=True)) == (False, None)
        assert [(r.method, r.path) for r in seen] == [
            ("POST", "/rest/api/2/search"), ("PUT", "/rest/api/2/issue/OPS-1"),
            ("GET", "/rest/api/2/issue/OPS-1/transitions"), ("POST", "/rest/api/2/issue/OPS-1/transitions")]
        assert json.loads(seen[3].body) == {"transition": {"id": "31"}}


async def test_newer_keys_of_old_integrations() -> None:
    async with serve(lambda m, p: (200, "application/json", b'{"ok": true}')) as (url, seen):
        (slack, pushover) = notifiers(
            f"  slack_configs: [{{app_token: xoxb-1, app_url: '{url}/api/chat.postMessage', channel: '#c',"
            " message_text: hello}]\n"
            "  pushover_configs: [{user_key: u, token: t, device: phone, ttl: 1h, monospace: true}]\n")
        pushover.api_url = url + "/1/messages.json"
        assert await slack.notify(ctx(), alerts()) == (False, None)
        assert await pushover.notify(ctx(), alerts()) == (False, None)
        s, p = seen
        assert s.path == "/api/chat.postMessage" and s.headers["authorization"] == "Bearer xoxb-1"
        assert json.loads(s.body)["text"] == "hello"
        assert "device=phone" in p.path and "monospace=1" in p.path and "ttl=3600" in p.path
