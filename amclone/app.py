"""The composition root: the one module that builds concrete classes and wires them together.

Order follows Alertmanager 0.25's main.go, because the order is observable: state is loaded from
``--storage.path`` before anything serves, the configuration is loaded before the HTTP listeners
open (a bad config exits 1 without ever listening), every successful reload swaps the route tree,
receivers and (later) inhibitor and dispatcher at once, and shutdown writes the final silence
snapshot and flushes the alert log before the process exits 0.

Rule evaluation (``--rules.config``) rides on the same lifecycle: its files load with
alertmanager.yml (both or neither: a bad rule file fails the load or reload and keeps everything
that ran), evaluation starts once the listeners are open, and stops first at shutdown.

Seams for components that come later are marked ``SEAM``: the gossip peer (cluster status,
the notification wait by peer position, silence and nflog replication).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry

from amclone import config as amconfig
from amclone.alerts import AlertStore, AlertWAL, IngestMetrics, Marker
from amclone.api.intake import IntakeWorker, worker_enabled
from amclone.api.metrics import ServerMetrics
from amclone.api.prometheus import make_prometheus_app
from amclone.api.server import HttpServer, ServerOptions
from amclone.api.state import ApiConfig, ApiDeps, ReloadError
from amclone.compat.goquote import quote
from amclone.config.coordinator import Coordinator
from amclone.config.marshal import marshal_yaml
from amclone.dispatch.route import Route
from amclone.dispatch.system import NotificationSystem
from amclone.ingest.handler import make_write_handler
from amclone.nflog import NotificationLog
from amclone.notify.integrations import factories as integration_factories
from amclone.promql import Engine, ParseError
from amclone.rules import apiview
from amclone.rules import config as rules_config
from amclone.rules import files as rule_files
from amclone.rules.datasource import DataSource, LocalSource, RemoteSource
from amclone.rules.for_state_store import FOR_STATE_FILE, ForStateLog, PersistingAppender, load_into
from amclone.rules.group import HeadWriter
from amclone.rules.manager import ManagerOptions, RuleManager, notifying
from amclone.rules.metrics import RuleMetrics
from amclone.rules.restore import ForStateSource, HeadForState, RemoteForState
from amclone.rules.sender import AlertmanagerSender, StoreSender
from amclone.silence import Silencer, Silences, SnapshotFile
from amclone.template import Template, TemplateError, from_globs
from amclone.timeutil import NS_PER_SECOND, Clock, SystemClock
from amclone.tsdb import Head
from amclone.tsdb import metrics as tsdb_metrics

log = logging.getLogger("amclone.app")


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
class RulesOptions:
    """``--rules.*`` and the head's retention (durations in ns)."""

    config_file: str = ""  # empty: no rules
    datasource_url: str = ""  # empty: the remote-written metrics in the local head
    evaluation: str = rule_files.INTERVAL
    on_write_min_interval_ns: int = NS_PER_SECOND
    outage_tolerance_ns: int = 3600 * NS_PER_SECOND
    grace_period_ns: int = 600 * NS_PER_SECOND
    resend_delay_ns: int = 60 * NS_PER_SECOND
    head_retention_ns: int = 3 * 3600 * NS_PER_SECOND


@dataclass(frozen=True)
class LoadedRules:
    """A rules config and its groups, parsed and checked, not yet running."""

    config: rules_config.RulesConfig
    groups: list[rule_files.Group]


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
    rules: RulesOptions = field(default_factory=RulesOptions)


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
            factories=integration_factories(lambda: self.template, opts.external_url, self.clock, self.registry))
        self.coordinator = Coordinator(opts.config_file, registry=self.registry, clock=self.clock)
        self.coordinator.subscribe(self._apply)
        self.deps = ApiDeps(clock=self.clock, alerts=self.alerts, status=self.marker.status,
                            silences=self.silences, ingest=self.ingest, reload=self.reload,
                            set_alert_status=self.notifications.set_alert_status,
                            groups=self.notifications.groups, cluster=None, uptime=self.clock.now(),
                            intake=IntakeWorker() if worker_enabled() else None)
        # Metrics intake beside Alertmanager's API: remote write and the Prometheus query API
        # over one in-memory head, which the rules read (unless --rules.datasource.url).
        self.head = Head(retention_ms=opts.rules.head_retention_ns // 1_000_000)
        tsdb_metrics.register(self.head, self.registry)
        self.engine = Engine(self.head)
        self._build_rules()
        prometheus_api = make_prometheus_app(self.head, self.engine)
        for method, path, handler in apiview.make_handlers(self.rule_manager.groups):
            prometheus_api.router.add_route(method, path, handler)
        self.http = HttpServer(self.deps, self.metrics, ServerOptions(
            route_prefix=opts.route_prefix, get_concurrency=opts.get_concurrency,
            timeout_ns=opts.timeout_ns, web_config_file=opts.web_config_file, ui_path=opts.ui_path,
            extra_routes=(("/api/v1/write", notifying(make_write_handler(self.head), self.rule_manager)),),
            extra_apps=(("/prometheus", prometheus_api),)))
        self.template: Template | None = None
        self._reload_lock = asyncio.Lock()
        self._stop = asyncio.Event()

    def _build_rules(self) -> None:
        """The rule manager over the local head or the remote datasource; its alerts go into the
        store (as if posted to /api/v2/alerts) and to alerting.alertmanagers."""
        ro = self.opts.rules
        source: DataSource
        for_state: ForStateSource
        if ro.datasource_url:
            remote = RemoteSource(ro.datasource_url)
            source, for_state, watched = remote, RemoteForState(remote), None
        else:
            source, for_state, watched = LocalSource(self.engine), HeadForState(self.head), self.head
        self.am_sender = AlertmanagerSender((), self.registry)
        # ALERTS_FOR_STATE also goes to --storage.path: the head is in memory, restore reads it.
        self.for_state_log = ForStateLog(Path(self.opts.storage_path) / FOR_STATE_FILE, ro.outage_tolerance_ns)
        self.rule_manager = RuleManager(
            self.clock, source, PersistingAppender(HeadWriter(self.head), self.for_state_log),
            [StoreSender(self.alerts, self.clock, self.ingest), self.am_sender], RuleMetrics(self.registry),
            ManagerOptions(external_url=self.opts.external_url, resend_delay=ro.resend_delay_ns,
                           outage_tolerance=ro.outage_tolerance_ns, grace_period=ro.grace_period_ns,
                           on_write_min_interval=ro.on_write_min_interval_ns),
            for_state=for_state, head=watched)

    def _load_rules(self) -> LoadedRules | None:
        """Read --rules.config and its rule files (nothing runs yet); raises `ConfigError` with
        Prometheus's texts, logged as Prometheus logs them."""
        path = self.opts.rules.config_file
        if not path:
            return None
        log.info("Loading configuration file", extra={"file": path})
        try:
            cfg = rules_config.load_file(path)
        except rules_config.RulesConfigError as e:
            raise self._rules_failed(f"couldn't load configuration (--rules.config={quote(path)}): {e}") from None
        try:
            paths = cfg.rule_file_paths()
        except rules_config.RulesConfigError as e:
            bad = next((p for p in cfg.rule_files if not rules_config.valid_glob(p)), "")
            raise self._rules_failed(f"error retrieving rule files for {bad}: {e}") from None
        try:
            groups = rule_files.load_files(paths, evaluation_interval=cfg.evaluation_interval,
                                           query_offset=cfg.rule_query_offset, evaluation=self.opts.rules.evaluation)
        except rule_files.RuleLoadError as e:
            for err in e.errors:
                log.error("loading groups failed", extra={"err": err})
            raise self._rules_failed(f"error loading rules, previous rule set restored: {e}") from None
        return LoadedRules(cfg, groups)

    @staticmethod
    def _rules_failed(message: str) -> amconfig.ConfigError:
        log.error("Loading rules configuration failed", extra={"err": message})
        return amconfig.ConfigError(message)

    def _apply_rules(self, loaded: LoadedRules | None) -> None:
        """Swap the running groups (unchanged groups keep their state) and the senders' targets;
        size the head's retention to the longest range a local rule reads."""
        cfg = loaded.config if loaded is not None else rules_config.RulesConfig()
        groups = loaded.groups if loaded is not None else []
        try:
            self.rule_manager.apply(groups, cfg.external_labels)  # changes nothing when it raises
        except Exception as e:  # noqa: BLE001 - an expression the datasource refuses: a failed load
            raise self._rules_failed(f"error loading rules, previous rule set restored: {e}") from None
        self.am_sender.set_targets(cfg.alertmanagers)
        if not self.opts.rules.datasource_url:
            self.head.retention_ms = max(self.opts.rules.head_retention_ns // 1_000_000, self._rules_lookbehind_ms(groups))

    def _rules_lookbehind_ms(self, groups: list[rule_files.Group]) -> int:
        """The oldest sample an evaluation may read, behind the newest one (ms)."""
        longest = 0
        for g in groups:
            for r in g.rules:
                try:
                    back = self.engine.compile(r.expr).lookbehind_ms
                except ParseError:
                    continue  # the loader already refused what the engine cannot run
                longest = max(longest, back + (g.query_offset + g.interval) // 1_000_000)
        return longest

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
        """One load of both configurations (raises `amclone.config.ConfigError`): the rules are
        read and checked first, then alertmanager.yml goes through the coordinator, and only when
        both are good do the new rules run, so a failure in either changes nothing."""
        rules = self._load_rules()
        self.coordinator.reload()
        self._apply_rules(rules)

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
        """What --storage.path holds: the alert log (silences and nflog load when built), and the
        rules' last ALERTS_FOR_STATE samples into the head, for the manager's restore."""
        await self.alerts.start()
        load_into(self.head, self.for_state_log.load(self.clock.now()))

    async def listen(self) -> list[str]:
        """Open the listeners, then start evaluating rules (remote writes can arrive now)."""
        addresses = await self.http.start(list(self.opts.listen_addresses), self.opts.systemd_socket)
        if self.deps.intake is not None:
            await self.deps.intake.start()
        await self.rule_manager.start()
        return addresses

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
        await self.rule_manager.stop()
        self.for_state_log.close()
        await self.http.stop()
        if self.deps.intake is not None:
            await self.deps.intake.stop()
        await self.am_sender.close()
        await self.notifications.close()
        await self.alerts.stop()
        self.nflog.close()
        self.silences.close()
