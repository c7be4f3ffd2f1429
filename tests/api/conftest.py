"""In-process amclone Apps on loopback ports, driven through real sockets with aiohttp's client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from amclone.app import App, Options
from amclone.testing.procs import free_port

CONFIG = """\
route:
  receiver: default
  routes:
    - match: {team: db}
      receiver: db
receivers:
  - name: default
  - name: db
"""

AppFactory = Callable[..., Any]


@pytest.fixture
async def app_factory(tmp_path: Path) -> AsyncIterator[AppFactory]:
    apps: list[App] = []

    async def make(config: str = CONFIG, **kw: Any) -> tuple[App, str]:
        cfg = tmp_path / f"am{len(apps)}.yml"
        cfg.write_text(config)
        port = free_port()
        opts = Options(config_file=str(cfg), storage_path=str(tmp_path / f"data{len(apps)}"),
                       listen_addresses=(f"127.0.0.1:{port}",), **kw)
        app = App(opts)
        await app.start()
        apps.append(app)
        return app, f"http://127.0.0.1:{port}"

    yield make
    for a in apps:
        await a.stop()
