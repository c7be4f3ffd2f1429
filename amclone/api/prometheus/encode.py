"""JSON for Prometheus API results, written the way Prometheus's jsoniter codec writes it.

Sample timestamps are unix seconds with up to three decimals (``1435781451.781``, ``12.500``,
``7``), values are strings (``"1"``, ``"+Inf"``, ``"1e-07"``), label sets are objects sorted by
name with Go's escaping. Built as text directly: a matrix of thousands of points would otherwise
pass through millions of small Python objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from amclone.compat import gojson
from amclone.promql.engine import Result
from amclone.promql.value import Matrix, Vector, format_float
from amclone.tsdb.series import Labels


def timestamp(t: int) -> str:
    sign = ""
    if t < 0:
        sign, t = "-", -t
    whole, frac = divmod(t, 1000)
    if frac:
        return f"{sign}{whole}.{frac:03d}"
    return f"{sign}{whole}"


def value(f: float) -> str:
    if f != f:  # noqa: PLR0124 - NaN test
        return '"NaN"'
    if math.isinf(f):
        return '"+Inf"' if f > 0 else '"-Inf"'
    a = abs(f)
    if a != 0 and (a < 1e-6 or a >= 1e21):
        r = repr(f)
        if "e" not in r:
            r = f"{f:e}"
        mant, exp = r.split("e")
        sign = exp[0] if exp[0] in "+-" else "+"
        digits = exp.lstrip("+-")
        return f'"{mant}e{sign}{digits.rjust(2, "0")}"'
    return '"' + format_float(f) + '"'


def labels(lbls: Labels) -> str:
    return gojson.dumps(dict(lbls))


def _vector(vec: Vector, t: int) -> str:
    ts = timestamp(t)
    return "[" + ",".join(f'{{"metric":{labels(s.labels)},"value":[{ts},{value(s.value)}]}}' for s in vec) + "]"


def _points(ts: Sequence[int], vs: Sequence[float]) -> str:
    return "[" + ",".join(f"[{timestamp(t)},{value(v)}]" for t, v in zip(ts, vs)) + "]"


def _matrix(mat: Matrix) -> str:
    return "[" + ",".join(f'{{"metric":{labels(s.labels)},"values":{_points(s.ts, s.vs)}}}' for s in mat) + "]"


def result_data(res: Result) -> str:
    """The ``data`` member of a query response."""
    kind = res.type
    if kind == "vector":
        body = _vector(res.value, res.timestamp)
    elif kind == "matrix":
        body = _matrix(res.value)
    elif kind == "scalar":
        body = f"[{timestamp(res.timestamp)},{value(res.value)}]"
    else:
        body = f"[{timestamp(res.timestamp)},{gojson.dumps(res.value)}]"
    return f'{{"resultType":"{kind}","result":{body}}}'


def success(data_json: str, warnings: Iterable[str] = (), infos: Iterable[str] = ()) -> str:
    out = '{"status":"success","data":' + data_json
    w, i = list(warnings), list(infos)
    if w:
        out += ',"warnings":' + gojson.dumps(w)
    if i:
        out += ',"infos":' + gojson.dumps(i)
    return out + "}"


def error(error_type: str, message: str) -> str:
    return gojson.dumps({"status": "error", "errorType": error_type, "error": message})
