"""Alertmanager 0.25's silence metrics, same names, help texts and types, registered on the
registry the composition root passes in (so tests and several instances never collide)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from amclone.silence.model import SilenceState


class _ByState(Collector):
    """`alertmanager_silences{state}`, counted at scrape time as 0.25's GaugeFuncs do."""

    def __init__(self, count: Callable[[SilenceState], int]) -> None:
        self._count = count

    def collect(self) -> Iterator[GaugeMetricFamily]:
        g = GaugeMetricFamily("alertmanager_silences", "How many silences by state.", labels=["state"])
        # 0.25 registers active, pending, expired in that order.
        for st in (SilenceState.ACTIVE, SilenceState.PENDING, SilenceState.EXPIRED):
            g.add_metric([st.value], float(self._count(st)))
        yield g


class SilenceMetrics:
    def __init__(self, registry: CollectorRegistry | None,
                 count: Callable[[SilenceState], int]) -> None:
        reg = registry if registry is not None else CollectorRegistry()
        # Summaries without quantiles (0.25 sets empty Objectives): only _sum and _count.
        self.gc_duration = Summary(
            "alertmanager_silences_gc_duration_seconds",
            "Duration of the last silence garbage collection cycle.", registry=reg)
        self.snapshot_duration = Summary(
            "alertmanager_silences_snapshot_duration_seconds",
            "Duration of the last silence snapshot.", registry=reg)
        self.snapshot_size = Gauge(
            "alertmanager_silences_snapshot_size_bytes",
            "Size of the last silence snapshot in bytes.", registry=reg)
        self.queries_total = Counter(
            "alertmanager_silences_queries_total",
            "How many silence queries were received.", registry=reg)
        self.query_errors_total = Counter(
            "alertmanager_silences_query_errors_total",
            "How many silence received queries did not succeed.", registry=reg)
        # prometheus_client's default buckets are Go's DefBuckets.
        self.query_duration = Histogram(
            "alertmanager_silences_query_duration_seconds",
            "Duration of silence query evaluation.", registry=reg)
        self.propagated_messages_total = Counter(
            "alertmanager_silences_gossip_messages_propagated_total",
            "Number of received gossip messages that have been further gossiped.", registry=reg)
        reg.register(_ByState(count))
