"""Template functions Alertmanager added after 0.25 (trimSpace 0.26; date, tz, since,
humanizeDuration 0.28; safeUrl, urlUnescape, toJson 0.30; list, append, dict 0.32; now 0.33;
toDate, mustToDate 0.34; base64encode/base64decode later).

They are opt-in (``from_globs(..., later_funcs=True)``): amclone's default is to accept exactly the
templates 0.25 accepts, and with them a template using ``trimSpace`` would parse where 0.25 says
``function "trimSpace" not defined``.
"""

from __future__ import annotations

import base64
import binascii
import time
import urllib.parse
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from amclone.compat import gojson
from amclone.template.gotime import NS, Duration, GoTime, zero_time
from amclone.template.gotmpl.escfuncs import to_go_json
from amclone.template.gotmpl.values import HTML, Func, GoError, GoMap, GoSlice
from amclone.template.promfuncs import humanize_duration


class URL(str):
    """html/template.URL: a trusted URL the url filter lets through."""

    go_type = "template.URL"


def _tz(name: str, t: GoTime) -> GoTime:
    try:
        zone = ZoneInfo(name) if name not in ("", "UTC") else None
    except (ZoneInfoNotFoundError, ValueError):
        raise GoError(f"unknown time zone {name}") from None
    if zone is None:
        return GoTime(t.ns, 0, "UTC")
    dt = datetime.fromtimestamp(t.ns // NS, zone)
    off = dt.utcoffset()
    return GoTime(t.ns, int(off.total_seconds()) if off else 0, dt.tzname() or "")


def _since(t: GoTime) -> Duration:
    return Duration(time.time_ns() - t.ns)


def _now() -> GoTime:
    return GoTime(time.time_ns()).local()


def _url_unescape(s: str) -> str:
    try:
        return urllib.parse.unquote_plus(s, errors="strict")
    except UnicodeDecodeError:
        raise GoError(f"invalid URL escape {s!r}") from None


def _to_json(v: Any) -> str:
    try:
        return gojson.dumps(to_go_json(v))
    except ValueError as e:
        raise GoError(f"json: unsupported value: {e}") from None


def _b64decode(s: str) -> str:
    try:
        return base64.urlsafe_b64decode(s.encode()).decode("utf-8", "surrogateescape")
    except (binascii.Error, ValueError):
        raise GoError("illegal base64 data at input byte 0") from None


def _dict(*values: Any) -> GoMap:
    if len(values) % 2:
        raise GoError("dict requires an even number of arguments")
    out = GoMap()
    for k, v in zip(values[::2], values[1::2]):
        if not isinstance(k, str):
            raise GoError("dict keys must be strings")
        out[k] = v
    return out


def _to_date(layout: str, s: str) -> GoTime:
    from amclone.template.golayout import parse_time

    try:
        return parse_time(layout, s)
    except ValueError:
        return zero_time()


def _must_to_date(layout: str, s: str) -> GoTime:
    from amclone.template.golayout import parse_time

    try:
        return parse_time(layout, s)
    except ValueError as e:
        raise GoError(str(e)) from None


LATER_FUNCS: dict[str, Func] = {
    "trimSpace": Func(lambda s: s.strip(" \t\n\r\v\f\u0085\u00a0"), ("string",)),
    "safeUrl": Func(lambda s: URL(s), ("string",)),
    "urlUnescape": Func(_url_unescape, ("string",)),
    "routeLabels": Func(lambda name: "", ("string",)),
    "date": Func(lambda layout, t: t.format(layout), ("string", "time.Time")),
    "tz": Func(_tz, ("string", "time.Time")),
    "now": Func(_now, ()),
    "since": Func(_since, ("time.Time",)),
    "humanizeDuration": Func(humanize_duration, ("any",)),
    "toDate": Func(_to_date, ("string", "string")),
    "mustToDate": Func(_must_to_date, ("string", "string")),
    "toJson": Func(_to_json, ("any",)),
    "base64encode": Func(lambda s: base64.urlsafe_b64encode(s.encode()).decode(), ("string",)),
    "base64decode": Func(_b64decode, ("string",)),
    "list": Func(lambda *a: GoSlice(a), ("any",), True),
    "append": Func(lambda sl, *a: GoSlice([*(sl or []), *a]), ("[]interface {}", "any"), True),
    "dict": Func(_dict, ("any",), True),
}

__all__ = ["HTML", "LATER_FUNCS", "URL", "to_go_json"]
