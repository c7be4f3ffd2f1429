"""Go structs, pointers and types with their own UnmarshalYAML, for the decoder in godecode.

A struct's Go facts (YAML key, Go type, `omitempty`/`flow`) live in its dataclass fields'
metadata, so the same declaration drives decoding here and marshalling in marshal.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from amclone.config.errors import ConfigError, DecodeAbort
from amclone.config.godecode import Decoder, GoType, Str, TypeErrors, merge_keys, mismatch, resolve_scalar
from amclone.config.yamlnode import MAPPING, SEQUENCE, Node

T = TypeVar("T")


class Custom(GoType[T]):
    """A type with its own UnmarshalYAML that decodes `inner` and converts the raw value.

    `convert` may raise ConfigError (an abort, as a returned error is in Go); it is skipped when
    the inner decode collected type errors, exactly like Go's `if err := unmarshal(..); err != nil`.
    """

    def __init__(self, inner: GoType[Any], convert: Callable[[Any, Node], T], zero: Callable[[], T],
                 type_name: str, go_name: str = "", marshal: Callable[[Any], Any] | None = None,
                 from_string: Callable[[str], T] | None = None) -> None:
        self.marshal = marshal  # the type's MarshalYAML/MarshalText, when it has one
        # A quoted "null" bypasses UnmarshalYAML: only string-kind types (and TextUnmarshalers,
        # whose text path still runs `convert`) take it; the others see a type mismatch.
        self.from_string = from_string
        self.inner = inner
        self.convert = convert
        self._zero = zero
        self.go_name = go_name or inner.go_name
        self.type_name = type_name

    def quoted_null(self, d: Decoder, node: Node, current: T) -> tuple[bool, T]:
        if self.from_string is not None:
            try:
                return True, self.from_string(node.value)
            except DecodeAbort:
                raise
            except ConfigError as e:
                raise DecodeAbort(e.message, line=e.line or node.line + 1) from None
        return super().quoted_null(d, node, current)

    def zero(self) -> T:
        return self._zero()

    def decode(self, d: Decoder, node: Node, current: T) -> tuple[bool, T]:
        def body() -> T:
            raw = d.inner(node, self.inner, self.inner.zero())
            try:
                return self.convert(raw, node)
            except DecodeAbort:
                raise
            except ConfigError as e:
                raise DecodeAbort(e.message, line=e.line or node.line + 1) from None
        ok, value = d.call_unmarshaler(body)
        return (True, value) if ok else (False, current)  # type: ignore[return-value]


class Ptr(GoType["T | None"]):
    """A Go pointer: nil is None; decoding into nil starts from the pointee's zero value."""

    def __init__(self, target: GoType[T]) -> None:
        self.target = target
        self.go_name = "*" + target.go_name
        self.type_name = "*" + (target.type_name or target.go_name)

    def zero(self) -> T | None:
        return None

    def decode(self, d: Decoder, node: Node, current: T | None) -> tuple[bool, T | None]:
        start = self.target.zero() if current is None else current
        return self.target.decode(d, node, start)


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    """One Go struct field as yaml.v2 sees it: its key, type and marshalling tag options."""

    key: str
    typ: GoType[Any]
    omitempty: bool = True
    flow: bool = False


def gofield(key: str, typ: GoType[Any], default: Any = dataclasses.MISSING, *, omitempty: bool = True,
            flow: bool = False, factory: Callable[[], Any] | None = None) -> Any:
    """A dataclass field that carries its Go/YAML facts (decoding and marshalling share them)."""
    meta = {"go": FieldSpec(key, typ, omitempty, flow)}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    if default is dataclasses.MISSING:
        default = typ.zero()
        if isinstance(default, (dict, list)):
            return dataclasses.field(default_factory=typ.zero, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def struct_fields(cls: type) -> list[tuple[str, FieldSpec]]:
    """(attribute name, spec) in Go struct order, i.e. dataclass order."""
    return [(f.name, f.metadata["go"]) for f in dataclasses.fields(cls) if "go" in f.metadata]


class Struct(GoType[T]):
    """A Go struct decoded from a mapping; strict mode rejects unknown and repeated keys.

    `go_name` is the type name Go prints ("config.plain" when the type's UnmarshalYAML decodes
    through a `type plain X` alias). With `custom=True` the struct has an UnmarshalYAML: it starts
    from `defaults()` (Go's `*c = DefaultX`), and `validate` runs only when the plain decode
    collected no type errors; its errors abort decoding.
    """

    def __init__(self, cls: type[T], go_name: str, *, custom: bool = False,
                 defaults: Callable[[], T] | None = None,
                 validate: Callable[[dict[str, Any]], None] | None = None, type_name: str = "") -> None:
        self.cls = cls
        self.go_name = go_name
        self.type_name = type_name or go_name
        self.custom = custom
        self.defaults = defaults
        self.validate = validate
        self.fields = struct_fields(cls)
        self.by_key = {spec.key: (name, spec) for name, spec in self.fields}

    def zero(self) -> T:
        return self.cls()

    def decode(self, d: Decoder, node: Node, current: T) -> tuple[bool, T]:
        if not self.custom:
            ok, vals = self._plain(d, node, _as_dict(current))
            return ok, self.cls(**vals) if ok else current

        def body() -> T:
            start = self.defaults() if self.defaults is not None else current
            vals = self._inner(d, node, _as_dict(start))
            if self.validate is not None:
                try:
                    self.validate(vals)
                except DecodeAbort:
                    raise
                except ConfigError as e:
                    raise DecodeAbort(e.message, line=e.line or node.line + 1) from None
            return self.cls(**vals)
        ok, value = d.call_unmarshaler(body)
        return (True, value) if ok else (False, current)  # type: ignore[return-value]

    def _inner(self, d: Decoder, node: Node, vals: dict[str, Any]) -> dict[str, Any]:
        mark = len(d.terrors)
        self._plain(d, node, vals)
        if len(d.terrors) > mark:
            issues = d.terrors[mark:]
            del d.terrors[mark:]
            raise TypeErrors(issues)
        return vals

    def _merge_into(self, d: Decoder, node: Node, vals: dict[str, Any]) -> None:
        self._plain(d, node, vals)

    def _plain(self, d: Decoder, node: Node, vals: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
        if node.kind != MAPPING:
            mismatch(d, node, self.go_name)
            return False, vals
        done: set[str] = set()
        ch = node.children
        for i in range(0, len(ch), 2):
            key_node = ch[i]
            if key_node.is_merge():
                merge_keys(d, ch[i + 1], lambda n: self._merge_into(d, n, vals))
                continue
            ok, key = d.decode(key_node, Str(), "")
            if not ok:
                continue
            hit = self.by_key.get(key)
            if hit is None:
                d.terrors.append(f"line {key_node.line + 1}: field {key} not found in type {self.go_name}")
                continue
            name, spec = hit
            if name in done:
                d.terrors.append(f"line {key_node.line + 1}: field {key} already set in type {self.go_name}")
                continue
            done.add(name)
            _, vals[name] = d.decode(ch[i + 1], spec.typ, vals[name])
        return True, vals


def _as_dict(value: Any) -> dict[str, Any]:
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


class Lazy(GoType[T]):
    """A type named before it is built (a Route's child routes are Routes)."""

    def __init__(self, get: Callable[[], GoType[T]], go_name: str) -> None:
        self._get = get
        self.go_name = go_name

    def zero(self) -> T:
        return self._get().zero()

    def quoted_null(self, d: Decoder, node: Node, current: T) -> tuple[bool, T]:
        return self._get().quoted_null(d, node, current)

    def decode(self, d: Decoder, node: Node, current: T) -> tuple[bool, T]:
        return self._get().decode(d, node, current)


class AnyValue(GoType[Any]):
    """Go `any` (`interface{}`): mappings, lists and resolved scalars as plain Python data."""

    go_name = "interface {}"

    def zero(self) -> Any:
        return None

    def decode(self, d: Decoder, node: Node, current: Any) -> tuple[bool, Any]:
        if node.kind == MAPPING:
            out: dict[Any, Any] = {}
            ch = node.children
            for i in range(0, len(ch), 2):
                _, k = d.decode(ch[i], self, None)
                _, v = d.decode(ch[i + 1], self, None)
                out[k if isinstance(k, (str, int, float, bool)) or k is None else str(k)] = v
            return True, out
        if node.kind == SEQUENCE:
            return True, [d.decode(c, self, None)[1] for c in node.children]
        return True, resolve_scalar(d, node)[1]

    def quoted_null(self, d: Decoder, node: Node, current: Any) -> tuple[bool, Any]:
        return True, node.value
