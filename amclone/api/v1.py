"""API v1 as Alertmanager 0.25 still serves it (``api/v1/api.go``; removed in 0.27).

Old clients and scripts use it: the envelope ``{"status":"success","data":...}`` or
``{"status":"error","errorType":"bad_data","error":"..."}`` (``json.Marshal``, no trailing
newline), CORS headers on every answer, RFC 3339 times with nanoseconds, ``null`` for empty
status lists of processed alerts, strict ``true``/``false`` booleans, ``unprocessed`` honoured,
and the label-style ``filter`` (one ``{...}`` string) for alerts and silences alike.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import web

from amclone.alerts import Alert, AlertState, PostedAlert, prepare
from amclone.alerts.ingest import v1_labelset_error
from amclone.alerts.marker import UNPROCESSED
from amclone.api import gojsondec
from amclone.api.gojsondec import GoType
from amclone.api.gotime import JSON_TIME, parse_error
from amclone.api.mux import DropConnection, Params, Router, go_query, text_error
from amclone.api.state import ApiDeps
from amclone.api.v2 import match_filter_labels, routed_alerts, time_or_zero
from amclone.api.version import BUILD
from amclone.compat import gojson
from amclone.compat.timefmt import TimeParseError, format_rfc3339nano, offset_or_zero, parse_rfc3339, zoned
from amclone.config.marshal_json import ConfigJSON
from amclone.labels import parse as matcher_parse
from amclone.labels.matcher import Matcher, MatchType
from amclone.labels.regex import compile_anchored
from amclone.silence import NotFoundError, Silence, SilenceError, SilenceMatcher, SilenceState
from amclone.silence.api import api_state
from amclone.timeutil import ZERO_TIME

_log = logging.getLogger("amclone.api")

CORS = {
    "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type, Origin",
    "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Date",
    "Cache-Control": "no-cache, no-store, must-revalidate",
}


def _time(raw: str) -> int:
    """time.Time.UnmarshalJSON (Go 1.19): the raw JSON text parsed with a quoted RFC 3339 layout."""
    if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
        try:
            text = json.loads(raw)
            return zoned(parse_rfc3339(text), text)
        except (TimeParseError, ValueError):
            pass
    raise ValueError(parse_error(raw, JSON_TIME))


_STR, _BOOL = GoType("string", "string"), GoType("bool", "bool")
_TIME = GoType("text", "time.Time", parse=_time, raw=True)
def _label_names(ls: dict[str, str] | None) -> dict[str, str] | None:
    """model.LabelSet.UnmarshalJSON's name check, after its values decoded."""
    err = v1_labelset_error(ls or {})
    if err is not None:
        raise ValueError(err)
    return ls


def _to_matcher(m: dict[str, Any] | None) -> SilenceMatcher:
    """labels.Matcher.UnmarshalJSON: isEqual defaults to true; regexes compile (Go's errors)."""
    m = m or {}
    t = MatchType.from_flags(m.get("isEqual", True) is not False, bool(m.get("isRegex")))
    if t.is_regex:
        compile_anchored(m.get("value") or "")
    return SilenceMatcher(m.get("name") or "", t, m.get("value") or "")


_LABELS = GoType("map", "model.LabelSet", after=_label_names, inner=GoType(
    "map", "map[model.LabelName]model.LabelValue", elem=GoType("string", "model.LabelValue")))
_ALERTS = GoType("slice", "[]*types.Alert", elem=GoType("struct", "types.Alert", fields=(
    ("labels", _LABELS), ("annotations", _LABELS), ("startsAt", _TIME), ("endsAt", _TIME),
    ("generatorURL", _STR), ("UpdatedAt", _TIME), ("Timeout", _BOOL))))
_MATCHER = GoType("struct", "labels.Matcher", after=_to_matcher, inner=GoType(
    "struct", "labels.apiV1Matcher", fields=(("name", _STR), ("value", _STR), ("isRegex", _BOOL),
                                             ("isEqual", _BOOL))))
_SILENCE = GoType("struct", "types.Silence", fields=(
    ("id", _STR), ("matchers", GoType("slice", "labels.Matchers", elem=_MATCHER)), ("startsAt", _TIME),
    ("endsAt", _TIME), ("updatedAt", _TIME), ("createdBy", _STR), ("comment", _STR)))


class _NilMap(dict[str, str]):
    """An alert posted through v1 without annotations: Go keeps a nil map and prints null."""


NIL_MAP = _NilMap()


def ok(data: Any = None) -> web.Response:
    body: dict[str, Any] = {"status": "success"}
    if data is not None:
        body["data"] = data
    return web.Response(body=gojson.dumps(body).encode(), headers={"Content-Type": "application/json"})


def bad(err: str, internal: bool = False) -> web.Response:
    kind = "server_error" if internal else "bad_data"
    return web.Response(status=500 if internal else 400, headers={"Content-Type": "application/json"},
                        body=gojson.dumps({"status": "error", "errorType": kind, "error": err}).encode())


class V1:
    def __init__(self, deps: ApiDeps) -> None:
        self.deps = deps

    def register(self, router: Router, prefix: str) -> None:
        p = prefix.rstrip("/") + "/api/v1"
        for method, path, h in (
            ("OPTIONS", "/*path", self.options),
            ("GET", "/status", self.status), ("GET", "/receivers", self.receivers),
            ("GET", "/alerts", self.list_alerts), ("POST", "/alerts", self.add_alerts),
            ("GET", "/silences", self.list_silences), ("POST", "/silences", self.set_silence),
            ("GET", "/silence/:sid", self.get_silence), ("DELETE", "/silence/:sid", self.del_silence),
        ):
            router.add(method, p + path, _cors(h), name=path)

    async def options(self, request: web.Request, params: Params) -> web.StreamResponse:
        return web.Response(status=200)

    async def status(self, request: web.Request, params: Params) -> web.StreamResponse:
        cfg = self.deps.current()
        cluster = None
        if self.deps.cluster is not None:
            c = self.deps.cluster
            cluster = {"name": c.name(), "status": c.status(),
                       "peers": [{"name": p.name, "address": p.address} for p in c.peers()] or None}
        config_json = cfg.json
        if isinstance(config_json, ConfigJSON):
            if config_json.error:
                # 0.25 has written its 200 header before json.Marshal fails: it logs the error
                # and the answer stays empty (a TLS min/max_version in any http_config does this).
                _log.error("Error marshaling JSON", extra={"err": config_json.error})
                return web.Response(status=200, headers={"Content-Type": "application/json"})
            config_json = config_json.data
        return ok({
            "configYAML": cfg.original,
            "configJSON": config_json,
            "versionInfo": {"version": BUILD.version, "revision": BUILD.revision, "branch": BUILD.branch,
                            "buildUser": BUILD.build_user, "buildDate": BUILD.build_date,
                            "goVersion": BUILD.go_version},
            "uptime": format_rfc3339nano(self.deps.uptime),
            "clusterStatus": cluster,
        })

    async def receivers(self, request: web.Request, params: Params) -> web.StreamResponse:
        return ok(list(self.deps.current().receivers))

    async def list_alerts(self, request: web.Request, params: Params) -> web.StreamResponse:
        q = _form(request)
        matchers: list[Matcher] = []
        if q.get("filter"):
            try:
                matchers = matcher_parse.parse_matchers(q["filter"])
            except ValueError as e:
                return bad(str(e))
        flags = {}
        for name in ("active", "silenced", "inhibited", "unprocessed"):
            v = q.get(name, "")
            if v not in ("", "true", "false"):
                return bad(f"parameter \"{name}\" can either be 'true' or 'false', not {gojson.dumps(v)}")
            flags[name] = v != "false"
        rx = None
        if q.get("receiver"):
            try:
                rx = compile_anchored(q["receiver"])
            except ValueError:
                return bad(f"failed to parse receiver param: {q['receiver']}")
        now = self.deps.clock.now()
        out = []
        for a, receivers in routed_alerts(self.deps, rx):
            if not match_filter_labels(matchers, a.labels):
                continue
            if a.ends_at != ZERO_TIME and a.ends_at < now:
                continue
            st = self.deps.status(a.fingerprint)
            if (not flags["active"] and st.state is AlertState.ACTIVE
                    or not flags["unprocessed"] and st.state is AlertState.UNPROCESSED
                    or not flags["silenced"] and st.silenced_by
                    or not flags["inhibited"] and st.inhibited_by):
                continue
            out.append(_alert(a, receivers, st))
        out.sort(key=lambda x: str(x["fingerprint"]))
        return ok(out)

    async def add_alerts(self, request: web.Request, params: Params) -> web.StreamResponse:
        try:
            body = gojsondec.decode(await request.read(), _ALERTS)
        except gojsondec.BodyEOF:
            return bad("EOF")
        except gojsondec.DecodeError as e:
            return bad(str(e))
        posted = []
        for a in body or []:
            if a is None:
                raise DropConnection()  # 0.25 dereferences the nil alert
            labels = a.get("labels") or {}
            annotations = a.get("annotations")
            starts, ends = a.get("startsAt"), a.get("endsAt")
            posted.append(PostedAlert(labels, NIL_MAP if annotations is None else annotations,
                                      time_or_zero(starts), time_or_zero(ends), a.get("generatorURL") or "",
                                      bool(a.get("Timeout")), offset_or_zero(starts), offset_or_zero(ends)))
        prepared = prepare(posted, now=self.deps.clock.now(),
                           resolve_timeout=self.deps.current().resolve_timeout, version="v1",
                           metrics=self.deps.ingest)
        try:
            await self.deps.alerts.put(prepared.alerts)
        except OSError as e:
            return bad(str(e), internal=True)
        if prepared.errors:
            return bad(prepared.error_text)
        return ok()

    async def list_silences(self, request: web.Request, params: Params) -> web.StreamResponse:
        try:
            found, _ = self.deps.silences.query()
        except SilenceError as e:
            return bad(str(e), internal=True)
        matchers: list[Matcher] = []
        f = _form(request).get("filter", "")
        if f:
            try:
                matchers = matcher_parse.parse_matchers(f)
            except ValueError as e:
                return bad(str(e))
        now = self.deps.clock.now()
        chosen = [s for s in found if match_filter_labels(matchers, {m.name: m.value for m in s.matchers})]
        by_state: dict[SilenceState, list[Silence]] = {st: [] for st in SilenceState}
        for s in chosen:
            by_state[api_state(s, now)].append(s)
        ordered = (sorted(by_state[SilenceState.ACTIVE], key=lambda s: s.ends_at)
                   + sorted(by_state[SilenceState.PENDING], key=lambda s: s.starts_at)
                   + sorted(by_state[SilenceState.EXPIRED], key=lambda s: -s.ends_at))
        return ok([_silence(s, now) for s in ordered])

    async def set_silence(self, request: web.Request, params: Params) -> web.StreamResponse:
        try:
            body = gojsondec.decode(await request.read(), _SILENCE) or {}
        except gojsondec.BodyEOF:
            return bad("EOF")
        except gojsondec.DecodeError as e:
            return bad(str(e))
        if any(m is None for m in body.get("matchers") or []):
            raise DropConnection()  # 0.25 dereferences the nil matcher
        matchers = tuple(body.get("matchers") or [])
        start = time_or_zero(body.get("startsAt"))
        end = time_or_zero(body.get("endsAt"))
        if start == end:
            return bad("start time must not be equal to end time")
        if end < self.deps.clock.now():
            return bad("end time can't be in the past")
        sil = Silence(body.get("id") or "", matchers, start, end, ZERO_TIME, body.get("createdBy") or "",
                      body.get("comment") or "")
        try:
            sid = self.deps.silences.set(sil)
        except (SilenceError, ValueError) as e:
            return bad(str(e))
        return ok({"silenceId": sid})

    async def get_silence(self, request: web.Request, params: Params) -> web.StreamResponse:
        found, _ = self.deps.silences.query(ids=[params["sid"]])
        if not found:
            return text_error("Error getting silence: <nil>", 404)
        return ok(_silence(found[0], self.deps.clock.now()))

    async def del_silence(self, request: web.Request, params: Params) -> web.StreamResponse:
        try:
            self.deps.silences.expire(params["sid"])
        except (NotFoundError, SilenceError) as e:
            return bad(str(e))
        return ok()


def _form(request: web.Request) -> dict[str, str]:
    """r.FormValue: the first value of each parameter, parsed as Go parses queries."""
    out: dict[str, str] = {}
    for k, v in go_query(request.rel_url.raw_query_string):
        out.setdefault(k, v)
    return out


def _cors(h: Any) -> Any:
    async def wrapped(request: web.Request, params: Params) -> web.StreamResponse:
        resp: web.StreamResponse = await h(request, params)
        for k, v in CORS.items():
            resp.headers[k] = v
        return resp
    return wrapped


def _status_list(ids: Sequence[str], fresh: bool) -> list[str] | None:
    if ids:
        return list(ids)
    return [] if fresh else None


_nano = functools.lru_cache(maxsize=8192)(format_rfc3339nano)  # see v2._millis


def _alert(a: Alert, receivers: list[str], st: Any) -> dict[str, Any]:
    fresh = st is UNPROCESSED
    return {
        "labels": _sorted(a.labels),
        "annotations": None if isinstance(a.annotations, _NilMap) else _sorted(a.annotations),
        "startsAt": _nano(a.starts_at, a.starts_off),
        "endsAt": _nano(a.ends_at, a.ends_off),
        "generatorURL": a.generator_url,
        "status": {"state": st.state.value, "silencedBy": _status_list(st.silenced_by, fresh),
                   "inhibitedBy": _status_list(st.inhibited_by, fresh)},
        "receivers": receivers,
        "fingerprint": a.fingerprint_hex,
    }


def _silence(s: Silence, now: int) -> dict[str, Any]:
    return {
        "id": s.id,
        "matchers": [{"name": m.name, "value": m.value, "isRegex": m.type.is_regex,
                      "isEqual": m.type.is_equal} for m in s.matchers],
        "startsAt": format_rfc3339nano(s.starts_at, offset_or_zero(s.starts_at)),
        "endsAt": format_rfc3339nano(s.ends_at, offset_or_zero(s.ends_at)),
        "updatedAt": format_rfc3339nano(s.updated_at),
        "createdBy": s.created_by,
        "comment": s.comment,
        "status": {"state": api_state(s, now).value},
    }


def _sorted(m: Mapping[str, str]) -> dict[str, str]:
    return gojson.sorted_map(m)
