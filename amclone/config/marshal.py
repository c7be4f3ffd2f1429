"""`marshal_yaml(config)`: the YAML Alertmanager 0.25 prints for a loaded config.

This is `Config.String()` (yaml.v2 Marshal), shown by `/api/v2/status` as `config.original` and by
`amtool config show`. yaml.v2 writes struct fields in declaration order, drops `omitempty` fields
whose value is Go's zero (recursively for structs), lets types print themselves (secrets as
``<secret>``, URLs re-assembled, durations compact, matchers as text) and sorts map keys with its
own "natural" order. Scalar quoting and line folding are decided by libyaml's emitter, which
go-yaml ports; PyYAML's C binding of libyaml emits our event stream.
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from typing import Any

import yaml

from amclone.config.godecode import recursion_headroom
from amclone.config.gostruct import Custom, FieldSpec, Lazy, Ptr, Struct, struct_fields
from amclone.config.httpconfig import TLS_VERSION
from amclone.config.receivers.email import with_notifier_headers
from amclone.config.types import SECRET_TOKEN, URL, CommonURL, HostPort, Regexp, Secret, SecretURL
from amclone.config.yamlnode import plain_safe
from amclone.labels.matcher import Matcher
from amclone.timeinterval import TimeInterval
from amclone.timeinterval import marshal as ti_marshal

Tree = Any  # ("map", items, flow) | ("seq", items, flow) | ("str", text) | ("raw", text)
_NULL = ("raw", "null")


def marshal_yaml(config: Any, *, running: bool = True) -> str:
    """The config as yaml.v2 marshals it (ends with a newline).

    With `running` (the default) it is the config as a running Alertmanager reports it: building
    the email notifiers of receivers that routes use adds their default headers to the config.
    """
    events: list[Any] = [yaml.StreamStartEvent(), yaml.DocumentStartEvent(explicit=False)]
    with recursion_headroom():
        if running:
            config = as_running(config)
        _events(_struct(config), events)
    events += [yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    out = str(yaml.emit(events, Dumper=yaml.CDumper, allow_unicode=True, width=80, indent=2))
    # libyaml 0.2 closes a document that ends "open" (after a `|+` block scalar) with `...`;
    # go-yaml's encoder clears that state before the stream end and never writes it.
    if out.endswith("\n...\n"):
        out = out[:-len("...\n")]
    return out


def _events(t: Tree, ev: list[Any]) -> None:
    kind = t[0]
    if kind == "map":
        ev.append(yaml.MappingStartEvent(anchor=None, tag=None, implicit=True, flow_style=t[2]))
        for k, v in t[1]:
            _events(("str", k), ev)
            _events(v, ev)
        ev.append(yaml.MappingEndEvent())
    elif kind == "seq":
        ev.append(yaml.SequenceStartEvent(anchor=None, tag=None, implicit=True, flow_style=t[2]))
        for item in t[1]:
            _events(item, ev)
        ev.append(yaml.SequenceEndEvent())
    elif kind == "raw":
        ev.append(yaml.ScalarEvent(anchor=None, tag=None, implicit=(True, True), value=t[1], style=None))
    else:
        s = t[1]
        style = "|" if "\n" in s else (None if plain_safe(s) else '"')
        ev.append(yaml.ScalarEvent(anchor=None, tag=None, implicit=(True, True), value=s, style=style))


def as_running(config: Any) -> Any:
    """The config after 0.25's main.go built the notifiers of every receiver a route uses."""
    if config.route is None:
        return config
    active = {r.receiver for r in config.route.walk()}
    receivers = tuple(
        dataclasses.replace(r, email_configs=tuple(with_notifier_headers(e) for e in r.email_configs))
        if r.name in active and r.email_configs else r
        for r in config.receivers)
    return dataclasses.replace(config, receivers=receivers)


# --- Go values to trees --------------------------------------------------------------------

class _Marshaller:
    """Walks Go values in yaml.v2's order, keeping its encoder-wide `flow` flag.

    yaml.v2 sets the flag from each struct field's `flow` tag and clears it only when a mapping
    or sequence starts. A flow-tagged *scalar* that is a struct's last field (a time interval's
    `location`) therefore leaves it set, and the next collection written (the next interval)
    comes out in flow style. Alertmanager prints exactly that, so we do too.
    """

    def __init__(self) -> None:
        self.flow = False

    def take_flow(self) -> bool:
        flow, self.flow = self.flow, False
        return flow

    def struct(self, obj: Any) -> Tree:
        style = self.take_flow()
        items = []
        for name, spec in struct_fields(type(obj)):
            value = getattr(obj, name)
            if spec.omitempty and _is_zero(value, spec):
                continue
            self.flow = spec.flow
            items.append((spec.key, self.value(value, spec.typ)))
        return ("map", items, style)

    def plain_struct(self, items: list[tuple[str, Any, bool]]) -> Tree:
        """A struct given as (key, plain value, flow tag) triples (a time interval's printed form)."""
        style = self.take_flow()
        out = []
        for key, value, flow in items:
            self.flow = flow
            out.append((key, self.plain(value)))
        return ("map", out, style)

    def plain(self, data: Any) -> Tree:
        if isinstance(data, dict):  # yamlTimeRange: a struct without flow tags
            return self.plain_struct([(k, v, False) for k, v in data.items()])
        if isinstance(data, (list, tuple)):
            style = self.take_flow()
            return ("seq", [self.plain(v) for v in data], style)
        return ("str", str(data))

    def value(self, value: Any, typ: Any) -> Tree:
        base = _unwrap(typ)
        if value is None:
            return _NULL
        leaf = _leaf(value, base)
        if leaf is not None:
            return leaf
        if isinstance(value, TimeInterval):
            return self.plain_struct([(k, v, k in _TI_FLOW) for k, v in ti_marshal(value).items()])
        if isinstance(value, (tuple, list)):
            item_typ = getattr(base, "item", None) or getattr(getattr(base, "inner", None), "item", None)
            style = self.take_flow()
            return ("seq", [self.value(v, item_typ) for v in value], style)
        if isinstance(value, dict):
            vt = getattr(base, "value", None) or getattr(getattr(base, "inner", None), "value", None)
            style = self.take_flow()
            texts = {_scalar_text(k): k for k in value}
            keys = sorted(texts, key=functools.cmp_to_key(_key_cmp))
            return ("map", [(k, self.value(value[texts[k]], vt)) for k in keys], style)
        if dataclasses.is_dataclass(value):
            return self.struct(value)
        raise TypeError(f"cannot marshal {type(value).__name__}")


def _struct(obj: Any) -> Tree:
    return _Marshaller().struct(obj)


def _unwrap(typ: Any) -> Any:
    while isinstance(typ, (Ptr, Lazy)):
        typ = typ.target if isinstance(typ, Ptr) else typ._get()
    return typ


def _is_zero(value: Any, spec: FieldSpec) -> bool:
    """yaml.v2's isZero for the Go value behind `value` (pointers: nil; structs: all fields zero)."""
    if value is None:
        return True
    if isinstance(spec.typ, Ptr):
        return False
    return _zero_value(value)


def _zero_value(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (Secret, HostPort)):
        return not value
    if isinstance(value, CommonURL):
        return value.url is None
    if isinstance(value, (str, int, bool, tuple, list, dict)):
        return not value
    if isinstance(value, (URL, SecretURL, Regexp, TimeInterval)):
        return False
    if dataclasses.is_dataclass(value):
        return all(_zero_value(getattr(value, f.name)) for f in dataclasses.fields(value))
    if hasattr(value, "__len__"):
        return len(value) == 0
    return False


def _leaf(value: Any, base: Any) -> Tree | None:
    """Scalars, and the types that marshal themselves to one."""
    fmt = getattr(base, "marshal", None)
    if fmt is not None:
        return ("str", fmt(value))
    if base is TLS_VERSION:
        # common 0.39/0.40 (Debian's build) give TLSVersion a pointer-receiver MarshalYAML that
        # yaml.v2 never calls on a struct field: the uint16 itself is printed (771 for TLS12).
        return ("raw", str(value))
    if isinstance(value, Secret):
        return ("str", SECRET_TOKEN) if value else _NULL
    if isinstance(value, SecretURL):
        return ("str", SECRET_TOKEN)
    if isinstance(value, (URL, HostPort, Matcher)):
        return ("str", str(value))
    if isinstance(value, CommonURL):
        return ("str", str(value)) if value.url is not None else _NULL
    if isinstance(value, Regexp):
        return ("str", value.original) if value.original else _NULL
    if isinstance(value, bool):
        return ("raw", "true" if value else "false")
    if isinstance(value, (int, float)):
        return ("raw", str(value))
    if isinstance(value, str):
        return ("str", value)
    return None


def _scalar_text(k: Any) -> str:
    """A map key as Go prints it (keys of `any` maps may be bools, numbers or null)."""
    if k is None:
        return "null"
    if isinstance(k, bool):
        return "true" if k else "false"
    return str(k)


_TI_FLOW = frozenset({"weekdays", "days_of_month", "months", "years", "location"})


def _key_cmp(a: str, b: str) -> int:
    """yaml.v2's keyList.Less for string keys: letters before digits, digit runs numerically.

    Go's order is not transitive for keys like a1/a01/a0b, so Alertmanager itself prints those
    in an order that depends on map iteration; for every other key set this is its order.
    """
    return -1 if _less(a, b) else (1 if _less(b, a) else 0)


def _is_letter(c: str) -> bool:
    return unicodedata.category(c).startswith("L")


def _less(a: str, b: str) -> bool:
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        al, bl = _is_letter(a[i]), _is_letter(b[i])
        if al and bl:
            return a[i] < b[i]
        if al or bl:
            return bl
        an = bn = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            an = an * 10 + int(a[ai])
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            bn = bn * 10 + int(b[bi])
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


__all__ = ["Custom", "Struct", "marshal_yaml"]
