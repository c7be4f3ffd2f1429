"""amtool's three output formats (``-o simple|extended|json``) for alerts, silences, the status
and the cluster, from API v2 payloads as decoded JSON.

The JSON format is not the server's bytes echoed: amtool decodes into go-swagger models and
re-encodes, so field order is the models' (allOf parts concatenated), maps are sorted, times are
re-rendered with millisecond precision. The text formats are Go tabwriter tables, and
``extended`` config output prints Go pointers where amtool passes pointers to Println.
"""

from __future__ import annotations

import itertools
from typing import Any

from amclone.cli.amctl.golayout import format_time
from amclone.cli.amctl.gosort import go_sort
from amclone.cli.amctl.layout import TabWriter
from amclone.compat import gojson
from amclone.compat.timefmt import format_millis, parse_rfc3339
from amclone.labels.matcher import Matcher, MatchType, matchers_string

_pointers = itertools.count(0xC000010000, 0x10)


def go_pointer() -> str:
    """What ``fmt.Println`` shows for a *string: an address. Only the shape can match."""
    return hex(next(_pointers))


def _ns(value: Any) -> int:
    return parse_rfc3339(str(value))


def _dt(value: Any) -> Any:
    """strfmt.DateTime re-encoded: RFC3339 with exactly three fraction digits, UTC."""
    return None if value is None else format_millis(_ns(value))


def _matcher(m: dict[str, Any]) -> Matcher:
    """format.labelsMatcher: a missing isEqual (pre-0.22 servers) means equal."""
    is_equal = m.get("isEqual")
    kind = MatchType.from_flags(True if is_equal is None else bool(is_equal), bool(m.get("isRegex")))
    # A value-only view: no regex compilation, the server already accepted it.
    return _PlainMatcher(str(m.get("name", "")), kind, str(m.get("value", "")))


class _PlainMatcher(Matcher):
    __slots__ = ()

    def __post_init__(self) -> None:
        pass


def _sorted_by(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """sort.Sort(ByEndAt / ByStartsAt): Go's unstable order for equal times, not Python's."""
    out = list(items)
    go_sort(out, lambda x, y: _ns(x[key]) < _ns(y[key]))
    return out


class Formatter:
    def __init__(self, kind: str, date_format: str) -> None:
        self.kind = kind
        self.date_format = date_format

    def date(self, value: Any) -> str:
        return format_time(_ns(value), self.date_format)

    # -- silences ---------------------------------------------------------------------------
    def silences(self, silences: list[dict[str, Any]]) -> str:
        if self.kind == "json":
            return gojson.dumps([silence_json(s) for s in silences]) + "\n"
        w = TabWriter()
        if self.kind == "simple":
            w.write("ID\tMatchers\tEnds At\tCreated By\tComment\t\n")
            for s in _sorted_by(silences, "endsAt"):
                ms = " ".join(str(_matcher(m)) for m in s.get("matchers") or [])
                w.write(f"{s['id']}\t{ms}\t{self.date(s['endsAt'])}\t{s['createdBy']}\t{s['comment']}\t\n")
        else:
            w.write("ID\tMatchers\tStarts At\tEnds At\tUpdated At\tCreated By\tComment\t\n")
            for s in _sorted_by(silences, "endsAt"):
                ms = matchers_string(_matcher(m) for m in s.get("matchers") or [])
                w.write(f"{s['id']}\t{ms}\t{self.date(s['startsAt'])}\t{self.date(s['endsAt'])}\t"
                        f"{self.date(s['updatedAt'])}\t{s['createdBy']}\t{s['comment']}\t\n")
        return w.getvalue()

    # -- alerts -----------------------------------------------------------------------------
    def alerts(self, alerts: list[dict[str, Any]]) -> str:
        if self.kind == "json":
            return gojson.dumps([alert_json(a) for a in alerts]) + "\n"
        w = TabWriter()
        if self.kind == "simple":
            w.write("Alertname\tStarts At\tSummary\tState\t\n")
            for a in _sorted_by(alerts, "startsAt"):
                labels, ann = a.get("labels") or {}, a.get("annotations") or {}
                w.write(f"{labels.get('alertname', '')}\t{self.date(a['startsAt'])}\t"
                        f"{ann.get('summary', '')}\t{a['status']['state']}\t\n")
        else:
            w.write("Labels\tAnnotations\tStarts At\tEnds At\tGenerator URL\tState\t\n")
            for a in _sorted_by(alerts, "startsAt"):
                w.write(f"{_pairs(a.get('labels'))}\t{_pairs(a.get('annotations'))}\t"
                        f"{self.date(a['startsAt'])}\t{self.date(a['endsAt'])}\t"
                        f"{a.get('generatorURL') or ''}\t{a['status']['state']}\t\n")
        return w.getvalue()

    # -- status -----------------------------------------------------------------------------
    def config(self, status: dict[str, Any]) -> str:
        if self.kind == "json":
            return gojson.dumps(status_json(status)) + "\n"
        if self.kind == "simple":
            return str(status["config"]["original"]) + "\n"
        lines = [go_pointer()]
        for key in ("buildUser", "goVersion", "revision", "version", "branch", "buildDate"):
            lines.append(f"{key} {go_pointer()}")
        lines.append(f"uptime {_dt(status.get('uptime'))}")
        return "\n".join(lines) + "\n"

    def cluster(self, cluster: dict[str, Any]) -> str:
        if self.kind == "json":
            return gojson.dumps(cluster_json(cluster)) + "\n"
        w = TabWriter()
        w.write(f"Cluster Status:\t{cluster.get('status')}\nNode Name:\t{cluster.get('name', '')}\n")
        if self.kind == "extended":
            w.write("\nAddress\tName\n")
            peers = list(cluster.get("peers") or [])
            go_sort(peers, lambda x, y: _address_key(x) < _address_key(y))
            for peer in peers:
                w.write(f"{peer['address']}\t{peer['name']}\t\n")
        return w.getvalue()


def _pairs(labels: dict[str, str] | None) -> str:
    return " ".join(sorted(f'{k}="{v}"' for k, v in (labels or {}).items()))


def _address_key(peer: dict[str, Any]) -> tuple[Any, ...]:
    import ipaddress

    host, _, port = str(peer.get("address", "")).rpartition(":")
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
        packed = ip.packed if ip.version == 6 else b"\0" * 10 + b"\xff\xff" + ip.packed
    except ValueError:
        packed = b""
    return (packed, int(port) if port.isdigit() else 0)


def alert_json(a: dict[str, Any]) -> dict[str, Any]:
    status = a.get("status")
    out: dict[str, Any] = {
        "annotations": _map(a.get("annotations")),
        "endsAt": _dt(a.get("endsAt")),
        "fingerprint": a.get("fingerprint"),
        "receivers": a.get("receivers"),
        "startsAt": _dt(a.get("startsAt")),
        "status": None if status is None else {"inhibitedBy": status.get("inhibitedBy"),
                                               "silencedBy": status.get("silencedBy"),
                                               "state": status.get("state")},
        "updatedAt": _dt(a.get("updatedAt")),
    }
    if a.get("generatorURL"):
        out["generatorURL"] = a["generatorURL"]
    out["labels"] = _map(a.get("labels"))
    return out


def silence_json(s: dict[str, Any]) -> dict[str, Any]:
    status = s.get("status")
    matchers = s.get("matchers")
    if matchers is not None:
        matchers = [({"isEqual": m["isEqual"]} if "isEqual" in m else {})
                    | {"isRegex": m.get("isRegex"), "name": m.get("name"), "value": m.get("value")}
                    for m in matchers]
    return {
        "id": s.get("id"),
        "status": None if status is None else {"state": status.get("state")},
        "updatedAt": _dt(s.get("updatedAt")),
        "comment": s.get("comment"),
        "createdBy": s.get("createdBy"),
        "endsAt": _dt(s.get("endsAt")),
        "matchers": matchers,
        "startsAt": _dt(s.get("startsAt")),
    }


def cluster_json(c: dict[str, Any] | None) -> dict[str, Any] | None:
    if c is None:
        return None
    out: dict[str, Any] = {"name": c["name"]} if c.get("name") else {}
    peers = c.get("peers")
    out["peers"] = None if peers is None else [{"address": p.get("address"), "name": p.get("name")}
                                               for p in peers]
    out["status"] = c.get("status")
    return out


def status_json(s: dict[str, Any]) -> dict[str, Any]:
    v = s.get("versionInfo")
    config = s.get("config")
    return {
        "cluster": cluster_json(s.get("cluster")),
        "config": None if config is None else {"original": config.get("original")},
        "uptime": _dt(s.get("uptime")),
        "versionInfo": None if v is None else {k: v.get(k) for k in (
            "branch", "buildDate", "buildUser", "goVersion", "revision", "version")},
    }


def _map(m: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if m is None else gojson.sorted_map(m)
