"""Marker: 0.25's memMarker state rules and the alertmanager_marked_alerts gauge."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from amclone.alerts import AlertState, Marker


def test_unknown_is_unprocessed_with_empty_lists() -> None:
    s = Marker().status(1)
    assert (s.state, s.silenced_by, s.inhibited_by) == (AlertState.UNPROCESSED, (), ())


def test_silenced_and_inhibited_combine() -> None:
    m = Marker()
    m.set_silenced(1, ["s1"], ["p1"], version=3)
    assert m.status(1).state is AlertState.SUPPRESSED
    assert m.silenced(1) == (("s1",), ("p1",), 3, True)
    m.set_inhibited(1, ["f00"])
    m.set_silenced(1, [], version=4)
    assert m.status(1).state is AlertState.SUPPRESSED  # still inhibited
    assert m.inhibited(1) == (("f00",), True)
    assert m.silenced(1)[3] is False
    m.set_inhibited(1)
    assert m.active(1) and m.status(1).silenced_by == ()


def test_inhibited_first_then_unsilenced() -> None:
    m = Marker()
    m.set_inhibited(2, [])
    assert m.active(2)
    m.set_inhibited(2, ["x"])
    assert m.status(2).state is AlertState.SUPPRESSED


def test_delete_and_counts() -> None:
    reg = CollectorRegistry()
    m = Marker(reg)
    m.set_silenced(1, ["s"])
    m.set_silenced(2)
    m.set_inhibited(3)
    assert m.count() == 3
    assert m.count(AlertState.ACTIVE) == 2
    assert m.count(AlertState.ACTIVE, AlertState.SUPPRESSED) == 3
    assert reg.get_sample_value("alertmanager_marked_alerts", {"state": "suppressed"}) == 1
    assert reg.get_sample_value("alertmanager_marked_alerts", {"state": "unprocessed"}) == 0
    m.delete(1)
    m.delete(99)
    assert m.unprocessed(1) and len(m) == 2
    assert m.counts([1, 2, 3])[AlertState.UNPROCESSED] == 1
