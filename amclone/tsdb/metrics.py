"""The head's figures as Prometheus metrics (Prometheus's own names where one exists), read at
scrape time from the head's counters, so appends pay nothing for them.

``register(head, registry)`` adds them to the registry the composition root serves at /metrics.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

from amclone.tsdb.head import Head


class HeadCollector(Collector):
    def __init__(self, head: Head) -> None:
        self.head = head

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        h = self.head
        yield GaugeMetricFamily("prometheus_tsdb_head_series", "Total number of series in the head block.",
                                value=h.num_series)
        yield CounterMetricFamily("prometheus_tsdb_head_series_created_total",
                                  "Total number of series created in the head", value=h.series_created)
        yield CounterMetricFamily("prometheus_tsdb_head_series_removed_total",
                                  "Total number of series removed in the head", value=h.series_removed)
        yield CounterMetricFamily("prometheus_tsdb_head_samples_appended_total",
                                  "Total number of appended samples.", value=h.samples_appended)
        yield CounterMetricFamily("amclone_tsdb_histograms_received_total",
                                  "Native histogram samples received (accepted, not stored yet).",
                                  value=h.histograms_received)
        yield CounterMetricFamily("amclone_tsdb_exemplars_received_total",
                                  "Exemplars received (accepted, not stored).", value=h.exemplars_received)
        yield CounterMetricFamily("prometheus_api_remote_write_invalid_labels_samples_total",
                                  "The total number of received remote write samples and histogram samples "
                                  "which were rejected due to invalid labels.",
                                  value=h.samples_with_invalid_labels)
        yield GaugeMetricFamily("prometheus_tsdb_head_max_time_seconds",
                                "Maximum timestamp of the head block.", value=max(h.max_time, 0) / 1000)
        yield GaugeMetricFamily("prometheus_tsdb_retention_limit_seconds",
                                "How long to retain samples in storage.", value=h.retention_ms / 1000)
        yield GaugeMetricFamily("amclone_tsdb_head_bytes",
                                "Approximate memory held by the head's series, samples and index.",
                                value=h.memory_bytes())
        yield GaugeMetricFamily("amclone_tsdb_head_bytes_per_series",
                                "Approximate memory per active series.", value=h.bytes_per_series())


def register(head: Head, registry: CollectorRegistry) -> HeadCollector:
    collector = HeadCollector(head)
    registry.register(collector)
    return collector
