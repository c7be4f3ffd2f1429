"""The composition root: the one module that builds concrete classes and wires them together.

Order follows Alertmanager 0.25's main.go, because the order is observable: state is loaded from
``--storage.path`` before anything serves, the configuration is loaded before the HTTP listeners
open (a bad config exits 1 without ever listening), every successful reload swaps the route tree,
receivers and (later) inhibitor and dispatcher at once, and shutdown writes the final silence
snapshot and flushes the alert log before the process exits 0.

Seams for components that come later are marked ``SEAM``: the gossip peer (cluster status,
the notification wait by peer position, silence and nflog replication).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry

from amclone import config as amconfig
from amclone.alerts import AlertStore, AlertWAL, IngestMetrics, Marker
from amclone.api.metrics import ServerMetrics
from amclone.api.prometheus import make_prometheus_app
from amclone.api.server import HttpServer, ServerOptions
from amclone.api.state import ApiConfig, ApiDeps, ReloadError
from amclone.config.coordinator import Coordinator
from amclone.config.marshal import marshal_yaml
from amclone.dispatch.route import Route
from amclone.dispatch.system import NotificationSystem
from amclone.ingest.handler import make_write_handler
from amclone.nflog import NotificationLog
from amclone.notify.integrations import factories as integration_factories
from amclone.promql import Engine
from amclone.silence import Silencer, Silences, SnapshotFile
from amclone.template import Template, TemplateError, from_globs
from amclone.timeutil import NS_PER_SECOND, Clock, SystemClock
from amclone.tsdb import Head
from amclone.tsdb import metrics as tsdb_metrics


@dataclass(frozen=True)
class ClusterOptions:
    listen_address: str = ""
    advertise_address: str = ""
    peers: tuple[str, ...] = ()
    peer_timeout_ns: int = 15 * NS_PER_SECOND
    gossip_interval_ns: int = 200_000_000
    pushpull_interval_ns: int = 60 * NS_PER_SECOND
    tcp_timeout_ns: int = 10 * NS_PER_SECOND
    probe_timeout_ns: int = 500_000_000
    probe_interval_ns: int = NS_PER_SECOND
    settle_timeout_ns: int = 60 * NS_PER_SECOND
    reconnect_interval_ns: int = 10 * NS_PER_SECOND
    reconnect_timeout_ns: int = 6 * 3600 * NS_PER_SECOND
    tls_config: str = ""
    allow_insecure_advertise: bool = False


@dataclass(frozen=True)
class Options:
    config_file: str
    storage_path: str
    external_url: str = "http://localhost:9093"
    route_prefix: str = "/"
    listen_addresses: tuple[str, ...] = ("127.0.0.1:9093",)
    web_config_file: str = ""
    systemd_socket: bool = False
    get_concurrency: int = 0
    timeout_ns: int = 0
    ui_path: str = "/usr/share/prometheus/alertmanager/ui/"
    retention_ns: int = 120 * 3600 * NS_PER_SECOND
    maintenance_interval_ns: int = 15 * 60 * NS_PER_SECOND
    alerts_gc_interval_ns: int = 30 * 60 * NS_PER_SECOND
    cluster: ClusterOptions = field(default_factory=ClusterOptions)
    features: frozenset[str] = frozenset()


class App:
    def __init__(self, opts: Options, clock: Clock | None = None,
                 registry: CollectorRegistry | None = None) -> None:
        self.opts = opts
        self.clock: Clock = clock or SystemClock()
        self.registry = registry or CollectorRegistry()
        self.metrics = ServerMetrics(self.registry)
        self.metrics.cluster_enabled.set(0)  # SEAM: 1 once the gossip peer exists
        storage = Path(opts.storage_path)
        self.marker = Marker(registry=self.registry)
        self.silences = Silences(self.clock, retention_ns=opts.retention_ns,
                                 snapshot=SnapshotFile.in_dir(storage), registry=self.registry)
        self.silencer = Silencer(self.silences, self.marker)
        self.alerts = AlertStore(self.clock, self.marker, gc_interval=opts.alerts_gc_interval_ns,
                                 wal=AlertWAL(storage / "alerts"),
                                 on_delete=lambda a: self.silencer.forget(a.fingerprint),
                                 registry=self.registry)
        self.ingest = IngestMetrics(self.registry)
        self.nflog = NotificationLog(self.clock, retention_ns=opts.retention_ns,
                                     snapshot_path=storage / "nflog", registry=self.registry)
        # SEAM: the gossip peer (wait function, peer position) once clustering exists.
        self.notifications = NotificationSystem(
            clock=self.clock, store=self.alerts, marker=self.marker, silencer=self.silencer,
            nflog=self.nflog, external_url=opts.external_url, registry=self.registry,
            factories=integration_factories(lambda: self.template, opts.external_url, self.clock))
        self.coordinator = Coordinator(opts.config_file, registry=self.registry, clock=self.clock)
        self.coordinator.subscribe(self._apply)
        self.deps = ApiDeps(clock=self.clock, alerts=self.alerts, status=self.marker.status,
                            silences=self.silences, ingest=self.ingest, reload=self.reload,
                            set_alert_status=self.notifications.set_alert_status,
                            groups=self.notifications.groups, cluster=None, uptime=self.clock.now())
        # Metrics intake beside Alertmanager's API: remote write and the Prometheus query API
        # over one in-memory head (what rule evaluation will read; SEAM: the rules engine).
        self.head = Head()
        tsdb_metrics.register(self.head, self.registry)
        self.http = HttpServer(self.deps, self.metrics, ServerOptions(
            route_prefix=opts.route_prefix, get_concurrency=opts.get_concurrency,
            timeout_ns=opts.timeout_ns, web_config_file=opts.web_config_file, ui_path=opts.ui_path,
            extra_routes=(("/api/v1/write", make_write_handler(self.head)),),
            extra_apps=(("/prometheus", make_prometheus_app(self.head, Engine(self.head))),)))
        self.template: Template | None = None
        self._reload_lock = asyncio.Lock()
        self._stop = asyncio.Event()

    # -- configuration ------------------------------------------------------------------------

    def _apply(self, cfg: Any) -> None:
        """What 0.25's coordinator subscriber does on every successful load, in its order:
        templates first, so a config whose templates do not parse changes nothing."""
        try:
            self.template = from_globs(*cfg.templates)  # SEAM: handed to templated integrations
        except TemplateError as e:
            raise amconfig.ConfigError(f"failed to parse templates: {e}") from None
        self.notifications.apply(cfg)  # inhibitor, integrations, pipeline, dispatcher
        route = Route.from_config(cfg.route)
        self.metrics.receivers.set(len(self.notifications.receivers))
        self.metrics.integrations.set(sum(len(i) for i in self.notifications.receivers.values()))
        self.deps.config = ApiConfig(
            receivers=tuple(r.name for r in cfg.receivers),
            resolve_timeout=cfg.global_config.resolve_timeout,
            original=marshal_yaml(cfg),
            route=route,
            json=amconfig.marshal_json(cfg),
        )

    def load_config(self) -> None:
        """One load through the coordinator (raises `amclone.config.ConfigError`)."""
        self.coordinator.reload()

    async def reload(self) -> None:
        """SIGHUP and POST /-/reload; a failed load keeps the running config."""
        async with self._reload_lock:
            try:
                self.load_config()
            except amconfig.ConfigError as e:
                raise ReloadError(str(e)) from None

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> list[str]:
        """Load state and config, then listen; raises on any failure, before serving."""
        await self.load_state()
        self.load_config()
        return await self.listen()

    async def load_state(self) -> None:
        """What --storage.path holds: the alert log (silences and nflog load when built)."""
        await self.alerts.start()

    async def listen(self) -> list[str]:
        return await self.http.start(list(self.opts.listen_addresses), self.opts.systemd_socket)

    async def run(self) -> None:
        """Serve until `request_stop`; maintenance runs beside it."""
        async with asyncio.TaskGroup() as tg:
            interval = self.opts.maintenance_interval_ns / NS_PER_SECOND
            tg.create_task(self.silences.run_maintenance(interval, self._stop))
            tg.create_task(self.nflog.run_maintenance(interval, self._stop))
            tg.create_task(self._truncate_head())
            await self._stop.wait()

    async def _truncate_head(self) -> None:
        """Drop samples past the head's retention, once a minute (as Prometheus's head does)."""
        while not self._stop.is_set():
            try:
                await asyncio.wait_for(self._stop.wait(), 60)
            except TimeoutError:
                await asyncio.to_thread(self.head.truncate)

    def request_stop(self) -> None:
        self._stop.set()

    async def stop(self) -> None:
        """Stop serving, then write the final snapshot and flush the alert log."""
        self._stop.set()
        await self.http.stop()
        await self.notifications.close()
        await self.alerts.stop()
        self.nflog.close()
        self.silences.close()
