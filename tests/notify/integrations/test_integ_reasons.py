"""Where an integration names the failure reason itself, as newer Alertmanager releases do:
a refusal inside Slack's or Rocket.Chat's 2xx answer is a client error, Telegram's error_code
decides, SNS templating errors are client errors; a status answer decides everywhere else."""

from __future__ import annotations

from typing import Any

from integ_fixtures import alerts, ctx, notifiers
from integ_server import serve

from amclone.notify.reason import failure_reason


async def test_slack_reasons() -> None:
    answers = [(200, "application/json", b'{"ok":false,"error":"channel_not_found"}'),
               (200, "application/json", b"{not json"), (200, "text/html", b"invalid_token"),
               (429, "text/plain", b"slow"), (403, "text/plain", b"no"), (502, "text/plain", b"bad gateway")]
    async with serve(lambda m, p: answers.pop(0)) as (url, _seen):
        (n,) = notifiers(f"  slack_configs: [{{api_url: '{url}/s', channel: '#x'}}]\n", extended=False)
        got = []
        for _ in range(6):
            _, err = await n.notify(ctx(), alerts())
            got.append(failure_reason(err))
    assert got == ["clientError", "clientError", "clientError", "rateLimited", "authError", "serverError"]


async def test_rocketchat_refusal_in_200_is_client_error() -> None:
    answers = [(200, "application/json", b'{"success":false,"error":"nope"}'), (401, "application/json", b"{}")]
    async with serve(lambda m, p: answers.pop(0)) as (url, _seen):
        (n,) = notifiers(f"  rocketchat_configs: [{{api_url: '{url}', token: t, token_id: i, channel: '#x'}}]\n")
        _, e1 = await n.notify(ctx(), alerts())
        _, e2 = await n.notify(ctx(), alerts())
    assert (failure_reason(e1), failure_reason(e2)) == ("clientError", "authError")


async def test_telegram_error_code_decides() -> None:
    answers = [(429, "application/json", b'{"ok":false,"error_code":429,"description":"Too Many Requests"}'),
               (400, "application/json", b'{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked"}'),
               (502, "text/html", b"<html>bad gateway</html>")]
    async with serve(lambda m, p: answers.pop(0)) as (url, _seen):
        (n,) = notifiers(f"  telegram_configs: [{{api_url: '{url}', bot_token: b, chat_id: 3}}]\n", extended=False)
        got = []
        for _ in range(3):
            retry, err = await n.notify(ctx(), alerts())
            assert retry
            got.append(failure_reason(err))
    assert got == ["rateLimited", "authError", "other"]  # an unreadable answer is no telebot.Error


async def test_sns_template_error_is_client_error() -> None:
    (n,) = notifiers("  sns_configs: [{api_url: 'http://127.0.0.1:1', topic_arn: 'arn:aws:sns:eu-west-1:1:t',"
                     " message: '{{ template \"nope\" . }}', sigv4: {region: eu-west-1, access_key: A, secret_key: S}}]\n",
                     extended=False)
    sns: Any = n
    retry, err = await sns.notify(ctx(), alerts())
    assert retry and failure_reason(err) == "clientError"


async def test_webhook_and_status_integrations_follow_the_status() -> None:
    answers = [(404, "text/plain", b"gone"), (404, "text/plain", b"gone")]
    async with serve(lambda m, p: answers.pop(0)) as (url, _seen):
        (hook,) = notifiers(f"  webhook_configs: [{{url: '{url}/h'}}]\n", extended=False)
        (disc,) = notifiers(f"  discord_configs: [{{webhook_url: '{url}/d'}}]\n", extended=False)
        _, e1 = await hook.notify(ctx(), alerts())
        _, e2 = await disc.notify(ctx(), alerts())
    assert (failure_reason(e1), failure_reason(e2)) == ("clientError", "clientError")
