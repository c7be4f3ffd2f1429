"""The 1.0 receiver reads a series it has seen before straight from the bytes' tail (known label
prefix, one sample). Whatever the shapes and values, the head must hold exactly what the protobuf
decoding of the same requests says, and refusals must behave as on first sight."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amclone.ingest.codec import MAX_DECODED_SIZE, WriteError, decompress
from amclone.ingest.receiver import Receiver, _varint_exact
from amclone.proto import prometheus_remote_pb2 as pb1
from amclone.tsdb import STALE_NAN, Head

from .test_handler import v1

NOW = 1_700_000_000_000
LABELSETS = [
    {"__name__": "up", "job": "node", "instance": "a:9100"},
    {"__name__": "up", "job": "node", "instance": "b:9100"},
    {"__name__": "http_requests_total", "path": "/" + "x" * 130},  # a label longer than 127 bytes
    {"job": "nameless"},  # invalid labels (no metric name): counted, never stored
    {"__name__": "g", "empty": ""},  # empty values are dropped
]


def request(series: list[tuple[dict[str, str], list[tuple[int, float]]]]) -> bytes:
    return decompress(v1(series), MAX_DECODED_SIZE)


def stored(head: Head) -> dict[tuple[tuple[str, str], ...], list[tuple[int, bytes]]]:
    out = {}
    for s in head.select_all([]):
        if len(s.ts):
            out[s.labels] = [(t, struct.pack("<d", v)) for t, v in zip(s.ts, s.vs, strict=True)]
    return out


values = st.one_of(st.just(0.0), st.just(STALE_NAN), st.just(math.inf), st.floats(allow_nan=False, width=64))
# Deltas that change the varint length of the timestamp from one request to the next.
steps = st.sampled_from([1, 127, 128, 16_383, 16_384, 1_000, 15_000, 2**35])


@settings(max_examples=60, deadline=None)
@given(rounds=st.lists(st.lists(st.tuples(st.integers(0, len(LABELSETS) - 1), steps, values), min_size=1,
                                max_size=8), min_size=1, max_size=6),
       start=st.sampled_from([NOW - 10**9, 0, 5, -5_000, 2**40]))
def test_head_holds_what_protobuf_says(rounds: list[list[tuple[int, int, float]]], start: int) -> None:
    head = Head(retention_ms=1 << 62)
    rx = Receiver(head, lambda: 1 << 62)
    last = dict.fromkeys(range(len(LABELSETS)), start)
    want: dict[tuple[tuple[str, str], ...], list[tuple[int, bytes]]] = {}
    for r in rounds:
        series = []
        seen = set()
        for i, step, v in r:
            if i in seen:
                continue  # one entry per series and request, in time order
            seen.add(i)
            last[i] += step
            series.append((LABELSETS[i], [(last[i], v)]))
            labels = tuple(sorted((k, x) for k, x in LABELSETS[i].items() if x))
            if "__name__" in LABELSETS[i]:
                want.setdefault(labels, []).append((last[i], struct.pack("<d", v)))
        rx.write_v1(request(series))
    assert stored(head) == want


def test_a_known_series_refused_on_the_fast_path_rolls_the_request_back() -> None:
    head = Head(retention_ms=1 << 62)
    rx = Receiver(head, lambda: NOW)
    a, b = LABELSETS[0], LABELSETS[1]
    rx.write_v1(request([(a, [(NOW - 10, 1.0)]), (b, [(NOW - 10, 1.0)])]))
    rx.write_v1(request([(a, [(NOW - 5, 2.0)]), (b, [(NOW - 5, 2.0)])]))  # both by the tail now
    with pytest.raises(WriteError) as e:
        rx.write_v1(request([(a, [(NOW - 1, 3.0)]), (b, [(NOW - 7, 3.0)])]))  # b out of order
    assert (e.value.status, str(e.value)) == (400, "out of order sample")
    with pytest.raises(WriteError) as e:
        rx.write_v1(request([(a, [(NOW + 11 * 60_000, 3.0)])]))
    assert str(e.value) == "out of bounds: timestamp is too far in the future"
    assert [ts for _, ts in sorted((s.labels, list(s.ts)) for s in head.select_all([]))] == [[NOW - 10, NOW - 5]] * 2


def test_a_series_with_two_samples_or_more_labels_after_is_not_read_by_the_tail() -> None:
    head = Head(retention_ms=1 << 62)
    rx = Receiver(head, lambda: NOW)
    a = LABELSETS[0]
    rx.write_v1(request([(a, [(NOW - 10, 1.0)])]))
    rx.write_v1(request([(a, [(NOW - 8, 2.0), (NOW - 6, 3.0)])]))
    [s] = head.select_all([])
    assert list(s.ts) == [NOW - 10, NOW - 8, NOW - 6]


@pytest.mark.parametrize("t", [1, 127, 128, NOW, -1, -(2**63), 2**63 - 1])  # 0 is not written at all
def test_varint_exact_reads_int64(t: int) -> None:
    encoded = pb1.Sample(timestamp=t, value=1.0).SerializeToString()[10:]  # after "0x09 <f64> 0x10"
    assert _varint_exact(encoded) == t


@pytest.mark.parametrize("raw", [b"", b"\x80", b"\x01\x01", b"\xff" * 10 + b"\x01"])
def test_varint_exact_refuses_anything_but_one_whole_varint(raw: bytes) -> None:
    assert _varint_exact(raw) is None
