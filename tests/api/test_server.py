"""The handler chain: GET concurrency limit, request timeout, path cleaning, route prefix,
reload through the coordinator, drop-the-connection inputs, the UI fallback page."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aiohttp

from amclone.api.state import ReloadError

from .conftest import CONFIG, AppFactory


async def _get(url: str, **kw: Any) -> tuple[int, dict[str, str], bytes]:
    async with aiohttp.ClientSession() as s, s.get(url, allow_redirects=False, **kw) as r:
        return r.status, dict(r.headers), await r.read()


async def test_health_and_metrics(app_factory: AppFactory) -> None:
    _, url = await app_factory()
    assert (await _get(url + "/-/healthy"))[::2] == (200, b"OK")
    status, headers, body = await _get(url + "/metrics")
    assert status == 200 and headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = body.decode()
    assert 'alertmanager_build_info{branch="amclone"' in text
    assert not re.search(r"^[a-z_]+_created[{ ]", text, re.MULTILINE)  # no client_python *_created series
    assert "alertmanager_receivers 2.0" in text and "alertmanager_integrations 0.0" in text
    assert 'alertmanager_http_request_duration_seconds_count{handler="/-/healthy",method="get"} 1.0' in text
    assert "Server" not in headers


async def test_get_concurrency_limit(app_factory: AppFactory) -> None:
    app, url = await app_factory(get_concurrency=1)
    gate = asyncio.Event()
    original = app.http.router.routes

    async def slow(request: Any, params: Any) -> Any:
        await gate.wait()
        from aiohttp import web
        return web.Response(text="slow")

    app.http.router.add("GET", "/slow", slow)
    first = asyncio.create_task(_get(url + "/slow"))
    await asyncio.sleep(0.2)
    status, _, body = await _get(url + "/-/healthy")
    assert status == 503
    assert body == b"Limit of concurrent GET requests reached (1), try again later.\n\n"
    gate.set()
    assert (await first)[0] == 200
    assert original is app.http.router.routes


async def test_timeout(app_factory: AppFactory) -> None:
    app, url = await app_factory(timeout_ns=200_000_000)

    async def hang(request: Any, params: Any) -> Any:
        await asyncio.sleep(5)

    app.http.router.add("GET", "/hang", hang)
    status, _, body = await _get(url + "/hang")
    assert (status, body) == (503, b"Exceeded configured timeout of 200ms.\n")


async def test_route_prefix(app_factory: AppFactory) -> None:
    _, url = await app_factory(route_prefix="/am")
    assert (await _get(url + "/"))[:2][0] == 302
    assert (await _get(url + "/"))[1]["Location"] == "/am"
    assert (await _get(url + "/am/-/ready"))[0] == 200
    assert (await _get(url + "/-/ready"))[0] == 404
    assert (await _get(url + "/am/api/v2/receivers"))[2] == b'[{"name":"default"},{"name":"db"}]\n'
    assert (await _get(url + "/am/api/v2"))[1]["Location"] == "/am/api/v2/"


async def test_reload_keeps_old_config(app_factory: AppFactory, tmp_path: Any) -> None:
    app, url = await app_factory()
    cfg = tmp_path / "am0.yml"
    cfg.write_text(CONFIG.replace("receiver: db", "receiver: nope"))
    try:
        await app.reload()
        raise AssertionError("reload should fail")
    except ReloadError as e:
        assert str(e) == 'undefined receiver "nope" used in route'
    async with aiohttp.ClientSession() as s, s.post(url + "/-/reload") as r:
        assert r.status == 500
        assert await r.text() == 'failed to reload config: undefined receiver "nope" used in route\n'
    assert (await _get(url + "/api/v2/receivers"))[2] == b'[{"name":"default"},{"name":"db"}]\n'
    cfg.write_text(CONFIG + "  - name: third\n")
    await app.reload()
    assert b"third" in (await _get(url + "/api/v2/receivers"))[2]
    assert 'alertmanager_config_last_reload_successful 1.0' in (await _get(url + "/metrics"))[2].decode()


async def test_null_alert_drops_connection(app_factory: AppFactory) -> None:
    _, url = await app_factory()
    async with aiohttp.ClientSession() as s:
        try:
            async with s.post(url + "/api/v2/alerts", data=b"[null]",
                              headers={"Content-Type": "application/json"}) as r:
                await r.read()
                raise AssertionError(f"answered {r.status}")
        except aiohttp.ClientError:
            pass
    assert (await _get(url + "/-/healthy"))[0] == 200


async def test_ui_fallback_page(app_factory: AppFactory, tmp_path: Any) -> None:
    ui = tmp_path / "share" / "ui"
    ui.mkdir(parents=True)
    (tmp_path / "share" / "no-ui").mkdir()
    (tmp_path / "share" / "no-ui" / "index.html").write_text("<h1>no ui</h1>")
    _, url = await app_factory(ui_path=str(ui))
    status, headers, body = await _get(url + "/")
    assert (status, body) == (200, b"<h1>no ui</h1>")
    assert headers["Cache-Control"] == "no-cache, no-store, must-revalidate"
    assert (await _get(url + "/script.js"))[0] == 404
