"""A re-enactment of gopkg.in/yaml.v2's strict decoder over a description of Go types.

Which error amtool reports first depends on go-yaml's control flow, not just on what is wrong:
type mismatches and unknown or repeated keys are *collected* (decoding goes on and they are
reported together as ``yaml: unmarshal errors:``), while an error returned by a custom
UnmarshalYAML aborts everything at once; a custom unmarshaler whose inner decode collected type
errors skips its own validation; a null value resets a field to its zero value even when the
type's defaults had set it; failed sequence items are dropped. Each Go type below states the
facts go-yaml looks at (its printed type name, whether it has a custom unmarshaler) so that
decoding any document follows the same path, and reaches the same first error, as Go would.
"""


from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from amclone.config.errors import DecodeAbort
from amclone.config.yamlnode import (
    ALIAS,
    BINARY_TAG,
    MAP_TAG,
    MAPPING,
    SCALAR,
    SEQ_TAG,
    SEQUENCE,
    STR_TAG,
    Node,
    resolve,
    short_tag,
)

T = TypeVar("T")


@contextlib.contextmanager
def recursion_headroom(limit: int = 50_000) -> Iterator[None]:
    """Decoding and marshalling recurse once per level of a route tree; Python 3.11 calls cost
    no C stack, so a deep (but valid) tree just needs a higher interpreter limit for a moment."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


class TypeErrors(Exception):
    """The collected messages of a failed inner decode (go-yaml's *TypeError)."""

    def __init__(self, issues: list[str]) -> None:
        super().__init__("yaml: unmarshal errors:\n  " + "\n  ".join(issues))
        self.issues = issues


def _allowed_alias_ratio(decodes: int) -> float:
    """go-yaml's billion-laughs guard: 99% of decodes may come from aliases in small documents,
    falling to 10% between 400,000 and 4,000,000 decodes."""
    low, high = 400_000, 4_000_000
    if decodes <= low:
        return 0.99
    if decodes >= high:
        return 0.10
    return 0.99 - 0.89 * ((decodes - low) / (high - low))


class Decoder:
    """Decoding state: the collected type errors and the alias-recursion guard."""

    def __init__(self) -> None:
        self.terrors: list[str] = []
        self._active_aliases: set[int] = set()
        self._decodes = 0
        self._alias_decodes = 0
        self._alias_depth = 0

    def decode(self, node: Node, typ: GoType[T], current: T) -> tuple[bool, T]:
        """go-yaml's d.unmarshal: returns (good, new value)."""
        self._decodes += 1
        if self._alias_depth:
            self._alias_decodes += 1
        if self._alias_decodes > 100 and self._decodes > 1000 and \
                self._alias_decodes / self._decodes > _allowed_alias_ratio(self._decodes):
            raise DecodeAbort("yaml: document contains excessive aliasing")
        if node.kind == ALIAS:
            key = id(node)
            if key in self._active_aliases:
                raise DecodeAbort(f"yaml: anchor '{node.value}' value contains itself", line=node.line + 1)
            self._active_aliases.add(key)
            self._alias_depth += 1
            try:
                assert node.alias is not None
                return self.decode(node.alias, typ, current)
            finally:
                self._alias_depth -= 1
                self._active_aliases.discard(key)
        if node.is_null():
            if node.kind == SCALAR and node.tag == "" and not node.implicit:
                # A quoted "null"/"~": go-yaml skips custom unmarshalers but still sees a string.
                return typ.quoted_null(self, node, current)
            return True, typ.zero()
        return typ.decode(self, node, current)

    def terror(self, node: Node, tag: str, go_name: str) -> None:
        if node.tag:
            tag = node.tag
        value = ""
        if tag not in (SEQ_TAG, MAP_TAG):
            raw = node.value.encode()
            text = raw[:7].decode(errors="replace") + "..." if len(raw) > 10 else node.value
            value = f" `{text}`"
        self.terrors.append(f"line {node.line + 1}: cannot unmarshal {short_tag(tag)}{value} into {go_name}")

    def call_unmarshaler(self, fn: Callable[[], T]) -> tuple[bool, T | None]:
        """Run a custom UnmarshalYAML body: type errors of its inner decode skip the rest of it."""
        try:
            return True, fn()
        except TypeErrors as e:
            self.terrors.extend(e.issues)
            return False, None

    def inner(self, node: Node, typ: GoType[T], current: T) -> T:
        """The `unmarshal(...)` callback given to UnmarshalYAML: raises TypeErrors if any were new."""
        mark = len(self.terrors)
        _, value = self.decode(node, typ, current)
        if len(self.terrors) > mark:
            issues = self.terrors[mark:]
            del self.terrors[mark:]
            raise TypeErrors(issues)
        return value


class GoType(Generic[T]):
    """A Go type as go-yaml handles it.

    `go_name` is the name Go prints for errors raised while decoding into it (for a type with a
    `type plain X` unmarshaler that is "config.plain"); `type_name` is the declared name.
    """

    go_name = "?"
    type_name = ""

    def zero(self) -> T:
        raise NotImplementedError

    def quoted_null(self, d: Decoder, node: Node, current: T) -> tuple[bool, T]:
        d.terror(node, STR_TAG, self.type_name or self.go_name)
        return False, current

    def decode(self, d: Decoder, node: Node, current: T) -> tuple[bool, T]:
        raise NotImplementedError


def resolve_scalar(d: Decoder, node: Node) -> tuple[str, Any]:
    if node.tag == "" and not node.implicit:
        return STR_TAG, node.value
    tag, value = resolve(node.tag, node.value)
    if tag == BINARY_TAG:
        import base64
        try:
            value = base64.b64decode(value, validate=True).decode("utf-8", "surrogateescape")
        except ValueError:
            raise DecodeAbort("yaml: !!binary value contains invalid base64 data", line=node.line + 1) from None
    return tag, value


def mismatch(d: Decoder, node: Node, go_name: str) -> None:
    """Record go-yaml's `cannot unmarshal X into T` for a node of the wrong shape."""
    if node.kind == SCALAR:
        tag = resolve_scalar(d, node)[0]
    else:
        tag = SEQ_TAG if node.kind == SEQUENCE else MAP_TAG
    d.terror(node, tag, go_name)


class Str(GoType[str]):
    """Go `string` (or a named string type): any non-null scalar's text is accepted."""

    def __init__(self, go_name: str = "string") -> None:
        self.go_name = go_name

    def zero(self) -> str:
        return ""

    def decode(self, d: Decoder, node: Node, current: str) -> tuple[bool, str]:
        if node.kind != SCALAR:
            mismatch(d, node, self.go_name)
            return False, current
        tag, value = resolve_scalar(d, node)
        if tag == BINARY_TAG:
            return True, str(value)
        return True, node.value

    def quoted_null(self, d: Decoder, node: Node, current: str) -> tuple[bool, str]:
        return True, node.value


class Bool(GoType[bool]):
    go_name = "bool"

    def zero(self) -> bool:
        return False

    def decode(self, d: Decoder, node: Node, current: bool) -> tuple[bool, bool]:
        if node.kind != SCALAR:
            mismatch(d, node, self.go_name)
            return False, current
        tag, value = resolve_scalar(d, node)
        if isinstance(value, bool):
            return True, value
        d.terror(node, tag, self.go_name)
        return False, current


class Int(GoType[int]):
    """Go signed/unsigned integers: ints in range, and floats truncated toward zero."""

    def __init__(self, go_name: str = "int64", bits: int = 64, unsigned: bool = False) -> None:
        self.go_name = go_name
        self.lo = 0 if unsigned else -(1 << (bits - 1))
        self.hi = (1 << bits) - 1 if unsigned else (1 << (bits - 1)) - 1

    def zero(self) -> int:
        return 0

    def decode(self, d: Decoder, node: Node, current: int) -> tuple[bool, int]:
        if node.kind != SCALAR:
            mismatch(d, node, self.go_name)
            return False, current
        tag, value = resolve_scalar(d, node)
        if isinstance(value, float):
            # Go: `resolved <= math.MaxInt64` (or MaxUint64) compared as floats, then a plain
            # conversion; out-of-range conversions saturate on amd64 rather than fail.
            if value <= float(self.hi):
                if math.isinf(value):
                    return True, self.lo
                return True, min(max(int(value), self.lo), self.hi)
        elif isinstance(value, int) and not isinstance(value, bool) and self.lo <= value <= self.hi:
            return True, value
        d.terror(node, tag, self.go_name)
        return False, current


class Seq(GoType[tuple[T, ...]]):
    """A Go slice: items that fail to decode are dropped (their errors are kept)."""

    def __init__(self, item: GoType[T], go_name: str | None = None) -> None:
        self.item = item
        self.go_name = go_name or "[]" + (item.type_name or item.go_name)

    def zero(self) -> tuple[T, ...]:
        return ()

    def decode(self, d: Decoder, node: Node, current: tuple[T, ...]) -> tuple[bool, tuple[T, ...]]:
        if node.kind != SEQUENCE:
            mismatch(d, node, self.go_name)
            return False, current
        out = []
        for child in node.children:
            ok, value = d.decode(child, self.item, self.item.zero())
            if ok:
                out.append(value)
        return True, tuple(out)


class Map(GoType[dict[str, T]]):
    """A Go map with string keys; a repeated key is a collected error (`key "x" already set`)."""

    def __init__(self, value: GoType[T], go_name: str | None = None, key: GoType[str] | None = None) -> None:
        self.value = value
        self.key: GoType[str] = key or Str()
        self.go_name = go_name or f"map[{self.key.go_name}]{value.go_name}"

    def zero(self) -> dict[str, T]:
        return {}

    def decode(self, d: Decoder, node: Node, current: dict[str, T]) -> tuple[bool, dict[str, T]]:
        if node.kind != MAPPING:
            mismatch(d, node, self.go_name)
            return False, current
        out = dict(current)
        self._fill(d, node, out)
        return True, out

    def _fill(self, d: Decoder, node: Node, out: dict[str, T]) -> None:
        ch = node.children
        for i in range(0, len(ch), 2):
            if ch[i].is_merge():
                merge_keys(d, ch[i + 1], lambda n: self._fill(d, n, out))
                continue
            ok, k = d.decode(ch[i], self.key, self.key.zero())
            if not ok:
                continue
            ok, v = d.decode(ch[i + 1], self.value, self.value.zero())
            if ok:
                if k in out:
                    from amclone.compat.goquote import quote
                    d.terrors.append(f"line {ch[i + 1].line + 1}: key {quote(k)} already set in map")
                    continue
                out[k] = v


def merge_keys(d: Decoder, node: Node, apply: Callable[[Node], None]) -> None:
    """`<<` merge keys: a mapping, an alias of one, or a list of them (later ones first)."""
    def target(n: Node) -> Node:
        return n.alias if n.kind == ALIAS and n.alias is not None else n

    if node.kind == SEQUENCE:
        for child in reversed(node.children):
            if target(child).kind != MAPPING:
                raise DecodeAbort("yaml: map merge requires map or sequence of maps as the value")
            apply(target(child))
    elif target(node).kind == MAPPING:
        apply(target(node))
    else:
        raise DecodeAbort("yaml: map merge requires map or sequence of maps as the value")
