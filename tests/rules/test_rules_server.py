"""Rule evaluation in the real `amclone` process: ``--rules.config`` loads with alertmanager.yml,
remote-written samples make a rule fire, the alert reaches /api/v2/alerts, the webhook and the
``alerting.alertmanagers`` target, Prometheus's rules and alerts APIs show it, and reloads (HTTP
and SIGHUP) swap the rules or, with a broken file, fail with the error and keep the old ones."""

from __future__ import annotations

import json
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from amclone.ingest.codec import compress
from amclone.proto import prometheus_remote_pb2 as pb1
from amclone.testing.procs import Managed, free_port, start_amclone
from amclone.testing.webhook import WebhookCollector

EXTERNAL = "http://amclone.example:9093"
AM_CONFIG = """
route: {receiver: hook, group_wait: 0s, group_interval: 1s, repeat_interval: 1h}
receivers:
  - name: hook
    webhook_configs: [{url: "%s/hook", send_resolved: false}]
"""
PROM_CONFIG = """
global:
  evaluation_interval: 1s
  external_labels: {cluster: c1}
rule_files: ["rules/*.yml"]
alerting:
  alertmanagers: [{static_configs: [{targets: ["127.0.0.1:%d"]}]}]
scrape_configs: []
"""
RULES = """
groups:
  - name: temps
    rules:
      - alert: Hot
        expr: temp > %s
        labels: {severity: page}
        annotations: {summary: "{{ $labels.room }} is {{ $value }}"}
"""
RULES_TWO = RULES + """
      - record: room:temp:max
        expr: max by (room) (max_over_time(temp[6h]))
"""
BROKEN = """
groups:
  - name: temps
    rules:
      - alert: Hot
        expr: temp >
"""


def remote_write(base: str, series: list[tuple[dict[str, str], float]]) -> int:
    req = pb1.WriteRequest()
    now_ms = int(time.time() * 1000)
    for labels, value in series:
        ts = req.timeseries.add()
        for k in sorted(labels):
            ts.labels.add(name=k, value=labels[k])
        ts.samples.add(timestamp=now_ms, value=value)
    r = urllib.request.Request(base + "/api/v1/write", data=compress(req.SerializeToString()), headers={
        "Content-Encoding": "snappy", "Content-Type": "application/x-protobuf",
        "X-Prometheus-Remote-Write-Version": "0.1.0"})
    with urllib.request.urlopen(r, timeout=5) as resp:
        return int(resp.status)


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.loads(resp.read())


def reload(base: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(base + "/-/reload", method="POST"), timeout=10) as r:
            return int(r.status), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_until(what: str, fn: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = fn()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def rule_names(base: str) -> list[str]:
    groups = get_json(base + "/prometheus/api/v1/rules")["data"]["groups"]
    return [r["name"] for g in groups for r in g["rules"]]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, WebhookCollector, WebhookCollector, Managed]]:
    hook, other_am = WebhookCollector().start(), WebhookCollector().start()
    (tmp_path / "am.yml").write_text(AM_CONFIG % hook.url)
    (tmp_path / "prometheus.yml").write_text(PROM_CONFIG % other_am.port)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "temps.yml").write_text(RULES % "5")
    proc, base = start_amclone(tmp_path / "am.yml", tmp_path, extra=[
        f"--rules.config={tmp_path / 'prometheus.yml'}", "--rules.evaluation=on_write",
        "--rules.on-write-min-interval=100ms", f"--web.external-url={EXTERNAL}"])
    try:
        yield base, tmp_path, hook, other_am, proc
    finally:
        proc.stop()
        hook.stop()
        other_am.stop()


def test_remote_written_samples_fire_a_rule_everywhere(
        server: tuple[str, Path, WebhookCollector, WebhookCollector, Managed]) -> None:
    base, _, hook, other_am, _ = server
    assert remote_write(base, [({"__name__": "temp", "room": "a"}, 9.0),
                               ({"__name__": "temp", "room": "b"}, 1.0)]) == 204
    alerts = wait_until("the alert in /api/v2/alerts", lambda: get_json(base + "/api/v2/alerts"))
    assert len(alerts) == 1
    a = alerts[0]
    assert a["labels"] == {"alertname": "Hot", "severity": "page", "room": "a", "cluster": "c1"}
    assert a["annotations"] == {"summary": "a is 9"}
    assert a["generatorURL"] == f"{EXTERNAL}/prometheus/api/v1/query?query=" + urllib.parse.quote_plus("temp > 5")
    assert hook.wait_for(1, 10), "no notification at the webhook"
    sent = json.loads(hook.snapshot()[0].body)
    assert [x["labels"]["room"] for x in sent["alerts"]] == ["a"]
    assert other_am.wait_for(1, 10), "nothing posted to alerting.alertmanagers"
    posted = other_am.snapshot()[0]
    assert posted.path == "/api/v2/alerts"
    assert json.loads(posted.body)[0]["labels"]["alertname"] == "Hot"

    rules = get_json(base + "/prometheus/api/v1/rules")
    assert rules["status"] == "success"
    (group,) = rules["data"]["groups"]
    assert group["name"] == "temps" and group["interval"] == 1
    (rule,) = group["rules"]
    assert (rule["name"], rule["state"], rule["health"], rule["type"]) == ("Hot", "firing", "ok", "alerting")
    assert [x["labels"]["room"] for x in rule["alerts"]] == ["a"]
    firing = get_json(base + "/prometheus/api/v1/alerts")["data"]["alerts"]
    assert [(x["labels"]["room"], x["state"], x["value"]) for x in firing] == [("a", "firing", "9e+00")]
    metrics = urllib.request.urlopen(base + "/metrics", timeout=5).read().decode()
    assert "prometheus_rule_evaluations_total{" in metrics
    assert "prometheus_tsdb_retention_limit_seconds 10800.0" in metrics


def test_reloads_swap_rules_and_a_broken_file_keeps_the_old_ones(
        server: tuple[str, Path, WebhookCollector, WebhookCollector, Managed]) -> None:
    base, wd, _, _, proc = server
    rule_file = wd / "rules" / "temps.yml"
    assert rule_names(base) == ["Hot"]
    rule_file.write_text(RULES_TWO % "5")
    assert reload(base) == (200, "")
    assert rule_names(base) == ["Hot", "room:temp:max"]
    metrics = urllib.request.urlopen(base + "/metrics", timeout=5).read().decode()
    assert "prometheus_tsdb_retention_limit_seconds 21601.0" in metrics  # [6h] + the 1s interval

    rule_file.write_text(BROKEN)
    status, body = reload(base)
    assert status == 500
    assert body.startswith("failed to reload config: error loading rules, previous rule set restored: "
                           f"{rule_file}: "), body
    assert rule_names(base) == ["Hot", "room:temp:max"]
    # the old rules still run
    remote_write(base, [({"__name__": "temp", "room": "c"}, 7.0)])
    wait_until("the old rule firing after the failed reload",
               lambda: [a for a in get_json(base + "/api/v2/alerts") if a["labels"].get("room") == "c"])
    assert "msg=\"loading groups failed\"" in proc.output()

    (wd / "prometheus.yml").write_text("global: {evaluation_interval: nope}\n")
    status, body = reload(base)
    assert (status, body.split(": ")[:3]) == (500, ["failed to reload config",
                                                    f"couldn't load configuration (--rules.config=\"{wd}/prometheus.yml\")",
                                                    f"parsing YAML file {wd}/prometheus.yml"])

    (wd / "prometheus.yml").write_text("rule_files: [\"rules/*.yml\"]\n")
    rule_file.write_text(RULES % "100")
    proc.proc.send_signal(signal.SIGHUP)
    wait_until("SIGHUP reload", lambda: [
        r for g in get_json(base + "/prometheus/api/v1/rules")["data"]["groups"] for r in g["rules"]
        if r["query"] == "temp > 100"])
    assert rule_names(base) == ["Hot"]


def test_a_bad_rule_file_at_start_exits_1(tmp_path: Path) -> None:
    (tmp_path / "am.yml").write_text("route: {receiver: x}\nreceivers: [{name: x}]\n")
    (tmp_path / "prometheus.yml").write_text("rule_files: [bad.yml]\n")
    (tmp_path / "bad.yml").write_text(BROKEN)
    with pytest.raises(RuntimeError, match="exited with 1"):
        start_amclone(tmp_path / "am.yml", tmp_path, port=free_port(),
                      extra=[f"--rules.config={tmp_path / 'prometheus.yml'}"])
    log = next(tmp_path.glob("amclone-*.log")).read_text()
    assert 'msg="Loading rules configuration failed"' in log and "error loading rules" in log


def test_remote_datasource(tmp_path: Path) -> None:
    """--rules.datasource.url: the rules read another server's query API (here a second amclone's
    /prometheus, which has the samples), not the local head."""
    (tmp_path / "am.yml").write_text("route: {receiver: x}\nreceivers: [{name: x}]\n")
    (tmp_path / "prometheus.yml").write_text("global: {evaluation_interval: 1s}\nrule_files: [r.yml]\n")
    (tmp_path / "r.yml").write_text(RULES % "5")
    data_dir, rules_dir = tmp_path / "data", tmp_path / "rules"
    data_dir.mkdir()
    rules_dir.mkdir()
    store, store_url = start_amclone(tmp_path / "am.yml", data_dir)
    try:
        evaluator, base = start_amclone(tmp_path / "am.yml", rules_dir, extra=[
            f"--rules.config={tmp_path / 'prometheus.yml'}", f"--rules.datasource.url={store_url}/prometheus"])
        try:
            remote_write(store_url, [({"__name__": "temp", "room": "r"}, 8.0)])
            alerts = wait_until("the alert from the remote datasource", lambda: get_json(base + "/api/v2/alerts"))
            assert alerts[0]["labels"] == {"alertname": "Hot", "severity": "page", "room": "r"}
            assert get_json(store_url + "/api/v2/alerts") == []
        finally:
            evaluator.stop()
    finally:
        store.stop()
