"""Coordinator: reload keeps the running config on failure and reports through its metrics."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from amclone.config import Config, ConfigError, Coordinator, config_hash
from amclone.timeutil import FakeClock

GOOD = "route:\n  receiver: r\nreceivers:\n- name: r\n"


def _metric(reg: CollectorRegistry, name: str) -> float | None:
    return reg.get_sample_value(name)


def test_hash_is_first_48_bits_of_md5_little_endian() -> None:
    digest = hashlib.md5(b"abc").digest()
    assert config_hash("abc") == float(int.from_bytes(digest[:6] + b"\0\0", "little"))
    assert config_hash("abc") < 2**48


def test_reload_cycle(tmp_path: Path) -> None:
    path = tmp_path / "am.yml"
    path.write_text(GOOD)
    reg = CollectorRegistry()
    clock = FakeClock()
    coord = Coordinator(str(path), reg, clock)
    seen: list[Config] = []
    coord.subscribe(seen.append)

    coord.reload()
    assert coord.config is not None and seen == [coord.config]
    assert _metric(reg, "alertmanager_config_last_reload_successful") == 1
    assert _metric(reg, "alertmanager_config_hash") == config_hash(GOOD)
    assert _metric(reg, "alertmanager_config_last_reload_success_timestamp_seconds") == clock.now() / 1e9

    first = coord.config
    path.write_text("route:\n  receiver: nope\n" + "receivers:\n- name: r\n")
    with pytest.raises(ConfigError, match='undefined receiver "nope" used in route'):
        coord.reload()
    assert coord.config is first and len(seen) == 1
    assert _metric(reg, "alertmanager_config_last_reload_successful") == 0
    assert _metric(reg, "alertmanager_config_hash") == config_hash(GOOD)


def test_subscriber_failure_fails_the_reload(tmp_path: Path) -> None:
    path = tmp_path / "am.yml"
    path.write_text(GOOD)
    reg = CollectorRegistry()
    coord = Coordinator(str(path), reg)

    def reject(cfg: Config) -> None:
        raise ValueError("failed to parse templates")

    coord.subscribe(reject)
    with pytest.raises(ConfigError, match="failed to parse templates"):
        coord.reload()
    assert coord.config is None
    assert _metric(reg, "alertmanager_config_last_reload_successful") == 0
