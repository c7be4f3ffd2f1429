"""End to end: the real Prometheus 2.42 scrapes a test exporter every second and remote-writes to
amclone; the exporter's value crosses a rule's threshold; amclone's rule manager puts the alert in
its store, dispatch routes it and the webhook receives it. Run both ways: the interval grid (1 s)
and event-driven evaluation (``evaluation: on_write``). Built here from amclone's parts the way
the composition root wires them (remote write with the on-write wrapper, the manager over the
head, the store sender, the notification system), since `amclone.app` does not mount rules yet.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry

from amclone import config as amconfig
from amclone.alerts import AlertStore, Marker
from amclone.dispatch.system import NotificationSystem
from amclone.ingest.handler import make_write_handler
from amclone.nflog import NotificationLog
from amclone.promql import Engine
from amclone.rules import files
from amclone.rules.datasource import LocalSource
from amclone.rules.group import HeadWriter
from amclone.rules.manager import ManagerOptions, RuleManager, notifying
from amclone.rules.metrics import RuleMetrics
from amclone.rules.sender import StoreSender
from amclone.silence import Silencer, Silences
from amclone.testing.procs import Managed, free_port, wait_http
from amclone.testing.webhook import WebhookCollector
from amclone.timeutil import SystemClock
from amclone.tsdb import Head

AM_CONFIG = """
route: {receiver: hook, group_wait: 1s, group_interval: 5s, repeat_interval: 1h}
receivers:
  - name: hook
    webhook_configs: [{url: "%s/hook", send_resolved: false}]
"""


async def _run(tmp_path: Path, prometheus: str, evaluation: str) -> float:
    value = {"v": 1.0}

    async def metrics(_r: web.Request) -> web.Response:
        return web.Response(text=f"# TYPE e2e_value gauge\ne2e_value {value['v']}\n")

    clock, head = SystemClock(), Head()
    reg = CollectorRegistry()
    marker = Marker()
    store = AlertStore(clock, marker)
    await store.start()
    silences = Silences(clock)
    nflog = NotificationLog(clock)
    system = NotificationSystem(clock=clock, store=store, marker=marker, silencer=Silencer(silences, marker),
                                nflog=nflog, external_url="http://amclone", registry=reg)
    hook = WebhookCollector().start()
    system.apply(amconfig.load(AM_CONFIG % hook.url))
    manager = RuleManager(clock, LocalSource(Engine(head)), HeadWriter(head), [StoreSender(store, clock)],
                          RuleMetrics(reg), ManagerOptions(external_url="http://amclone",
                                                           on_write_min_interval=200_000_000), head=head)
    rules = (files.Rule(files.ALERT, "E2EHigh", "e2e_value > 5", 0, 0, {"severity": "page"}, {}),)
    manager.apply([files.Group("/e2e.yml", "e2e", 1_000_000_000 if evaluation == files.INTERVAL else 30_000_000_000,
                               rules, evaluation=evaluation)])
    await manager.start()
    app = web.Application()
    app.router.add_get("/metrics", metrics)
    app.router.add_post("/api/v1/write", notifying(make_write_handler(head), manager))
    runner = web.AppRunner(app, auto_decompress=False)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    (tmp_path / "p.yml").write_text(
        "global: {scrape_interval: 1s}\n"
        f"scrape_configs: [{{job_name: e2e, static_configs: [{{targets: ['127.0.0.1:{port}']}}]}}]\n"
        f"remote_write: [{{url: 'http://127.0.0.1:{port}/api/v1/write', "
        "queue_config: {batch_send_deadline: 100ms, max_samples_per_send: 100}}]\n")
    pport = free_port()
    prom = Managed([prometheus, f"--config.file={tmp_path / 'p.yml'}", f"--storage.tsdb.path={tmp_path / 'd'}",
                    f"--web.listen-address=127.0.0.1:{pport}"], log=tmp_path / "prom.log")
    try:
        await asyncio.to_thread(wait_http, f"http://127.0.0.1:{pport}/-/ready", 30, prom.proc)
        for _ in range(200):  # samples arriving
            if head.num_series:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(2)
        crossed = time.time()
        value["v"] = 10.0
        ok = await asyncio.to_thread(hook.wait_for, 1, 20)
        assert ok, "no notification"
        d = hook.snapshot()[0]
        body = json.loads(d.body)
        assert body["alerts"][0]["labels"] == {"alertname": "E2EHigh", "severity": "page", "instance":
                                               f"127.0.0.1:{port}", "job": "e2e"}
        assert body["alerts"][0]["generatorURL"].startswith("http://amclone/prometheus/api/v1/query?query=")
        return d.at - crossed
    finally:
        prom.stop()
        await manager.stop()
        await runner.cleanup()
        await system.close()
        await store.stop()
        hook.stop()


@pytest.mark.parametrize("evaluation", [files.INTERVAL, files.ON_WRITE])
def test_threshold_crossing_reaches_the_webhook(evaluation: str, prometheus_bin: str, tmp_path: Path) -> None:
    latency = asyncio.run(_run(tmp_path, prometheus_bin, evaluation))
    # scrape 1 s + (evaluation 1 s | on write) + group_wait 1 s, plus remote-write batching
    budget = 1 + 1 + 1 + 1.5 if evaluation == files.INTERVAL else 1 + 1 + 1.5
    print(f"{evaluation}: detection latency {latency:.2f}s (budget {budget}s)")
    assert latency < budget
