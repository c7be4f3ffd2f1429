"""Engine behaviours the Prometheus scripts do not pin down: plan reuse, adapter quirks, errors."""

from __future__ import annotations

import pytest

from amclone.promql import Engine, EvalError, ParseError, ast
from amclone.promql.parse import parse
from amclone.tsdb import STALE_NAN, Head


@pytest.fixture
def engine() -> Engine:
    h = Head()
    for i in range(21):
        t = i * 15_000
        h.append((("__name__", "c_total"), ("job", "a")), t, float(i * 15))
        h.append((("__name__", "c_total"), ("job", "b")), t, float(i * 30))
    h.append((("__name__", "gone"),), 0, 1.0)
    h.append((("__name__", "gone"),), 15_000, STALE_NAN)
    return Engine(h)


def test_plan_is_reusable_and_sees_new_data(engine: Engine) -> None:
    plan = engine.compile("c_total > 250")
    assert [s.value for s in plan.instant(300_000).value] == [300.0, 600.0]
    assert [s.value for s in plan.instant(150_000).value] == [300.0]
    engine.querier.append((("__name__", "c_total"), ("job", "z")), 300_000, 999.0)  # type: ignore[attr-defined]
    assert len(plan.instant(300_000).value) == 3


def test_stale_marker_ends_series(engine: Engine) -> None:
    assert engine.instant("gone", 10_000).value[0].value == 1.0
    assert engine.instant("gone", 20_000).value == []


def test_rate_and_name_dropping(engine: Engine) -> None:
    res = engine.instant("rate(c_total[1m])", 300_000)
    assert [(dict(s.labels), round(s.value, 6)) for s in res.value] == [({"job": "a"}, 1.0), ({"job": "b"}, 2.0)]


def test_range_query_sorted_matrix(engine: Engine) -> None:
    res = engine.range("c_total", 0, 60_000, 30_000)
    assert res.type == "matrix"
    assert [dict(s.labels)["job"] for s in res.value] == ["a", "b"]
    assert list(res.value[0].ts) == [0, 30_000, 60_000]


def test_errors(engine: Engine) -> None:
    with pytest.raises(ParseError):
        engine.compile("sum(")
    with pytest.raises(ParseError):
        engine.compile('a{x="1" or y="2"}')
    with pytest.raises(EvalError, match="many-to-many matching not allowed"):
        engine.instant("c_total + on() c_total", 300_000)
    with pytest.raises(EvalError, match="range query"):
        engine.range("c_total[1m]", 0, 60_000, 15_000)


def test_adapter_negative_at_and_offsets() -> None:
    e = parse("x @ -10.5 offset -1m")
    assert isinstance(e, ast.VectorSelector)
    assert e.at == ast.At("time", -10_500)
    assert e.offset_ms == -60_000
    q = parse("(x @ 5)[5m:] @ end()")
    assert isinstance(q, ast.Subquery)
    assert q.at == ast.At("end") and q.step_ms == 0 and q.range_ms == 300_000


@pytest.mark.parametrize("query,ms", [
    ("up", 300_000),
    ("rate(x[10m])", 600_000),
    ("rate(x[10m] offset 1h)", 4_200_000),
    ("max_over_time(rate(x[5m])[1h:1m])", 3_900_000),
    ("sum(up) / sum(rate(x[2m]))", 300_000),
])
def test_lookbehind(engine: Engine, query: str, ms: int) -> None:
    assert engine.compile(query).lookbehind_ms == ms


def test_comparison_of_name_dropping_results_has_no_name(engine: Engine) -> None:
    res = engine.instant("rate(c_total[1m]) > rate(c_total[1m]) - 1", 300_000)
    assert [dict(s.labels) for s in res.value] == [{"job": "a"}, {"job": "b"}]


def test_rate_fast_path_agrees_with_general_path() -> None:
    """rate()'s in-place loop (plain arrays) and the general one (packed chunks / stale markers)
    must give the same numbers: the same windows through both."""
    import random

    from amclone.tsdb import Head as H

    rnd = random.Random(3)
    fast, slow = H(), H()
    for i in range(3):
        lbls = (("__name__", f"c{i}_total"), ("i", str(i)))
        v, t = 0.0, 0
        for _ in range(400):
            t += rnd.randint(10_000, 20_000)
            v = 0.0 if rnd.random() < 0.02 else v + rnd.random() * 10
            fast.append(lbls, t, v)
            slow.append(lbls, t, v)
        slow.append(lbls, t + 1, STALE_NAN)  # a stale marker sends every window down the general path
    for fn in ("rate", "increase", "delta"):
        for rng in ("1m", "5m", "20m"):
            q = f"{fn}({{__name__=~'c.*'}}[{rng}])"
            for t in range(600_000, 5_000_000, 123_457):
                a = [round(s.value, 9) for s in Engine(fast).instant(q, t).value]
                b = [round(s.value, 9) for s in Engine(slow).instant(q, t).value]
                assert a == b, (q, t)


def test_max_samples(engine: Engine) -> None:
    engine.max_samples = 30
    assert engine.instant("count_over_time(c_total[1m])", 300_000).value  # 8 samples: fine
    with pytest.raises(EvalError, match="too many samples"):
        engine.instant("count_over_time(c_total[5m])", 300_000)
    with pytest.raises(EvalError, match="too many samples"):
        engine.range("c_total", 0, 300_000, 15_000)
