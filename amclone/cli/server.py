"""`amclone`: the server, started the way Alertmanager 0.25's ``cmd/alertmanager`` starts.

The steps and their failure modes follow main.go, so init scripts and supervisors see the same
behaviour: flag errors exit 1 with kingpin's message; data directory, cluster address, external
URL, configuration and listener problems are logged with Alertmanager's messages and exit 1
before (or instead of) serving; SIGHUP reloads; SIGTERM/SIGINT stop gracefully and exit 0.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import socket
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import yaml

from amclone.api.netaddr import split_host_port
from amclone.api.version import BUILD
from amclone.cli import flags as cliflags
from amclone.cli import logfmt

if TYPE_CHECKING:
    from amclone.app import Options

# The server itself (config, API, app) is imported only once the flags are good, so that
# --help, --version and flag errors answer at once.

log = logging.getLogger("amclone.main")


def _prog() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "amclone"
    return "amclone" if name in ("__main__.py", "-c", "") else name


def external_url(listen: str, external: str) -> str:
    """0.25 ``extURL``: the URL templates and links use; raises ValueError with its texts."""
    if external == "":
        _, port = split_host_port(listen)
        if port == "":
            log.warning("no port found for listen address", extra={"address": listen})
        external = f"http://{socket.gethostname()}:{port}/"
    from amclone.config import gourl

    u = gourl.parse(external)
    if u.scheme not in ("http", "https"):
        raise ValueError(f"{_q(str(u))}: invalid {_q(u.scheme)} scheme, only 'http' and 'https' are supported")
    path = u.path.rstrip("/")
    if path and not path.startswith("/"):
        path = "/" + path
    return str(u.with_path(path))


def _q(s: str) -> str:
    from amclone.compat.goquote import quote

    return quote(s)


def route_prefix(flag: str, ext: str) -> str:
    from amclone.config import gourl

    if flag == "":
        flag = gourl.parse(ext).path
    return "/" + flag.strip("/")


def _matcher_mode(features: frozenset[str]) -> None:
    from amclone.labels import parse as matcher_parse

    if "utf8-strict-mode" in features:
        matcher_parse.set_mode("utf8")
    else:
        matcher_parse.set_mode("classic")  # 0.25's only parser (newer AMs default to fallback)


def build_options(v: dict[str, Any]) -> Options:
    from amclone.app import ClusterOptions, Options, RulesOptions

    listen = tuple(v["web.listen-address"])
    ext = external_url(listen[0] if listen else ":9093", v["web.external-url"])
    return Options(
        config_file=v["config.file"], storage_path=v["storage.path"], external_url=ext,
        route_prefix=route_prefix(v["web.route-prefix"], ext), listen_addresses=listen,
        web_config_file=v["web.config.file"], systemd_socket=v["web.systemd-socket"],
        get_concurrency=v["web.get-concurrency"], timeout_ns=v["web.timeout"], ui_path=v["web.ui-path"],
        retention_ns=v["data.retention"], maintenance_interval_ns=v["data.maintenance-interval"],
        alerts_gc_interval_ns=v["alerts.gc-interval"],
        cluster=ClusterOptions(
            listen_address=v["cluster.listen-address"], advertise_address=v["cluster.advertise-address"],
            peers=tuple(v["cluster.peer"]), peer_timeout_ns=v["cluster.peer-timeout"],
            gossip_interval_ns=v["cluster.gossip-interval"], pushpull_interval_ns=v["cluster.pushpull-interval"],
            tcp_timeout_ns=v["cluster.tcp-timeout"], probe_timeout_ns=v["cluster.probe-timeout"],
            probe_interval_ns=v["cluster.probe-interval"], settle_timeout_ns=v["cluster.settle-timeout"],
            reconnect_interval_ns=v["cluster.reconnect-interval"],
            reconnect_timeout_ns=v["cluster.reconnect-timeout"], tls_config=v["cluster.tls-config"],
            allow_insecure_advertise=v["cluster.allow-insecure-public-advertise-address-discovery"]),
        features=cliflags.parse_features(v["enable-feature"]),
        rules=RulesOptions(
            config_file=v["rules.config"], datasource_url=v["rules.datasource.url"],
            evaluation=v["rules.evaluation"], on_write_min_interval_ns=v["rules.on-write-min-interval"],
            outage_tolerance_ns=v["rules.alert.for-outage-tolerance"],
            grace_period_ns=v["rules.alert.for-grace-period"], resend_delay_ns=v["rules.alert.resend-delay"],
            head_retention_ns=v["storage.tsdb.retention.time"]),
    )


def mkdir_all(path: str) -> str | None:
    """Go's os.MkdirAll; its error text (naming the component that failed), or None."""
    cur = path.rstrip("/") or "/"
    while cur and cur not in ("/", "."):
        if os.path.exists(cur) and not os.path.isdir(cur):
            return f"mkdir {cur}: not a directory"
        cur = os.path.dirname(cur)
    try:
        os.makedirs(path, mode=0o777, exist_ok=True)
    except OSError as e:
        reason = os.strerror(e.errno).lower() if e.errno else str(e)
        return f"mkdir {e.filename or path}: {reason}"
    return None


def _atoi_error(port: str) -> str | None:
    body = port[1:] if port[:1] in "+-" else port
    if body.isascii() and body.isdigit():
        return None
    return f'strconv.Atoi: parsing "{port}": invalid syntax'


def cluster_address_error(listen: str, advertise: str, peers: Sequence[str]) -> str | None:
    """cluster.Create's checks of the addresses, in its order and with its wrapped errors."""
    for addr, what in ((listen, "listen"), (advertise, "advertise")):
        if what == "advertise" and addr == "":
            continue
        try:
            _, port = split_host_port(addr)
        except ValueError as e:
            return f"invalid {what} address: {e}"
        bad = _atoi_error(port)
        if bad is not None:
            return f"address {addr}: invalid port: {bad}"
    for peer in peers:
        try:
            split_host_port(peer)
        except ValueError as e:
            return f"resolve peers: split host/port for peer {peer}: {e}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    result = cliflags.build(_prog()).run(list(sys.argv[1:] if argv is None else argv))
    v = result.values
    logfmt.setup(v["log.level"], v["log.format"])
    log.info("Starting Alertmanager", extra={"version": BUILD.info()})
    log.info("", extra={"build_context": BUILD.build_context()})
    try:
        features = cliflags.parse_features(v["enable-feature"])
    except ValueError as e:
        log.error("error parsing the feature flag list", extra={"err": str(e)})
        return 1
    _matcher_mode(features)
    err = mkdir_all(v["storage.path"])
    if err is not None:
        log.error("Unable to create data directory", extra={"err": err})
        return 1
    if v["cluster.tls-config"]:
        try:
            with open(v["cluster.tls-config"], "rb") as f:
                yaml.safe_load(f)
        except (OSError, yaml.YAMLError) as e:
            reason = f"open {v['cluster.tls-config']}: {e.strerror.lower()}" if isinstance(e, OSError) \
                and e.strerror else str(e)
            log.error("unable to initialize TLS transport configuration for gossip mesh", extra={"err": reason})
            return 1
    if v["cluster.listen-address"]:
        err = cluster_address_error(v["cluster.listen-address"], v["cluster.advertise-address"],
                                    v["cluster.peer"])
        if err is not None:
            log.error("unable to initialize gossip mesh", extra={"err": err})
            return 1
        log.warning("clustering is not implemented yet: running standalone, status shows it disabled",
                    extra={"listen_address": v["cluster.listen-address"]})
    try:
        opts = build_options(v)
    except ValueError as e:
        log.error("failed to determine external URL", extra={"err": str(e)})
        return 1
    log.debug("", extra={"externalURL": opts.external_url})
    log.debug("", extra={"routePrefix": opts.route_prefix})
    # CPython's default collector thresholds (700, 10, 10) run a full collection over every held
    # alert each time the store has grown by a quarter; with 10^5 alerts that was ~17% of the
    # CPU of an ingest burst (bench/ingest.py). Rarer young collections keep that rare too;
    # unreachable cycles are freed a little later, nothing else changes.
    gc.set_threshold(10_000, 10, 10)
    return asyncio.run(serve(opts))


async def serve(opts: Options) -> int:
    from amclone import config as amconfig
    from amclone.api.state import ReloadError
    from amclone.api.webconfig import WebConfigError
    from amclone.app import App

    try:
        app = App(opts)  # loads the silence and nflog snapshots
    except Exception as e:  # noqa: BLE001 - an unreadable snapshot: 0.25 logs the error, exits 1
        log.error("", extra={"err": str(e)})
        return 1
    try:
        await app.load_state()
        app.load_config()
    except amconfig.ConfigError:
        await app.stop()  # the coordinator has logged why
        return 1
    except Exception as e:  # noqa: BLE001 - any start-up failure: logged, exit 1, no traceback
        log.error("", extra={"err": str(e)})
        await app.stop()
        return 1
    try:
        await app.listen()
    except (OSError, WebConfigError, ValueError) as e:
        log.error("Listen error", extra={"err": str(e)})
        await app.stop()
        return 1
    # Everything built so far (modules, config, restored state) is long-lived: keep it out of the
    # collector's full passes, which otherwise walk it again and again (a 24 ms pause seen in
    # bench/notify.py's latency run, 1 ms with this). Frozen objects are still freed by
    # reference counting when dropped; only garbage cycles among them would stay.
    gc.freeze()
    loop = asyncio.get_running_loop()

    async def hup() -> None:
        try:
            await app.reload()
        except ReloadError:
            pass  # already logged by the coordinator

    def term(signame: str) -> None:
        log.info(f"Received {signame}, exiting gracefully...")
        app.request_stop()

    loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(hup()))
    loop.add_signal_handler(signal.SIGTERM, term, "SIGTERM")
    loop.add_signal_handler(signal.SIGINT, term, "SIGTERM")
    try:
        await app.run()
    finally:
        await app.stop()
    return 0
