"""The UTC offsets an alert's times were posted with: kept by ingest, carried by merge as Go's
Merge carries whole time.Time values, persisted by the alert log (older rows read as UTC)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import msgpack
import pytest

from amclone.alerts import Alert, PostedAlert, prepare
from amclone.alerts.logfile import decode_alerts, encode_payload
from amclone.compat import timefmt
from amclone.timeutil import NS_PER_SECOND, ZERO_TIME

S = NS_PER_SECOND
NOW = 1_796_378_400 * S  # 2026-12-04T10:00:00Z
L = {"alertname": "A"}


def test_ingest_keeps_posted_offsets_and_defaults_from_ends() -> None:
    posted = [PostedAlert(L, {}, NOW - 60 * S, NOW + 60 * S, "", False, 3600, -19800),
              PostedAlert({"alertname": "B"}, {}, ZERO_TIME, NOW - S, "", False, 0, 7200)]
    a, b = prepare(posted, now=NOW, resolve_timeout=300 * S).alerts
    assert (a.starts_off, a.ends_off) == (3600, -19800)
    assert (b.starts_at, b.starts_off, b.ends_off) == (NOW - S, 7200, 7200)  # startsAt defaults to endsAt


@pytest.fixture()
def kolkata(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    monkeypatch.setattr(timefmt, "_LOCAL_IS_UTC", False)
    try:
        yield
    finally:
        monkeypatch.undo()
        time.tzset()


def test_now_defaults_are_local(kolkata: None) -> None:
    (a,) = prepare([PostedAlert(L, {})], now=NOW, resolve_timeout=300 * S).alerts
    assert (a.starts_at, a.starts_off, a.ends_at, a.ends_off, a.timeout) == (NOW, 19800, NOW + 300 * S, 19800, True)


def test_now_defaults_are_utc_without_tz() -> None:
    (a,) = prepare([PostedAlert(L, {})], now=NOW, resolve_timeout=300 * S).alerts
    assert (a.starts_off, a.ends_off) == (timefmt.local_offset(NOW), timefmt.local_offset(NOW + 300 * S))


def test_merge_carries_the_chosen_values_offset() -> None:
    old = Alert(L, {}, NOW - 100 * S, NOW + 100 * S, NOW - S, starts_off=3600, ends_off=3600)
    new = Alert(L, {}, NOW - 50 * S, NOW + 50 * S, NOW, starts_off=-19800, ends_off=-19800)
    m = new.merge(old, NOW)
    # earliest start (old's, with its zone); the firing newer keeps the older, later, explicit end
    assert (m.starts_at, m.starts_off, m.ends_at, m.ends_off) == (NOW - 100 * S, 3600, NOW + 100 * S, 3600)
    same_start = Alert(L, {}, NOW - 100 * S, NOW + 200 * S, NOW, starts_off=0, ends_off=-19800)
    m = same_start.merge(old, NOW)  # equal instants: Go keeps the newer value (Before is strict)
    assert (m.starts_off, m.ends_at, m.ends_off) == (0, NOW + 200 * S, -19800)
    assert m is same_start


def test_log_rows_keep_offsets_and_old_rows_read_as_utc() -> None:
    utc = Alert(L, {}, NOW, NOW + S, NOW)
    zoned = Alert({"alertname": "B"}, {}, NOW, NOW + S, NOW, starts_off=3600, ends_off=-19800)
    rows = msgpack.unpackb(encode_payload([utc, zoned]))
    assert [len(r) for r in rows] == [8, 10]  # UTC alerts are stored exactly as before offsets
    back = decode_alerts(encode_payload([utc, zoned]))
    assert [(a.starts_off, a.ends_off) for a in back] == [(0, 0), (3600, -19800)]
    assert back == [utc, zoned]
    with pytest.raises(ValueError):
        decode_alerts(msgpack.packb([[1, L, {}, NOW, NOW, NOW, "", False, 3600]]))
