"""`marshal_json(config)`: the loaded config as Alertmanager 0.25's `/api/v1/status` `configJSON`.

0.25 hands its `*config.Config` to Go's encoding/json. The result differs from the YAML form
(marshal.py) in ways a client can see, which is why this is a walker of its own over the same
dataclasses (their field metadata gives the keys and the field order; `as_running` the email
headers the notifiers add):

- `omitempty` means encoding/json's emptiness: false, 0, "", nil pointers and empty slices and
  maps. Structs are never empty, so `tls_config`, `smarthost` (a HostPort struct) and
  `proxy_url` (prometheus/common's URL struct) are always written, the last as `null` when unset;
- a few json tags differ from the yaml ones (`_TAGS`): Telegram's `token`/`chat`, the bools that
  YAML always prints, OAuth2's untagged `TLSConfig` and SigV4's untagged fields, which take their
  Go names and are never omitted;
- types print themselves: secrets as ``<secret>`` (common's Secret as ``""`` when empty), secret
  URLs as ``<secret>``, common's proxy URL *with* its password (its MarshalJSON does not redact,
  unlike its YAML form), regexps as written, durations as `model.Duration` / `time.Duration`
  text, time intervals as their MarshalJSON/MarshalText forms;
- Go tells a nil slice (`null`) from an empty one (`[]`) where there is no `omitempty`
  (`templates`, a named interval's `time_intervals`, `proxy_connect_header` values); the decoded
  tuples cannot, so the YAML node each was decoded from decides (`_Walker`);
- common 0.39/0.40's `*TLSVersion.MarshalJSON` writes the bare name (``TLS12``), which is not
  JSON: encoding/json fails, and 0.25 logs that and answers 200 with an empty body. `ConfigJSON`
  carries that failure to the API instead of raising at config load.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from amclone.compat import gojson
from amclone.config.errors import ConfigError
from amclone.config.globalconf import GlobalConfig
from amclone.config.gostruct import FieldSpec, Ptr, struct_fields
from amclone.config.httpconfig import TLS_VERSION, OAuth2
from amclone.config.marshal import _unwrap, as_running
from amclone.config.receivers.cloud import SigV4Config, TelegramConfig
from amclone.config.receivers.simple import PushoverConfig
from amclone.config.receivers.slack import SlackConfig
from amclone.config.route import Route
from amclone.config.types import SECRET_TOKEN, URL, CommonURL, HostPort, Regexp, Secret, SecretURL
from amclone.config.yamlnode import ALIAS, MAPPING, SEQUENCE, Node, parse
from amclone.labels.matcher import Matcher
from amclone.timeinterval import TimeInterval
from amclone.timeinterval import marshal as ti_marshal


class JSONMarshalError(Exception):
    """encoding/json refused the config; `str()` is Go's error text."""


@dataclass(frozen=True)
class ConfigJSON:
    """What `/api/v1/status` puts under `configJSON`: Go-ordered plain data, or Go's failure.

    `data` holds only dicts (in Go's key order), lists, str, int, float, bool and None, for
    `gojson.dumps`; when `error` is set Go could not marshal the config and `data` is None.
    """

    data: Any
    error: str = ""

    def text(self) -> str:
        """The JSON bytes 0.25 writes for the config (raises JSONMarshalError where Go fails)."""
        if self.error:
            raise JSONMarshalError(self.error)
        return gojson.dumps(self.data)


def marshal_json(config: Any, *, running: bool = True) -> ConfigJSON:
    """The config as encoding/json marshals 0.25's `*config.Config`.

    With `running` (the default) it is the running Alertmanager's view: building the email
    notifiers added their default headers to the config (see `marshal.as_running`).
    """
    if running:
        config = as_running(config)
    root = _yaml_root(config)
    shared: dict[int, Node | None] = {}
    if config.global_ is not None and config.global_.http_config is not None:
        shared[id(config.global_.http_config)] = _get(_get(root, "global"), "http_config")
    try:
        return ConfigJSON(_Walker(shared).struct(config, root))
    except JSONMarshalError as e:
        return ConfigJSON(None, str(e))


# json tags that differ from the yaml ones: (key, omitempty), looked up along the class's MRO
# so the extended schema's subclasses inherit them.
_TAGS: dict[tuple[type, str], tuple[str, bool]] = {
    (Route, "continue_"): ("continue", True),
    (SlackConfig, "short_fields"): ("short_fields", True),
    (SlackConfig, "link_names"): ("link_names", True),
    (PushoverConfig, "html"): ("html", True),
    (TelegramConfig, "api_url"): ("api_url", True),
    (TelegramConfig, "bot_token"): ("token", True),
    (TelegramConfig, "chat_id"): ("chat", True),
    (OAuth2, "tls_config"): ("TLSConfig", False),
    (SigV4Config, "region"): ("Region", False),
    (SigV4Config, "access_key"): ("AccessKey", False),
    (SigV4Config, "secret_key"): ("SecretKey", False),
    (SigV4Config, "profile"): ("Profile", False),
    (SigV4Config, "role_arn"): ("RoleARN", False),
    (GlobalConfig, "smtp_require_tls"): ("smtp_require_tls", True),
}

_TLS_VERSION_ERROR = ("json: error calling MarshalJSON for type config.TLSVersion: "
                      "invalid character 'T' looking for beginning of value")


def _tag(cls: type, attr: str, spec: FieldSpec) -> tuple[str, bool]:
    for klass in cls.__mro__:
        hit = _TAGS.get((klass, attr))
        if hit is not None:
            return hit
    return spec.key, spec.omitempty


def _yaml_root(config: Any) -> Node | None:
    """The config's YAML node tree, for the nil-or-empty questions (None if not loaded from text)."""
    original: str = getattr(config, "original", "")
    try:
        return parse(original.encode("utf-8", "surrogateescape")) if original else None
    except ConfigError:
        return None


def _deref(node: Node | None) -> Node | None:
    while node is not None and node.kind == ALIAS:
        node = node.alias
    return node


def _get(node: Node | None, key: str) -> Node | None:
    """The value of `key` in a mapping node, merge keys included (own keys win)."""
    node = _deref(node)
    if node is None or node.kind != MAPPING:
        return None
    merged: list[Node] = []
    ch = node.children
    for i in range(0, len(ch) - 1, 2):
        k = _deref(ch[i])
        if k is not None and k.is_merge():
            merged.append(ch[i + 1])
        elif k is not None and k.value == key:
            return ch[i + 1]
    for m in merged:
        target = _deref(m)
        sources = target.children if target is not None and target.kind == SEQUENCE else [target]
        for src in sources:
            hit = _get(src, key)
            if hit is not None:
                return hit
    return None


class _Walker:
    """Go values to plain data in encoding/json's order and with its rules.

    Each value is walked beside the YAML node it was decoded from (None where it came from a
    default), which is where a nil slice and an empty one differ. An http_config an integration
    took over from `global` is the global object itself, so it is given the global's node.
    """

    def __init__(self, shared: dict[int, Node | None]) -> None:
        self.shared = shared

    def struct(self, obj: Any, node: Node | None) -> dict[str, Any]:
        cls = type(obj)
        out: dict[str, Any] = {}
        for name, spec in struct_fields(cls):
            key, omitempty = _tag(cls, name, spec)
            value = getattr(obj, name)
            if omitempty and _empty(value, spec):
                continue
            child = _get(node, spec.key)
            if child is None:
                child = self.shared.get(id(value))
            out[key] = self.value(value, spec.typ, child)
        return out

    def value(self, value: Any, typ: Any, node: Node | None) -> Any:
        base = _unwrap(typ)
        if value is None:
            return None
        if base is TLS_VERSION:
            if value:
                raise JSONMarshalError(_TLS_VERSION_ERROR)
            return None  # `*tv == 0` writes null (reached only without omitempty)
        fmt = getattr(base, "marshal", None)
        if fmt is not None:
            return value if getattr(base, "go_name", "") == "time.Duration" else fmt(value)
        leaf = _leaf(value)
        if leaf is not _NOT_LEAF:
            return leaf
        if isinstance(value, TimeInterval):
            return ti_marshal(value)
        if isinstance(value, (tuple, list)):
            item = getattr(base, "item", None)
            seq = _deref(node)
            if seq is None or seq.kind != SEQUENCE:  # a default, or nil: absent or null in the YAML
                return [self.value(v, item, None) for v in value] if value else None
            kids = seq.children
            return [self.value(v, item, kids[i] if i < len(kids) else None) for i, v in enumerate(value)]
        if isinstance(value, Mapping):
            vt = getattr(base, "value", None)
            return gojson.sorted_map({_key(k): self.value(v, vt, _get(node, _key(k))) for k, v in value.items()})
        if dataclasses.is_dataclass(value):
            return self.struct(value, node)
        # Only the extended schema's free-form (`any`) fields get here; Go cannot marshal
        # yaml.v2's map[interface {}]interface {} either, so fail the same way.
        raise JSONMarshalError(f"json: unsupported type: {type(value).__name__}")


_NOT_LEAF = object()


def _leaf(value: Any) -> Any:
    """The types with their own MarshalJSON, and scalars; `_NOT_LEAF` for anything else."""
    if isinstance(value, Secret):
        return SECRET_TOKEN if value else ""  # empty only where common's Secret has no omitempty
    if isinstance(value, SecretURL):
        return SECRET_TOKEN
    if isinstance(value, (URL, HostPort, Matcher)):
        return str(value)
    if isinstance(value, CommonURL):
        return value.url.string() if value.url is not None else None
    if isinstance(value, Regexp):
        return value.original or None
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):  # extended schema's `any` fields only
        if math.isnan(value):
            raise JSONMarshalError("json: unsupported value: NaN")
        if math.isinf(value):
            raise JSONMarshalError("json: unsupported value: " + ("+Inf" if value > 0 else "-Inf"))
        return value
    return _NOT_LEAF


def _key(k: Any) -> str:
    return k if isinstance(k, str) else str(k)


def _empty(value: Any, spec: FieldSpec) -> bool:
    """encoding/json's isEmptyValue: structs never are; a non-nil pointer never is."""
    if value is None:
        return True
    if isinstance(spec.typ, Ptr):
        return False
    if isinstance(value, Secret):
        return not value
    if isinstance(value, (bool, int, str, tuple, list, Mapping)):
        return not value
    return False


__all__ = ["ConfigJSON", "JSONMarshalError", "marshal_json"]
