"""`Alert` and 0.25's merge rules (types.Alert.Merge, provider/mem Put's overlap test)."""

from __future__ import annotations

import pytest

from amclone.alerts import Alert, AlertStatus, overlaps
from amclone.timeutil import NS_PER_SECOND, ZERO_TIME

S = NS_PER_SECOND
NOW = 1_700_000_000 * S


def mk(starts: int, ends: int, updated: int, *, timeout: bool = False, summary: str = "",
       labels: dict[str, str] | None = None) -> Alert:
    return Alert(labels or {"alertname": "A"}, {"summary": summary}, starts, ends, updated, "", timeout)


def test_fingerprint_is_prometheus_fnv1a() -> None:
    # verified against Alertmanager 0.25: {alertname="TestAlert"} -> see research 3.5's example style
    a = mk(NOW, NOW + S, NOW, labels={"ok": "1"})
    assert a.fingerprint_hex == "8d4653b8b9db0024"
    assert Alert({"ok": "1"}, {}, 0, 0, 0, fingerprint=5).fingerprint == 5


def test_resolved_at_and_status() -> None:
    a = mk(NOW, NOW + 10 * S, NOW)
    assert not a.resolved_at(NOW + 9 * S)
    assert a.resolved_at(NOW + 10 * S)  # EndsAt not after now
    assert a.status_at(NOW) is AlertStatus.FIRING
    assert a.status_at(NOW + 11 * S) is AlertStatus.RESOLVED
    assert not mk(NOW, ZERO_TIME, NOW).resolved_at(NOW + 10**6 * S)


def test_alerts_are_immutable_values() -> None:
    a = mk(NOW, NOW + S, NOW)
    with pytest.raises(AttributeError):
        a.ends_at = 0  # type: ignore[misc]
    assert a == mk(NOW, NOW + S, NOW)
    assert a.with_ends_at(ZERO_TIME).ends_at == ZERO_TIME


def test_merge_newer_wins_content_earliest_start() -> None:
    old = mk(NOW - 100 * S, NOW + 100 * S, NOW - 10 * S, summary="old")
    new = mk(NOW - 50 * S, NOW + 200 * S, NOW, summary="new")
    for m in (old.merge(new, NOW), new.merge(old, NOW)):  # symmetric: UpdatedAt decides
        assert m.annotations == {"summary": "new"}
        assert m.starts_at == NOW - 100 * S
        assert m.ends_at == NOW + 200 * S
        assert m.updated_at == NOW


def test_merge_tie_on_updated_at_takes_the_argument() -> None:
    a = mk(NOW, NOW + 5 * S, NOW, summary="a")
    b = mk(NOW, NOW + 5 * S, NOW, summary="b")
    assert a.merge(b, NOW).annotations == {"summary": "b"}


def test_merge_firing_keeps_later_explicit_end_of_older() -> None:
    old = mk(NOW - 100 * S, NOW + 300 * S, NOW - 10 * S)
    new = mk(NOW - 100 * S, NOW + 100 * S, NOW)
    assert old.merge(new, NOW).ends_at == NOW + 300 * S


def test_merge_firing_ignores_later_end_of_older_timeout() -> None:
    old = mk(NOW - 100 * S, NOW + 300 * S, NOW - 10 * S, timeout=True)
    new = mk(NOW - 100 * S, NOW + 100 * S, NOW)
    assert old.merge(new, NOW).ends_at == NOW + 100 * S


def test_merge_resolved_newer_latest_resolution_wins_only_if_both_resolved() -> None:
    new = mk(NOW - 100 * S, NOW - 50 * S, NOW)  # resolved
    old_resolved = mk(NOW - 100 * S, NOW - 20 * S, NOW - 10 * S)
    old_firing = mk(NOW - 100 * S, NOW + 300 * S, NOW - 10 * S)
    assert old_resolved.merge(new, NOW).ends_at == NOW - 20 * S
    assert old_firing.merge(new, NOW).ends_at == NOW - 50 * S


def test_merge_returns_the_newer_object_when_nothing_changes() -> None:
    old = mk(NOW, NOW + 10 * S, NOW - S)
    new = mk(NOW, NOW + 20 * S, NOW)
    assert old.merge(new, NOW) is new


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ((150, 250), True),   # end inside the old span
        ((50, 150), True),    # end inside (start before)
        ((150, 300), True),   # start inside
        ((100, 200), False),  # identical span: replace
        ((100, 300), False),  # Prometheus re-send: same start, later end: replace
        ((200, 300), False),  # starts exactly at the old end: replace
        ((300, 400), False),  # re-fire after resolution
        ((0, 100), False),    # ends exactly at the old start
    ],
)
def test_overlap_condition(new: tuple[int, int], expected: bool) -> None:
    old = mk(100 * S, 200 * S, 0)
    assert overlaps(mk(new[0] * S, new[1] * S, S), old) is expected


def test_alerts_are_hashable() -> None:
    a, b = mk(NOW, NOW + S, NOW), mk(NOW, NOW + S, NOW)
    assert len({a, b}) == 1 and hash(a) == hash(b)


def test_hand_written_init_matches_the_fields() -> None:
    import dataclasses
    import inspect

    params = list(inspect.signature(Alert.__init__).parameters)[1:]
    assert params == [f.name for f in dataclasses.fields(Alert)]
    a = Alert({"a": "1"}, {"b": "2"}, 1, 2, 3, "u", True, 7, 3600, -19800)
    assert [getattr(a, f.name) for f in dataclasses.fields(Alert)] == [
        {"a": "1"}, {"b": "2"}, 1, 2, 3, "u", True, 7, 3600, -19800]
    assert repr(a).startswith("Alert(labels={'a': '1'}")
