"""End to end through both servers: silences amclone acknowledged survive kill -9 and the real
Alertmanager 0.25 started on that data shows them exactly as amclone did; and amclone started on
the real Alertmanager's data directory shows its silences exactly as Alertmanager did."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from silence_am_client import call, now_ns, postable, write_config

from amclone.testing.procs import start_alertmanager, start_amclone

H = 3600 * 10**9


def create_some(url: str) -> list[str]:
    now = now_ns()
    ids = []
    for ms, start, end in [
        ([("alertname", "=", "HostDown")], now - H, now + H),
        ([("job", "=~", "web|api"), ("env", "!=", "dev")], now + H, now + 2 * H),
        ([("severity", "!~", "info|debug"), ("team", "=", "db")], now, now + 3 * H),
    ]:
        status, body = call(url, "POST", "/api/v2/silences", postable(ms, start, end, comment="ü ✓"))
        assert status == 200, body
        ids.append(body["silenceID"])
    assert call(url, "DELETE", f"/api/v2/silence/{ids[2]}")[0] == 200
    return ids


def listing(url: str) -> list[dict[str, Any]]:
    status, body = call(url, "GET", "/api/v2/silences")
    assert status == 200
    return list(body)


def test_amclone_silences_survive_kill_9_and_alertmanager_reads_them(tmp_path: Path) -> None:
    ours, url = start_amclone(write_config(tmp_path), tmp_path)
    try:
        create_some(url)
        before = listing(url)
    finally:
        ours.kill9()
    am_dir = tmp_path / "am"
    (am_dir / "am-data").mkdir(parents=True)
    shutil.copy(tmp_path / "amclone-data" / "silences", am_dir / "am-data" / "silences")
    am, am_url = start_alertmanager(write_config(am_dir), am_dir)
    try:
        assert listing(am_url) == before
    finally:
        am.stop()
    again, url = start_amclone(write_config(tmp_path), tmp_path)
    try:
        assert listing(url) == before
    finally:
        again.stop()


def test_amclone_serves_the_silences_of_an_alertmanager_data_directory(tmp_path: Path) -> None:
    am, am_url = start_alertmanager(write_config(tmp_path), tmp_path)
    try:
        create_some(am_url)
        before = listing(am_url)
    finally:
        assert am.stop() == 0
    ours_dir = tmp_path / "ours"
    (ours_dir / "amclone-data").mkdir(parents=True)
    shutil.copy(tmp_path / "am-data" / "silences", ours_dir / "amclone-data" / "silences")
    ours, url = start_amclone(write_config(ours_dir), ours_dir)
    try:
        assert listing(url) == before
    finally:
        ours.stop()
