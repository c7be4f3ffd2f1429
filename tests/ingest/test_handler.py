"""The remote-write receiver over real HTTP (aiohttp test server on 127.0.0.1)."""

from __future__ import annotations

import math
import struct
from typing import Any

import pytest
from aiohttp import web

from amclone.ingest.codec import compress
from amclone.ingest.handler import make_write_handler
from amclone.proto import prometheus_remote_pb2 as pb1
from amclone.proto import prometheus_remote_v2_pb2 as pb2
from amclone.tsdb import STALE_NAN, Head, MatchOp, SeriesMatcher, is_stale

V1_HEADERS = {"Content-Encoding": "snappy", "Content-Type": "application/x-protobuf",
              "X-Prometheus-Remote-Write-Version": "0.1.0"}
V2_HEADERS = {"Content-Encoding": "snappy", "Content-Type": "application/x-protobuf;proto=io.prometheus.write.v2.Request",
              "X-Prometheus-Remote-Write-Version": "2.0.0"}
NOW = 1_700_000_000_000


def v1(series: list[tuple[dict[str, str], list[tuple[int, float]]]]) -> bytes:
    req = pb1.WriteRequest()
    for labels, samples in series:
        ts = req.timeseries.add()
        for k in sorted(labels):
            ts.labels.add(name=k, value=labels[k])
        for t, v in samples:
            ts.samples.add(timestamp=t, value=v)
    return compress(req.SerializeToString())


def v2(series: list[tuple[dict[str, str], list[tuple[int, float]]]], histograms: int = 0) -> bytes:
    req = pb2.Request()
    symbols = [""]

    def ref(s: str) -> int:
        if s not in symbols:
            symbols.append(s)
        return symbols.index(s)

    for labels, samples in series:
        ts = req.timeseries.add()
        for k in sorted(labels):
            ts.labels_refs.extend([ref(k), ref(labels[k])])
        for t, v in samples:
            ts.samples.add(timestamp=t, value=v)
        for i in range(histograms):
            ts.histograms.add(timestamp=samples[-1][0] + i + 1, count_int=1, sum=1.0)
        ts.metadata.type = pb2.Metadata.METRIC_TYPE_COUNTER
        ts.metadata.help_ref = ref("Requests.")
    req.symbols.extend(symbols)
    return compress(req.SerializeToString())


@pytest.fixture
def head() -> Head:
    return Head()


@pytest.fixture
async def client(aiohttp_client: Any, head: Head) -> Any:
    from amclone.ingest.receiver import Receiver

    app = web.Application()
    app.router.add_route("*", "/api/v1/write", make_write_handler(head, max_body_bytes=1 << 20,
                                                                  receiver=Receiver(head, lambda: NOW)))
    # As the composition root must: aiohttp would otherwise answer 400 itself for a zstd body,
    # where Prometheus answers 415 (the signal for vmagent to fall back to snappy).
    from aiohttp.test_utils import TestServer

    server = TestServer(app)
    await server.start_server(auto_decompress=False)
    return await aiohttp_client(server)


def select(head: Head, name: str) -> list[Any]:
    return list(head.select([SeriesMatcher("__name__", MatchOp.EQUAL, name)], -(1 << 61), 1 << 62))


async def test_v1_success_and_stale_marker(client: Any, head: Head) -> None:
    body = v1([({"__name__": "up", "job": "a"}, [(NOW - 2000, 1.0), (NOW - 1000, STALE_NAN)])])
    resp = await client.post("/api/v1/write", data=body, headers=V1_HEADERS)
    assert resp.status == 204
    assert "X-Prometheus-Remote-Write-Samples-Written" not in resp.headers
    [s] = select(head, "up")
    assert s.labels == (("__name__", "up"), ("job", "a"))
    assert list(s.ts) == [NOW - 2000, NOW - 1000]
    assert is_stale(s.vs[1])


async def test_v1_out_of_order_rolls_back(client: Any, head: Head) -> None:
    assert (await client.post("/api/v1/write", data=v1([({"__name__": "x"}, [(NOW, 1.0)])]),
                              headers=V1_HEADERS)).status == 204
    body = v1([({"__name__": "y"}, [(NOW, 1.0)]), ({"__name__": "x"}, [(NOW - 1, 2.0)])])
    resp = await client.post("/api/v1/write", data=body, headers=V1_HEADERS)
    assert resp.status == 400
    assert await resp.text() == "out of order sample\n"
    assert select(head, "y") == []  # rolled back: the series holds no samples
    [x] = select(head, "x")
    assert list(x.ts) == [NOW]


async def test_v1_duplicate_and_identical_resend(client: Any) -> None:
    first = v1([({"__name__": "x"}, [(NOW, 1.0)])])
    assert (await client.post("/api/v1/write", data=first, headers=V1_HEADERS)).status == 204
    assert (await client.post("/api/v1/write", data=first, headers=V1_HEADERS)).status == 204
    resp = await client.post("/api/v1/write", data=v1([({"__name__": "x"}, [(NOW, 2.0)])]), headers=V1_HEADERS)
    assert (resp.status, await resp.text()) == (400, "duplicate sample for timestamp\n")


async def test_v1_future_and_invalid_labels(client: Any, head: Head) -> None:
    resp = await client.post("/api/v1/write", data=v1([({"__name__": "x"}, [(NOW + 3_600_000, 1.0)])]),
                             headers=V1_HEADERS)
    assert (resp.status, await resp.text()) == (400, "out of bounds: timestamp is too far in the future\n")
    resp = await client.post("/api/v1/write", data=v1([({"job": "no-name"}, [(NOW, 1.0)])]), headers=V1_HEADERS)
    assert resp.status == 204
    assert head.num_series == 0


@pytest.mark.parametrize("body,text", [
    (b"not snappy at all", "snappy: corrupt input"),
    (compress(b"\xff\xff\xff\xff"), None),
    (b"", "snappy: corrupt input"),
])
async def test_bad_bodies_are_400(client: Any, body: bytes, text: str | None) -> None:
    resp = await client.post("/api/v1/write", data=body, headers=V1_HEADERS)
    assert resp.status == 400
    if text:
        assert await resp.text() == text + "\n"


async def test_unsupported_encoding_and_type(client: Any) -> None:
    import cramjam

    zstd_body = bytes(cramjam.zstd.compress(b"x"))
    resp = await client.post("/api/v1/write", data=zstd_body, headers={**V1_HEADERS, "Content-Encoding": "zstd"})
    assert resp.status == 415
    assert await resp.text() == "zstd encoding (compression) is not accepted by this server; only snappy is acceptable\n"
    resp = await client.post("/api/v1/write", data=b"x", headers={**V1_HEADERS, "Content-Type": "application/x-protobuf;proto=foo.Bar"})
    assert resp.status == 415
    assert "unknown type for remote write protobuf message foo.Bar" in await resp.text()
    resp = await client.post("/api/v1/write", data=b"x", headers={**V1_HEADERS, "Content-Type": "application/json"})
    assert resp.status == 415


async def test_too_large_is_413(client: Any) -> None:
    resp = await client.post("/api/v1/write", data=b"x" * (2 << 20), headers=V1_HEADERS)
    assert resp.status == 413


async def test_get_is_405(client: Any) -> None:
    assert (await client.get("/api/v1/write")).status == 405


async def test_missing_headers_mean_v1_snappy(client: Any, head: Head) -> None:
    resp = await client.post("/api/v1/write", data=v1([({"__name__": "x"}, [(NOW, 1.0)])]),
                             skip_auto_headers=["Content-Type"])
    assert resp.status == 204
    assert head.num_series == 1


async def test_v2_headers_histograms_metadata(client: Any, head: Head) -> None:
    body = v2([({"__name__": "req_total", "job": "a"}, [(NOW - 1000, 1.0), (NOW, 2.0)])], histograms=2)
    resp = await client.post("/api/v1/write", data=body, headers=V2_HEADERS)
    assert resp.status == 204
    assert resp.headers["X-Prometheus-Remote-Write-Samples-Written"] == "2"
    assert resp.headers["X-Prometheus-Remote-Write-Histograms-Written"] == "2"
    assert resp.headers["X-Prometheus-Remote-Write-Exemplars-Written"] == "0"
    assert head.histograms_received == 2
    assert list(head.metadata["req_total"]) == [("counter", "Requests.", "")]


async def test_v2_partial_write_with_400(client: Any, head: Head) -> None:
    body = v2([({"__name__": "ok"}, [(NOW, 1.0)]), ({"job": "nameless"}, [(NOW, 1.0)])])
    resp = await client.post("/api/v1/write", data=body, headers=V2_HEADERS)
    assert resp.status == 400
    assert await resp.text() == 'invalid metric name or labels, got {job="nameless"}\n'
    assert resp.headers["X-Prometheus-Remote-Write-Samples-Written"] == "1"
    assert len(select(head, "ok")) == 1


def test_stale_nan_bits_survive_protobuf() -> None:
    req = pb1.WriteRequest()
    req.timeseries.add().samples.add(value=STALE_NAN)
    back = pb1.WriteRequest.FromString(req.SerializeToString())
    v = back.timeseries[0].samples[0].value
    assert math.isnan(v) and struct.pack("<d", v) == struct.pack("<d", STALE_NAN)


def _len_prefixed(tag: int, payload: bytes) -> bytes:
    n, out = len(payload), bytearray([tag])
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out) + payload


async def test_v1_labels_after_samples_and_long_values(client: Any, head: Head) -> None:
    """Field order is free in protobuf: a series whose labels come after its samples, and labels
    longer than 127 bytes, must still land in their own series."""
    long_value = "v" * 300

    def series(name: str, t: int, labels_first: bool) -> bytes:
        lbls = b"".join(_len_prefixed(0x0A, pb1.Label(name=k, value=v).SerializeToString())
                        for k, v in (("__name__", name), ("long", long_value)))
        smp = _len_prefixed(0x12, pb1.Sample(timestamp=t, value=1.0).SerializeToString())
        return _len_prefixed(0x0A, lbls + smp if labels_first else smp + lbls)

    for t in (NOW - 1000, NOW):
        body = compress(series("a", t, True) + series("b", t, False) + series("c", t, False))
        assert (await client.post("/api/v1/write", data=body, headers=V1_HEADERS)).status == 204
    for name in ("a", "b", "c"):
        [s] = select(head, name)
        assert dict(s.labels)["long"] == long_value
        assert list(s.ts) == [NOW - 1000, NOW]


async def test_v2_repeated_requests_and_histogram_only_series(client: Any, head: Head) -> None:
    for t in (NOW - 2000, NOW - 1000, NOW):
        body = v2([({"__name__": "a_total", "job": "x"}, [(t, 1.0)]), ({"__name__": "b_total", "job": "x"}, [(t, 2.0)])])
        resp = await client.post("/api/v1/write", data=body, headers=V2_HEADERS)
        assert resp.status == 204 and resp.headers["X-Prometheus-Remote-Write-Samples-Written"] == "2"
    [a] = select(head, "a_total")
    assert list(a.ts) == [NOW - 2000, NOW - 1000, NOW]
    req = pb2.Request(symbols=["", "__name__", "h"])
    req.timeseries.add(labels_refs=[1, 2]).histograms.add(timestamp=NOW, count_int=1)
    resp = await client.post("/api/v1/write", data=compress(req.SerializeToString()), headers=V2_HEADERS)
    assert resp.status == 204 and resp.headers["X-Prometheus-Remote-Write-Histograms-Written"] == "1"
    assert select(head, "h") == []


@pytest.mark.parametrize("t,v", [(NOW, 0.0), (-5000, 2.5), (NOW, STALE_NAN), (0, 7.0), (NOW, -1e300)])
async def test_v1_single_sample_fast_path_values(client: Any, head: Head, t: int, v: float) -> None:
    """Default (omitted) fields, negative timestamps and the stale NaN's bits, read from the bytes."""
    body = v1([({"__name__": "x"}, [(t, v)])])
    assert (await client.post("/api/v1/write", data=body, headers=V1_HEADERS)).status == 204
    [s] = select(head, "x")
    assert list(s.ts) == [t]
    assert struct.pack("<d", s.vs[0]) == struct.pack("<d", v)


async def test_v1_truncated_sample_is_400(client: Any) -> None:
    lbl = _len_prefixed(0x0A, pb1.Label(name="__name__", value="x").SerializeToString())
    broken = lbl + b"\x12\x0b\x09\x00\x00"  # a Sample that claims 11 bytes and has 3
    body = compress(_len_prefixed(0x0A, broken))
    assert (await client.post("/api/v1/write", data=body, headers=V1_HEADERS)).status == 400
