"""Quantiles and fractions of classic histograms (``_bucket`` series with an ``le`` label).

Buckets of one histogram are the input series equal in every label but ``le`` (the metric name
included). As in Prometheus: sort by upper bound, require a +Inf bucket, merge equal bounds, force
the counts monotonic (reporting an info when real decreases had to be fixed, ignoring differences
within 1e-12 relative), then interpolate linearly inside the bucket holding the rank.
"""

# ruff: noqa: PLR0124 - `v != v` is the NaN test on hot paths (no function call)

from __future__ import annotations

import math

from amclone.promql.context import EvalContext
from amclone.promql.mathfuncs import go_parse_float
from amclone.promql.value import NAME, Sample, Vector, get_label, invalid_quantile
from amclone.tsdb.series import Labels

_SMALL_DELTA = 1e-12
_MIN_NORMAL = 2.2250738585072014e-308


def almost_equal(a: float, b: float, eps: float) -> bool:
    if a != a and b != b:
        return True
    if a == b:
        return True
    abs_sum = abs(a) + abs(b)
    diff = abs(a - b)
    if a == 0 or b == 0 or abs_sum < _MIN_NORMAL:
        return diff < eps * _MIN_NORMAL
    return diff / min(abs_sum, 1.7976931348623157e308) < eps


def _group(ctx: EvalContext, vec: Vector) -> dict[Labels, tuple[Labels, list[list[float]]]]:
    groups: dict[Labels, tuple[Labels, list[list[float]]]] = {}
    for s in vec:
        le = get_label(s.labels, "le")
        try:
            bound = go_parse_float(le)
        except ValueError:
            name = get_label(s.labels, NAME)
            msg = f'PromQL warning: bucket label "le" is missing or has a malformed value of "{le}"'
            if name:
                msg += f' for metric name "{name}"'
            ctx.warn(msg)
            continue
        key = tuple(p for p in s.labels if p[0] != "le")
        g = groups.get(key)
        if g is None:
            g = (key, [])
            groups[key] = g
        g[1].append([bound, s.value])
    return groups


def _prepare(buckets: list[list[float]]) -> list[list[float]] | None:
    buckets.sort(key=lambda b: b[0])
    if not math.isinf(buckets[-1][0]) or buckets[-1][0] < 0:
        return None
    merged: list[list[float]] = []
    for b in buckets:
        if merged and merged[-1][0] == b[0]:
            merged[-1][1] += b[1]
        else:
            merged.append([b[0], b[1]])
    return merged


def _monotonic(buckets: list[list[float]]) -> bool:
    forced = False
    prev = buckets[0][1]
    for b in buckets[1:]:
        curr = b[1]
        if curr == prev:
            continue
        if almost_equal(prev, curr, _SMALL_DELTA):
            b[1] = prev
            continue
        if curr < prev:
            b[1] = prev
            forced = True
            continue
        prev = curr
    return forced


def bucket_quantile(q: float, raw: list[list[float]]) -> tuple[float, bool]:
    if q != q:
        return math.nan, False
    if q < 0:
        return -math.inf, False
    if q > 1:
        return math.inf, False
    buckets = _prepare(raw)
    if buckets is None:
        return math.nan, False
    forced = _monotonic(buckets)
    if len(buckets) < 2:
        return math.nan, forced
    observations = buckets[-1][1]
    if observations == 0:
        return math.nan, forced
    rank = q * observations
    b = len(buckets) - 1
    for i in range(len(buckets) - 1):
        if buckets[i][1] >= rank:
            b = i
            break
    if b == len(buckets) - 1:
        return buckets[-2][0], forced
    if b == 0 and buckets[0][0] <= 0:
        return buckets[0][0], forced
    start = 0.0
    end = buckets[b][0]
    count = buckets[b][1]
    if b > 0:
        start = buckets[b - 1][0]
        count -= buckets[b - 1][1]
        rank -= buckets[b - 1][1]
    return start + (end - start) * (rank / count), forced


def histogram_quantile(ctx: EvalContext, q: float, vec: Vector) -> Vector:
    if q != q or q < 0 or q > 1:
        ctx.warn(invalid_quantile(q))
    out: Vector = []
    for key, buckets in _group(ctx, vec).values():
        value, forced = bucket_quantile(q, buckets)
        if forced:
            name = get_label(key, NAME)
            ctx.info("PromQL info: input to histogram_quantile needed to be fixed for monotonicity "
                     "(see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)"
                     + (f' for metric name "{name}"' if name else ""))
        out.append(Sample(key, value, True))
    return out


def bucket_fraction(lower: float, upper: float, raw: list[list[float]]) -> float:
    buckets = _prepare(raw)
    if buckets is None:
        return math.nan
    count = buckets[-1][1]
    if count == 0 or lower != lower or upper != upper:
        return math.nan
    if lower >= upper:
        return 0.0
    rank = lower_rank = upper_rank = 0.0
    lower_set = upper_set = False
    lower_bound = -math.inf if buckets[0][0] <= 0 else 0.0
    for i, (ub, c) in enumerate(buckets):
        if i > 0:
            lower_bound = buckets[i - 1][0]

        def interp(v: float, lb: float = lower_bound, ub: float = ub, c: float = c, r: float = rank) -> float:
            if lb == -math.inf:
                return c
            return r + (c - r) * (v - lb) / (ub - lb)

        if not lower_set and lower_bound >= lower:
            lower_rank, lower_set = rank, True
        if not upper_set and lower_bound >= upper:
            upper_rank, upper_set = rank, True
        if lower_set and upper_set:
            break
        if not lower_set and lower_bound < lower < ub:
            lower_rank, lower_set = interp(lower), True
        if not upper_set and lower_bound < upper < ub:
            upper_rank, upper_set = interp(upper), True
        if lower_set and upper_set:
            break
        rank = c
    if not lower_set or lower_rank > count:
        lower_rank = count
    if not upper_set or upper_rank > count:
        upper_rank = count
    return (upper_rank - lower_rank) / count


def histogram_fraction(ctx: EvalContext, lower: float, upper: float, vec: Vector) -> Vector:
    return [Sample(key, bucket_fraction(lower, upper, buckets), True)
            for key, buckets in _group(ctx, vec).values()]
