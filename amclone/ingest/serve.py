"""A standalone intake-and-query server: remote write at ``/api/v1/write`` and the Prometheus API
under ``/prometheus``, over one head. For benchmarks and manual testing until the composition
root mounts these in amclone proper.

    python -m amclone.ingest.serve --port 9094 [--retention 3h]
"""

from __future__ import annotations

import argparse
import asyncio

from aiohttp import web

from amclone.api.prometheus import make_prometheus_app
from amclone.api.prometheus.params import parse_duration
from amclone.ingest.handler import make_write_handler
from amclone.promql import Engine
from amclone.tsdb import Head


def build_app(head: Head) -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_route("*", "/api/v1/write", make_write_handler(head))
    app.add_subapp("/prometheus", make_prometheus_app(head, Engine(head)))

    async def ready(_: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    app.router.add_get("/-/ready", ready)
    return app


async def _gc(head: Head) -> None:
    while True:
        await asyncio.sleep(60)
        await asyncio.to_thread(head.truncate)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9094)
    p.add_argument("--retention", default="3h")
    args = p.parse_args()
    head = Head(retention_ms=parse_duration(args.retention))

    async def start(app: web.Application) -> None:
        app["gc"] = asyncio.create_task(_gc(head))

    app = build_app(head)
    app.on_startup.append(start)
    web.run_app(app, host=args.host, port=args.port, print=None, handler_args={"auto_decompress": False})


if __name__ == "__main__":
    main()
