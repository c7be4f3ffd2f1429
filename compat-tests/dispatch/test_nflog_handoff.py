"""The notification log crosses over: after amclone notified and shut down, Alertmanager 0.25 started
on amclone's ``nflog`` file does not notify the same alert again (and without the file it does);
and the other way round."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from amclone.testing.procs import start_alertmanager
from amclone.testing.timeline import firing, post_alerts
from amclone.testing.webhook import WebhookCollector

sys.path.insert(0, str(Path(__file__).parent))
from test_dispatch_diff import EXTERNAL, start_amclone_dispatching

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


def deliveries_after_post(start: object, config: Path, workdir: Path, hook: WebhookCollector, starts_ns: int,
                          wait: float) -> int:
    before = len(hook.snapshot())
    proc, url = start(config, workdir)  # type: ignore[operator]
    try:
        post_alerts(url, [firing("Handoff", starts_ns, instance="x")])
        time.sleep(wait)
    finally:
        proc.stop()
    return len(hook.snapshot()) - before


def am(config: Path, wd: Path) -> object:
    return start_alertmanager(config, wd, extra=[f"--web.external-url={EXTERNAL}"])


def test_amclone_nflog_read_by_alertmanager(tmp_path: Path) -> None:
    starts = time.time_ns() - 60 * 10**9  # older than group_wait: flushes at once
    with WebhookCollector() as hook:
        cfg = tmp_path / "alertmanager.yml"
        cfg.write_text(CONFIG.replace("{hook}", hook.url))
        amc_dir, am_dir, fresh_dir = tmp_path / "amc", tmp_path / "am", tmp_path / "fresh"
        for d in (amc_dir, am_dir, fresh_dir):
            d.mkdir()
        assert deliveries_after_post(start_amclone_dispatching, cfg, amc_dir, hook, starts, 1.5) == 1
        (am_dir / "am-data").mkdir()
        shutil.copy(amc_dir / "amclone-data" / "nflog", am_dir / "am-data" / "nflog")
        assert deliveries_after_post(am, cfg, am_dir, hook, starts, 2.5) == 0
        assert deliveries_after_post(am, cfg, fresh_dir, hook, starts, 1.5) == 1  # control


def test_alertmanager_nflog_read_by_amclone(tmp_path: Path) -> None:
    starts = time.time_ns() - 60 * 10**9
    with WebhookCollector() as hook:
        cfg = tmp_path / "alertmanager.yml"
        cfg.write_text(CONFIG.replace("{hook}", hook.url))
        am_dir, amc_dir, fresh_dir = tmp_path / "am", tmp_path / "amc", tmp_path / "fresh"
        for d in (amc_dir, am_dir, fresh_dir):
            d.mkdir()
        assert deliveries_after_post(am, cfg, am_dir, hook, starts, 1.5) == 1
        (amc_dir / "amclone-data").mkdir()
        shutil.copy(am_dir / "am-data" / "nflog", amc_dir / "amclone-data" / "nflog")
        assert deliveries_after_post(start_amclone_dispatching, cfg, amc_dir, hook, starts, 2.5) == 0
        assert deliveries_after_post(start_amclone_dispatching, cfg, fresh_dir, hook, starts, 1.5) == 1
