"""The webhook integration: the body byte for byte (a capture from Alertmanager 0.25), max_alerts,
QuoteMeta'd receiver, headers, status handling, and http_config against real loopback servers."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from amclone import config as amconfig
from amclone.alerts import Alert
from amclone.compat.timefmt import parse_rfc3339
from amclone.notify.stage import NotifyContext
from amclone.notify.webhook import WebhookNotifier, quote_meta, webhook_body
from amclone.timeutil import ZERO_TIME, SystemClock

CAPTURED = (
    b'{"receiver":"hook","status":"resolved","alerts":[{"status":"resolved","labels":{"alertname":"HostDown",'
    b'"instance":"db1","severity":"critical"},"annotations":{},"startsAt":"2026-12-04T06:16:50.54366054Z",'
    b'"endsAt":"2026-12-04T06:17:27.657Z","generatorURL":"","fingerprint":"801545ffd729a0c2"}],'
    b'"groupLabels":{"alertname":"HostDown"},"commonLabels":{"alertname":"HostDown","instance":"db1",'
    b'"severity":"critical"},"commonAnnotations":{},"externalURL":"http://vm:19093","version":"4",'
    b'"groupKey":"{}:{alertname=\\"HostDown\\"}","truncatedAlerts":0}\n'
)


def ctx(receiver: str = "hook", key: str = '{}:{alertname="HostDown"}', labels: dict[str, str] | None = None
        ) -> NotifyContext:
    return NotifyContext(key, labels if labels is not None else {"alertname": "HostDown"}, receiver, 3600,
                         0, 2**62)


def test_body_matches_captured_alertmanager_bytes() -> None:
    a = Alert({"alertname": "HostDown", "instance": "db1", "severity": "critical"}, {},
              parse_rfc3339("2026-12-04T06:16:50.54366054Z"), parse_rfc3339("2026-12-04T06:17:27.657Z"), 0)
    now = parse_rfc3339("2026-12-04T06:18:00Z")
    assert webhook_body(ctx(), [a], 0, "http://vm:19093", now) == CAPTURED


def test_firing_zero_ends_truncation_common_labels_and_escaping() -> None:
    now = 1_700_000_000 * 10**9
    alerts = [Alert({"alertname": "A", "i": str(i), "x": "<&>"}, {"s": "same", "d": str(i)}, now, ZERO_TIME, now)
              for i in range(3)]
    body = json.loads(webhook_body(ctx("team.a+b", "{}:{}", {}), alerts, 2, "http://x", now))
    assert body["receiver"] == "team\\.a\\+b" and body["truncatedAlerts"] == 1 and len(body["alerts"]) == 2
    assert body["alerts"][0]["endsAt"] == "0001-01-01T00:00:00Z" and body["status"] == "firing"
    assert body["commonLabels"] == {"alertname": "A", "x": "<&>"} and body["commonAnnotations"] == {"s": "same"}
    raw = webhook_body(ctx(), alerts, 0, "http://x", now)
    assert b"\\u003c\\u0026\\u003e" in raw and raw.endswith(b"}\n")


def test_quote_meta() -> None:
    assert quote_meta(r"a.b*c?(d)|[e]{f}^$\g+") == r"a\.b\*c\?\(d\)\|\[e\]\{f\}\^\$\\g\+"


class Server:
    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes, str]] = []
        self.replies: list[tuple[int, bytes]] = []
        self.tokens = 0


@pytest.fixture
async def server(aiohttp_server: Any) -> AsyncIterator[tuple[Server, str]]:
    state = Server()

    async def hook(request: web.Request) -> web.Response:
        state.requests.append((dict(request.headers), await request.read(), request.path))
        status, body = state.replies.pop(0) if state.replies else (200, b"")
        return web.Response(status=status, body=body)

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect("/hook")

    async def token(request: web.Request) -> web.Response:
        state.tokens += 1
        form = await request.post()
        assert form["grant_type"] == "client_credentials" and form["scope"] == "a b"
        assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"id:sec").decode()
        return web.json_response({"access_token": "tok", "token_type": "bearer", "expires_in": 3600})

    app = web.Application()
    app.router.add_post("/hook", hook)
    app.router.add_post("/redirect", redirect)
    app.router.add_post("/token", token)
    srv = await aiohttp_server(app)
    yield state, f"http://127.0.0.1:{srv.port}"


def webhook_conf(url: str, http: str = "") -> Any:
    cfg = amconfig.load(f"""
route: {{receiver: r}}
receivers:
  - name: r
    webhook_configs:
      - url: {url}
{http}
""")
    return cfg.receivers[0].webhook_configs[0]


def alert() -> Alert:
    return Alert({"alertname": "A"}, {}, 0, ZERO_TIME, 0)


async def test_headers_and_status_rules(server: tuple[Server, str]) -> None:
    state, base = server
    n = WebhookNotifier(webhook_conf(base + "/hook"), "http://am", SystemClock())
    assert await n.notify(ctx(), [alert()]) == (False, None)
    headers, body, _ = state.requests[0]
    assert headers["User-Agent"] == "Alertmanager/0.25.0" and headers["Content-Type"] == "application/json"
    assert json.loads(body)["version"] == "4"
    state.replies = [(503, b"later"), (404, b"nope")]
    retry, err = await n.notify(ctx(), [alert()])
    assert retry and str(err) == f"unexpected status code 503: {base}/hook: later"
    retry, err = await n.notify(ctx(), [alert()])
    assert not retry and str(err) == f"unexpected status code 404: {base}/hook: nope"
    await n.close()


async def test_transport_error_is_retried() -> None:
    from amclone.testing.procs import free_port

    n = WebhookNotifier(webhook_conf(f"http://127.0.0.1:{free_port()}/hook"), "http://am", SystemClock())
    retry, err = await n.notify(ctx(), [alert()])
    assert retry and err is not None and str(err).startswith('Post "http://127.0.0.1:')
    await n.close()


async def test_basic_auth_with_password_file(server: tuple[Server, str], tmp_path: Path) -> None:
    state, base = server
    (tmp_path / "pw").write_text("s3cret\n")
    conf = webhook_conf(base + "/hook", f"""        http_config:
          basic_auth: {{username: u, password_file: {tmp_path / 'pw'}}}""")
    n = WebhookNotifier(conf, "", SystemClock())
    await n.notify(ctx(), [alert()])
    assert state.requests[0][0]["Authorization"] == "Basic " + base64.b64encode(b"u:s3cret").decode()
    await n.close()


async def test_bearer_token_and_authorization(server: tuple[Server, str]) -> None:
    state, base = server
    for http, want in (("bearer_token: abc", "Bearer abc"),
                       ("authorization: {type: Token, credentials: xyz}", "Token xyz")):
        n = WebhookNotifier(webhook_conf(base + "/hook", f"        http_config:\n          {http}"), "", SystemClock())
        await n.notify(ctx(), [alert()])
        assert state.requests[-1][0]["Authorization"] == want
        await n.close()


async def test_oauth2_client_credentials_cached(server: tuple[Server, str]) -> None:
    state, base = server
    conf = webhook_conf(base + "/hook", f"""        http_config:
          oauth2: {{client_id: id, client_secret: sec, token_url: '{base}/token', scopes: [a, b]}}""")
    n = WebhookNotifier(conf, "", SystemClock())
    await n.notify(ctx(), [alert()])
    await n.notify(ctx(), [alert()])
    assert state.tokens == 1 and state.requests[-1][0]["Authorization"] == "Bearer tok"
    await n.close()


async def test_follow_redirects_on_and_off(server: tuple[Server, str]) -> None:
    state, base = server
    n = WebhookNotifier(webhook_conf(base + "/redirect"), "", SystemClock())
    assert await n.notify(ctx(), [alert()]) == (False, None)
    assert state.requests[-1][2] == "/hook"
    await n.close()
    off = WebhookNotifier(webhook_conf(base + "/redirect", "        http_config:\n          follow_redirects: false"),
                          "", SystemClock())
    retry, err = await off.notify(ctx(), [alert()])
    assert not retry and str(err).startswith("unexpected status code 307")
    await off.close()


async def test_proxy_url_is_used(aiohttp_server: Any) -> None:
    seen: list[str] = []

    async def proxy(request: web.Request) -> web.Response:
        seen.append(str(request.url))
        return web.Response(status=200)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", proxy)
    psrv = await aiohttp_server(app)
    conf = webhook_conf("http://hook.invalid/hook", f"        http_config:\n          proxy_url: http://127.0.0.1:{psrv.port}")
    n = WebhookNotifier(conf, "", SystemClock())
    assert await n.notify(ctx(), [alert()]) == (False, None)
    assert seen == ["http://hook.invalid/hook"]
    await n.close()





def _cert(d: Path, cn: str = "127.0.0.1") -> tuple[Path, Path]:
    import subprocess

    cert, key = d / f"{cn}.pem", d / f"{cn}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", f"/CN={cn}", "-addext", f"subjectAltName=DNS:{cn},IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


async def test_tls_config_ca_server_name_and_insecure(tmp_path: Path, aiohttp_server: Any) -> None:
    import ssl

    cert, key = _cert(tmp_path, "hook.test")
    sctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    sctx.load_cert_chain(cert, key)
    got: list[str] = []

    async def hook(request: web.Request) -> web.Response:
        got.append(request.path)
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    srv = await aiohttp_server(app, ssl=sctx)
    url = f"https://127.0.0.1:{srv.port}/hook"
    plain = WebhookNotifier(webhook_conf(url), "", SystemClock())
    retry, err = await plain.notify(ctx(), [alert()])
    assert retry and err is not None  # unknown CA
    await plain.close()
    for tls in (f"{{ca_file: {cert}, server_name: hook.test}}", "{insecure_skip_verify: true}"):
        n = WebhookNotifier(webhook_conf(url, f"        http_config:\n          tls_config: {tls}"), "", SystemClock())
        assert await n.notify(ctx(), [alert()]) == (False, None)
        await n.close()
    assert got == ["/hook", "/hook"]


async def test_oauth2_falls_back_to_credentials_in_form(aiohttp_server: Any) -> None:
    styles: list[str] = []

    async def token(request: web.Request) -> web.Response:
        form = await request.post()
        if "Authorization" in request.headers:
            styles.append("header")
            return web.json_response({"error": "invalid_client"}, status=401)
        styles.append("params")
        assert form["client_id"] == "id" and form["client_secret"] == "sec"
        return web.json_response({"access_token": "t2", "expires_in": 1})

    async def hook(request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == "Bearer t2"
        return web.Response()

    app = web.Application()
    app.router.add_post("/token", token)
    app.router.add_post("/hook", hook)
    srv = await aiohttp_server(app)
    base = f"http://127.0.0.1:{srv.port}"
    conf = webhook_conf(base + "/hook", f"""        http_config:
          oauth2: {{client_id: id, client_secret: sec, token_url: '{base}/token'}}""")
    n = WebhookNotifier(conf, "", SystemClock())
    assert await n.notify(ctx(), [alert()]) == (False, None)
    assert await n.notify(ctx(), [alert()]) == (False, None)  # expired at once: fetched again
    assert styles == ["header", "params", "params"]  # the style that worked is kept
    await n.close()


def test_posted_offsets_print_as_posted() -> None:
    """0.25 marshals the time.Time it holds, in the zone the client posted (webhook bytes
    captured from the real binary); a firing alert's end is the zero time, in UTC."""
    starts, ends = "2026-12-04T04:00:00.123456789-05:30", "2026-12-04T10:30:00.5+01:00"
    a = Alert({"a": "1"}, {}, parse_rfc3339(starts), parse_rfc3339(ends), 0, starts_off=-19800, ends_off=3600)
    now = parse_rfc3339("2026-12-04T10:00:00Z")
    alert = json.loads(webhook_body(ctx(), [a], 0, "http://x", now))["alerts"][0]
    assert (alert["startsAt"], alert["endsAt"]) == (starts, ends)
    firing = json.loads(webhook_body(ctx(), [a.with_ends_at(ZERO_TIME)], 0, "http://x", now))["alerts"][0]
    assert (firing["startsAt"], firing["endsAt"]) == (starts, "0001-01-01T00:00:00Z")
