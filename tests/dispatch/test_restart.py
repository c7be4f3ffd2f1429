"""amclone killed with SIGKILL after notifying: on restart its alerts come back from the alert log,
their groups flush at once, and the notification log (appended per entry, not only snapshotted)
says the receiver already knows, so nothing is sent again; a new alert still is."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

from amclone.compat.timefmt import format_rfc3339nano
from amclone.testing.procs import start_amclone
from amclone.testing.webhook import WebhookCollector

CONFIG = """
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: {hook}/hook
"""


def post(url: str, name: str) -> None:
    body = json.dumps([{"labels": {"alertname": name}, "startsAt": format_rfc3339nano(time.time_ns())}]).encode()
    req = urllib.request.Request(url + "/api/v2/alerts", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


def test_kill9_restart_does_not_renotify(tmp_path: Path) -> None:
    with WebhookCollector() as hook:
        cfg = tmp_path / "alertmanager.yml"
        cfg.write_text(CONFIG.replace("{hook}", hook.url))
        proc, url = start_amclone(cfg, tmp_path)
        try:
            post(url, "Survivor")
            assert hook.wait_for(1, 10)
            time.sleep(0.3)
        finally:
            proc.kill9()
        proc, url = start_amclone(cfg, tmp_path)
        try:
            time.sleep(2.5)
            assert len(hook.snapshot()) == 1
            post(url, "Newcomer")
            assert hook.wait_for(2, 10)
            assert json.loads(hook.snapshot()[1].body)["groupKey"] == '{}:{alertname="Newcomer"}'
        finally:
            proc.stop()
