"""Building notifiers from config text for the unit tests, and a context and alerts."""

from __future__ import annotations

from typing import Any

from amclone import config as amconfig
from amclone.alerts import Alert
from amclone.notify.integrations import factories
from amclone.notify.pipeline import build_integrations
from amclone.notify.stage import NotifyContext
from amclone.template import from_globs
from amclone.timeutil import SystemClock

NS = 1_000_000_000
NOW = 1_767_225_600 * NS  # 2026-01-01T00:00:00Z
KEY = '{}:{alertname="A"}'


def notifiers(receiver_yaml: str, extended: bool = True) -> list[Any]:
    text = "route: {receiver: r}\nreceivers:\n- name: r\n" + receiver_yaml
    cfg = amconfig.load(text, extended=extended)
    clock = SystemClock()
    ints = build_integrations(cfg.receivers[0], "http://am.example", clock, factories(from_globs(), "http://am.example",
                                                                                      clock))
    return [i.notifier for i in ints]


def ctx() -> NotifyContext:
    return NotifyContext(KEY, {"alertname": "A"}, "r", 3600 * NS, NOW, NOW + 10 * NS)


def alerts(resolved: bool = False, n: int = 1) -> list[Alert]:
    ends = NOW - NS if resolved else NOW + 300 * NS
    return [Alert({"alertname": "A", "severity": "critical", "i": str(i)}, {"summary": f"s{i}"}, NOW - 60 * NS, ends,
                  NOW, "http://gen") for i in range(n)]
