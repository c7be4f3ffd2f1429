"""Functions over range vectors (``rate``, ``*_over_time``, ``deriv`` ...), one series at a time.

Each takes the window's timestamps and values (stale markers already removed) plus the window
bounds and returns a float, or None for "no output for this series". The arithmetic is
Prometheus's: extrapolated ``rate``/``increase``/``delta`` with the 1.1x-average-interval threshold
and the zero clamp for counters, Kahan sums, least-squares with the intercept at the evaluation time.
"""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from amclone.promql.errors import EvalError
from amclone.promql.value import kahan_inc, kahan_mean, quantile_of

RangeFn = Callable[[Sequence[int], Sequence[float], int, int, int, int, Sequence[float]], "float | None"]
# (ts, vs, range_start_ms, range_end_ms, range_ms, eval_t_ms, scalar_args) -> value or None


def _non_decreasing(vs: Sequence[float]) -> bool:
    """Fast path for the common counter without resets: C-level comparison, no Python loop.
    (NaN anywhere makes the sorted form differ, so such windows take the exact loop.)"""
    return list(vs) == sorted(vs)


def _extrapolated(ts: Sequence[int], vs: Sequence[float], start: int, end: int, range_ms: int,
                  counter: bool, is_rate: bool) -> float | None:
    n = len(vs)
    if n < 2:
        return None
    result = vs[-1] - vs[0]
    if counter and not _non_decreasing(vs):
        result += counter_resets(vs)
    return extrapolate(ts[0], ts[-1], n, vs[0], result, start, end, range_ms, counter, is_rate)


def counter_resets(vs: Sequence[float]) -> float:
    """What counter resets inside the window took away (each drop adds back the value before it)."""
    lost = 0.0
    prev = vs[0]
    for v in vs[1:]:
        if v < prev:
            lost += prev
        prev = v
    return lost


def extrapolate(first_t: int, last_t: int, n: int, first_v: float, result: float, start: int, end: int,
                range_ms: int, counter: bool, is_rate: bool) -> float:
    """Prometheus's extrapolation of a window's change to the window's edges (``extrapolatedRate``):
    extend to an edge unless the gap there exceeds 1.1x the average sample interval (then half an
    interval), and never extrapolate a counter below zero."""
    to_start = (first_t - start) / 1000
    to_end = (end - last_t) / 1000
    sampled = (last_t - first_t) / 1000
    avg = sampled / (n - 1)
    threshold = avg * 1.1
    if to_start >= threshold:
        to_start = avg / 2
    if counter and result > 0 and first_v >= 0:
        to_zero = sampled * (first_v / result)
        to_start = min(to_start, to_zero)
    if to_end >= threshold:
        to_end = avg / 2
    factor = (sampled + to_start + to_end) / sampled if sampled != 0 else 1.0
    if is_rate:
        factor /= range_ms / 1000
    return result * factor


def f_rate(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return _extrapolated(ts, vs, s, e, r, True, True)


def f_increase(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int,
               a: Sequence[float]) -> float | None:
    return _extrapolated(ts, vs, s, e, r, True, False)


def f_delta(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return _extrapolated(ts, vs, s, e, r, False, False)


def _instant(ts: Sequence[int], vs: Sequence[float], is_rate: bool) -> float | None:
    if len(vs) < 2:
        return None
    dt = ts[-1] - ts[-2]
    if dt == 0:
        return None
    last, prev = vs[-1], vs[-2]
    result = last if (is_rate and last < prev) else last - prev
    if is_rate:
        result /= dt / 1000
    return result


def f_irate(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return _instant(ts, vs, True)


def f_idelta(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return _instant(ts, vs, False)


def f_avg(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return kahan_mean(vs)


def f_sum(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    total, c = 0.0, 0.0
    for v in vs:
        total, c = kahan_inc(v, total, c)
    return total if math.isinf(total) else total + c


def f_count(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return float(len(vs))


def f_min(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    best = vs[0]
    for v in vs:
        if v < best or best != best:
            best = v
    return best


def f_max(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    best = vs[0]
    for v in vs:
        if v > best or best != best:
            best = v
    return best


def _ts_of(vs: Sequence[float], ts: Sequence[int], better: Callable[[float, float], bool]) -> float:
    best, when = vs[0], ts[0]
    for v, tt in zip(vs, ts):
        if better(v, best) or best != best:
            best, when = v, tt
    return when / 1000


def f_ts_of_max(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return _ts_of(vs, ts, lambda v, b: v >= b)


def f_ts_of_min(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return _ts_of(vs, ts, lambda v, b: v <= b)


def f_ts_of_first(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int,
                  a: Sequence[float]) -> float | None:
    return ts[0] / 1000


def f_ts_of_last(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int,
                 a: Sequence[float]) -> float | None:
    return ts[-1] / 1000


def f_last(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return vs[-1]


def f_first(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return vs[0]


def f_present(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int,
              a: Sequence[float]) -> float | None:
    return 1.0


def f_quantile(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int,
               a: Sequence[float]) -> float | None:
    return quantile_of(a[0], vs)


def _variance(vs: Sequence[float]) -> float:
    count = 0.0
    mean = c_mean = aux = c_aux = 0.0
    for v in vs:
        count += 1
        delta = v - (mean + c_mean)
        mean, c_mean = kahan_inc(delta / count, mean, c_mean)
        aux, c_aux = kahan_inc(delta * (v - (mean + c_mean)), aux, c_aux)
    return (aux + c_aux) / count


def f_stdvar(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return _variance(vs)


def f_stddev(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    return math.sqrt(_variance(vs))


def f_mad(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    if any(v != v for v in vs):
        return math.nan
    median = quantile_of(0.5, vs)
    return quantile_of(0.5, [abs(v - median) for v in vs])


def f_changes(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    changes = 0
    prev = vs[0]
    for v in vs[1:]:
        if v != prev and not (v != v and prev != prev):
            changes += 1
        prev = v
    return float(changes)


def f_resets(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    resets = 0
    prev = vs[0]
    for v in vs[1:]:
        if v < prev:
            resets += 1
        prev = v
    return float(resets)


def linear_regression(ts: Sequence[int], vs: Sequence[float], intercept_t: int) -> tuple[float, float]:
    n = 0.0
    sx = cx = sy = cy = sxy = cxy = sx2 = cx2 = 0.0
    init = vs[0]
    const = True
    for i, (tt, v) in enumerate(zip(ts, vs)):
        if const and i > 0 and v != init:
            const = False
        n += 1
        x = (tt - intercept_t) / 1e3
        sx, cx = kahan_inc(x, sx, cx)
        sy, cy = kahan_inc(v, sy, cy)
        sxy, cxy = kahan_inc(x * v, sxy, cxy)
        sx2, cx2 = kahan_inc(x * x, sx2, cx2)
    if const:
        if math.isinf(init):
            return math.nan, math.nan
        return 0.0, init
    sx += cx
    sy += cy
    sxy += cxy
    sx2 += cx2
    cov = sxy - sx * sy / n
    var = sx2 - sx * sx / n
    slope = cov / var if var != 0 else (math.nan if cov == 0 else math.copysign(math.inf, cov))
    return slope, sy / n - slope * sx / n


def f_deriv(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int, a: Sequence[float]) -> float | None:
    if len(vs) < 2:
        return None
    return linear_regression(ts, vs, ts[0])[0]


def f_predict_linear(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int,
                     a: Sequence[float]) -> float | None:
    if len(vs) < 2:
        return None
    slope, intercept = linear_regression(ts, vs, t)
    return slope * a[0] + intercept


def f_double_exp(ts: Sequence[int], vs: Sequence[float], s: int, e: int, r: int, t: int,
                 a: Sequence[float]) -> float | None:
    sf, tf = a[0], a[1]
    if not 0 < sf < 1:
        raise EvalError(f"invalid smoothing factor. Expected: 0 < sf < 1, got: {sf:f}")
    if not 0 < tf < 1:
        raise EvalError(f"invalid trend factor. Expected: 0 < tf < 1, got: {tf:f}")
    if len(vs) < 2:
        return None
    s0, s1 = 0.0, vs[0]
    b = vs[1] - vs[0]
    for i in range(1, len(vs)):
        x = sf * vs[i]
        if i - 1 > 0:
            b = tf * (s1 - s0) + (1 - tf) * b
        y = (1 - sf) * (s1 + b)
        s0, s1 = s1, x + y
    return s1


IndexFn = Callable[[Sequence[int], Sequence[float], int, int, int], "float | None"]
# (ts, vs, lo, hi, last_drop_t) -> value or None: the window is ts[lo:hi + 1] of a series' plain
# arrays (hi >= lo, no stale markers), read in place; last_drop_t is MemSeries.last_drop_t.


def _i_instant(ts: Sequence[int], vs: Sequence[float], lo: int, hi: int, is_rate: bool) -> float | None:
    """`_instant` on the window's last two samples, found by index."""
    if hi <= lo:
        return None
    dt = ts[hi] - ts[hi - 1]
    if dt == 0:
        return None
    last, prev = vs[hi], vs[hi - 1]
    result = last if (is_rate and last < prev) else last - prev
    if is_rate:
        result /= dt / 1000
    return result


def _i_resets(ts: Sequence[int], vs: Sequence[float], lo: int, hi: int, drop_t: int) -> float | None:
    if drop_t <= ts[lo]:  # the newest decrease ends at or before the window's first sample
        return 0.0
    return f_resets(ts, vs[lo:hi + 1], 0, 0, 0, 0, ())


IN_PLACE: dict[str, IndexFn] = {
    "irate": lambda ts, vs, lo, hi, d: _i_instant(ts, vs, lo, hi, True),
    "idelta": lambda ts, vs, lo, hi, d: _i_instant(ts, vs, lo, hi, False),
    "count_over_time": lambda ts, vs, lo, hi, d: float(hi - lo + 1),
    "last_over_time": lambda ts, vs, lo, hi, d: vs[hi],
    "first_over_time": lambda ts, vs, lo, hi, d: vs[lo],
    "present_over_time": lambda ts, vs, lo, hi, d: 1.0,
    "ts_of_last_over_time": lambda ts, vs, lo, hi, d: ts[hi] / 1000,
    "ts_of_first_over_time": lambda ts, vs, lo, hi, d: ts[lo] / 1000,
    "resets": _i_resets,
}
"""Range functions that need only a few samples of a plain window, by index (see promql.calls)."""


RANGE_FUNCTIONS: dict[str, RangeFn] = {
    "rate": f_rate, "increase": f_increase, "delta": f_delta, "irate": f_irate, "idelta": f_idelta,
    "avg_over_time": f_avg, "sum_over_time": f_sum, "count_over_time": f_count,
    "min_over_time": f_min, "max_over_time": f_max, "last_over_time": f_last,
    "first_over_time": f_first, "present_over_time": f_present, "quantile_over_time": f_quantile,
    "stddev_over_time": f_stddev, "stdvar_over_time": f_stdvar, "mad_over_time": f_mad,
    "changes": f_changes, "resets": f_resets, "deriv": f_deriv, "predict_linear": f_predict_linear,
    "double_exponential_smoothing": f_double_exp, "holt_winters": f_double_exp,
    "ts_of_max_over_time": f_ts_of_max, "ts_of_min_over_time": f_ts_of_min,
    "ts_of_first_over_time": f_ts_of_first, "ts_of_last_over_time": f_ts_of_last,
}
KEEPS_NAME = frozenset({"last_over_time", "first_over_time"})
