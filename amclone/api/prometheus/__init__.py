"""Prometheus's query API for Grafana: ``make_prometheus_app(storage, engine)`` returns an aiohttp
sub-application that the composition root mounts at ``/prometheus`` (so the data source URL is
``http://host:9093/prometheus``). Paths inside are Prometheus's own (``/api/v1/query`` ...)."""

from __future__ import annotations

import platform
from collections.abc import Callable

from aiohttp import web

from amclone._version import VERSION
from amclone.api.prometheus.handlers import PrometheusAPI
from amclone.promql.engine import Engine
from amclone.tsdb.head import Head

# What Grafana reads to pick query features: it parses "version" as Prometheus's (3.x here).
DEFAULT_BUILD_INFO = {
    "version": "3.14.0",
    "revision": f"amclone-{VERSION}",
    "branch": "amclone",
    "buildUser": "amclone",
    "buildDate": "",
    "goVersion": f"python{platform.python_version()}",
}


def make_prometheus_app(storage: Head, engine: Engine, now_ms: Callable[[], int] | None = None,
                        build_info: dict[str, str] | None = None) -> web.Application:
    api = PrometheusAPI(storage, engine, now_ms, build_info or DEFAULT_BUILD_INFO)
    app = web.Application()
    for path, fn, methods in (
        ("/api/v1/query", api.query, ("GET", "POST")),
        ("/api/v1/query_range", api.query_range, ("GET", "POST")),
        ("/api/v1/series", api.series, ("GET", "POST")),
        ("/api/v1/labels", api.labels, ("GET", "POST")),
        ("/api/v1/label/{name}/values", api.label_values, ("GET",)),
        ("/api/v1/metadata", api.metadata, ("GET",)),
        ("/api/v1/query_exemplars", api.query_exemplars, ("GET", "POST")),
        ("/api/v1/status/buildinfo", api.buildinfo, ("GET",)),
    ):
        handler = api.wrap(fn)
        for method in methods:
            app.router.add_route(method, path, handler)
    return app


__all__ = ["DEFAULT_BUILD_INFO", "make_prometheus_app"]
