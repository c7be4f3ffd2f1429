"""Compat tests run the real Alertmanager 0.25 / Prometheus 2.42 / amtool / promtool beside
amclone on the same input and compare. They never skip: a missing reference program is
installed (scripts/install-reference) or the test fails."""

from __future__ import annotations

import pytest

from amclone.testing.procs import reference_binary


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "compat-tests" in str(item.fspath):
            item.add_marker(pytest.mark.compat)


@pytest.fixture(scope="session")
def amtool() -> str:
    return reference_binary("amtool")


@pytest.fixture(scope="session")
def alertmanager_bin() -> str:
    return reference_binary("prometheus-alertmanager")


@pytest.fixture(scope="session")
def promtool() -> str:
    return reference_binary("promtool")


@pytest.fixture(scope="session")
def prometheus_bin() -> str:
    return reference_binary("prometheus")
