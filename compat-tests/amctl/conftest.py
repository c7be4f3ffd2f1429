"""Fixtures for the amctl compat tests (helpers live in amctl_harness)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from amctl_harness import SERVERS, Tools, start


@pytest.fixture(scope="module", params=list(SERVERS))
def server_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def tools(tmp_path: Path) -> Tools:
    home = tmp_path / "home"
    home.mkdir()
    return Tools(home)


@pytest.fixture
def served(server_kind: str, tmp_path: Path, tools: Tools, request: pytest.FixtureRequest) -> Iterator[Tools]:
    """`tools` pointed at a fresh server running the test module's CONFIG."""
    config_text = getattr(request.module, "CONFIG", "route:\n  receiver: default\nreceivers:\n- name: default\n")
    proc, url = start(server_kind, config_text, tmp_path / "server")
    tools.url = url
    try:
        yield tools
    finally:
        proc.stop()
