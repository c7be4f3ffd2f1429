"""Framing and timestamp rules shared with Alertmanager's gogo-generated Go code."""

from __future__ import annotations

import pytest

from amclone.proto import cluster_pb2, nflog_pb2, silence_pb2, wire
from amclone.timeutil import NS_PER_SECOND, ZERO_TIME


def test_records_are_uvarint_length_prefixed() -> None:
    m = cluster_pb2.Part(key="sil", data=b"x" * 200)
    rec = wire.encode_delimited(m)
    body = m.SerializeToString()
    assert len(body) == 208
    assert rec[:2] == bytes([0xD0, 0x01])  # 208 as a uvarint
    assert rec[2:] == body


def test_split_returns_bodies_in_order() -> None:
    parts = [cluster_pb2.Part(key=str(i), data=b"d" * i * 50) for i in range(5)]
    stream = b"".join(wire.encode_delimited(p) for p in parts)
    bodies = wire.split_delimited(stream)
    assert [cluster_pb2.Part.FromString(b) for b in bodies] == parts


def test_empty_stream_has_no_records() -> None:
    assert wire.split_delimited(b"") == []


def test_a_record_cut_short_reports_where_the_good_data_ends() -> None:
    a = wire.encode_delimited(cluster_pb2.Part(key="a"))
    b = wire.encode_delimited(cluster_pb2.Part(key="b", data=b"12345"))
    with pytest.raises(wire.TruncatedError) as e:
        wire.split_delimited(a + b[:-2])
    assert e.value.offset == len(a)
    with pytest.raises(wire.TruncatedError):
        wire.split_delimited(a + b"\x85")  # a length prefix that never ends


def test_timestamps_are_always_written_even_at_the_epoch() -> None:
    m = silence_pb2.MeshSilence()
    wire.put_time(m, "expires_at", 0)
    assert m.SerializeToString() == b"\x12\x00"


def test_an_absent_timestamp_is_gos_zero_time() -> None:
    m = nflog_pb2.MeshEntry()
    assert wire.get_time(m, "expires_at") == ZERO_TIME
    wire.put_time(m, "expires_at", 0)
    assert wire.get_time(m, "expires_at") == 0


@pytest.mark.parametrize("ns", [ZERO_TIME, -1, 1_796_365_050 * NS_PER_SECOND + 550_360_225, 1])
def test_timestamps_round_trip_to_the_nanosecond(ns: int) -> None:
    m = silence_pb2.Silence()
    wire.put_time(m, "starts_at", ns)
    again = silence_pb2.Silence.FromString(m.SerializeToString())
    assert wire.get_time(again, "starts_at") == ns
    assert 0 <= again.starts_at.nanos < NS_PER_SECOND


def test_field_numbers_match_alertmanager() -> None:
    # Appendix A of the research notes: the bytes of a decoded 0.25 snapshot record.
    sil = silence_pb2.Silence(id="x", created_by="me", comment="c")
    sil.matchers.add(name="alertname", pattern="HostDown")
    sil.matchers.add(type=silence_pb2.Matcher.NOT_EQUAL, name="a", pattern="b")
    raw = sil.SerializeToString()
    assert raw.startswith(b"\x0a\x01x")  # 1: id
    assert b"\x12\x15\x12\x09alertname\x1a\x08HostDown" in raw  # 2: matcher, type EQUAL omitted
    assert b"\x12\x08\x08\x02\x12\x01a\x1a\x01b" in raw  # NOT_EQUAL is 2
    assert raw.endswith(b"\x42\x02me\x4a\x01c")  # 8: created_by, 9: comment
    e = nflog_pb2.Entry(firing_alerts=[16538204604316095360, 1])
    assert e.SerializeToString().startswith(b"\x32")  # 6: packed (wire type 2)
    assert silence_pb2.Matcher.REGEXP == 1 and silence_pb2.Matcher.NOT_REGEXP == 3
    assert cluster_pb2.MemberlistMessage.PACKET == 1
