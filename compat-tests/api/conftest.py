"""One real Alertmanager 0.25 and one amclone, started on the same configuration for a module."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from api_harness import Server

from amclone.testing.procs import start_alertmanager, start_amclone

CONFIG = """\
global:
  resolve_timeout: 5m
route:
  receiver: default
  group_by: [alertname]
  group_wait: 1h
  group_interval: 1h
  routes:
    - match: {team: db}
      receiver: db
      continue: true
    - matchers: ['severity=~"crit|page"']
      receiver: pager
    - match_re: {service: "^(web|api)$"}
      receiver: web
inhibit_rules:
  - source_matchers: [severity="crit"]
    target_matchers: [severity="warn"]
    equal: [alertname]
receivers:
  - name: default
  - name: db
  - name: pager
  - name: web
  - name: unused
"""


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    base = tmp_path_factory.mktemp("api-diff")
    cfg = base / "alertmanager.yml"
    cfg.write_text(CONFIG)
    (base / "am").mkdir()
    (base / "ours").mkdir()
    am, am_url = start_alertmanager(cfg, base / "am")
    try:
        ours, our_url = start_amclone(cfg, base / "ours")
    except BaseException:
        am.stop()
        raise
    try:
        yield Server(am_url), Server(our_url)
    finally:
        ours.stop()
        am.stop()
