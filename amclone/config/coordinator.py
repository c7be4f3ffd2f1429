"""Loading the config file on start and on every reload, and telling the rest of the process.

Mirrors 0.25's config.Coordinator: a failed load leaves the running configuration alone and sets
`alertmanager_config_last_reload_successful` to 0; a subscriber that rejects the new config (say
its templates do not parse) also counts as a failed reload. Only a fully applied config updates
the success timestamp and `alertmanager_config_hash` (first 48 bits of the file's md5, read
little-endian, as a float, which is what dashboards compare across HA peers).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Gauge

from amclone.config.config import Config, load_file
from amclone.config.errors import ConfigError
from amclone.timeutil import Clock, SystemClock

log = logging.getLogger("amclone.config")

Subscriber = Callable[[Config], None]


def config_hash(original: str) -> float:
    """0.25's md5HashAsMetricValue over the file text."""
    digest = hashlib.md5(original.encode("utf-8", "surrogateescape")).digest()
    return float(int.from_bytes(digest[:6], "little"))


class Coordinator:
    """Owns the config file path, the current Config and the reload metrics."""

    def __init__(self, path: str, registry: CollectorRegistry | None = None, clock: Clock | None = None,
                 *, extended: bool = False) -> None:
        self.path = path
        self.extended = extended
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []
        self._config: Config | None = None
        reg = registry if registry is not None else CollectorRegistry()
        self.hash_metric = Gauge("alertmanager_config_hash",
                                 "Hash of the currently loaded alertmanager configuration.", registry=reg)
        self.success_metric = Gauge("alertmanager_config_last_reload_successful",
                                    "Whether the last configuration reload attempt was successful.", registry=reg)
        self.success_time_metric = Gauge("alertmanager_config_last_reload_success_timestamp_seconds",
                                         "Timestamp of the last successful configuration reload.", registry=reg)

    @property
    def config(self) -> Config | None:
        """The last configuration every subscriber accepted (None before the first success)."""
        return self._config

    def subscribe(self, *callbacks: Subscriber) -> None:
        """Callbacks run, in order, with each newly loaded config; raising rejects the reload."""
        with self._lock:
            self._subscribers.extend(callbacks)

    def reload(self) -> None:
        """Load the file and apply it; raises ConfigError (Alertmanager's text) on failure."""
        with self._lock:
            log.info("Loading configuration file", extra={"file": self.path})
            try:
                conf = load_file(self.path, extended=self.extended)
            except ConfigError as e:
                log.error("Loading configuration file failed",
                          extra={"file": self.path, "err": str(e)})
                self.success_metric.set(0)
                raise
            log.info("Completed loading of configuration file",
                     extra={"file": self.path})
            for sub in self._subscribers:
                try:
                    sub(conf)
                except Exception as e:  # a subscriber's own error type: report it as text
                    log.error("one or more config change subscribers failed to apply new config",
                              extra={"file": self.path, "err": str(e)})
                    self.success_metric.set(0)
                    if isinstance(e, ConfigError):
                        raise
                    raise ConfigError(str(e), file=self.path) from e
            self._config = conf
            self.success_metric.set(1)
            self.success_time_metric.set(self._clock.now() / 1e9)
            self.hash_metric.set(config_hash(conf.original))
