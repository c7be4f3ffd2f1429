"""0.25's silence metrics, on the registry the store was given."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest
from silence_builders import HOUR, T0, sil

from amclone.silence import Silences, SnapshotFile
from amclone.timeutil import FakeClock


def value(reg: CollectorRegistry, name: str, **labels: str) -> float | None:
    return reg.get_sample_value(name, labels)


async def test_silences_are_counted_by_state_at_scrape_time(
    store: Silences, registry: CollectorRegistry, clock: FakeClock
) -> None:
    store.set(sil(start=T0, end=T0 + HOUR))
    store.set(sil(start=T0 + HOUR, end=T0 + 2 * HOUR))
    store.expire(store.set(sil(start=T0 + HOUR, end=T0 + 2 * HOUR)))
    # Expired at this very instant: the store's rule counts it active until time moves on.
    assert value(registry, "alertmanager_silences", state="active") == 2
    await clock.advance(1e-9)
    assert value(registry, "alertmanager_silences", state="active") == 1
    assert value(registry, "alertmanager_silences", state="pending") == 1
    assert value(registry, "alertmanager_silences", state="expired") == 1


def test_queries_count_and_time_every_query_including_the_state_gauges(
    store: Silences, registry: CollectorRegistry
) -> None:
    store.query()
    store.query(states=[])
    assert value(registry, "alertmanager_silences_queries_total") == 2
    assert value(registry, "alertmanager_silences_query_duration_seconds_count") == 2
    generate_latest(registry)  # a scrape counts the three states through queries, as 0.25 does
    assert value(registry, "alertmanager_silences_queries_total") == 5
    assert value(registry, "alertmanager_silences_query_errors_total") == 0


def test_maintenance_times_gc_and_snapshot_and_records_the_size(clock: FakeClock, tmp_path: Path) -> None:
    reg = CollectorRegistry()
    store = Silences(clock, snapshot=SnapshotFile.in_dir(tmp_path), registry=reg)
    store.set(sil(start=T0, end=T0 + HOUR))
    size = store.maintain()
    assert size == (tmp_path / "silences").stat().st_size > 0
    assert value(reg, "alertmanager_silences_snapshot_size_bytes") == size
    assert value(reg, "alertmanager_silences_gc_duration_seconds_count") == 1
    assert value(reg, "alertmanager_silences_snapshot_duration_seconds_count") == 1


def test_help_texts_are_alertmanagers(store: Silences, registry: CollectorRegistry) -> None:
    text = generate_latest(registry).decode()
    assert "# HELP alertmanager_silences How many silences by state." in text
    assert (
        "# HELP alertmanager_silences_query_errors_total How many silence received queries did not succeed."
        in text
    )
    assert "# TYPE alertmanager_silences_gc_duration_seconds summary" in text
    assert 'alertmanager_silences_query_duration_seconds_bucket{le="0.005"}' in text
    assert "# HELP alertmanager_silences_gossip_messages_propagated_total" in text
