"""``/prometheus/api/v1/rules`` and ``/prometheus/api/v1/alerts`` with Prometheus 3's JSON, so
Grafana's rule view and scripts written against Prometheus read amclone's rules unchanged.

The builders are plain functions over the manager's groups; `make_handlers` wraps them as aiohttp
handlers for the composition root to mount beside the Prometheus query API. Field names, their
order and Go's formatting (``value`` as ``%e``-style shortest float, times RFC3339Nano, Go's zero
time for "never") follow Prometheus's ``web/api/v1``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
import re
from decimal import Decimal
from typing import Any

from aiohttp import web

from amclone.compat import gojson
from amclone.compat.timefmt import format_rfc3339nano
from amclone.rules.alerting import STATE_NAMES, ZERO, ActiveAlert, AlertingRule
from amclone.rules.group import RuleGroup
from amclone.template.gotmpl.gofmt import format_float

GO_ZERO_TIME = "0001-01-01T00:00:00Z"


class GoFloat(str):
    """A float already spelled as Go's encoding/json spells it (placed unquoted by `_dumps`)."""


def _num(x: float) -> GoFloat:
    """encoding/json: shortest digits, fixed notation for 1e-6 <= |x| < 1e21, else exponent."""
    x = float(x)
    if x == 0 or 1e-6 <= abs(x) < 1e21:
        text = format(Decimal(repr(x)), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return GoFloat(text)
    mant, _, exp = repr(x).partition("e")
    sign, digits = (exp[0], exp[1:]) if exp[0] in "+-" else ("+", exp)
    return GoFloat(f"{mant}e{sign}{int(digits):02d}")


_MARK = "\u0000gofloat:"


def _dumps(obj: Any) -> str:
    """gojson.dumps, with `GoFloat` values written as bare numbers."""
    def mark(o: Any) -> Any:
        if isinstance(o, GoFloat):
            return "\0gofloat:" + o
        if isinstance(o, dict):
            return {k: mark(v) for k, v in o.items()}
        if isinstance(o, list):
            return [mark(v) for v in o]
        return o
    text = gojson.dumps(mark(obj))
    return re.sub(r'"\\u0000gofloat:([^"]*)"', r"\1", text)


def _sorted(labels: dict[str, str]) -> dict[str, str]:
    """labels.Labels marshal in name order."""
    return dict(sorted(labels.items(), key=lambda kv: kv[0].encode()))


def _time(ns: int) -> str:
    return GO_ZERO_TIME if ns == ZERO else format_rfc3339nano(ns)


def alert_json(a: ActiveAlert) -> dict[str, Any]:
    out: dict[str, Any] = {"labels": _sorted(a.labels), "annotations": _sorted(a.annotations),
                           "state": STATE_NAMES[a.state],
                           "activeAt": _time(a.active_at)}
    if a.keep_firing_since != ZERO:
        out["keepFiringSince"] = _time(a.keep_firing_since)
    out["value"] = format_float(a.value, "e", -1)
    return out


def _visible(rule: AlertingRule) -> list[ActiveAlert]:
    """The API lists pending and firing alerts, not the resolved ones kept for resending."""
    return [a for a in rule.active.values() if a.state != 0]


def rules_json(groups: Sequence[RuleGroup], kind: str = "", exclude_alerts: bool = False,
               names: Sequence[str] = (), group_names: Sequence[str] = (),
               file_names: Sequence[str] = ()) -> dict[str, Any]:
    out = []
    for g in groups:
        if group_names and g.name not in group_names or file_names and g.file not in file_names:
            continue
        rules: list[dict[str, Any]] = []
        for r in g.rules:
            if names and r.name not in names:
                continue
            if isinstance(r, AlertingRule):
                if kind == "record":
                    continue
                item: dict[str, Any] = {"state": STATE_NAMES[r.state()], "name": r.name, "query": r.expr,
                                        "duration": _num(r.for_ / 1e9), "keepFiringFor": _num(r.keep_firing_for / 1e9),
                                        "labels": _sorted(r.labels), "annotations": _sorted(r.annotations)}
                if not exclude_alerts:
                    item["alerts"] = [alert_json(a) for a in _visible(r)]
            else:
                if kind == "alert":
                    continue
                item = {"name": r.name, "query": r.expr}
                if r.labels:
                    item["labels"] = _sorted(r.labels)
            item["health"] = r.health
            if r.last_error:
                item["lastError"] = r.last_error
            item["evaluationTime"] = _num(r.evaluation_seconds)
            item["lastEvaluation"] = _time(r.last_evaluation)
            item["type"] = r.kind
            rules.append(item)
        if (kind or names) and not rules:
            continue
        out.append({"name": g.name, "file": g.file, "rules": rules, "interval": _num(g.interval / 1e9),
                    "limit": g.limit, "evaluationTime": _num(g.evaluation_seconds),
                    "lastEvaluation": _time(g.last_evaluation)})
    return {"groups": out}


def alerts_json(groups: Sequence[RuleGroup]) -> dict[str, Any]:
    return {"alerts": [alert_json(a) for g in groups for r in g.alerting_rules() for a in _visible(r)]}


def _reply(data: Any, status: int = 200) -> web.Response:
    body = {"status": "success", "data": data} if status == 200 else data
    return web.Response(status=status, text=_dumps(body), content_type="application/json")


def make_handlers(groups: Callable[[], Sequence[RuleGroup]]) -> list[tuple[str, str, Any]]:
    """(method, path, handler) under the Prometheus API prefix, for ``/api/v1/rules`` and ``/alerts``."""

    async def rules(request: web.Request) -> web.Response:
        q = request.query
        kind = q.get("type", "").lower()
        if kind not in ("", "alert", "record"):
            return _reply({"status": "error", "errorType": "bad_data",
                           "error": f'unsupported type "{kind}"'}, 400)
        return _reply(rules_json(groups(), kind, q.get("exclude_alerts", "") == "true",
                                 q.getall("rule_name[]", []), q.getall("rule_group[]", []), q.getall("file[]", [])))

    async def alerts(_request: web.Request) -> web.Response:
        return _reply(alerts_json(groups()))

    return [("GET", "/api/v1/rules", rules), ("POST", "/api/v1/rules", rules),
            ("GET", "/api/v1/alerts", alerts), ("POST", "/api/v1/alerts", alerts)]
