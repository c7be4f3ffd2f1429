"""amclone's additions on the same listener: remote write at ``<prefix>/api/v1/write`` and the
Prometheus query API under ``<prefix>/prometheus``, behind the same web config as the rest."""

from __future__ import annotations

import time

import aiohttp

from amclone.ingest.codec import compress
from amclone.proto import prometheus_remote_pb2 as pb1

from .conftest import AppFactory

HEADERS = {"Content-Encoding": "snappy", "Content-Type": "application/x-protobuf",
           "X-Prometheus-Remote-Write-Version": "0.1.0"}


def _write(value: float) -> bytes:
    req = pb1.WriteRequest()
    ts = req.timeseries.add()
    ts.labels.add(name="__name__", value="up")
    ts.labels.add(name="job", value="x")
    ts.samples.add(timestamp=int(time.time() * 1000), value=value)
    return compress(req.SerializeToString())


async def test_remote_write_then_query(app_factory: AppFactory) -> None:
    _, url = await app_factory(route_prefix="/am")
    async with aiohttp.ClientSession() as s:
        async with s.post(url + "/am/api/v1/write", data=_write(1.0), headers=HEADERS) as r:
            assert r.status == 204, await r.text()
        async with s.get(url + "/am/prometheus/api/v1/query", params={"query": "up"}) as r:
            body = await r.json()
        assert body["status"] == "success"
        assert body["data"]["result"][0]["metric"] == {"__name__": "up", "job": "x"}
        # Alertmanager's own v1 API beside it is untouched
        async with s.get(url + "/am/api/v1/receivers") as r:
            assert (await r.json())["data"] == ["default", "db"]
