"""A re-enactment of gopkg.in/yaml.v3's decoder for the few Go types a rule file decodes into.

promtool's first error line depends on go-yaml's control flow, not only on what is wrong: type
mismatches, unknown fields and repeated keys are *collected* and reported together under
``yaml: unmarshal errors:``; an error from a custom unmarshaler (``model.Duration``'s
``not a valid duration string``) aborts at once and discards what was collected; a raw
``yaml.Node`` field takes anything, even a mapping; any scalar, numbers included, decodes into a
string (v3, unlike v2); a failed sequence item is dropped. Each `GoType` below states what go-yaml
looks at (the printed type name, how the kind is handled) so any document reaches the same first
error as Go would.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from amclone.compat.duration import DurationError, parse_model_duration
from amclone.rules.yamlv3 import (
    ALIAS,
    BINARY,
    FLOAT,
    INT,
    MAP,
    MAPPING,
    MERGE,
    SCALAR,
    SEQ,
    SEQUENCE,
    Node,
    YamlError,
    resolve,
)

_MAX_INT64 = (1 << 63) - 1


class Decoder:
    """One ``yaml.Decoder.Decode`` run: collected type errors, the alias guard, the strict flag.

    `v2=True` follows gopkg.in/yaml.v2 where it differs in what a rule-adjacent file can hit
    (promtool reads its unit-test files with v2): no up-front repeated-key check, a repeated map
    key is ``key "x" already set in map`` on the value's line."""

    def __init__(self, known_fields: bool, v2: bool = False) -> None:
        self.known_fields = known_fields
        self.v2 = v2
        self.terrors: list[str] = []
        self._aliases: set[int] = set()

    def run(self, root: Node | None, typ: GoType) -> Any:
        """Decode the document; raises `YamlError` with the text Go's ``Decode`` returns."""
        if root is None:
            return typ.zero()
        _, value = self.unmarshal(root, typ)
        if self.terrors:
            raise YamlError("yaml: unmarshal errors:\n  " + "\n  ".join(self.terrors))
        return value

    def unmarshal(self, n: Node, typ: GoType) -> tuple[bool, Any]:
        """``d.unmarshal``: (good, value); a value of None means "left at its zero value"."""
        if isinstance(typ, RawNode):
            return True, n
        if n.kind == ALIAS:
            if id(n) in self._aliases:
                raise YamlError(f"yaml: anchor '{n.value}' value contains itself")
            self._aliases.add(id(n))
            try:
                assert n.alias is not None
                return self.unmarshal(n.alias, typ)
            finally:
                self._aliases.discard(id(n))
        if n.is_null() and n.kind == SCALAR:
            return typ.null(), typ.zero()
        return typ.decode(self, n)

    def terror(self, n: Node, typ: GoType, tag: str = "") -> None:
        tag = n.tag or tag
        value = ""
        if tag not in (SEQ, MAP):
            raw = n.value.encode()
            value = " `" + (raw[:7].decode(errors="replace") + "..." if len(raw) > 10 else n.value) + "`"
        self.terrors.append(f"line {n.line}: cannot unmarshal {tag}{value} into {typ.go_name}")

    def check_unique(self, n: Node) -> bool:
        """The repeated-key check go-yaml v3 runs before decoding any mapping."""
        if self.v2:
            return True
        before = len(self.terrors)
        keys = n.children[0::2]
        for i, ki in enumerate(keys):
            for kj in keys[i + 1:]:
                if ki.kind == kj.kind and ki.value == kj.value:
                    self.terrors.append(f"line {kj.line}: mapping key \"{_go_escape(kj.value)}\" "
                                        f"already defined at line {ki.line}")
        return len(self.terrors) == before


def _go_escape(s: str) -> str:
    """``%#v`` of a string is Go's quoted form; only the escapes a key can plausibly need."""
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def merge_sources(n: Node) -> list[Node]:
    """The mappings a ``<<`` key's value names: a mapping, an alias of one, or a list of those."""
    def mapping(x: Node) -> Node:
        target = x.alias if x.kind == ALIAS and x.alias is not None else x
        if target.kind != MAPPING:
            raise YamlError("yaml: map merge requires map or sequence of maps as the value")
        return target

    if n.kind == SEQUENCE:
        return [mapping(c) for c in n.children]
    return [mapping(n)]


def split_merge(n: Node) -> tuple[list[tuple[Node, Node]], Node | None]:
    """A mapping's own pairs and its (last) ``<<`` value, which go-yaml applies after them."""
    own, merge = [], None
    for k, v in n.pairs():
        if k.kind == SCALAR and k.tag == MERGE:
            merge = v
        else:
            own.append((k, v))
    return own, merge


class GoType:
    """A Go type as go-yaml handles it; `go_name` is what ``reflect.Type.String()`` prints."""

    go_name = "?"

    def zero(self) -> Any:
        return None

    def null(self) -> bool:
        """``d.null``: true for maps, slices, pointers and interfaces, false for the rest."""
        return False

    def decode(self, d: Decoder, n: Node) -> tuple[bool, Any]:
        if n.kind == MAPPING:
            if d.check_unique(n):
                d.terror(n, self, MAP)
            return False, None
        if n.kind == SEQUENCE:
            d.terror(n, self, SEQ)
            return False, None
        return self.scalar(d, n)

    def scalar(self, d: Decoder, n: Node) -> tuple[bool, Any]:
        d.terror(n, self)
        return False, None


class RawNode(GoType):
    """A ``yaml.Node`` field: the node itself, whatever it is."""

    go_name = "yaml.Node"


class Str(GoType):
    go_name = "string"

    def zero(self) -> Any:
        return ""

    def scalar(self, d: Decoder, n: Node) -> tuple[bool, Any]:
        if n.tag == BINARY:
            import base64

            try:
                return True, base64.b64decode(n.value, validate=True).decode("utf-8", "surrogateescape")
            except ValueError:
                raise YamlError("yaml: !!binary value contains invalid base64 data") from None
        return True, n.value


class Int(GoType):
    go_name = "int"

    def zero(self) -> Any:
        return 0

    def scalar(self, d: Decoder, n: Node) -> tuple[bool, Any]:
        tag, value = (n.tag, n.value) if n.quoted else resolve(n.tag, n.value)
        if tag == INT and isinstance(value, int) and -(1 << 63) <= value <= _MAX_INT64:
            return True, value
        if tag == FLOAT and isinstance(value, float) and not math.isnan(value) and -2.0**63 <= value <= _MAX_INT64:
            return True, int(value)
        d.terror(n, self, tag)
        return False, None


class Float(GoType):
    go_name = "float64"

    def zero(self) -> Any:
        return 0.0

    def scalar(self, d: Decoder, n: Node) -> tuple[bool, Any]:
        tag, value = (n.tag, n.value) if n.quoted else resolve(n.tag, n.value)
        if tag in (INT, FLOAT) and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True, float(value)
        d.terror(n, self, tag)
        return False, None


class Duration(GoType):
    """``model.Duration``: its UnmarshalYAML reads a string, then a parse error aborts decoding."""

    go_name = "string"

    def zero(self) -> Any:
        return 0

    def decode(self, d: Decoder, n: Node) -> tuple[bool, Any]:
        mark = len(d.terrors)
        good, text = Str().decode(d, n)
        if not good or len(d.terrors) > mark:
            return False, None
        if text == "":
            raise YamlError("empty duration string")  # prometheus/common 0.39's own check
        try:
            return True, parse_model_duration(str(text))
        except DurationError as e:
            raise YamlError(str(e)) from None


class Slice(GoType):
    def __init__(self, elem: GoType) -> None:
        self.elem = elem
        self.go_name = "[]" + elem.go_name

    def null(self) -> bool:
        return True

    def decode(self, d: Decoder, n: Node) -> tuple[bool, Any]:
        if n.kind != SEQUENCE:
            return GoType.decode(self, d, n)
        out = []
        for child in n.children:
            good, value = d.unmarshal(child, self.elem)
            if good:
                out.append(value)
        return True, out


class StrMap(GoType):
    """``map[string]string``."""

    go_name = "map[string]string"

    def null(self) -> bool:
        return True

    def decode(self, d: Decoder, n: Node) -> tuple[bool, Any]:
        if n.kind != MAPPING:
            return GoType.decode(self, d, n)
        if not d.check_unique(n):
            return False, None
        own, merge = split_merge(n)
        out: dict[str, str] = {}
        for k, v in own:
            good, key = d.unmarshal(k, Str())
            if not good:
                continue
            good, value = d.unmarshal(v, Str())
            if d.v2 and good and key in out:
                d.terrors.append(f'line {v.line}: key "{_go_escape(str(key))}" already set in map')
                continue
            if good or (v.is_null() and key not in out):
                out[str(key)] = str(value or "")
        for source in merge_sources(merge) if merge is not None else ():
            _, extra = self.decode(d, source)
            for key, value in (extra or {}).items():
                out.setdefault(key, value)
        return True, out


class Struct(GoType):
    """A Go struct: keys matched to fields by their yaml tag; `build` turns the dict into a value."""

    def __init__(self, go_name: str, fields: dict[str, GoType], build: Callable[[dict[str, Any], Node], Any]):
        self.go_name = go_name
        self.fields = fields
        self.build = build

    def decode(self, d: Decoder, n: Node) -> tuple[bool, Any]:
        if n.kind != MAPPING:
            return GoType.decode(self, d, n)
        values = self.fields_of(d, n)
        return (True, self.build(values, n)) if values is not None else (False, None)

    def fields_of(self, d: Decoder, n: Node) -> dict[str, Any] | None:
        """The decoded fields of mapping `n`, merged ``<<`` sources filling only unset ones."""
        if not d.check_unique(n):
            return None
        own, merge = split_merge(n)
        values: dict[str, Any] = {}
        done: set[str] = set()
        for k, v in own:
            good, name = d.unmarshal(k, Str())
            if not good:
                continue
            name = str(name)
            typ = self.fields.get(name)
            if typ is None:
                if d.known_fields:
                    d.terrors.append(f"line {k.line}: field {name} not found in type {self.go_name}")
                continue
            if name in done:
                d.terrors.append(f"line {k.line}: field {name} already set in type {self.go_name}")
                continue
            done.add(name)
            good, value = d.unmarshal(v, typ)
            if good and value is not None:
                values[name] = value
            elif v.is_null():
                values.pop(name, None)
        for source in merge_sources(merge) if merge is not None else ():
            for name, value in (self.fields_of(d, source) or {}).items():
                if name not in done:
                    done.add(name)
                    values[name] = value
        return values
