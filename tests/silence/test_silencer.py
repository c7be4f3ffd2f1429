"""`Silencer`: alerts are muted by matching active silences, the marker learns which ones, and
the per-fingerprint cache never hides a change."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from prometheus_client import CollectorRegistry
from silence_builders import HOUR, MINUTE, T0, m, sil

from amclone.labels.labelset import fingerprint
from amclone.silence import Silencer, Silences
from amclone.timeutil import FakeClock


class Marker:
    """The smallest real marker: what the Silencer last said about each fingerprint."""

    def __init__(self) -> None:
        self.silenced: dict[int, list[str]] = {}
        self.calls = 0

    def set_silenced(self, fingerprint: int, ids: Sequence[str]) -> None:
        self.silenced[fingerprint] = list(ids)
        self.calls += 1


ALERT = {"alertname": "HostDown", "instance": "a"}


@pytest.fixture
def marker() -> Marker:
    return Marker()


@pytest.fixture
def silencer(store: Silences, marker: Marker) -> Silencer:
    return Silencer(store, marker)


def test_an_alert_without_silences_is_not_muted(silencer: Silencer, marker: Marker) -> None:
    assert not silencer.mutes(ALERT)
    assert marker.silenced[fingerprint(ALERT)] == []


def test_an_active_matching_silence_mutes_and_is_recorded(
        store: Silences, silencer: Silencer, marker: Marker) -> None:
    b = store.set(sil(m("instance", "=~", "a|b"), start=T0, end=T0 + HOUR))
    a = store.set(sil(m("alertname", "=", "HostDown"), start=T0, end=T0 + HOUR))
    store.set(sil(m("alertname", "=", "Other"), start=T0, end=T0 + HOUR))
    assert silencer.mutes(ALERT)
    assert marker.silenced[fingerprint(ALERT)] == sorted([a, b])


async def test_a_pending_silence_mutes_once_it_starts_without_any_change(
        store: Silences, silencer: Silencer, marker: Marker, clock: FakeClock) -> None:
    sid = store.set(sil(start=T0 + MINUTE, end=T0 + HOUR))
    assert not silencer.mutes(ALERT)
    await clock.advance(60)
    assert silencer.mutes(ALERT)
    assert marker.silenced[fingerprint(ALERT)] == [sid]


async def test_the_alert_is_unmuted_when_the_silence_ends_or_is_expired(
        store: Silences, silencer: Silencer, marker: Marker, clock: FakeClock) -> None:
    sid = store.set(sil(start=T0, end=T0 + HOUR))
    assert silencer.mutes(ALERT)
    await clock.advance(60)
    store.expire(sid)
    await clock.advance(1e-9)
    assert not silencer.mutes(ALERT)
    assert marker.silenced[fingerprint(ALERT)] == []


def test_a_new_silence_is_seen_by_an_alert_checked_before(store: Silences, silencer: Silencer) -> None:
    assert not silencer.mutes(ALERT)
    store.set(sil(start=T0, end=T0 + HOUR))
    assert silencer.mutes(ALERT)


def test_while_nothing_changes_an_unsilenced_alert_costs_no_query(
        store: Silences, silencer: Silencer, marker: Marker, registry: CollectorRegistry) -> None:
    store.set(sil(m("alertname", "=", "Other"), start=T0, end=T0 + HOUR))
    silencer.mutes(ALERT)
    queries = registry.get_sample_value("alertmanager_silences_queries_total")
    calls = marker.calls
    for _ in range(10):
        assert not silencer.mutes(ALERT)
    assert registry.get_sample_value("alertmanager_silences_queries_total") == queries
    assert marker.calls == calls


def test_each_alert_is_judged_on_its_own_labels(store: Silences, silencer: Silencer) -> None:
    store.set(sil(m("instance", "=", "a"), start=T0, end=T0 + HOUR))
    assert silencer.mutes(ALERT)
    assert not silencer.mutes({**ALERT, "instance": "b"})
