"""Alert times in templates print in the zone 0.25's time.Time has: the posted offset, Local's
name when Local has that offset then (time.Parse's rule), UTC for offset 0."""

from __future__ import annotations

import time

import pytest

from amclone.compat import timefmt
from amclone.template.data import alert_time

NS = timefmt.parse_rfc3339("2026-12-04T09:00:00.5Z")


def test_offsets_without_a_local_match_are_nameless() -> None:
    assert alert_time(NS, 3600).go_string() == "2026-12-04 10:00:00.5 +0100 +0100"
    assert alert_time(NS, -19800).go_string() == "2026-12-04 03:30:00.5 -0530 -0530"
    assert alert_time(NS, 0).go_string() == "2026-12-04 09:00:00.5 +0000 UTC"
    assert alert_time(NS, 3600).go_json() == "2026-12-04T10:00:00.5+01:00"


def test_an_offset_local_has_takes_locals_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        assert alert_time(NS, 3600).go_string() == "2026-12-04 10:00:00.5 +0100 CET"
        assert alert_time(NS, 7200).go_string() == "2026-12-04 11:00:00.5 +0200 +0200"
    finally:
        monkeypatch.undo()
        time.tzset()
