"""Alertmanager's template data (0.25 ``template.Data``): what ``.`` is in a notification template.

Types carry their Go names (``template.KV``, ``template.Alerts``) because templates see them in
error messages and because argument checks depend on them (``join`` takes ``[]string``, so
``.Labels.Values`` works and ``.Labels`` does not). ``from_json`` decodes amtool's
``--template.data`` file the way Go's encoding/json fills the struct.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from amclone.compat.gojson import json_kind, quote_char
from amclone.compat.goquote import quote
from amclone.labels.regex import quote_meta
from amclone.template.gotime import GoTime, zero_time
from amclone.template.gotmpl.values import Func, GoError, GoSlice, GoStruct, StringSlice

ALERTNAME = "alertname"


class Pair(GoStruct):
    __slots__ = ("Name", "Value")
    go_type = "template.Pair"
    go_fields = ("Name", "Value")

    def __init__(self, name: str, value: str) -> None:
        self.Name = name
        self.Value = value


class Pairs(GoSlice):
    go_type = "template.Pairs"
    elem_type = "template.Pair"

    def names(self) -> StringSlice:
        return StringSlice(p.Name for p in self)

    def values(self) -> StringSlice:
        return StringSlice(p.Value for p in self)


Pairs.go_methods = {"Names": Func(Pairs.names, ()), "Values": Func(Pairs.values, ())}


class KV(dict[str, str]):
    """template.KV: a label or annotation set. SortedPairs puts alertname first."""

    go_type: ClassVar[str] = "template.KV"
    elem_zero: ClassVar[str] = ""
    key_type: ClassVar[str] = "string"
    go_methods: ClassVar[dict[str, Func]]

    def sorted_pairs(self) -> Pairs:
        keys = sorted(k for k in self if k != ALERTNAME)
        if ALERTNAME in self:
            keys.insert(0, ALERTNAME)
        return Pairs(Pair(k, self[k]) for k in keys)

    def remove(self, keys: Iterable[str]) -> KV:
        drop = set(keys)
        return KV({k: v for k, v in self.items() if k not in drop})

    # Not "values": dict.values must keep meaning what Python code expects.
    def label_names(self) -> StringSlice:
        return self.sorted_pairs().names()

    def label_values(self) -> StringSlice:
        return self.sorted_pairs().values()


KV.go_methods = {
    "SortedPairs": Func(KV.sorted_pairs, ()),
    "Remove": Func(KV.remove, ("[]string",)),
    "Names": Func(KV.label_names, ()),
    "Values": Func(KV.label_values, ()),
}


class Alert(GoStruct):
    __slots__ = ("Annotations", "EndsAt", "Fingerprint", "GeneratorURL", "Labels", "StartsAt", "Status")
    go_type = "template.Alert"
    go_comparable = False  # it holds maps
    json_names: ClassVar[dict[str, str]] = {
        "Status": "status", "Labels": "labels", "Annotations": "annotations", "StartsAt": "startsAt",
        "EndsAt": "endsAt", "GeneratorURL": "generatorURL", "Fingerprint": "fingerprint"}
    go_fields = ("Status", "Labels", "Annotations", "StartsAt", "EndsAt", "GeneratorURL", "Fingerprint")

    def __init__(self, status: str, labels: KV, annotations: KV, starts_at: GoTime, ends_at: GoTime,
                 generator_url: str, fingerprint: str) -> None:
        self.Status = status
        self.Labels = labels
        self.Annotations = annotations
        self.StartsAt = starts_at
        self.EndsAt = ends_at
        self.GeneratorURL = generator_url
        self.Fingerprint = fingerprint


class AlertList(GoSlice):
    """[]template.Alert, what Firing and Resolved return."""

    go_type = "[]template.Alert"
    elem_type = "template.Alert"


class Alerts(GoSlice):
    go_type = "template.Alerts"
    elem_type = "template.Alert"

    def firing(self) -> AlertList:
        return AlertList(a for a in self if a.Status == "firing")

    def resolved(self) -> AlertList:
        return AlertList(a for a in self if a.Status == "resolved")


def _zero_alert() -> Alert:
    return Alert("", KV(), KV(), zero_time(), zero_time(), "", "")


Alerts.zero_elem = staticmethod(_zero_alert)  # type: ignore[attr-defined]
AlertList.zero_elem = staticmethod(_zero_alert)  # type: ignore[attr-defined]
Alerts.go_methods = {"Firing": Func(Alerts.firing, ()), "Resolved": Func(Alerts.resolved, ())}
AlertList.go_methods = {}


class Data(GoStruct):
    go_comparable = False
    json_names: ClassVar[dict[str, str]] = {
        "Receiver": "receiver", "Status": "status", "Alerts": "alerts", "GroupLabels": "groupLabels",
        "CommonLabels": "commonLabels", "CommonAnnotations": "commonAnnotations",
        "ExternalURL": "externalURL"}
    __slots__ = (
        "Alerts",
        "CommonAnnotations",
        "CommonLabels",
        "ExternalURL",
        "GroupLabels",
        "Receiver",
        "Status",
    )
    go_type = "template.Data"
    go_fields = ("Receiver", "Status", "Alerts", "GroupLabels", "CommonLabels", "CommonAnnotations",
                 "ExternalURL")

    def __init__(self, receiver: str, status: str, alerts: Alerts, group_labels: KV, common_labels: KV,
                 common_annotations: KV, external_url: str) -> None:
        self.Receiver = receiver
        self.Status = status
        self.Alerts = alerts
        self.GroupLabels = group_labels
        self.CommonLabels = common_labels
        self.CommonAnnotations = common_annotations
        self.ExternalURL = external_url


def build(receiver: str, group_labels: Mapping[str, str], alerts: Iterable[Alert],
          external_url: str) -> Data:
    """Alertmanager's Template.Data: status, and the labels/annotations common to all alerts."""
    al = Alerts(alerts)
    common_l: dict[str, str] = {}
    common_a: dict[str, str] = {}
    if al:
        common_l = dict(al[0].Labels)
        common_a = dict(al[0].Annotations)
        for a in al[1:]:
            if not common_l and not common_a:
                break
            common_l = {k: v for k, v in common_l.items() if a.Labels.get(k) == v}
            common_a = {k: v for k, v in common_a.items() if a.Annotations.get(k) == v}
    status = "firing" if any(a.Status == "firing" for a in al) else "resolved"
    return Data(quote_meta(receiver), status, al, KV(group_labels), KV(common_l), KV(common_a),
                external_url)


# -- JSON (amtool --template.data) --------------------------------------------------------------

def _field(obj: Mapping[str, Any], tag: str) -> Any:
    """encoding/json fills a field from every key matching its tag case-insensitively, in
    document order, so the last such key wins."""
    found = None
    low = tag.lower()
    for k, v in obj.items():
        if k.lower() == low:
            found = v
    return found


def _kv(v: Any, where: str) -> KV:
    if v is None:
        return KV()
    if not isinstance(v, dict):
        raise GoError(f"json: cannot unmarshal {json_kind(v)} into Go struct field {where} of type template.KV")
    out = KV()
    for k, x in v.items():
        if x is None:
            out[k] = ""
        elif not isinstance(x, str):
            raise GoError(f"json: cannot unmarshal {json_kind(x)} into Go struct field {where} of type string")
        else:
            out[k] = x
    return out


_LAYOUT = '"2006-01-02T15:04:05Z07:00"'


def _str(v: Any, where: str) -> str:
    if v is None:
        return ""
    if not isinstance(v, str):
        raise GoError(f"json: cannot unmarshal {json_kind(v)} into Go struct field {where} of type string")
    return v


def _time(v: Any, where: str) -> GoTime:
    from amclone.compat.timefmt import TimeParseError, parse_rfc3339

    if v is None:
        return zero_time()
    if not isinstance(v, str):
        raise GoError(f"json: cannot unmarshal {json_kind(v)} into Go struct field {where} of type time.Time")
    try:
        ns = parse_rfc3339(v)
    except TimeParseError:
        raw = '"' + v + '"'
        if not re.match(r"\d{4}", v):
            raise GoError(f"parsing time {quote(raw)} as {quote(_LAYOUT)}: cannot parse {quote(v + chr(34))} "
                          'as "2006"') from None
        raise GoError(f"parsing time {quote(raw)} as {quote(_LAYOUT)}: cannot parse {quote(raw)}") from None
    m = re.search(r"([+-])(\d\d):(\d\d)$", v)
    if m is None:
        return GoTime(ns, 0, "UTC")
    off = (int(m.group(2)) * 60 + int(m.group(3))) * 60 * (-1 if m.group(1) == "-" else 1)
    return _zoned(ns, off, "")


def _zoned(ns: int, off: int, utc_zone: str) -> GoTime:
    # time.Parse: an offset Local has at that instant gives Local (its abbreviation, "CET"),
    # any other a nameless fixed zone ("+0100 +0100").
    local = GoTime(ns).local()
    if local.offset == off:
        return local
    if off == 0 and utc_zone:
        return GoTime(ns, 0, utc_zone)
    return GoTime(ns, off, "")


def alert_time(ns: int, offset: int) -> GoTime:
    """An alert's StartsAt/EndsAt (`amclone.alerts.Alert` keeps the offset beside the instant)
    as the time.Time Go holds: UTC for offset 0 (a deliberate simplification: a posted
    ``+00:00`` while Local is not UTC prints ``+0000 +0000`` in 0.25, ``+0000 UTC`` here),
    else Local when Local has that offset then, else a fixed zone."""
    if offset == 0:
        return GoTime(ns, 0, "UTC")
    return _zoned(ns, offset, "UTC")


_JSON_CONTEXT = {
    "Expecting value": "looking for beginning of value",
    "Expecting property name enclosed in double quotes": "looking for beginning of object key string",
    "Expecting ':' delimiter": "after object key",
    "Extra data": "after top-level value",
}


def _json_error(text: str, e: json.JSONDecodeError) -> str:
    """encoding/json's syntax error texts for the common cases."""
    if text.startswith("\ufeff"):
        # Go reads bytes: a UTF-8 byte order mark starts with 0xEF, shown as the rune U+00EF.
        return "invalid character 'ï' looking for beginning of value"
    if e.pos >= len(text.rstrip()):
        return "unexpected end of JSON input"
    c = text[e.pos]
    if e.msg == "Invalid \\escape" and e.pos + 1 < len(text):
        c = text[e.pos + 1]
        return f"invalid character {quote_char(c)} in string escape code"
    qc = quote_char(c)
    ctx = _JSON_CONTEXT.get(e.msg)
    if ctx is None:
        ctx = "after object key:value pair" if e.msg == "Expecting ',' delimiter" else "in string literal"
    return f"invalid character {qc} {ctx}"


def from_json(text: str) -> Data:
    """Decode a --template.data file; raises GoError with encoding/json's message."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise GoError(_json_error(text, e)) from None
    if obj is None:
        obj = {}
    if not isinstance(obj, dict):
        raise GoError(f"json: cannot unmarshal {json_kind(obj)} into Go value of type template.Data")
    raw_alerts = _field(obj, "alerts")
    if raw_alerts is None:
        raw_alerts = []
    if not isinstance(raw_alerts, list):
        raise GoError(f"json: cannot unmarshal {json_kind(raw_alerts)} into Go struct field Data.alerts of type "
                      "template.Alerts")
    alerts = Alerts()
    for a in raw_alerts:
        a = a or {}
        if not isinstance(a, dict):
            raise GoError(f"json: cannot unmarshal {json_kind(a)} into Go struct field Data.alerts of type "
                          "template.Alert")
        alerts.append(Alert(
            _str(_field(a, "status"), "Alert.alerts.status"),
            _kv(_field(a, "labels"), "Alert.alerts.labels"),
            _kv(_field(a, "annotations"), "Alert.alerts.annotations"),
            _time(_field(a, "startsAt"), "Alert.alerts.startsAt"),
            _time(_field(a, "endsAt"), "Alert.alerts.endsAt"),
            _str(_field(a, "generatorURL"), "Alert.alerts.generatorURL"),
            _str(_field(a, "fingerprint"), "Alert.alerts.fingerprint"),
        ))
    n = len(alerts)
    if n:
        cap = 4
        while cap < n:
            cap += cap // 2
        alerts.cap = cap  # type: ignore[attr-defined]
    return Data(
        _str(_field(obj, "receiver"), "Data.receiver"),
        _str(_field(obj, "status"), "Data.status"),
        alerts,
        _kv(_field(obj, "groupLabels"), "Data.groupLabels"),
        _kv(_field(obj, "commonLabels"), "Data.commonLabels"),
        _kv(_field(obj, "commonAnnotations"), "Data.commonAnnotations"),
        _str(_field(obj, "externalURL"), "Data.externalURL"),
    )
