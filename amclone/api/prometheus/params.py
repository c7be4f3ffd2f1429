"""Request parameters as Prometheus's HTTP API reads them, with its error texts.

Times are unix seconds (float, rounded to milliseconds) or RFC 3339; durations are float seconds
or Prometheus durations (``5m``); ``match[]`` values are series selectors.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import ClassVar

from amclone.compat.duration import MODEL_RE, MODEL_UNITS
from amclone.promql import ast
from amclone.promql.errors import PromQLError
from amclone.promql.parse import parse
from amclone.timeutil import NS_PER_MS
from amclone.tsdb.matchers import SeriesMatcher

# Prometheus's MinTime / MaxTime: the widest times its API accepts, as milliseconds.
MIN_TIME_MS = -9_223_309_901_257_974_000
MAX_TIME_MS = 9_223_309_901_257_974_999
_UNITS_MS = tuple(u // NS_PER_MS for u in MODEL_UNITS)


class APIError(Exception):
    """An API failure: ``error_type`` is Prometheus's errorType (decides the HTTP status)."""

    STATUS: ClassVar[dict[str, int]] = {"bad_data": 400, "execution": 422, "canceled": 499, "timeout": 503, "internal": 500,
              "not_found": 404, "unavailable": 503}

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type

    @property
    def status(self) -> int:
        return self.STATUS.get(self.error_type, 500)


def invalid_param(name: str, message: str) -> APIError:
    return APIError("bad_data", f'invalid parameter "{name}": {message}')


def _go_float(s: str) -> float | None:
    try:
        if s.strip() != s or "_" in s:
            return None
        return float(s)
    except ValueError:
        return None


def parse_time(s: str) -> int:
    """Milliseconds since the epoch; raises ValueError with Prometheus's text."""
    f = _go_float(s)
    if f is not None and math.isfinite(f):
        whole = math.trunc(f)
        return int(whole) * 1000 + round((f - whole) * 1000)
    try:
        text = s.replace("Z", "+00:00") if s.endswith("Z") else s
        if "T" in text:
            dt = datetime.fromisoformat(_trim_nanos(text))
            return int(dt.timestamp() * 1000) if dt.tzinfo else _fail(s)
    except ValueError:
        pass
    raise ValueError(f'cannot parse "{s}" to a valid timestamp')


def _trim_nanos(text: str) -> str:
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)\.(\d+)(.*)$", text)
    if m:
        return f"{m.group(1)}.{m.group(2)[:6].ljust(6, '0')}{m.group(3)}"
    return text


def _fail(s: str) -> int:
    raise ValueError(f'cannot parse "{s}" to a valid timestamp')


def time_param(form: dict[str, str], name: str, default: int) -> int:
    val = form.get(name, "")
    if not val:
        return default
    try:
        return parse_time(val)
    except ValueError as exc:
        raise invalid_param(name, f"invalid time value for '{name}': {exc}") from None


def parse_duration(s: str) -> int:
    """Milliseconds; raises ValueError with Prometheus's text."""
    f = _go_float(s)
    if f is not None:
        if abs(f * 1e9) > 9.223372036854775807e18:
            raise ValueError(f'cannot parse "{s}" to a valid duration. It overflows int64')
        return int(f * 1000)
    m = MODEL_RE.match(s)
    if s and m and any(m.groups()):
        return sum(int(g) * u for g, u in zip(m.groups(), _UNITS_MS) if g)
    raise ValueError(f'cannot parse "{s}" to a valid duration')


def parse_limit(s: str) -> int:
    if not s:
        return 0
    try:
        limit = int(s)
    except ValueError:
        raise invalid_param("limit", f'strconv.Atoi: parsing "{s}": invalid syntax') from None
    if limit < 0:
        raise invalid_param("limit", "limit must be non-negative")
    return limit


def parse_matchers(values: list[str]) -> list[list[SeriesMatcher]]:
    """``match[]`` selectors; each needs a matcher that does not match the empty string."""
    sets: list[list[SeriesMatcher]] = []
    for text in values:
        try:
            expr = parse(text)
        except PromQLError as exc:
            raise APIError("bad_data", str(exc)) from None
        if not isinstance(expr, ast.VectorSelector):
            raise APIError("bad_data", f"1:1: parse error: unexpected expression, expected a series selector: {text}")
        if all(m.matches_empty for m in expr.matchers):
            raise APIError("bad_data", "match[] must contain at least one non-empty matcher")
        sets.append(list(expr.matchers))
    return sets
