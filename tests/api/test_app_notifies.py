"""The composition root end to end: an alert posted to the API reaches a webhook through the
dispatcher and pipeline the App wired, with the external URL the flags gave, and shows in
alerts/groups and the notification metrics."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from aiohttp import web

from amclone.testing.procs import free_port

from .conftest import AppFactory


async def test_alert_reaches_webhook(app_factory: AppFactory) -> None:
    got: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def hook(request: web.Request) -> web.Response:
        await got.put(json.loads(await request.read()))
        return web.Response()

    hook_app = web.Application()
    hook_app.router.add_post("/hook", hook)
    runner = web.AppRunner(hook_app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        config = f"""\
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:{port}/hook
"""
        _, url = await app_factory(config, external_url="http://am.example:9093")
        async with aiohttp.ClientSession() as s:
            async with s.post(url + "/api/v2/alerts", json=[{"labels": {"alertname": "Hooked"}}]) as r:
                assert r.status == 200
            msg = await asyncio.wait_for(got.get(), 10)
            assert msg["receiver"] == "hook" and msg["status"] == "firing"
            assert msg["externalURL"] == "http://am.example:9093"
            assert msg["alerts"][0]["labels"] == {"alertname": "Hooked"}
            async with s.get(url + "/api/v2/alerts/groups") as r:
                groups = await r.json()
            assert [g["labels"] for g in groups] == [{"alertname": "Hooked"}]
            async with s.get(url + "/metrics") as r:
                text = await r.text()
            assert "alertmanager_integrations 1.0" in text
            assert 'alertmanager_notifications_total{integration="webhook"} 1.0' in text
    finally:
        await runner.cleanup()
