"""Time intervals against a running Alertmanager 0.25: what it prints, and when it is active.

Printing: /api/v2/status ``config.original`` re-marshals every interval; its data must equal
`marshal()` of amclone's parse of the same input.

Activity: each candidate interval guards one route via ``active_time_intervals``; Alertmanager
notifies a webhook only for routes whose interval contains "now", which must be exactly the
candidates amclone's `contains(now)` accepts. Candidates are built around the current instant
(today's weekday in several zones, the day counted from both month ends, the hour either side)
and avoid minute boundaries, so the check is not racy.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest
import yaml

from amclone.testing.procs import free_port, start_alertmanager
from amclone.timeinterval import marshal_all, parse_time_intervals

PRINTED_INPUT = [
    {"times": [{"start_time": "09:00", "end_time": "24:00"}, {"start_time": "00:00", "end_time": "01:30"}],
     "weekdays": ["Monday:FRIDAY", "sunday", "saturday:saturday"],
     "days_of_month": ["1:5", "-3:-1", "7", "+8"],
     "months": ["january:march", "12", "may:may", "13", "0:14"],
     "years": ["2020:2022", "2030", "020"],
     "location": "Europe/Berlin"},
    {}, {"times": None, "weekdays": []}, {"location": ""}, {"location": "Local"}, {"location": "UTC"},
    {"days_of_month": ["-31:-1"], "location": "America/New_York"},
]

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]
WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]


def candidates(now: dt.datetime) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for zone in ZONES:
        local = now.astimezone(ZoneInfo(zone))
        wd = (local.weekday() + 1) % 7
        h = local.hour
        out += [
            {"weekdays": [WEEKDAYS[wd]], "location": zone},
            {"weekdays": [WEEKDAYS[(wd + 1) % 7]], "location": zone},
            {"days_of_month": [str(local.day)], "location": zone},
            {"days_of_month": [str(local.day - 32)] if local.day > 1 else ["-31"], "location": zone},
            {"days_of_month": ["-1"], "location": zone},
            {"times": [{"start_time": f"{h:02d}:00", "end_time": f"{h + 1:02d}:00"}], "location": zone},
            {"times": [{"start_time": f"{(h + 1) % 24:02d}:00", "end_time": "24:00"}], "location": zone},
            {"months": [str(local.month)], "years": [str(local.year)], "location": zone},
            {"months": [str(local.month % 12 + 1)], "location": zone},
        ]
    return out


class Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def cases_notified() -> set[str]:
    return {str(a["labels"]["case"]) for n in Hook.received for a in n["alerts"]}


@pytest.fixture
def webhook() -> Iterator[str]:
    Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_printed_intervals_equal_alertmanagers(tmp_path: Path) -> None:
    config = {"route": {"receiver": "r", "routes": [{"receiver": "r", "mute_time_intervals": ["x"]}]},
              "receivers": [{"name": "r"}],
              "time_intervals": [{"name": "x", "time_intervals": PRINTED_INPUT}]}
    path = tmp_path / "alertmanager.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    proc, url = start_alertmanager(path, tmp_path)
    try:
        with urllib.request.urlopen(url + "/api/v2/status") as r:
            printed = yaml.safe_load(json.load(r)["config"]["original"])
    finally:
        proc.stop()
    theirs = printed["time_intervals"][0]["time_intervals"]
    assert marshal_all(parse_time_intervals(PRINTED_INPUT)) == theirs


def test_active_intervals_equal_alertmanagers(tmp_path: Path, webhook: str) -> None:
    now = dt.datetime.now(dt.UTC)
    if now.second > 40:  # keep the whole check inside one wall-clock minute
        time.sleep(62 - now.second)
        now = dt.datetime.now(dt.UTC)
    cands = candidates(now)
    config = {
        "route": {"receiver": "hook", "group_by": ["case"], "group_wait": "1s", "group_interval": "1h",
                  "routes": [{"receiver": "hook", "matchers": [f'case="{i}"'],
                              "active_time_intervals": [f"i{i}"]} for i in range(len(cands))]},
        "receivers": [{"name": "hook", "webhook_configs": [{"url": webhook}]}],
        "time_intervals": [{"name": f"i{i}", "time_intervals": [c]} for i, c in enumerate(cands)],
    }
    path = tmp_path / "alertmanager.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    proc, url = start_alertmanager(path, tmp_path)
    try:
        body = json.dumps([{"labels": {"alertname": "T", "case": str(i)}} for i in range(len(cands))]).encode()
        req = urllib.request.Request(url + "/api/v2/alerts", data=body,
                                     headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req).close()
        ns = time.time_ns()
        expected = {str(i) for i, c in enumerate(parse_time_intervals(cands)) if c.contains(ns)}
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            got = cases_notified()
            if got == expected:
                break
            time.sleep(0.2)
        time.sleep(1)  # anything that should not have been sent would have arrived by now
    finally:
        proc.stop()
    got = cases_notified()
    assert expected and len(expected) < len(cands)
    assert got == expected, [cands[int(i)] for i in got ^ expected]
