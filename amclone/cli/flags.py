"""The `amclone` server's command line: Alertmanager 0.25's flags (the Debian build's defaults and
help texts, as `prometheus-alertmanager --help` prints them), plus amclone's additions after them.

Values are checked here with Alertmanager's own error texts, so a bad flag fails before anything
starts, exactly where and how Alertmanager fails."""

from __future__ import annotations

import re

from amclone.api.version import BUILD
from amclone.cli.kingpin import App, Flag, UsageError
from amclone.compat.duration import DurationError, parse_go_duration, parse_model_duration

_FLOAT = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:inf|infinity|nan)$", re.IGNORECASE)

LOG_LEVELS = ("debug", "info", "warn", "error")
LOG_FORMATS = ("logfmt", "json")
# Alertmanager's --enable-feature options (0.27+); the matcher modes change parsing, the rest
# are accepted so that newer command lines keep working.
FEATURES = (
    "alert-names-in-metrics",
    "receiver-name-in-metrics",
    "group-key-in-metrics",
    "classic-mode",
    "utf8-strict-mode",
    "auto-gomemlimit",
    "event-recorder",
)
# --rules.evaluation: the default mode of rule groups that do not choose one (amclone.rules.files)
EVALUATION_MODES = ("interval", "on_write")


def go_duration(text: str) -> int:
    try:
        return parse_go_duration(text)
    except DurationError as e:
        raise UsageError(str(e)) from None


def kingpin_int(text: str) -> int:
    """kingpin's int flags go through strconv.ParseFloat, and so do their errors."""
    if not _FLOAT.match(text):
        raise UsageError(f'strconv.ParseFloat: parsing "{text}": invalid syntax')
    try:
        return int(float(text))
    except (OverflowError, ValueError):
        return 0


def model_duration(text: str) -> int:
    """Prometheus's duration flags (``15d``, ``1h30m``) with its error text."""
    try:
        return parse_model_duration(text)
    except DurationError as e:
        raise UsageError(str(e)) from None


def _evaluation(text: str) -> str:
    if text not in EVALUATION_MODES:
        raise UsageError(f"enum value must be one of {','.join(EVALUATION_MODES)}, got '{text}'")
    return text


def _boolean(text: str) -> bool:
    return text == "true"


def _log_level(text: str) -> str:
    if text not in LOG_LEVELS:
        raise UsageError(f'unrecognized log level "{text}"')
    return text


def _log_format(text: str) -> str:
    if text not in LOG_FORMATS:
        raise UsageError(f'unrecognized log format "{text}"')
    return text


def version_text() -> str:
    """What `--version` prints, in Alertmanager's layout."""
    return BUILD.print_text()


def _s(name: str, help: str, default: str | None = None, placeholder: str = "") -> Flag:
    return Flag(name, help, str, [default] if default is not None else [], placeholder,
                quote_default=True)


def _d(name: str, help: str, default: str) -> Flag:
    return Flag(name, help, go_duration, [default])


# Rule evaluation over remote-written metrics (amclone.rules). Where Prometheus has the same
# setting, the flag keeps Prometheus's name, default and help text.
RULE_FLAGS = (
    _s("rules.config", "Prometheus configuration file (prometheus.yml) whose global "
       "evaluation_interval, external_labels and rule_query_offset, rule_files and "
       "alerting.alertmanagers are used to evaluate rules on the remote-written metrics. Reloaded "
       "with the Alertmanager configuration. Empty: no rules.", ""),
    _s("rules.datasource.url", "Evaluate rules against this Prometheus-compatible query API (for "
       "example http://prometheus:9090) instead of the remote-written metrics.", ""),
    Flag("rules.evaluation", "Evaluation of rule groups that do not set 'evaluation': on the "
         "interval grid as Prometheus does, or also as soon as a remote write touches the series "
         "they select. One of: [interval, on_write]", _evaluation, ["interval"]),
    _d("rules.on-write-min-interval", "Minimum time between two event-driven evaluations of a rule "
       "group.", "1s"),
    Flag("rules.alert.for-outage-tolerance", 'Max time to tolerate prometheus outage for restoring '
         '"for" state of alert.', model_duration, ["1h"]),
    Flag("rules.alert.for-grace-period", 'Minimum duration between alert and restored "for" state. '
         'This is maintained only for alerts with configured "for" time greater than grace period.',
         model_duration, ["10m"]),
    Flag("rules.alert.resend-delay", "Minimum amount of time to wait before resending an alert to "
         "Alertmanager.", model_duration, ["1m"]),
    Flag("storage.tsdb.retention.time", "How long to keep remote-written samples (in memory). Raised "
         "to the longest range the loaded rules read. Units Supported: y, w, d, h, m, s, ms.",
         model_duration, ["3h"]),
)


def build(app_name: str = "amclone") -> App:
    app = App(app_name, version_text())
    for f in (
        _s("config.file", "Alertmanager configuration file name.", "/etc/prometheus/alertmanager.yml"),
        _s("storage.path", "Base path for data storage.", "/var/lib/prometheus/alertmanager/"),
        _d("data.retention", "How long to keep data for.", "120h"),
        _d("data.maintenance-interval", "Interval between garbage collection and snapshotting to disk "
           "of the silences and the notification logs.", "15m"),
        _d("alerts.gc-interval", "Interval between alert GC.", "30m"),
        Flag("web.systemd-socket", "Use systemd socket activation listeners instead of port listeners "
             "(Linux only).", _boolean, boolean=True),
        Flag("web.listen-address", "Addresses on which to expose metrics and web interface. Repeatable "
             "for multiple addresses.", str, [":9093"], cumulative=True),
        _s("web.config.file", "[EXPERIMENTAL] Path to configuration file that can enable TLS or "
           "authentication.", ""),
        _s("web.external-url", "The URL under which Alertmanager is externally reachable (for example, "
           "if Alertmanager is served via a reverse proxy). Used for generating relative and absolute "
           "links back to Alertmanager itself. If the URL has a path portion, it will be used to prefix "
           "all HTTP endpoints served by Alertmanager. If omitted, relevant URL components will be "
           "derived automatically."),
        _s("web.route-prefix", "Prefix for the internal routes of web endpoints. Defaults to path of "
           "--web.external-url."),
        Flag("web.get-concurrency", "Maximum number of GET requests processed concurrently. If negative "
             "or zero, the limit is GOMAXPROC or 8, whichever is larger.", kingpin_int, ["0"]),
        _d("web.timeout", "Timeout for HTTP requests. If negative or zero, no timeout is set.", "0"),
        _s("web.ui-path", "Path to static UI directory.", "/usr/share/prometheus/alertmanager/ui/"),
        _s("cluster.listen-address", "Listen address for cluster. Set to empty string to disable HA "
           "mode.", "0.0.0.0:9094"),
        _s("cluster.advertise-address", "Explicit address to advertise in cluster."),
        Flag("cluster.peer", "Initial peers (may be repeated).", str, cumulative=True),
        _d("cluster.peer-timeout", "Time to wait between peers to send notifications.", "15s"),
        _d("cluster.gossip-interval", "Interval between sending gossip messages. By lowering this value "
           "(more frequent) gossip messages are propagated across the cluster more quickly at the "
           "expense of increased bandwidth.", "200ms"),
        _d("cluster.pushpull-interval", "Interval for gossip state syncs. Setting this interval lower "
           "(more frequent) will increase convergence speeds across larger clusters at the expense of "
           "increased bandwidth usage.", "1m0s"),
        _d("cluster.tcp-timeout", "Timeout for establishing a stream connection with a remote node for "
           "a full state sync, and for stream read and write operations.", "10s"),
        _d("cluster.probe-timeout", "Timeout to wait for an ack from a probed node before assuming it is "
           "unhealthy. This should be set to 99-percentile of RTT (round-trip time) on your network.",
           "500ms"),
        _d("cluster.probe-interval", "Interval between random node probes. Setting this lower (more "
           "frequent) will cause the cluster to detect failed nodes more quickly at the expense of "
           "increased bandwidth usage.", "1s"),
        _d("cluster.settle-timeout", "Maximum time to wait for cluster connections to settle before "
           "evaluating notifications.", "1m0s"),
        _d("cluster.reconnect-interval", "Interval between attempting to reconnect to lost peers.", "10s"),
        _d("cluster.reconnect-timeout", "Length of time to attempt to reconnect to a lost peer.", "6h0m0s"),
        _s("cluster.tls-config", "[EXPERIMENTAL] Path to config yaml file that can enable mutual TLS "
           "within the gossip protocol.", ""),
        Flag("cluster.allow-insecure-public-advertise-address-discovery", "[EXPERIMENTAL] Allow "
             "alertmanager to discover and listen on a public IP address.", _boolean, boolean=True),
        Flag("log.level", "Only log messages with the given severity or above. One of: [debug, info, "
             "warn, error]", _log_level, ["info"]),
        Flag("log.format", "Output format of log messages. One of: [logfmt, json]", _log_format,
             ["logfmt"]),
        Flag("version", "Show application version.", _boolean, boolean=True),
        # amclone's additions: after Alertmanager's own, never instead of them.
        _s("enable-feature", "Comma-separated experimental features to enable. Valid options: "
           + ", ".join(FEATURES), ""),
        *RULE_FLAGS,
    ):
        app.add(f)
    return app


def parse_features(text: str) -> frozenset[str]:
    """Alertmanager's featurecontrol.NewFlags checks, with its error texts."""
    if text == "":
        return frozenset()
    found = set()
    for feature in text.split(","):
        if feature not in FEATURES:
            raise ValueError(f"unknown option '{feature}' for --enable-feature")
        found.add(feature)
    if {"classic-mode", "utf8-strict-mode"} <= found:
        raise ValueError("cannot have both classic and UTF-8 modes enabled")
    return frozenset(found)
