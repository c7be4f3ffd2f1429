"""amclone killed with SIGKILL after notifying: on restart its alerts come back from the alert log,
their groups flush at once, and the notification log (appended per entry, not only snapshotted)
says the receiver already knows, so nothing is sent again; a new alert still is."""

from __future__ import annotations

import json
import time
from pathlib import Path

from amclone.testing.procs import start_amclone
from amclone.testing.timeline import firing, post_alerts
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


def test_kill9_restart_does_not_renotify(tmp_path: Path) -> None:
    with WebhookCollector() as hook:
        cfg = tmp_path / "alertmanager.yml"
        cfg.write_text(CONFIG.replace("{hook}", hook.url))
        proc, url = start_amclone(cfg, tmp_path)
        try:
            post_alerts(url, [firing("Survivor")])
            assert hook.wait_for(1, 10)
            time.sleep(0.3)
        finally:
            proc.kill9()
        proc, url = start_amclone(cfg, tmp_path)
        try:
            time.sleep(2.5)
            assert len(hook.snapshot()) == 1
            post_alerts(url, [firing("Newcomer")])
            assert hook.wait_for(2, 10)
            assert json.loads(hook.snapshot()[1].body)["groupKey"] == '{}:{alertname="Newcomer"}'
        finally:
            proc.stop()
