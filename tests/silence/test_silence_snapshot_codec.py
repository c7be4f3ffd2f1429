"""Silences to and from Alertmanager 0.25's `MeshSilence` records."""

from __future__ import annotations

from dataclasses import replace

import pytest
from silence_builders import HOUR, T0, m, sil

from amclone.proto import silence_pb2, wire
from amclone.silence import SilenceError
from amclone.silence.snapshot import Entry, decode_entry, decode_state, encode_entry, encode_state
from amclone.timeutil import NS_PER_SECOND, ZERO_TIME

S = replace(
    sil(
        m("alertname", "=", "HostDown"),
        m("b", "!~", "x|y"),
        m("c", "=~", "z"),
        m("d", "!=", ""),
        start=T0 + 1,
        end=T0 + HOUR,
        id="6923c3b5-9ab2-4756-8947-f0ffef3b7c60",
    ),
    updated_at=T0 + 999_999_999,
)


def test_a_silence_round_trips_to_the_nanosecond() -> None:
    e = Entry(S, S.ends_at + 120 * HOUR)
    assert decode_entry(wire.split_delimited(encode_entry(e))[0]) == e


def test_the_record_layout_is_alertmanagers() -> None:
    body = wire.split_delimited(encode_entry(Entry(S, T0)))[0]
    msg = silence_pb2.MeshSilence.FromString(body)
    assert [(x.type, x.name, x.pattern) for x in msg.silence.matchers] == [
        (silence_pb2.Matcher.EQUAL, "alertname", "HostDown"),
        (silence_pb2.Matcher.NOT_REGEXP, "b", "x|y"),
        (silence_pb2.Matcher.REGEXP, "c", "z"),
        (silence_pb2.Matcher.NOT_EQUAL, "d", ""),
    ]
    assert (msg.silence.starts_at.seconds, msg.silence.starts_at.nanos) == (T0 // NS_PER_SECOND, 1)
    assert msg.expires_at.seconds == T0 // NS_PER_SECOND
    assert (msg.silence.created_by, msg.silence.comment) == ("me", "c")


def test_zero_times_survive_as_gos_zero_time() -> None:
    e = Entry(replace(S, updated_at=ZERO_TIME), ZERO_TIME)
    assert decode_entry(wire.split_delimited(encode_entry(e))[0]) == e


def test_the_first_legacy_comment_becomes_author_and_comment() -> None:
    msg = silence_pb2.MeshSilence()
    msg.silence.id = "old"
    msg.silence.matchers.add(name="a", pattern="b")
    msg.silence.comments.add(author="alice", comment="first")
    msg.silence.comments.add(author="bob", comment="second")
    s = decode_entry(msg.SerializeToString()).silence
    assert (s.created_by, s.comment) == ("alice", "first")
    assert s.starts_at == ZERO_TIME  # absent fields are Go's zero time


def test_later_records_replace_earlier_ones_for_the_same_id() -> None:
    a = Entry(S, T0)
    b = Entry(replace(S, comment="newer"), T0)
    other = Entry(replace(S, id="other"), T0)
    state = decode_state(encode_state([a, other, b]))
    assert list(state) == [S.id, "other"] and state[S.id] == b


def test_an_unknown_matcher_type_is_refused() -> None:
    msg = silence_pb2.MeshSilence()
    msg.silence.id = "x"
    msg.silence.matchers.add(type=7, name="a", pattern="b")
    with pytest.raises(SilenceError, match='^unknown matcher type "7"$'):
        decode_entry(msg.SerializeToString())
