"""``python -m amclone.testing.dispatching_server <amclone flags>``: the amclone server with the
dispatcher wired in from outside, for the differential harness while the composition root
(`amclone.app`) does not build the notification system itself yet.

Once `amclone.app.App` has a ``system`` attribute this module just runs the real server, so the
harness never tests a different wiring than production's.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from amclone import app as amapp
from amclone.cli import server
from amclone.dispatch.system import NotificationSystem
from amclone.nflog import NotificationLog
from amclone.timeutil import NS_PER_SECOND


def app_wires_dispatch() -> bool:
    """Whether the production composition root already builds the notification system."""
    return "NotificationSystem" in Path(amapp.__file__).read_text()


class DispatchingApp(amapp.App):
    def __init__(self, opts: amapp.Options, *args: Any, **kwargs: Any) -> None:
        super().__init__(opts, *args, **kwargs)
        self.nflog = NotificationLog(self.clock, retention_ns=opts.retention_ns,
                                     snapshot_path=Path(opts.storage_path) / "nflog", registry=self.registry)
        self.system = NotificationSystem(clock=self.clock, store=self.alerts, marker=self.marker,
                                         silencer=self.silencer, nflog=self.nflog,
                                         external_url=opts.external_url, registry=self.registry)
        self.coordinator.subscribe(self.system.apply)
        self.deps.groups = self.system.groups
        self.deps.set_alert_status = self.system.set_alert_status

    async def run(self) -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(self.nflog.run_maintenance(
            self.opts.maintenance_interval_ns / NS_PER_SECOND, stop))
        try:
            await super().run()
        finally:
            stop.set()
            await task

    async def stop(self) -> None:
        await self.system.close()
        self.nflog.close()
        await super().stop()


def main() -> int:
    if not app_wires_dispatch():
        setattr(server, "App", DispatchingApp)
    return server.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
