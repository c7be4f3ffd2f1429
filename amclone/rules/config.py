"""``--rules.config``: the part of a prometheus.yml that rule evaluation needs.

Users point amclone at the prometheus.yml they already have, so every section Prometheus knows is
accepted (``scrape_configs``, ``remote_write``... are kept as raw nodes and not interpreted), and a
key Prometheus does not know is an error, as it would be for Prometheus. What is read: the global
``evaluation_interval`` (default 1m), ``external_labels`` and ``rule_query_offset`` (Prometheus
>= 2.53; default 0), the ``rule_files`` globs (relative to the file's directory, expanded at each
reload) and ``alerting.alertmanagers`` static targets, where amclone sends alerts in addition to
its own store. Errors read like Prometheus's: ``parsing YAML file <path>: <reason>`` (the file is
read with yaml.v2's rules, as Prometheus reads it). ``rule_query_offset`` is Prometheus 2.53's;
promtool 2.42 would reject it, amclone takes it because its rule semantics are Prometheus 3's.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from typing import Any

from amclone.compat.goquote import quote
from amclone.labels.labelset import is_valid_name
from amclone.rules.decode import Decoder, Duration, GoType, RawNode, Slice, Str, StrMap, Struct
from amclone.rules.yamlv3 import Node, YamlError, read_file
from amclone.rules.yamlv3 import parse as parse_yaml

_S = 1_000_000_000
DEFAULT_EVALUATION_INTERVAL = 60 * _S
DEFAULT_ALERTMANAGER_TIMEOUT = 10 * _S
API_VERSIONS = ("v1", "v2")
_RULE_PATH = re.compile(r"^[^*]*(\*[^/]*)?$")  # Prometheus: a "*" only in the last path element


class RulesConfigError(Exception):
    """An unusable rules config; ``str()`` is the whole message."""


@dataclass(frozen=True)
class AlertmanagerTargets:
    """One ``alerting.alertmanagers`` entry, reduced to what a static sender needs."""

    targets: tuple[str, ...] = ()
    scheme: str = "http"
    path_prefix: str = "/"
    timeout: int = DEFAULT_ALERTMANAGER_TIMEOUT
    api_version: str = "v2"

    def urls(self) -> list[str]:
        """Where alerts go (Prometheus posts to ``<scheme>://<target><prefix>/api/v2/alerts``)."""
        prefix = self.path_prefix.rstrip("/")
        return [f"{self.scheme}://{t}{prefix}/api/{self.api_version}/alerts" for t in self.targets]


@dataclass(frozen=True)
class RulesConfig:
    evaluation_interval: int = DEFAULT_EVALUATION_INTERVAL
    external_labels: dict[str, str] = field(default_factory=dict)
    rule_query_offset: int = 0
    rule_files: tuple[str, ...] = ()  # patterns, made absolute against the config's directory
    alertmanagers: tuple[AlertmanagerTargets, ...] = ()
    path: str = ""

    def rule_file_paths(self) -> list[str]:
        """The files the patterns match now, each pattern's matches sorted (``filepath.Glob``);
        raises `RulesConfigError` with Go's ``syntax error in pattern`` for a malformed one."""
        out: list[str] = []
        for pattern in self.rule_files:
            if not valid_glob(pattern):
                raise RulesConfigError("syntax error in pattern")
            for path in sorted(glob.glob(pattern)):
                if path not in out:
                    out.append(path)
        return out


_HTTP_CLIENT = ("basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file", "tls_config",
                "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header", "follow_redirects",
                "enable_http2", "http_headers", "sigv4")
_SD = tuple(f"{kind}_sd_configs" for kind in (
    "azure", "consul", "digitalocean", "docker", "dockerswarm", "dns", "ec2", "eureka", "file", "gce",
    "hetzner", "http", "ionos", "kubernetes", "kuma", "lightsail", "linode", "marathon", "nerve", "nomad",
    "openstack", "ovhcloud", "puppetdb", "scaleway", "serverset", "triton", "uyuni", "vultr"))


def _raw(names: tuple[str, ...]) -> dict[str, GoType]:
    return {n: RawNode() for n in names}


def _static(v: dict[str, Any], _n: Node) -> tuple[str, ...]:
    return tuple(v.get("targets", ()))


def _am(v: dict[str, Any], _n: Node) -> AlertmanagerTargets:
    targets = tuple(t for group in v.get("static_configs", ()) for t in group)
    version = v.get("api_version", "") or "v2"
    if version not in API_VERSIONS:
        raise YamlError(f"expected Alertmanager api version to be one of [{' '.join(API_VERSIONS)}] "
                        f"but got {version}")
    return AlertmanagerTargets(targets, v.get("scheme", "") or "http", v.get("path_prefix", "") or "/",
                               v.get("timeout", 0) or DEFAULT_ALERTMANAGER_TIMEOUT, version)


def _global(v: dict[str, Any], _n: Node) -> dict[str, Any]:
    labels = v.get("external_labels", {})
    for name in labels:
        if not is_valid_name(name):
            raise YamlError(f"{quote(name)} is not a valid label name")
    v["external_labels"] = {k: x for k, x in labels.items() if x != ""}
    return v


_STATIC = Struct("targetgroup.plain", {"targets": Slice(Str()), "labels": StrMap()}, _static)
_AM = Struct("config.AlertmanagerConfig", {"static_configs": Slice(_STATIC), "scheme": Str(), "path_prefix": Str(),
                              "timeout": Duration(), "api_version": Str(),
                              **_raw(("relabel_configs", "alert_relabel_configs") + _HTTP_CLIENT + _SD)}, _am)
_GLOBAL = Struct("config.plain", {"evaluation_interval": Duration(), "external_labels": StrMap(),
                                  "rule_query_offset": Duration(),
                                  **_raw(("scrape_interval", "scrape_timeout", "scrape_protocols", "query_log_file",
                                          "scrape_failure_log_file", "body_size_limit", "sample_limit",
                                          "target_limit", "label_limit", "label_name_length_limit",
                                          "label_value_length_limit", "keep_dropped_targets",
                                          "metric_name_validation_scheme", "metric_name_escaping_scheme",
                                          "convert_classic_histograms_to_nhcb",
                                          "always_scrape_classic_histograms", "extra_scrape_metrics"))}, _global)
_ALERTING = Struct("config.AlertingConfig", {"alertmanagers": Slice(_AM), "alert_relabel_configs": RawNode()},
                   lambda v, _n: v)
_TOP = Struct("config.plain", {"global": _GLOBAL, "alerting": _ALERTING, "rule_files": Slice(Str()),
                               **_raw(("runtime", "scrape_config_files", "scrape_configs", "storage", "tracing",
                                       "remote_write", "remote_read", "otlp"))}, lambda v, _n: v)


def load(text: bytes, path: str = "") -> RulesConfig:
    """Parse prometheus.yml text; `path` anchors relative rule_files and names the file in errors."""
    try:
        top = Decoder(known_fields=True, v2=True).run(parse_yaml(text), _TOP) or {}
    except YamlError as e:
        raise RulesConfigError(f"parsing YAML file {path}: {e}") from None
    g = top.get("global", {})
    base = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    patterns = []
    for pattern in top.get("rule_files", ()):
        if not _RULE_PATH.match(pattern):
            raise RulesConfigError(f"parsing YAML file {path}: invalid rule file path {quote(pattern)}")
        patterns.append(os.path.join(base, pattern))
    return RulesConfig(
        evaluation_interval=g.get("evaluation_interval", 0) or DEFAULT_EVALUATION_INTERVAL,
        external_labels=g.get("external_labels", {}),
        rule_query_offset=g.get("rule_query_offset", 0),
        rule_files=tuple(patterns),
        alertmanagers=tuple(top.get("alerting", {}).get("alertmanagers", ())),
        path=path)


def load_file(path: str) -> RulesConfig:
    try:
        text = read_file(path)
    except YamlError as e:
        raise RulesConfigError(str(e)) from None
    return load(text, path)


def valid_glob(pattern: str) -> bool:
    """``filepath.Glob``'s only error, ``ErrBadPattern``: an unclosed ``[`` class or a trailing ``\\``."""
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if i + 1 >= len(pattern):
                return False
            i += 2
            continue
        if c == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1:i + 2] in ("]", "^") else i + 1)
            if end < 0:
                return False
            i = end
        i += 1
    return True
