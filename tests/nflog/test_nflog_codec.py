"""Notification log entries to and from Alertmanager 0.25's `MeshEntry` records."""

from __future__ import annotations

import pytest

from amclone.nflog.codec import Entry, InvalidStateError, Receiver, decode_state, encode_entry, encode_state
from amclone.proto import nflog_pb2, wire
from amclone.timeutil import NS_PER_SECOND

T = 1_796_365_050 * NS_PER_SECOND + 550_360_225
E = Entry(
    group_key='{}/{team="db"}:{alertname="DiskFull"}',
    receiver=Receiver("hook2", "webhook"),
    timestamp=T,
    expires_at=T + 7200 * NS_PER_SECOND,
    firing_alerts=(16538204604316095360,),
)


def test_the_entry_of_appendix_a_round_trips() -> None:
    rec = encode_entry(E)
    assert rec[0] == 99  # the captured 0.25 record was 99 bytes long
    assert decode_state(rec) == {E.state_key(): E}


def test_state_keys_are_group_key_and_receiver_key() -> None:
    assert E.state_key() == '{}/{team="db"}:{alertname="DiskFull"}:hook2/webhook/0'


def test_alert_hashes_are_packed_and_the_zero_index_omitted() -> None:
    msg = nflog_pb2.MeshEntry.FromString(wire.split_delimited(encode_entry(E))[0])
    assert msg.entry.receiver.idx == 0
    raw = msg.entry.SerializeToString()
    assert b"\x32\x0a" in raw  # field 6, length-delimited: packed
    assert b"\x18" not in msg.entry.receiver.SerializeToString()


def test_later_records_for_a_key_replace_earlier_ones() -> None:
    newer = Entry(E.group_key, E.receiver, T + 1, E.expires_at, resolved_alerts=(1, 2))
    assert decode_state(encode_state([E, newer])) == {E.state_key(): newer}


def test_a_record_without_a_receiver_is_an_invalid_state() -> None:
    msg = nflog_pb2.MeshEntry()
    msg.entry.group_key = b"k"
    with pytest.raises(InvalidStateError, match="^invalid state$"):
        decode_state(wire.encode_delimited(msg))
