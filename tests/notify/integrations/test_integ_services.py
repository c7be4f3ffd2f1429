"""Service rules of the 0.25 integrations that the compat tests cannot reach from Alertmanager
itself: fixed URLs (PagerDuty v1, Pushover), answers read for errors (Slack, WeChat, Telegram),
the SNS SDK's own retries, and SMTP conversations (AUTH, STARTTLS required) with aiosmtpd."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from typing import Any

from integ_fixtures import alerts, ctx, notifiers
from integ_server import serve

from amclone.notify.integrations.common import key_hash
from amclone.testing.procs import free_port


async def test_pagerduty_v1_body_and_403_retried() -> None:
    statuses = [200, 403, 400]

    def answer(method: str, path: str) -> tuple[int, str, bytes]:
        return statuses.pop(0), "application/json", (b'{"status":"invalid","message":"Event object is invalid",' \
                                                    b'"errors":["a","b"]}')

    async with serve(answer) as (url, seen):
        (n,) = notifiers("  pagerduty_configs: [{service_key: sk1, url: 'http://unused'}]\n", extended=False)
        n_v1: Any = n
        import amclone.notify.integrations.pagerduty as pd

        old = pd.V1_URL
        pd.V1_URL = url + "/generic/2010-04-15/create_event.json"
        try:
            assert await n_v1.notify(ctx(), alerts()) == (False, None)
            body = json.loads(seen[0].body)
            assert list(body) == ["service_key", "incident_key", "event_type", "description", "event_action",
                                  "payload", "client", "client_url", "details"]
            assert body["incident_key"] == key_hash(ctx().group_key) and body["event_type"] == "trigger"
            assert body["event_action"] == "" and body["payload"] is None
            retry, err = await n_v1.notify(ctx(), alerts())
            assert retry and str(err) == "unexpected status code 403"
            retry, err = await n_v1.notify(ctx(), alerts())
            assert not retry and str(err) == "unexpected status code 400: Event object is invalid: a,b"
        finally:
            pd.V1_URL = old


async def test_pushover_query_string() -> None:
    async with serve(lambda m, p: (200, "application/json", b'{"status":1}')) as (url, seen):
        (n,) = notifiers("  pushover_configs: [{user_key: uk, token: tk, html: true, sound: bell}]\n", extended=False)
        n.api_url = url + "/1/messages.json"
        assert await n.notify(ctx(), alerts()) == (False, None)
        r = seen[0]
        assert r.method == "POST" and r.body == b"" and r.headers["content-type"] == "text/plain"
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(r.path).query)
        assert q["token"] == ["tk"] and q["user"] == ["uk"] and q["html"] == ["1"] and q["priority"] == ["2"]
        assert q["retry"] == ["60"] and q["expire"] == ["3600"] and q["sound"] == ["bell"]
        keys = [kv.split("=")[0] for kv in urllib.parse.urlsplit(r.path).query.split("&")]
        assert keys == sorted(keys)


async def test_slack_answers_read_as_newer_alertmanager() -> None:
    answers = [(200, "text/plain", b"ok"), (200, "application/json", b'{"ok":false,"error":"channel_not_found"}'),
               (200, "text/html", b"invalid_token"), (429, "text/plain", b"slow")]

    async with serve(lambda m, p: answers.pop(0)) as (url, _seen):
        (n,) = notifiers(f"  slack_configs: [{{api_url: '{url}/s', channel: '#x'}}]\n", extended=False)
        assert await n.notify(ctx(), alerts()) == (False, None)
        retry, err = await n.notify(ctx(), alerts())
        assert not retry and str(err) == 'channel "#x": error response from Slack: channel_not_found'
        retry, err = await n.notify(ctx(), alerts())
        assert not retry and str(err) == 'channel "#x": received an error response from Slack: invalid_token'
        retry, err = await n.notify(ctx(), alerts())
        assert not retry and str(err) == 'channel "#x": unexpected status code 429: slow'  # Slack: 429 not retried


async def test_wechat_token_cached_and_dropped_on_42001() -> None:
    sends = [b'{"code":0}', b'{"code":42001,"error":"expired"}', b'{"code":0}', b'{"code":40003,"error":"bad"}']

    def answer(method: str, path: str) -> tuple[int, str, bytes]:
        if "gettoken" in path:
            return 200, "application/json", b'{"access_token":"T"}'
        return 200, "application/json", sends.pop(0)

    async with serve(answer) as (url, seen):
        (n,) = notifiers(f"  wechat_configs: [{{api_secret: s, corp_id: c, api_url: '{url}/cgi-bin/'}}]\n",
                         extended=False)
        assert await n.notify(ctx(), alerts()) == (False, None)
        retry, err = await n.notify(ctx(), alerts())
        assert retry and str(err) == "expired"
        paths = [r.path.split("?")[0] for r in seen]
        assert paths[:3] == ["/cgi-bin/gettoken", "/cgi-bin/message/send", "/cgi-bin/message/send"]
        assert await n.notify(ctx(), alerts()) == (False, None)
        assert [r.path.split("?")[0] for r in seen][3] == "/cgi-bin/gettoken"  # fetched again after 42001
        retry, err = await n.notify(ctx(), alerts())
        assert not retry and str(err) == "bad"


async def test_sns_sdk_retries_then_alertmanager_decides() -> None:
    err = (b'<ErrorResponse><Error><Type>Sender</Type><Code>InternalError</Code><Message>oops</Message></Error>'
           b'</ErrorResponse>')

    async with serve(lambda m, p: (500, "text/xml", err)) as (url, seen):
        (n,) = notifiers(f"  sns_configs: [{{api_url: '{url}', topic_arn: 'arn:aws:sns:eu-west-1:1:t',"
                         " sigv4: {region: eu-west-1, access_key: A, secret_key: S}}]\n", extended=False)
        retry, e = await n.notify(ctx(), alerts())
        assert retry and str(e) == "unexpected status code 500: oops"
        assert len(seen) == 4  # the SDK's 3 retries
        assert seen[0].path == "/" and "Action=Publish" in seen[0].body.decode()


async def test_telegram_every_failure_retried() -> None:
    async with serve(lambda m, p: (400, "application/json",
                                   b'{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}')) \
            as (url, seen):
        (n,) = notifiers(f"  telegram_configs: [{{api_url: '{url}', bot_token: b, chat_id: 3}}]\n", extended=False)
        retry, err = await n.notify(ctx(), alerts())
        assert retry and str(err) == "telegram: Bad Request: chat not found (400)"
        assert seen[0].path == "/botb/sendMessage" and seen[0].headers["user-agent"] == "Go-http-client/1.1"


async def test_email_auth_and_require_tls() -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    got: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            got.append((session.host_name, envelope.mail_from, envelope.rcpt_tos, envelope.content,
                        envelope.mail_options))
            return "250 OK"

    auths: list[Any] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        auths.append((mechanism, data.login, data.password))
        return AuthResult(success=True)

    port = free_port()
    # aiosmtpd's LOGIN prompts "User Name", which Go's loginAuth (and so ours) rejects
    ctl = Controller(Handler(), hostname="127.0.0.1", port=port, authenticator=authenticator, auth_require_tls=False,
                     auth_exclude_mechanism=["LOGIN"])
    ctl.start()
    try:
        (n,) = notifiers(f"  email_configs: [{{to: 'a@x, b@y', from: f@z, smarthost: '127.0.0.1:{port}',"
                         " require_tls: false, auth_username: u, auth_password: p, hello: me.example}]\n",
                         extended=False)
        assert await n.notify(ctx(), alerts()) == (False, None)
        assert auths and auths[0] == ("PLAIN", b"u", b"p")
        host, sender, rcpts, content, opts = got[0]
        assert host == "me.example" and sender == "f@z" and rcpts == ["a@x", "b@y"]
        assert "BODY=8BITMIME" in opts and b"Content-Type: multipart/alternative;  boundary=" in content
        (n2,) = notifiers(f"  email_configs: [{{to: a@x, from: f@z, smarthost: '127.0.0.1:{port}'}}]\n",
                          extended=False)
        retry, err = await n2.notify(ctx(), alerts())
        assert retry and str(err) == (f"'require_tls' is true (default) but \"127.0.0.1:{port}\" does not "
                                      "advertise the STARTTLS extension")
    finally:
        await asyncio.to_thread(ctl.stop)


async def test_email_cram_md5() -> None:
    import base64
    import hashlib
    import hmac

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    seen: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            return "250 OK"

        async def auth_CRAM__MD5(self, server: Any, args: list[str]) -> AuthResult:
            challenge = b"<1.2@test>"
            answer = await server.challenge_auth(base64.b64encode(challenge).decode(), encode_to_b64=False)
            seen.append(answer)
            user, _, digest = answer.decode().partition(" ")
            want = hmac.new(b"s3cret", challenge, hashlib.md5).hexdigest()
            return AuthResult(success=user == "u" and digest == want, handled=False)

    port = free_port()
    ctl = Controller(Handler(), hostname="127.0.0.1", port=port, auth_require_tls=False,
                     auth_exclude_mechanism=["LOGIN", "PLAIN"])
    ctl.start()
    try:
        (n,) = notifiers(f"  email_configs: [{{to: a@x, from: f@z, smarthost: '127.0.0.1:{port}', require_tls: false,"
                         " auth_username: u, auth_secret: s3cret}]\n", extended=False)
        assert await n.notify(ctx(), alerts()) == (False, None)
        assert seen and seen[0].startswith(b"u ")
    finally:
        await asyncio.to_thread(ctl.stop)
