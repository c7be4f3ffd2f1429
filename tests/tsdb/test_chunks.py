"""Packed (compressed) older samples read back exactly, across chunk boundaries."""

from __future__ import annotations

import random
import struct

import pytest

from amclone.tsdb import STALE_NAN, Head, MatchOp, OutOfOrderError, SeriesMatcher, is_stale
from amclone.tsdb.chunks import CHUNK
from amclone.tsdb.series import MemSeries


def filled(n: int, stale_every: int = 0) -> tuple[MemSeries, list[tuple[int, float]]]:
    rnd = random.Random(7)
    s = MemSeries(1, (("__name__", "x"),))
    points = []
    t, v = 1_000_000, 0.0
    for i in range(n):
        t += 15_000 + rnd.randint(-5, 5)
        v = STALE_NAN if stale_every and i % stale_every == stale_every - 1 else v + rnd.random() * 10
        s.append(t, v)
        points.append((t, v))
        if is_stale(v):
            v = 0.0
    return s, points


def bits(v: float) -> bytes:
    return struct.pack("<d", v)


def test_chunks_round_trip_bit_exact() -> None:
    s, points = filled(10 * CHUNK + 17, stale_every=50)
    assert len(s.closed) >= 8 and len(s.ts) < 2 * CHUNK
    assert s.num_samples() == len(points)
    ts, vs = s.window(0, 1 << 62)
    want = [(t, v) for t, v in points if not is_stale(v)]
    assert list(ts) == [t for t, _ in want]
    assert [bits(v) for v in vs] == [bits(v) for _, v in want]


@pytest.mark.parametrize("k", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK + 3, 9 * CHUNK])
def test_windows_and_instants_across_boundaries(k: int) -> None:
    s, points = filled(10 * CHUNK)
    t = points[k][0]
    for rng in (60_000, 30 * 60_000):
        ts, vs = s.window(t - rng, t)
        want = [(pt, pv) for pt, pv in points if t - rng < pt <= t]
        assert list(zip(ts, vs)) == want
    assert s.last_sample_at(t + 1, 300_000) == points[k]
    assert s.last_at(t - 1, 300_000) == (points[k - 1][1] if k else None)


def test_too_old_for_packed_chunk_is_out_of_order() -> None:
    s, points = filled(3 * CHUNK)
    with pytest.raises(OutOfOrderError):
        s.append(points[5][0] + 1, 1.0)


def test_truncate_drops_whole_chunks_and_memory_shrinks() -> None:
    h = Head(retention_ms=1 << 60)
    lbls = (("__name__", "c_total"),)
    for i in range(6 * CHUNK):
        h.append(lbls, i * 15_000, float(i))
    [s] = h.select([SeriesMatcher("__name__", MatchOp.EQUAL, "c_total")], 0, 1 << 62)
    assert s.nbytes() < 16 * s.num_samples() / 2  # packed counters: well under half the raw size
    n = s.num_samples()
    h.truncate(CHUNK * 15_000 + 1)
    assert s.num_samples() == n - CHUNK
    assert s.min_time() == CHUNK * 15_000


def test_queries_while_appending_in_another_thread() -> None:
    """Readers never see a timestamp without its value, nor arrays torn by a chunk being packed."""
    import threading

    from amclone.promql import Engine

    h = Head(retention_ms=1 << 60)
    labels = [(("__name__", "c_total"), ("i", str(i))) for i in range(20)]
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        t = 0
        while not stop.is_set() and t < 20 * CHUNK * 15_000:
            t += 15_000
            for lb in labels:
                h.append(lb, t, float(t))

    w = threading.Thread(target=writer)
    w.start()
    plans = [Engine(h).compile(q) for q in ("c_total", "rate(c_total[2m])", "max_over_time(c_total[1h])")]
    try:
        for k in range(300):
            for p in plans:
                p.instant((k + 1) * 60_000)
            for s in h.select_all([SeriesMatcher("__name__", MatchOp.EQUAL, "c_total")])[:3]:
                ts, vs = s.window(-1, 1 << 62)  # never a sample twice or missing while packing
                assert list(ts) == sorted(set(ts)) and list(vs) == [float(t) for t in ts]
                assert len(ts) == 0 or ts[-1] - ts[0] == 15_000 * (len(ts) - 1)
    except BaseException as exc:  # noqa: BLE001 - reported below
        errors.append(exc)
    finally:
        stop.set()
        w.join()
    assert not errors


def test_counter_reset_found_after_rollback() -> None:
    """rate() skips the reset scan when no value decreased; a rolled-back sample must not hide one."""
    from amclone.promql import Engine

    h = Head()
    lbls = (("__name__", "c_total"),)
    for i, v in enumerate([10.0, 20.0, 30.0]):
        h.append(lbls, i * 15_000, v)
    [s] = h.select([SeriesMatcher("__name__", MatchOp.EQUAL, "c_total")], 0, 1 << 62)
    s.append(45_000, 5.0)
    s.remove(45_000)  # a refused request taken back
    h.append(lbls, 45_000, 25.0)  # a real reset: 30 -> 25
    res = Engine(h).instant("increase(c_total[1m])", 45_000)
    assert res.value[0].value > 25.0  # the reset adds 30 back (without it: 25 - 20 extrapolated)
