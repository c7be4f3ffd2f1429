"""Alertmanager 0.25's API v2 handlers (``api/v2/api.go``), behind the go-swagger checks of
`amclone.api.swagger`.

Handler errors are JSON strings with a trailing newline (``"bad matcher format: foo"``); the
orders, filters and quirks are 0.25's: alerts sorted by fingerprint text, resolved ones hidden,
the marker refreshed per listed alert (so silences show at once), ``unprocessed`` parsed but
ignored, receivers matched against the route tree at request time, and DELETE of an unknown
silence a 500.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any

from aiohttp import web

from amclone.alerts import Alert, AlertState, AlertStatusInfo, PostedAlert, prepare
from amclone.api import swagger
from amclone.api.fastalerts import posted_alerts
from amclone.api.intake import MIN_BODY_BYTES
from amclone.api.mux import DropConnection, Params
from amclone.api.state import ApiDeps
from amclone.api.swagger import ApiError, Query, json_response
from amclone.api.version import BUILD
from amclone.compat.timefmt import format_millis, local_offset, offset_or_zero
from amclone.labels import parse as matcher_parse
from amclone.labels.matcher import Matcher, MatchType
from amclone.labels.regex import compile_anchored
from amclone.silence import NotFoundError, Silence, SilenceError, SilenceMatcher
from amclone.silence import api as silence_api
from amclone.timeutil import ZERO_TIME

V2Handler = Callable[[web.Request, Params], Awaitable[web.StreamResponse]]


def _error(message: str, status: int) -> web.Response:
    return json_response(message, status)


def parse_filter(values: Sequence[str]) -> list[Matcher]:
    return [matcher_parse.parse_matcher(v) for v in values]


def match_filter_labels(matchers: Sequence[Matcher], labels: Mapping[str, str]) -> bool:
    """0.25 ``matchFilterLabels``: an empty-valued matcher is satisfied by the label's absence
    (``=``, ``=~``) or presence (``!=``, ``!~``) before the matcher itself is consulted."""
    for m in matchers:
        present = m.name in labels
        if m.type in (MatchType.NOT_EQUAL, MatchType.NOT_REGEX):
            if m.value == "" and present:
                continue
        elif m.value == "" and not present:
            continue
        if not m.matches(labels.get(m.name, "")):
            return False
    return True


# Alerts posted together share their timestamps; listing 100,000 of them formats few distinct ones.
_millis = functools.lru_cache(maxsize=8192)(format_millis)


def alert_json(a: Alert, status: AlertStatusInfo, receivers: Sequence[str]) -> dict[str, Any]:
    """gettableAlert, in go-swagger's field order (own fields, then the embedded Alert's)."""
    out: dict[str, Any] = {
        "annotations": _sorted(a.annotations),
        "endsAt": _millis(a.ends_at, a.ends_off),
        "fingerprint": a.fingerprint_hex,
        "receivers": [{"name": r} for r in receivers],
        "startsAt": _millis(a.starts_at, a.starts_off),
        "status": {"inhibitedBy": list(status.inhibited_by), "silencedBy": list(status.silenced_by),
                   "state": status.state.value},
        "updatedAt": _millis(a.updated_at, local_offset(a.updated_at)),
    }
    if a.generator_url:
        out["generatorURL"] = a.generator_url
    out["labels"] = _sorted(a.labels)
    return out


def posted_from_decoded(body: list[dict[str, Any]] | None) -> list[PostedAlert]:
    """The generic route's alerts (`swagger.POSTABLE_ALERTS`, validated, no null element)."""
    out = []
    for a in body or []:
        starts, ends = a.get("startsAt"), a.get("endsAt")
        out.append(PostedAlert(a.get("labels") or {}, a.get("annotations") or {}, time_or_zero(starts),
                               time_or_zero(ends), a.get("generatorURL") or "", False, offset_or_zero(starts),
                               offset_or_zero(ends)))
    return out


def time_or_zero(v: int | None) -> int:
    """A decoded time; absent or null is Go's zero time (0, the epoch, is a real time here)."""
    return ZERO_TIME if v is None else int(v)  # a plain int: the offset travels beside it


def _sorted(m: Mapping[str, str]) -> dict[str, str]:
    return {k: m[k] for k in sorted(m, key=lambda k: k.encode())}


def routed_alerts(deps: ApiDeps, receiver: Any) -> Iterator[tuple[Alert, list[str]]]:
    """Every stored alert with the receivers the current route tree gives it (computed at request
    time, as 0.25 does), those whose receivers all miss the `receiver` regex left out."""
    route = deps.current().route
    for a in deps.alerts.list():
        receivers = [r.opts.receiver for r in route.match(a.labels)]
        if receiver is None or any(receiver.match_string(r) for r in receivers):
            yield a, receivers


class V2:
    def __init__(self, deps: ApiDeps) -> None:
        self.deps = deps

    def routes(self) -> dict[str, dict[str, V2Handler]]:
        return {
            "/alerts": {"GET": self.get_alerts, "POST": self.post_alerts},
            "/alerts/groups": {"GET": self.get_groups},
            "/receivers": {"GET": self.get_receivers},
            "/silences": {"GET": self.get_silences, "POST": self.post_silences},
            "/silence/{silenceID}": {"GET": self.get_silence, "DELETE": self.delete_silence},
            "/status": {"GET": self.get_status},
        }

    # -- general ------------------------------------------------------------------------------

    async def get_status(self, request: web.Request, params: Params) -> web.StreamResponse:
        cfg = self.deps.current()
        cluster: dict[str, Any] = {"peers": [], "status": "disabled"}
        peer = self.deps.cluster
        if peer is not None:
            peers = sorted(peer.peers(), key=lambda p: p.name)
            cluster = {"name": peer.name(), "peers": [{"address": p.address, "name": p.name}
                                                      for p in peers], "status": peer.status()}
        return json_response({
            "cluster": cluster,
            "config": {"original": cfg.original},
            "uptime": format_millis(self.deps.uptime),
            "versionInfo": BUILD.status_json(),
        })

    async def get_receivers(self, request: web.Request, params: Params) -> web.StreamResponse:
        return json_response([{"name": r} for r in self.deps.current().receivers])

    # -- alerts -------------------------------------------------------------------------------

    def _filters(self, q: Query) -> tuple[list[Matcher], Any]:
        try:
            matchers = parse_filter(q.all("filter"))
        except ValueError as e:
            raise _Bad(str(e)) from None
        receiver = q.string("receiver")
        rx = None
        if receiver is not None:
            try:
                rx = compile_anchored(receiver)
            except ValueError as e:
                raise _Bad(f"failed to parse receiver param: {e}") from None
        return matchers, rx

    def _alert_filter(self, matchers: list[Matcher], silenced: bool, inhibited: bool,
                      active: bool) -> Callable[[Alert, int], bool]:
        deps = self.deps

        def keep(a: Alert, now: int) -> bool:
            if a.ends_at != ZERO_TIME and a.ends_at < now:
                return False
            deps.set_alert_status(a.labels)
            st = deps.status(a.fingerprint)
            if not active and st.state is AlertState.ACTIVE:
                return False
            if not silenced and st.silenced_by:
                return False
            if not inhibited and st.inhibited_by:
                return False
            return match_filter_labels(matchers, a.labels)

        return keep

    async def get_alerts(self, request: web.Request, params: Params) -> web.StreamResponse:
        q = Query.of(request)
        try:
            matchers, rx = self._filters(q)
        except _Bad as e:
            return _error(str(e), 400)
        keep = self._alert_filter(matchers, q.boolean("silenced"), q.boolean("inhibited"),
                                  q.boolean("active"))
        now = self.deps.clock.now()
        out = []
        for a, receivers in routed_alerts(self.deps, rx):
            if not keep(a, now):
                continue
            out.append(alert_json(a, self.deps.status(a.fingerprint), receivers))
        out.sort(key=lambda x: x["fingerprint"])
        return json_response(out)

    async def post_alerts(self, request: web.Request, params: Params) -> web.StreamResponse:
        raw = await swagger.read_raw_body(request, "alerts")
        resolve_timeout = self.deps.current().resolve_timeout
        handed = None
        if self.deps.intake is not None and len(raw) >= MIN_BODY_BYTES:
            handed = await self.deps.intake.prepare(raw, self.deps.clock.now(), resolve_timeout)
        if handed is not None:
            prepared, payload = handed.prepared, handed.payload
            self.deps.ingest.count("v2", prepared.firing, prepared.resolved, len(prepared.errors))
        else:
            posted = posted_alerts(raw)
            if posted is None:
                body = swagger.decode_body(raw, "alerts", swagger.POSTABLE_ALERTS)
                swagger.validate_alerts(body)
                if body and any(a is None for a in body):
                    raise DropConnection()  # 0.25 dereferences the nil alert
                posted = posted_from_decoded(body)
            prepared = prepare(posted, now=self.deps.clock.now(), resolve_timeout=resolve_timeout,
                               version="v2", metrics=self.deps.ingest)
            payload = None
        try:
            await self.deps.alerts.put(prepared.alerts, payload)
        except OSError as e:
            return _error(str(e), 500)
        if prepared.errors:
            return _error(prepared.error_text, 400)
        return swagger.empty()

    async def get_groups(self, request: web.Request, params: Params) -> web.StreamResponse:
        q = Query.of(request)
        try:
            matchers, rx = self._filters(q)
        except _Bad as e:
            return _error(str(e), 400)
        if self.deps.groups is None:
            return _error("alert groups are not available: the dispatcher is not running", 500)

        def route_filter(route: Any) -> bool:
            return rx is None or rx.match_string(route.opts.receiver)

        keep = self._alert_filter(matchers, q.boolean("silenced"), q.boolean("inhibited"),
                                  q.boolean("active"))
        groups, receivers = self.deps.groups(route_filter, keep)
        out = []
        for g in groups:
            out.append({
                "alerts": [alert_json(a, self.deps.status(a.fingerprint), receivers.get(a.fingerprint, []))
                           for a in g.alerts],
                "labels": _sorted(g.labels),
                "receiver": {"name": g.receiver},
            })
        return json_response(out)

    # -- silences -----------------------------------------------------------------------------

    async def get_silences(self, request: web.Request, params: Params) -> web.StreamResponse:
        try:
            matchers = parse_filter(Query.of(request).all("filter"))
        except ValueError as e:
            return _error(str(e), 400)
        try:
            found, _ = self.deps.silences.query()
        except SilenceError as e:
            return _error(str(e), 500)
        now = self.deps.clock.now()
        chosen = [s for s in found if silence_api.matches_filter(s, matchers)]
        return json_response([silence_api.to_api(s, now) for s in silence_api.sort_for_api(chosen, now)])

    async def get_silence(self, request: web.Request, params: Params) -> web.StreamResponse:
        sid = swagger.uuid_param("silenceID", params["silenceID"])
        try:
            found, _ = self.deps.silences.query(ids=[sid])
        except SilenceError as e:
            return _error(str(e), 500)
        if not found:
            return swagger.empty(404)
        return json_response(silence_api.to_api(found[0], self.deps.clock.now()))

    async def delete_silence(self, request: web.Request, params: Params) -> web.StreamResponse:
        sid = swagger.uuid_param("silenceID", params["silenceID"])
        try:
            self.deps.silences.expire(sid)
        except SilenceError as e:
            return _error(str(e), 500)
        return swagger.empty()

    async def post_silences(self, request: web.Request, params: Params) -> web.StreamResponse:
        body = await swagger.read_body(request, "silence", swagger.POSTABLE_SILENCE)
        swagger.validate_silence(body)
        if any(m is None for m in body["matchers"]):
            raise DropConnection()  # 0.25 dereferences the nil matcher
        matchers = tuple(
            SilenceMatcher(m["name"], MatchType.from_flags(m.get("isEqual", True) is not False,
                                                           bool(m["isRegex"])), m["value"])
            for m in body["matchers"])
        sil = Silence(body.get("id") or "", matchers, body["startsAt"], body["endsAt"], ZERO_TIME,
                      body["createdBy"], body["comment"])
        if sil.starts_at >= sil.ends_at:
            return _error("Failed to create silence: start time must be before end time", 400)
        if sil.ends_at < self.deps.clock.now():
            return _error("Failed to create silence: end time can't be in the past", 400)
        try:
            sid = self.deps.silences.set(sil)
        except NotFoundError as e:
            return _error(str(e), 404)
        except (SilenceError, ValueError) as e:
            return _error(str(e), 400)
        return json_response({"silenceID": sid})


class _Bad(Exception):
    pass


__all__ = ["V2", "ApiError", "alert_json", "match_filter_labels", "parse_filter"]
