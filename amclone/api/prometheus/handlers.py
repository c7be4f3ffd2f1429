"""The Prometheus HTTP API endpoints Grafana's Prometheus data source uses.

Each handler reads GET query parameters or a form-encoded POST body (Grafana POSTs queries),
answers Prometheus's envelope (``{"status":"success","data":...}``) or its error form
(``{"status":"error","errorType":"bad_data","error":"..."}``) with the status Prometheus uses
for that errorType. Queries run in a worker thread so a slow one does not block the loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from amclone.api.prometheus import encode
from amclone.api.prometheus.params import (
    MAX_TIME_MS,
    MIN_TIME_MS,
    APIError,
    invalid_param,
    parse_duration,
    parse_limit,
    parse_matchers,
    parse_time,
    time_param,
)
from amclone.compat import gojson
from amclone.labels.labelset import is_valid_utf8_name
from amclone.promql.engine import Engine, Result
from amclone.promql.errors import NON_POSITIVE_STEP_TEXT, TIMEOUT_TEXT, ParseError, PromQLError, QueryTimeout
from amclone.tsdb.head import UNBOUNDED_MAX, UNBOUNDED_MIN, Head

MAX_POINTS = 11000
log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json(body: str, status: int = 200) -> web.Response:
    return web.Response(text=body, status=status, content_type="application/json")


async def _form(request: web.Request) -> tuple[dict[str, str], list[str]]:
    """Single values (first wins, as Go's FormValue) and all ``match[]`` values."""
    items: list[tuple[str, Any]] = list(request.query.items())
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        items = list((await request.post()).items()) + items
    form: dict[str, str] = {}
    for k, v in items:
        form.setdefault(k, str(v))
    return form, [str(v) for k, v in items if k == "match[]"]


class PrometheusAPI:
    def __init__(self, head: Head, engine: Engine, now_ms: Callable[[], int] | None = None,
                 build_info: dict[str, str] | None = None) -> None:
        self.head = head
        self.engine = engine
        self.now_ms = now_ms or (lambda: int(time.time() * 1000))
        self.build_info = build_info or {}
        self.default_timeout_s = 120.0  # Prometheus's --query.timeout

    def wrap(self, fn: Callable[[dict[str, str], list[str], web.Request], Awaitable[str]]) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            try:
                form, matches = await _form(request)
                return _json(await fn(form, matches, request))
            except APIError as exc:
                return _json(encode.error(exc.error_type, str(exc)), exc.status)

        return handler

    async def _run(self, call: Callable[[], Result], timeout_s: float) -> Result:
        try:
            return await asyncio.wait_for(asyncio.to_thread(call), timeout_s + 1)
        except TimeoutError:
            raise APIError("timeout", TIMEOUT_TEXT) from None
        except QueryTimeout as exc:
            raise APIError("timeout", str(exc)) from None
        except ParseError as exc:
            raise invalid_param("query", str(exc)) from None
        except PromQLError as exc:
            raise APIError("execution", str(exc)) from None
        except Exception as exc:
            log.exception("query failed")
            raise APIError("internal", f"unexpected error: {exc}") from None

    def _compile_checks(self, form: dict[str, str]) -> tuple[float, int, int | None]:
        """(timeout seconds, result limit, lookback override) from the request."""
        limit = parse_limit(form.get("limit", ""))
        timeout = self.default_timeout_s
        if form.get("timeout"):
            try:
                timeout = min(timeout, parse_duration(form["timeout"]) / 1000)
            except ValueError as exc:
                raise invalid_param("timeout", str(exc)) from None
        lookback = None
        if form.get("lookback_delta"):
            try:
                lookback = parse_duration(form["lookback_delta"]) or None
            except ValueError as exc:
                raise APIError("bad_data", f"error parsing lookback delta duration: {exc}") from None
        return timeout, limit, lookback

    async def query(self, form: dict[str, str], _m: list[str], _r: web.Request) -> str:
        timeout, limit, lookback = self._compile_checks(form)
        try:
            t = parse_time(form["time"]) if form.get("time") else self.now_ms()
        except ValueError as exc:
            raise invalid_param("time", str(exc)) from None
        text = form.get("query", "")
        plan = self._plan(text)
        res = await self._run(lambda: plan.instant(t, lookback, timeout), timeout)
        return self._respond(res, limit)

    async def query_range(self, form: dict[str, str], _m: list[str], _r: web.Request) -> str:
        timeout, limit, lookback = self._compile_checks(form)
        bounds = []
        for name in ("start", "end"):
            try:
                bounds.append(parse_time(form.get(name, "")))
            except ValueError as exc:
                raise invalid_param(name, str(exc)) from None
        start, end = bounds
        if end < start:
            raise invalid_param("end", "end timestamp must not be before start time")
        try:
            step = parse_duration(form.get("step", ""))
        except ValueError as exc:
            raise invalid_param("step", str(exc)) from None
        if step <= 0:
            raise invalid_param("step", NON_POSITIVE_STEP_TEXT)
        if (end - start) // step > MAX_POINTS:
            raise APIError("bad_data", "exceeded maximum resolution of 11,000 points per timeseries. "
                                       "Try decreasing the query resolution (?step=XX)")
        plan = self._plan(form.get("query", ""))
        res = await self._run(lambda: plan.range(start, end, step, lookback, timeout), timeout)
        return self._respond(res, limit)

    def _plan(self, text: str) -> Any:
        try:
            return self.engine.compile(text)
        except ParseError as exc:
            raise invalid_param("query", str(exc)) from None
        except PromQLError as exc:
            raise invalid_param("query", str(exc)) from None

    def _respond(self, res: Result, limit: int) -> str:
        warnings = list(res.warnings)
        if limit and res.type in ("vector", "matrix") and len(res.value) > limit:
            res = Result(res.type, res.value[:limit], res.warnings, res.infos, res.timestamp)
            warnings.append("results truncated due to limit")
        return encode.success(encode.result_data(res), warnings, res.infos)

    def _range(self, form: dict[str, str]) -> tuple[int, int]:
        return time_param(form, "start", MIN_TIME_MS), time_param(form, "end", MAX_TIME_MS)

    async def series(self, form: dict[str, str], matches: list[str], _r: web.Request) -> str:
        if not matches:
            raise APIError("bad_data", "no match[] parameter provided")
        limit = parse_limit(form.get("limit", ""))
        start, end = self._range(form)
        try:
            sets = parse_matchers(matches)
        except APIError as exc:
            raise invalid_param("match[]", str(exc)) from None
        found: dict[int, Any] = {}
        for ms in sets:
            for s in self.head.select(ms, start, end):
                found[s.ref] = s
        series = sorted(found.values(), key=lambda s: s.labels)
        warnings = []
        if limit and len(series) > limit:
            series = series[:limit]
            warnings.append("results truncated due to limit")
        data = "[" + ",".join(encode.labels(s.labels) for s in series) + "]"
        return encode.success(data, warnings)

    async def labels(self, form: dict[str, str], matches: list[str], _r: web.Request) -> str:
        limit = parse_limit(form.get("limit", ""))
        start, end = self._range(form)
        names = self.head.label_names(parse_matchers(matches), *_bounds(start, end))
        return self._strings(names, limit)

    async def label_values(self, form: dict[str, str], matches: list[str], request: web.Request) -> str:
        name = request.match_info["name"]
        if name.startswith("U__"):
            name = _unescape(name)
        if not is_valid_utf8_name(name):
            raise APIError("bad_data", f"invalid label name: {gojson.dumps(name)}")
        limit = parse_limit(form.get("limit", ""))
        start, end = self._range(form)
        values = self.head.label_values(name, parse_matchers(matches), *_bounds(start, end))
        return self._strings(values, limit)

    def _strings(self, items: list[str], limit: int) -> str:
        warnings = []
        if limit and len(items) > limit:
            items = items[:limit]
            warnings.append("results truncated due to limit")
        return encode.success(gojson.dumps(items), warnings)

    async def metadata(self, form: dict[str, str], _m: list[str], _r: web.Request) -> str:
        def number(key: str) -> int:
            s = form.get(key, "")
            if not s:
                return -1
            try:
                return int(s)
            except ValueError:
                raise APIError("bad_data", f"{key} must be a number") from None

        limit, per_metric = number("limit"), number("limit_per_metric")
        metric = form.get("metric", "")
        out: dict[str, list[dict[str, str]]] = {}
        for family, entries in self.head.metadata.items():
            if metric and family != metric:
                continue
            if 0 <= limit <= len(out):
                break
            rows = [{"type": t, "help": h, "unit": u} for t, h, u in entries]
            if per_metric > 0:
                rows = rows[:per_metric]
            out[family] = rows
        return encode.success(gojson.dumps(out))

    async def query_exemplars(self, form: dict[str, str], _m: list[str], _r: web.Request) -> str:
        """Exemplars are accepted by remote write but not kept: a valid query finds none."""
        start, end = self._range(form)
        if end < start:
            raise APIError("bad_data", "end timestamp must not be before start timestamp")
        try:
            self.engine.compile(form.get("query", ""))
        except PromQLError as exc:
            raise APIError("bad_data", str(exc)) from None
        return encode.success("[]")

    async def buildinfo(self, _f: dict[str, str], _m: list[str], _r: web.Request) -> str:
        return encode.success(gojson.dumps(self.build_info))


def _bounds(start: int, end: int) -> tuple[int, int]:
    """The API's MinTime/MaxTime mean "no bound" to the head."""
    return (UNBOUNDED_MIN if start <= MIN_TIME_MS else start, UNBOUNDED_MAX if end >= MAX_TIME_MS else end)


def _unescape(name: str) -> str:
    """Prometheus's ``U__`` value-encoding escape: ``_2e_`` is ``.``, ``__`` is ``_``."""
    body, out, i = name[3:], [], 0
    while i < len(body):
        if body.startswith("__", i):
            out.append("_")
            i += 2
            continue
        if body[i] == "_":
            end = body.find("_", i + 1)
            if end > i:
                try:
                    out.append(chr(int(body[i + 1:end], 16)))
                    i = end + 1
                    continue
                except ValueError:
                    return name
        out.append(body[i])
        i += 1
    return "".join(out)
