"""The process-wide metrics Alertmanager's main package and API register: build info, cluster
and receiver gauges, HTTP latency and response size by route pattern, GET concurrency.

Each App has its own CollectorRegistry (tests run several apps in one process); every package
registers its own metrics on the registry it is handed. Names, help texts and buckets are
Alertmanager 0.25's, since dashboards (alertmanager-mixin) query them by name."""

from __future__ import annotations

import prometheus_client
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.process_collector import ProcessCollector

from amclone.api.version import BUILD, BuildInfo

# Go's client has no *_created series; dashboards and diffs expect none.
prometheus_client.disable_created_metrics()  # type: ignore[no-untyped-call]

_DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 20, 60)
_SIZE_BUCKETS = tuple(100.0 * 10**i for i in range(7))


class ServerMetrics:
    def __init__(self, registry: CollectorRegistry, build: BuildInfo = BUILD) -> None:
        self.registry = registry
        ProcessCollector(registry=registry)
        info = Gauge(
            "alertmanager_build_info",
            "A metric with a constant '1' value labeled by version, revision, branch, goversion from "
            "which alertmanager was built, and the goos and goarch for the build.",
            ["branch", "goarch", "goos", "goversion", "revision", "version"],
            registry=registry,
        )
        info.labels(build.branch, build.goarch, build.goos, build.go_version, build.revision,
                    build.version).set(1)
        self.cluster_enabled = Gauge("alertmanager_cluster_enabled",
                                     "Indicates whether the clustering is enabled or not.",
                                     registry=registry)
        self.receivers = Gauge("alertmanager_receivers", "Number of configured receivers.",
                               registry=registry)
        self.integrations = Gauge("alertmanager_integrations", "Number of configured integrations.",
                                  registry=registry)
        self.request_duration = Histogram(
            "alertmanager_http_request_duration_seconds", "Histogram of latencies for HTTP requests.",
            ["handler", "method"], buckets=_DURATION_BUCKETS, registry=registry)
        self.response_size = Histogram(
            "alertmanager_http_response_size_bytes", "Histogram of response size for HTTP requests.",
            ["handler", "method"], buckets=_SIZE_BUCKETS, registry=registry)
        self.in_flight = Gauge("alertmanager_http_requests_in_flight",
                               "Current number of HTTP requests being processed.",
                               ["method"], registry=registry).labels("get")
        self.limit_exceeded = Counter(
            "alertmanager_http_concurrency_limit_exceeded_total",
            "Total number of times an HTTP request failed because the concurrency limit was reached.",
            ["method"], registry=registry).labels("get")

    def observe(self, handler: str, method: str, seconds: float, size: int) -> None:
        m = method.lower()
        self.request_duration.labels(handler, m).observe(seconds)
        self.response_size.labels(handler, m).observe(size)
