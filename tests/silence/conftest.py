"""Fixtures for silence tests: a fake clock at a fixed instant and stores on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from silence_builders import T0

from amclone.silence import Silences, SnapshotFile
from amclone.timeutil import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture
def store(clock: FakeClock, registry: CollectorRegistry) -> Silences:
    return Silences(clock, registry=registry)


@pytest.fixture
def path_store(clock: FakeClock, tmp_path: Path) -> Silences:
    return Silences(clock, snapshot=SnapshotFile.in_dir(tmp_path), registry=CollectorRegistry())
