"""The go-swagger server in front of Alertmanager's API v2, as clients observe it.

Everything here happens before a v2 handler runs, in go-openapi's order: route lookup
(``{"code":404,"message":"path /api/v2/x was not found"}``, 405 with ``Allow: GET,POST``), CORS
(rs/cors defaults: ``Vary: Origin`` always, ``*`` for any origin, preflights answered empty),
the request's content type when it has a body (400 for an unparsable header, 415 for anything
but application/json), parameter binding (booleans as ``swag.ConvertBool`` reads them, the last
of repeated values, ``uuid`` path parameters) and the body models' validation (first failure
only, with go-openapi's error codes: 601 type, 602 required, 612 too few items).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from amclone.api import gojsondec
from amclone.api.gojsondec import GoType
from amclone.api.gotime import parse_datetime
from amclone.api.mux import go_query
from amclone.api.requesturi import is_request_uri
from amclone.compat import gojson
from amclone.compat.goquote import quote
from amclone.compat.timefmt import zoned

INVALID_TYPE, REQUIRED, MIN_ITEMS = 601, 602, 612

# rs/cors Default(): methods and request headers a preflight may ask for.
_CORS_METHODS = ("GET", "POST", "HEAD")
_CORS_HEADERS = ("Origin", "Accept", "Content-Type", "X-Requested-With")

_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.IGNORECASE)
_TRUE = frozenset({"true", "1", "yes", "ok", "y", "on", "selected", "checked", "t", "enabled"})


class ApiError(Exception):
    """A go-openapi error: served as ``{"code":N,"message":"..."}`` with status N (or 422 for
    validation codes of 600 and above)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def json_response(payload: Any, status: int = 200) -> web.Response:
    """go-openapi's JSON producer: an Encoder line (trailing newline)."""
    return web.Response(status=status, body=gojson.encoder_line(payload),
                        headers={"Content-Type": "application/json"})


def empty(status: int = 200) -> web.Response:
    return web.Response(status=status)


def error_response(e: ApiError) -> web.Response:
    """go-openapi errors.ServeError: json.Marshal, so no trailing newline (unlike payloads)."""
    status = 422 if e.code >= 600 else e.code
    return web.Response(status=status, body=gojson.dumps({"code": e.code, "message": e.message}).encode(),
                        headers={"Content-Type": "application/json"})


def required(name: str, where: str = "body") -> ApiError:
    return ApiError(REQUIRED, f"{name} in {where} is required")


def invalid_type(name: str, where: str, type_name: str, value: str) -> ApiError:
    return ApiError(INVALID_TYPE, f"{name} in {where} must be of type {type_name}: {quote(value)}")


# -- CORS -----------------------------------------------------------------------------------------


def cors_preflight(request: web.Request) -> web.Response | None:
    """rs/cors: an OPTIONS request with Access-Control-Request-Method is answered here."""
    if request.method != "OPTIONS" or not request.headers.get("Access-Control-Request-Method"):
        return None
    resp = web.Response(status=200)
    for v in ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"):
        resp.headers.add("Vary", v)
    method = request.headers["Access-Control-Request-Method"].upper()
    if not request.headers.get("Origin") or method not in _CORS_METHODS + ("OPTIONS",):
        return resp
    asked = [_canonical(h) for h in re.split(r"[,\s]+", request.headers.get(
        "Access-Control-Request-Headers", "")) if h]
    if any(h not in _CORS_HEADERS for h in asked):
        return resp
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Allow-Methods"] = method
    if asked:
        resp.headers["Access-Control-Allow-Headers"] = ", ".join(asked)
    return resp


def cors_actual(request: web.Request, resp: web.StreamResponse) -> None:
    resp.headers.add("Vary", "Origin")
    if request.headers.get("Origin") and request.method.upper() in _CORS_METHODS:
        resp.headers["Access-Control-Allow-Origin"] = "*"


def _canonical(h: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in h.split("-"))


# -- request checks -------------------------------------------------------------------------------


async def has_body(request: web.Request) -> bool:
    """go-openapi runtime.HasBody: a positive Content-Length, or (chunked) a first byte to peek."""
    if request.content_length is not None:
        return request.content_length > 0
    if not request.body_exists:
        return False
    return len(await request.read()) > 0  # read() keeps the body for the handler


def check_content_type(request: web.Request) -> None:
    """go-openapi validation.contentType(), for any request that carries a body."""
    raw = request.headers.get("Content-Type", "")
    try:
        mt = media_type(raw or "application/octet-stream")
    except ValueError as e:
        raise ApiError(400, f"parsing Content-Type header from {quote(raw)} failed, because {e}") from None
    if mt != "application/json":
        raise ApiError(415, f"unsupported media type {quote(mt)}, only [application/json] are allowed")


_TSPECIALS = set('()<>@,;:\\"/[]?=')


def _token(v: str) -> tuple[str, str]:
    i = 0
    while i < len(v) and 0x20 < ord(v[i]) < 0x7F and v[i] not in _TSPECIALS:
        i += 1
    return v[:i], v[i:]


def media_type(value: str) -> str:
    """The media type part of mime.ParseMediaType, with its errors (parameters are not checked)."""
    mt = value.split(";", 1)[0].strip().lower()
    typ, rest = _token(mt)
    if typ == "":
        raise ValueError("mime: no media type")
    if rest == "":
        return mt
    if not rest.startswith("/"):
        raise ValueError("mime: expected slash after first token")
    sub, rest = _token(rest[1:])
    if sub == "":
        raise ValueError("mime: expected token after slash")
    if rest != "":
        raise ValueError("mime: unexpected content after media subtype")
    return mt


@dataclass(frozen=True)
class Query:
    """Query parameters the way go-openapi reads them from the raw query string."""

    pairs: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, request: web.Request) -> Query:
        return cls(tuple(go_query(request.rel_url.raw_query_string)))

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def last(self, name: str) -> str | None:
        vals = self.all(name)
        return vals[-1] if vals else None

    def boolean(self, name: str, default: bool = True) -> bool:
        """swag.ConvertBool: a fixed set of words is true, anything else false; empty: default."""
        v = self.last(name)
        if v is None or v == "":
            return default
        return v.lower() in _TRUE

    def string(self, name: str) -> str | None:
        v = self.last(name)
        return None if v in (None, "") else v


def uuid_param(name: str, value: str) -> str:
    if not _UUID.match(value):
        raise invalid_type(name, "path", "uuid", value)
    return value


# -- body models ----------------------------------------------------------------------------------


def _text(parse: Callable[[str], Any], name: str) -> GoType:
    return GoType("text", name, parse=parse)


_STR, _BOOL = GoType("string", "string"), GoType("bool", "bool")
_LABELSET = GoType("map", "models.LabelSet", elem=_STR)
_DATETIME = _text(lambda s: zoned(parse_datetime(s), s), "strfmt.DateTime")  # ints, offset kept
_URI = _text(lambda s: s, "strfmt.URI")

_ALERT_AO0 = GoType("struct", 'struct { Annotations models.LabelSet "json:\\"annotations,omitempty\\""; '
                    'EndsAt strfmt.DateTime "json:\\"endsAt,omitempty\\""; StartsAt strfmt.DateTime '
                    '"json:\\"startsAt,omitempty\\"" }',
                    fields=(("annotations", _LABELSET), ("endsAt", _DATETIME), ("startsAt", _DATETIME)))
_ALERT = GoType("struct", "models.Alert", fields=(("generatorURL", _URI), ("labels", _LABELSET)))
POSTABLE_ALERTS = GoType("slice", "models.PostableAlerts",
                         elem=GoType("struct", "models.PostableAlert", parts=(_ALERT_AO0, _ALERT)))

_MATCHER = GoType("struct", "models.Matcher", fields=(
    ("isEqual", _BOOL), ("isRegex", _BOOL), ("name", _STR), ("value", _STR)))
_SILENCE = GoType("struct", "models.Silence", fields=(
    ("comment", _STR), ("createdBy", _STR), ("endsAt", _DATETIME),
    ("matchers", GoType("slice", "models.Matchers", elem=_MATCHER)), ("startsAt", _DATETIME)))
_SILENCE_AO0 = GoType("struct", 'struct { ID string "json:\\"id,omitempty\\"" }', fields=(("id", _STR),))
POSTABLE_SILENCE = GoType("struct", "models.PostableSilence", parts=(_SILENCE_AO0, _SILENCE))


async def read_body(request: web.Request, name: str, t: GoType) -> Any:
    """Bind a body parameter: missing -> 602, undecodable -> 400 with Go's decoder text."""
    return decode_body(await read_raw_body(request, name), name, t)


async def read_raw_body(request: web.Request, name: str) -> bytes:
    """The bytes of a body parameter; missing -> 602."""
    if not await has_body(request):
        raise required(name)
    return await request.read()


def decode_body(body: bytes, name: str, t: GoType) -> Any:
    """The body parameter `name` decoded into `t`: no value -> 602, undecodable -> 400."""
    try:
        return gojsondec.decode(body, t)
    except gojsondec.BodyEOF:
        raise required(name) from None
    except gojsondec.DecodeError as e:
        raise ApiError(400, f"parsing {name} body from \"\" failed, because {e}") from None


def validate_alerts(alerts: list[Any] | None) -> None:
    """models.PostableAlerts.Validate: the first failing alert's first failing field."""
    for i, a in enumerate(alerts or []):
        if a is None:  # null elements are skipped (swag.IsZero of a nil pointer)
            continue
        url = a.get("generatorURL")
        if url and not is_request_uri(url):
            raise invalid_type(f"{i}.generatorURL", "body", "uri", url)
        if a.get("labels") is None:
            raise required(f"{i}.labels")


def validate_silence(s: dict[str, Any] | None) -> None:
    """models.PostableSilence.Validate, fields in the generated (alphabetical) order."""
    s = s or {}
    for f in ("comment", "createdBy", "endsAt"):
        if s.get(f) is None:
            raise required(f)
    ms = s.get("matchers")
    if ms is None:
        raise required("matchers")
    if len(ms) < 1:
        raise ApiError(MIN_ITEMS, "matchers in body should have at least 1 items")
    for i, m in enumerate(ms):
        if m is None:
            continue
        for f in ("isRegex", "name", "value"):
            if m.get(f) is None:
                raise required(f"matchers.{i}.{f}")
    if s.get("startsAt") is None:
        raise required("startsAt")
