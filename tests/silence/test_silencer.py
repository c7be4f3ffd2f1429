"""`Silencer`: alerts are muted by matching active silences, the marker learns which ones, and
the per-fingerprint cache never hides a change."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry
from silence_builders import HOUR, MINUTE, T0, m, sil

from amclone.alerts.marker import Marker
from amclone.labels.labelset import fingerprint
from amclone.silence import Silencer, Silences
from amclone.timeutil import FakeClock

ALERT = {"alertname": "HostDown", "instance": "a"}


@pytest.fixture
def marker() -> Marker:
    return Marker()


@pytest.fixture
def silencer(store: Silences, marker: Marker) -> Silencer:
    return Silencer(store, marker)


def test_an_alert_without_silences_is_not_muted(silencer: Silencer, marker: Marker) -> None:
    assert not silencer.mutes(ALERT)
    assert marker.status(fingerprint(ALERT)).silenced_by == ()


def test_an_active_matching_silence_mutes_and_is_recorded(
    store: Silences, silencer: Silencer, marker: Marker
) -> None:
    b = store.set(sil(m("instance", "=~", "a|b"), start=T0, end=T0 + HOUR))
    a = store.set(sil(m("alertname", "=", "HostDown"), start=T0, end=T0 + HOUR))
    store.set(sil(m("alertname", "=", "Other"), start=T0, end=T0 + HOUR))
    assert silencer.mutes(ALERT)
    assert marker.status(fingerprint(ALERT)).silenced_by == tuple(sorted([a, b]))


async def test_a_pending_silence_mutes_once_it_starts_without_any_change(
    store: Silences, silencer: Silencer, marker: Marker, clock: FakeClock
) -> None:
    sid = store.set(sil(start=T0 + MINUTE, end=T0 + HOUR))
    assert not silencer.mutes(ALERT)
    await clock.advance(60)
    assert silencer.mutes(ALERT)
    assert marker.status(fingerprint(ALERT)).silenced_by == (sid,)


async def test_the_alert_is_unmuted_when_the_silence_ends_or_is_expired(
    store: Silences, silencer: Silencer, marker: Marker, clock: FakeClock
) -> None:
    sid = store.set(sil(start=T0, end=T0 + HOUR))
    assert silencer.mutes(ALERT)
    await clock.advance(60)
    store.expire(sid)
    await clock.advance(1e-9)
    assert not silencer.mutes(ALERT)
    assert marker.status(fingerprint(ALERT)).silenced_by == ()


def test_a_new_silence_is_seen_by_an_alert_checked_before(store: Silences, silencer: Silencer) -> None:
    assert not silencer.mutes(ALERT)
    store.set(sil(start=T0, end=T0 + HOUR))
    assert silencer.mutes(ALERT)


def test_while_nothing_changes_an_unsilenced_alert_costs_no_query(
    store: Silences, silencer: Silencer, marker: Marker, registry: CollectorRegistry
) -> None:
    store.set(sil(m("alertname", "=", "Other"), start=T0, end=T0 + HOUR))
    silencer.mutes(ALERT)
    queries = registry.get_sample_value("alertmanager_silences_queries_total")
    status = marker.status(fingerprint(ALERT))
    for _ in range(10):
        assert not silencer.mutes(ALERT)
    assert registry.get_sample_value("alertmanager_silences_queries_total") == queries
    assert marker.status(fingerprint(ALERT)) is status  # not even rewritten


def test_the_marker_keeps_pending_ids_and_the_version_for_the_cache(
    store: Silences, silencer: Silencer, marker: Marker
) -> None:
    active = store.set(sil(start=T0, end=T0 + HOUR))
    pending = store.set(sil(start=T0 + HOUR, end=T0 + 2 * HOUR))
    assert silencer.mutes(ALERT)
    st = marker.status(fingerprint(ALERT))
    assert st.state.value == "suppressed"
    assert (st.silenced_by, st.pending_silences, st.silences_version) == (
        (active,),
        (pending,),
        store.version,
    )


def test_an_alert_dropped_from_the_marker_is_judged_afresh(
    store: Silences, silencer: Silencer, marker: Marker
) -> None:
    store.set(sil(start=T0, end=T0 + HOUR))
    assert silencer.mutes(ALERT)
    marker.delete(fingerprint(ALERT))
    assert silencer.mutes(ALERT)


def test_each_alert_is_judged_on_its_own_labels(store: Silences, silencer: Silencer) -> None:
    store.set(sil(m("instance", "=", "a"), start=T0, end=T0 + HOUR))
    assert silencer.mutes(ALERT)
    assert not silencer.mutes({**ALERT, "instance": "b"})
