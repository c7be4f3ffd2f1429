"""Alerts to other Alertmanagers (a real HTTP receiver), the notifier's shape and counting, the
on-write wrapper of the remote-write handler, and the rules/alerts API views."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry

from amclone.promql import Engine
from amclone.rules import files
from amclone.rules.alerting import FIRING, ActiveAlert
from amclone.rules.apiview import alerts_json, make_handlers, rules_json
from amclone.rules.config import AlertmanagerTargets
from amclone.rules.datasource import LocalSource
from amclone.rules.group import RuleGroup
from amclone.rules.manager import RuleManager, notifying
from amclone.rules.metrics import RuleMetrics
from amclone.rules.sender import AlertmanagerSender, to_out
from amclone.testing.procs import free_port
from amclone.timeutil import FakeClock
from amclone.tsdb import Head

S = 1_000_000_000
T = 1_700_000_000 * S


async def receiver(status: int = 200) -> tuple[web.AppRunner, str, list[Any]]:
    got: list[Any] = []

    async def handle(request: web.Request) -> web.Response:
        got.append((request.headers.get("Content-Type"), json.loads(await request.read())))
        return web.Response(status=status)
    app = web.Application()
    app.router.add_post("/am/api/v2/alerts", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"127.0.0.1:{port}", got


def firing(i: int) -> ActiveAlert:
    return ActiveAlert({"alertname": "A", "i": str(i), "dc": "own"}, {"s": "x"}, FIRING, T, 1.0, fired_at=T + S,
                       valid_until=T + 240 * S)


async def test_posts_batches_of_64_with_external_labels_and_counts() -> None:
    runner, target, got = await receiver()
    reg = CollectorRegistry()
    sender = AlertmanagerSender([AlertmanagerTargets((target,), path_prefix="/am")], registry=reg)
    out = to_out([firing(i) for i in range(70)], "x > 1", {"dc": "ext", "env": "p"}, "http://me:9093/")
    await sender.send(out)
    await sender.close()
    await runner.cleanup()
    assert [len(b) for _, b in got] == [64, 6] and got[0][0] == "application/json"
    first = got[0][1][0]
    assert first["labels"] == {"alertname": "A", "i": "0", "dc": "own", "env": "p"}
    assert first["startsAt"] == "2023-11-14T22:13:21Z" and first["endsAt"] == "2023-11-14T22:17:20Z"
    assert first["generatorURL"] == "http://me:9093/prometheus/api/v1/query?query=x+%3E+1"
    url = f"http://{target}/am/api/v2/alerts"
    assert reg.get_sample_value("prometheus_notifications_sent_total", {"alertmanager": url}) == 70


async def test_failures_are_counted_and_dropped_when_no_alertmanager_took_them() -> None:
    runner, target, _ = await receiver(status=500)
    reg = CollectorRegistry()
    dead = f"127.0.0.1:{free_port()}"
    sender = AlertmanagerSender([AlertmanagerTargets((target, dead), path_prefix="/am")], registry=reg)
    await sender.send(to_out([firing(1)], "x", {}, "http://me"))
    await sender.close()
    await runner.cleanup()
    assert reg.get_sample_value("prometheus_notifications_dropped_total") == 1
    assert reg.get_sample_value("prometheus_notifications_errors_total",
                                {"alertmanager": f"http://{target}/am/api/v2/alerts"}) == 1


async def test_notifying_wrapper_tells_the_manager_on_success_only() -> None:
    calls: list[int] = []

    class M:
        def notify_write(self) -> None:
            calls.append(1)

    async def ok(_r: web.Request) -> web.StreamResponse:
        return web.Response(status=204)

    async def bad(_r: web.Request) -> web.StreamResponse:
        return web.Response(status=400)
    await notifying(ok, M())(None)  # type: ignore[arg-type]
    await notifying(bad, M())(None)  # type: ignore[arg-type]
    assert calls == [1]


def group() -> RuleGroup:
    head = Head()
    rules = (files.Rule(files.ALERT, "A", "vector(2)", 60 * S, 0, {"z": "1", "a": "2"}, {"s": "{{ $value }}"}),
             files.Rule(files.RECORD, "r", "vector(1)"), files.Rule(files.RECORD, "bad", "up[1m]"))
    g = RuleGroup(files.Group("/f.yml", "g", 30 * S, rules), LocalSource(Engine(head)), None)
    g.eval(T)
    return g


def test_rules_json_shape_and_filters() -> None:
    g = group()
    data = rules_json([g])
    grp = data["groups"][0]
    assert list(grp) == ["name", "file", "rules", "interval", "limit", "evaluationTime", "lastEvaluation"]
    a, r, bad = grp["rules"]
    assert list(a) == ["state", "name", "query", "duration", "keepFiringFor", "labels", "annotations", "alerts",
                       "health", "evaluationTime", "lastEvaluation", "type"]
    assert list(a["labels"]) == ["a", "z"] and a["state"] == "pending" and a["alerts"][0]["value"] == "2e+00"
    assert "labels" not in r and r["type"] == "recording"
    assert bad["health"] == "err" and bad["lastError"] == "rule result is not a vector or scalar"
    assert [x["name"] for x in rules_json([g], kind="record")["groups"][0]["rules"]] == ["r", "bad"]
    assert "alerts" not in rules_json([g], exclude_alerts=True)["groups"][0]["rules"][0]
    assert rules_json([g], names=["nope"]) == {"groups": []}
    assert alerts_json([g])["alerts"][0]["annotations"] == {"s": "2"}


async def test_handlers_answer_prometheus_envelopes(aiohttp_client: Any) -> None:
    g = group()
    app = web.Application()
    for method, path, handler in make_handlers(lambda: [g]):
        app.router.add_route(method, path, handler)
    client = await aiohttp_client(app)
    body = await (await client.get("/api/v1/rules")).json()
    assert body["status"] == "success" and body["data"]["groups"][0]["interval"] == 30
    resp = await client.get("/api/v1/rules?type=x")
    assert resp.status == 400 and (await resp.json())["errorType"] == "bad_data"
    assert (await (await client.get("/api/v1/alerts")).json())["data"]["alerts"][0]["state"] == "pending"


def test_manager_without_groups_is_quiet() -> None:
    m = RuleManager(FakeClock(T), LocalSource(Engine(Head())), None, [], RuleMetrics(CollectorRegistry()))
    m.apply([])
    m.notify_write()
    assert m.groups() == []
