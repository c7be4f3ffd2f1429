"""The Prometheus query API sub-application over real HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest

from amclone.api.prometheus import make_prometheus_app
from amclone.api.prometheus.encode import timestamp, value
from amclone.promql import Engine
from amclone.tsdb import Head


@pytest.fixture
def head() -> Head:
    h = Head()
    for i in range(11):
        t = i * 15_000
        h.append((("__name__", "http_requests_total"), ("job", "api"), ("instance", "a")), t, float(i * 30))
        h.append((("__name__", "http_requests_total"), ("job", "web"), ("instance", "b")), t, float(i * 15))
        h.append((("__name__", "up"), ("job", "api")), t, 1.0)
    h.set_metadata("http_requests_total", "counter", "Requests.", "")
    return h


@pytest.fixture
async def client(aiohttp_client: Any, head: Head) -> Any:
    return await aiohttp_client(make_prometheus_app(head, Engine(head), now_ms=lambda: 150_000))


async def get(client: Any, path: str, **params: Any) -> tuple[int, Any]:
    resp = await client.get(path, params=params)
    return resp.status, json.loads(await resp.text())


async def test_instant_vector(client: Any) -> None:
    status, body = await get(client, "/api/v1/query", query="up", time="150")
    assert status == 200
    assert body == {"status": "success", "data": {"resultType": "vector", "result": [
        {"metric": {"__name__": "up", "job": "api"}, "value": [150, "1"]}]}}


async def test_instant_defaults_to_now_and_rate(client: Any) -> None:
    status, body = await get(client, "/api/v1/query", query='sum by (job) (rate(http_requests_total[1m]))')
    assert status == 200
    result = {r["metric"]["job"]: (r["value"][0], float(r["value"][1])) for r in body["data"]["result"]}
    assert result == {"api": (150, pytest.approx(2.0)), "web": (150, pytest.approx(1.0))}


async def test_scalar_and_string(client: Any) -> None:
    assert (await get(client, "/api/v1/query", query="1+1", time="10.5"))[1]["data"] == {
        "resultType": "scalar", "result": [10.5, "2"]}
    assert (await get(client, "/api/v1/query", query='"hi"', time="1"))[1]["data"] == {
        "resultType": "string", "result": [1, "hi"]}


async def test_post_form(client: Any) -> None:
    resp = await client.post("/api/v1/query", data={"query": "up", "time": "150"})
    body = json.loads(await resp.text())
    assert resp.status == 200 and len(body["data"]["result"]) == 1


async def test_query_range(client: Any) -> None:
    status, body = await get(client, "/api/v1/query_range", query="up", start="0", end="60", step="30s")
    assert status == 200
    assert body["data"] == {"resultType": "matrix", "result": [
        {"metric": {"__name__": "up", "job": "api"}, "values": [[0, "1"], [30, "1"], [60, "1"]]}]}


@pytest.mark.parametrize("params,status,etype,text", [
    ({"query": "up{"}, 400, "bad_data", 'invalid parameter "query": '),
    ({"query": "up", "time": "yesterday"}, 400, "bad_data",
     'invalid parameter "time": cannot parse "yesterday" to a valid timestamp'),
    ({"query": "rate(up[1m])[5m]"}, 400, "bad_data", 'invalid parameter "query": '),
])
async def test_query_errors(client: Any, params: dict[str, str], status: int, etype: str, text: str) -> None:
    got_status, body = await get(client, "/api/v1/query", **params)
    assert got_status == status
    assert body["status"] == "error" and body["errorType"] == etype
    assert body["error"].startswith(text)


async def test_execution_error_is_422(client: Any) -> None:
    status, body = await get(client, "/api/v1/query", query='label_replace(up, "x", "$1", "job", "(")', time="1")
    assert status in (400, 422)
    assert body["status"] == "error"


async def test_range_errors(client: Any) -> None:
    status, body = await get(client, "/api/v1/query_range", query="up", start="10", end="0", step="1")
    assert (status, body["error"]) == (400, 'invalid parameter "end": end timestamp must not be before start time')
    status, body = await get(client, "/api/v1/query_range", query="up", start="0", end="10", step="0")
    assert body["error"] == ('invalid parameter "step": zero or negative query resolution step widths are not '
                             "accepted. Try a positive integer")
    status, body = await get(client, "/api/v1/query_range", query="up", start="0", end="100000", step="1")
    assert body["error"].startswith("exceeded maximum resolution of 11,000 points")
    status, body = await get(client, "/api/v1/query_range", query="up[1m]", start="0", end="10", step="1")
    assert status == 422 and body["errorType"] == "execution"


async def test_series_labels_values(client: Any) -> None:
    status, body = await get(client, "/api/v1/series", **{"match[]": "http_requests_total"})
    assert status == 200
    assert body["data"] == [{"__name__": "http_requests_total", "instance": "a", "job": "api"},
                            {"__name__": "http_requests_total", "instance": "b", "job": "web"}]
    status, body = await get(client, "/api/v1/series")
    assert (status, body["error"]) == (400, "no match[] parameter provided")
    status, body = await get(client, "/api/v1/series", **{"match[]": '{job=~".*"}'})
    assert body["errorType"] == "bad_data"
    assert (await get(client, "/api/v1/labels"))[1]["data"] == ["__name__", "instance", "job"]
    assert (await get(client, "/api/v1/labels", **{"match[]": "up"}))[1]["data"] == ["__name__", "job"]
    assert (await get(client, "/api/v1/label/job/values"))[1]["data"] == ["api", "web"]
    assert (await get(client, "/api/v1/label/__name__/values"))[1]["data"] == ["http_requests_total", "up"]


async def test_metadata_and_buildinfo(client: Any) -> None:
    assert (await get(client, "/api/v1/metadata"))[1]["data"] == {
        "http_requests_total": [{"type": "counter", "help": "Requests.", "unit": ""}]}
    body = (await get(client, "/api/v1/status/buildinfo"))[1]
    assert body["status"] == "success" and body["data"]["version"].startswith("3.")


def test_number_formats() -> None:
    assert [timestamp(t) for t in (0, 1500, 1435781451781, -1500, 7)] == ["0", "1.500", "1435781451.781",
                                                                          "-1.500", "0.007"]
    assert [value(v) for v in (1.0, 0.1, 1e-7, 2.5e21, float("inf"), float("-inf"), float("nan"), 1e20)] == [
        '"1"', '"0.1"', '"1e-07"', '"2.5e+21"', '"+Inf"', '"-Inf"', '"NaN"', '"100000000000000000000"']


async def test_lookback_delta_and_timeout_params(client: Any) -> None:
    # `up` was last sampled at 150 s: visible at 400 s with the default 5m lookback, not with 1m.
    assert len((await get(client, "/api/v1/query", query="up", time="400"))[1]["data"]["result"]) == 1
    body = (await get(client, "/api/v1/query", query="up", time="400", lookback_delta="1m"))[1]
    assert body["data"]["result"] == []
    status, body = await get(client, "/api/v1/query", query="up", timeout="soon")
    assert (status, body["error"]) == (400, 'invalid parameter "timeout": cannot parse "soon" to a valid duration')


async def test_query_exemplars_is_empty(client: Any) -> None:
    assert (await get(client, "/api/v1/query_exemplars", query="up"))[1] == {"status": "success", "data": []}
    assert (await get(client, "/api/v1/query_exemplars", query="up{"))[1]["errorType"] == "bad_data"


async def test_labels_within_time_range(client: Any, head: Head) -> None:
    head.append((("__name__", "late"), ("zone", "eu")), 10_000_000, 1.0)
    assert "zone" in (await get(client, "/api/v1/labels"))[1]["data"]
    assert "zone" not in (await get(client, "/api/v1/labels", start="0", end="200"))[1]["data"]
    assert (await get(client, "/api/v1/label/__name__/values", start="9000"))[1]["data"] == ["late"]
