"""The harness's comparison catches what it must: a late, a different or a missing delivery."""

from __future__ import annotations

from amclone.testing.diffcheck import compare_deliveries, compare_snapshots, normalize_snapshot
from amclone.testing.webhook import Delivery


def d(at: float, body: bytes, path: str = "/hook") -> Delivery:
    return Delivery(path, at, {}, body, 200)


def test_order_free_matching_and_tolerance() -> None:
    ref = [d(1.0, b'{"a":1}'), d(1.0, b'{"b":1}')]
    got = [d(11.2, b'{"b":1}'), d(11.4, b'{"a":1}')]
    r = compare_deliveries(ref, 0, got, 10)
    assert r.ok and r.matched == 2 and r.byte_identical == 2
    late = compare_deliveries(ref, 0, [d(11.0, b'{"b":1}'), d(11.6, b'{"a":1}')], 10)
    assert not late.ok and len(late.problems) == 2  # one unmatched, one extra


def test_body_and_path_differences_fail() -> None:
    assert not compare_deliveries([d(1, b'{"a":1}')], 0, [d(1, b'{"a":2}')], 0).ok
    assert not compare_deliveries([d(1, b"x")], 0, [d(1, b"x", "/other")], 0).ok
    assert not compare_deliveries([d(1, b"x")], 0, [], 0).ok


def test_server_chosen_times_within_tolerance() -> None:
    a = b'{"alerts":[{"startsAt":"2026-01-01T00:00:00.100Z"}]}'
    b = b'{"alerts":[{"startsAt":"2026-01-01T00:00:00.300Z"}]}'
    r = compare_deliveries([d(1, a)], 0, [d(1, b)], 0)
    assert r.ok and r.byte_identical == 0
    far = b'{"alerts":[{"startsAt":"2026-01-01T00:00:01.300Z"}]}'
    assert not compare_deliveries([d(1, a)], 0, [d(1, far)], 0).ok


def test_snapshots_normalised() -> None:
    a = normalize_snapshot([{"status": {"silencedBy": ["id-1"]}, "updatedAt": "x"}], {"id-1": "s"})
    b = normalize_snapshot([{"status": {"silencedBy": ["id-2"]}, "updatedAt": "y"}], {"id-2": "s"})
    assert a == b and compare_snapshots(a, b)
    assert not compare_snapshots(a, normalize_snapshot([{"status": {"silencedBy": []}}], {}))
