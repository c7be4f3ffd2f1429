"""The in-memory head: postings selection, appends and their errors, rollback, retention."""

from __future__ import annotations

import math

import pytest

from amclone.tsdb import (
    STALE_NAN,
    DuplicateSampleError,
    Head,
    MatchOp,
    OutOfBoundsError,
    OutOfOrderError,
    SeriesMatcher,
    is_stale,
)
from amclone.tsdb.stale import NORMAL_NAN


def m(name: str, op: str, value: str) -> SeriesMatcher:
    return SeriesMatcher(name, MatchOp(op), value)


@pytest.fixture
def head() -> Head:
    h = Head()
    for job, inst in (("api", "a"), ("api", "b"), ("web", "c")):
        h.append((("__name__", "up"), ("instance", inst), ("job", job)), 1000, 1.0)
    h.append((("__name__", "other"),), 1000, 2.0)
    return h


def names(series: list) -> list[str]:  # type: ignore[type-arg]
    return [dict(s.labels).get("instance", dict(s.labels)["__name__"]) for s in series]


@pytest.mark.parametrize("matchers,expected", [
    ([m("__name__", "=", "up")], ["a", "b", "c"]),
    ([m("__name__", "=", "up"), m("job", "=", "api")], ["a", "b"]),
    ([m("__name__", "=", "up"), m("job", "!=", "api")], ["c"]),
    ([m("job", "=~", "a.*")], ["a", "b"]),
    ([m("job", "=~", "a")], []),  # anchored
    ([m("__name__", "=~", ".+"), m("job", "!~", "api")], ["other", "c"]),
    ([m("__name__", "=~", ".+"), m("job", "=", "")], ["other"]),  # missing label == empty
    ([m("__name__", "=~", ".+"), m("job", "=~", "|web")], ["other", "c"]),
    ([m("__name__", "=", "nope")], []),
])
def test_select(head: Head, matchers: list[SeriesMatcher], expected: list[str]) -> None:
    assert names(head.select(matchers, 0, 10_000)) == expected


def test_select_time_bounds_and_cache_invalidation(head: Head) -> None:
    sel = [m("__name__", "=", "up")]
    assert head.select(sel, 2000, 3000) == []
    head.append((("__name__", "up"), ("instance", "d"), ("job", "web")), 2500, 1.0)
    assert names(head.select(sel, 2000, 3000)) == ["d"]
    assert len(head.select(sel, 0, 3000)) == 4


def test_append_errors(head: Head) -> None:
    lbls = (("__name__", "x"),)
    head.append(lbls, 5000, 1.0)
    head.append(lbls, 5000, 1.0)  # identical resend is fine
    with pytest.raises(DuplicateSampleError, match="duplicate sample for timestamp"):
        head.append(lbls, 5000, 2.0)
    with pytest.raises(OutOfOrderError, match="out of order sample"):
        head.append(lbls, 4000, 1.0)
    with pytest.raises(OutOfBoundsError):
        head.append(lbls, 5000 - head.retention_ms - 1, 1.0)


def test_out_of_order_window() -> None:
    h = Head(ooo_window_ms=10_000)
    lbls = (("__name__", "x"),)
    h.append(lbls, 5000, 1.0)
    h.append(lbls, 1000, 0.5)
    [s] = h.select([m("__name__", "=", "x")], 0, 10_000)
    assert list(s.ts) == [1000, 5000]


def test_stale_markers_and_nan_are_distinct() -> None:
    h = Head()
    lbls = (("__name__", "x"),)
    h.append(lbls, 1000, NORMAL_NAN)
    h.append(lbls, 2000, STALE_NAN)
    h.append(lbls, 3000, 4.0)
    [s] = h.select([m("__name__", "=", "x")], 0, 10_000)
    assert s.stale_count == 1
    assert math.isnan(s.last_at(1500, 300_000) or 0.0)
    assert s.last_at(2500, 300_000) is None  # newest is the stale marker
    assert s.last_at(3000, 300_000) == 4.0
    ts, vs = s.window(0, 3000)
    assert list(ts) == [1000, 3000] and not any(is_stale(v) for v in vs)
    assert s.last_at(3000 + 300_000, 300_000) is None  # lookback is left-open


def test_appender_rollback(head: Head) -> None:
    app = head.appender()
    new = app.series_for((("__name__", "fresh"),))
    app.append(new, 2000, 1.0)
    old = head.series_for((("__name__", "other"),))
    app.append(old, 2000, 3.0)
    app.rollback()
    assert head.select([m("__name__", "=", "fresh")], 0, 10_000) == []
    assert head.num_series == 4
    assert list(old.ts) == [1000]


def test_truncate_retention() -> None:
    h = Head(retention_ms=10_000)
    h.append((("__name__", "old"),), 1000, 1.0)
    h.append((("__name__", "new"),), 1000, 1.0)
    h.append((("__name__", "new"),), 20_000, 1.0)
    assert h.truncate() == 1
    assert h.label_values("__name__") == ["new"]
    [s] = h.select([m("__name__", "=", "new")], 0, 30_000)
    assert list(s.ts) == [20_000]


def test_label_names_values_and_memory(head: Head) -> None:
    assert head.label_names() == ["__name__", "instance", "job"]
    assert head.label_values("job", [[m("instance", "=~", "a|c")]]) == ["api", "web"]
    assert head.label_names([[m("__name__", "=", "other")]]) == ["__name__"]
    assert 0 < head.bytes_per_series() < 10_000


def test_regex_error() -> None:
    with pytest.raises(ValueError, match="missing closing"):
        m("a", "=~", "(")


def test_metrics_collector(head: Head) -> None:
    from prometheus_client import CollectorRegistry, generate_latest

    from amclone.tsdb.metrics import register

    reg = CollectorRegistry()
    register(head, reg)
    text = generate_latest(reg).decode()
    assert "prometheus_tsdb_head_series 4.0" in text
    assert "prometheus_tsdb_head_samples_appended_total 4.0" in text
    assert "amclone_tsdb_head_bytes_per_series" in text


def test_select_cache_survives_unrelated_series(head: Head) -> None:
    sel = [m("__name__", "=", "up"), m("job", "=~", "api")]
    first = head.select_all(sel)
    head.append((("__name__", "other_metric"), ("job", "api")), 2000, 1.0)
    assert head.select_all(sel) is first  # another metric: still valid
    head.append((("__name__", "up"), ("instance", "z"), ("job", "api")), 2000, 1.0)
    again = head.select_all(sel)
    assert again is not first and names(again) == ["a", "b", "z"]
    head.truncate(1500)  # drops series whose samples are all older
    assert names(head.select_all(sel)) == ["z"]
