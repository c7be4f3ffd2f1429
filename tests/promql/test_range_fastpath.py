"""The range-function fast paths (windows read in place from the head's arrays) must give the
very bits the plain functions give on the window `MemSeries.window` returns, for every shape of
series: irregular steps, counter resets, stale markers, packed chunks, windows in the past."""

from __future__ import annotations

import math
import random

import pytest

from amclone.promql import Engine
from amclone.promql.functions_range import KEEPS_NAME, RANGE_FUNCTIONS
from amclone.tsdb import STALE_NAN, Head
from amclone.tsdb.matchers import MatchOp, SeriesMatcher

FUNCS = ["rate", "increase", "delta", "irate", "idelta", "resets", "changes", "count_over_time",
         "sum_over_time", "avg_over_time", "min_over_time", "max_over_time", "last_over_time",
         "first_over_time", "stddev_over_time", "present_over_time", "ts_of_last_over_time",
         "ts_of_first_over_time"]


def _head(seed: int) -> Head:
    """Even seeds: every series on the same timestamps (one target's scrape), as the fast path's
    per-evaluation shape reuse expects; odd seeds: each series on its own."""
    rnd = random.Random(seed)
    h = Head(retention_ms=10**12)
    shared = [rnd.choice((1000, 5000, 5000, 15000, 61000)) for _ in range(300)]
    for k in range(12):
        labels = (("__name__", "m_total"), ("k", str(k)))
        t, v = (0 if seed % 2 == 0 else rnd.randrange(0, 9000)), rnd.random() * 50
        for i in range(rnd.choice((3, 40, 300))):  # 300: some samples packed in chunks
            t += shared[i] if seed % 2 == 0 else rnd.choice((1000, 5000, 5000, 15000, 61000))
            r = rnd.random()
            if r < 0.03 and k % 3 == 0:
                h.append(labels, t, STALE_NAN)
                continue
            v = rnd.random() * 5 if r < 0.08 else v + rnd.random() * 10 * (k % 2)
            h.append(labels, t, v)
    return h


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("name", FUNCS)
def test_fast_path_matches_plain_function(seed: int, name: str) -> None:
    head = _head(seed)
    engine = Engine(head)
    fn = RANGE_FUNCTIONS[name]
    for rng in ("30s", "1m", "5m"):
        range_ms = {"30s": 30_000, "1m": 60_000, "5m": 300_000}[rng]
        plan = engine.compile(f"{name}(m_total[{rng}])")
        series = head.select([SeriesMatcher("__name__", MatchOp.EQUAL, "m_total")], -(1 << 62), 1 << 62)
        for t in range(0, 2_000_000, 37_000):
            got = {s.labels: s.value for s in plan.instant(t).value}
            want = {}
            for ms in series:
                tl, vl = ms.window(t - range_ms, t)
                if tl:
                    v = fn(tl, vl, t - range_ms, t, range_ms, t, [])
                    if v is not None:
                        keep = name in KEEPS_NAME
                        want[tuple(p for p in ms.labels if keep or p[0] != "__name__")] = v
            assert got.keys() == want.keys(), (name, rng, t)
            for lbls, v in want.items():
                assert _same(got[lbls], v), (name, rng, t, lbls, got[lbls], v)
