"""Request bodies decoded the way Alertmanager's go-swagger server decodes them.

Clients see the decoder's error texts verbatim (``parsing alerts body from "" failed, because
invalid character '}' looking for beginning of object key string``), so both halves of Go's
``json.Decoder.Decode`` are mirrored: the scanner (syntax errors, ``unexpected EOF``, only the
first value read) and the typed store into the generated models (``json: cannot unmarshal number
into Go struct field Alert.labels of type string``, first type error kept, errors from custom
unmarshalers such as ``strfmt.DateTime`` ending the decode at once, struct field names matched
case-insensitively, unknown keys ignored, ``null`` leaving a value unset).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec

from amclone.api.gojsonscan import BodyEOF, DecodeError, Scanner

__all__ = ["BodyEOF", "DecodeError", "GoType", "decode"]


class _Abort(Exception):
    """An error from a custom unmarshaler: Go stops decoding and returns it."""


# -- typed store ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoType:
    """Enough of a Go type to reproduce encoding/json's behaviour and error texts."""

    kind: str  # "string" | "bool" | "map" | "slice" | "struct" | "text" (a string Unmarshaler)
    name: str  # as reflect.Type.String() prints it
    elem: GoType | None = None
    fields: tuple[tuple[str, GoType], ...] = ()
    parse: Callable[[str], Any] | None = None  # for "text": raises _Abort-worthy ValueError
    raw: bool = False  # "text" whose unmarshaler sees the raw JSON (time.Time), not a decoded string
    # A model with its own UnmarshalJSON that decodes the raw value into several parts in turn.
    parts: tuple[GoType, ...] = field(default=())
    # A type with its own UnmarshalJSON that decodes into `inner` (json.Unmarshal) and then runs
    # `after` on the result (a ValueError there aborts with its text), e.g. model.LabelSet.
    inner: GoType | None = None
    after: Callable[[Any], Any] | None = None


def _kind_of(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, str):
        return "string"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, list):
        return "array"
    return "object"


@dataclass
class _TypeError:
    """json.UnmarshalTypeError: its Struct and Field may still be replaced by an outer decoder."""

    kind: str
    type_name: str
    struct: str | None
    stack: list[str]

    def __str__(self) -> str:
        if self.struct is not None or self.stack:
            return (f"json: cannot unmarshal {self.kind} into Go struct field "
                    f"{self.struct or ''}.{'.'.join(self.stack)} of type {self.type_name}")
        return f"json: cannot unmarshal {self.kind} into Go value of type {self.type_name}"

    def in_context(self, struct: str | None, stack: list[str]) -> _TypeError:
        """decodeState.addErrorContext: an outer field context wins."""
        if struct is not None or stack:
            return _TypeError(self.kind, self.type_name, struct, list(stack))
        return self


class _Store:
    def __init__(self) -> None:
        self.saved: _TypeError | None = None

    def type_error(self, value: Any, t: GoType, struct: str | None, stack: list[str]) -> None:
        if self.saved is None:
            self.saved = _TypeError(_kind_of(value), t.name, struct, list(stack))

    def _abort(self, err: Any, struct: str | None, stack: list[str]) -> _Abort:
        if isinstance(err, _TypeError):
            err = err.in_context(struct, stack)
        return _Abort(err)

    def store(self, v: Any, t: GoType, struct: str | None, stack: list[str]) -> Any:
        if v is None:
            return None
        if t.parts:
            return self.composed(v, t, struct, stack)
        if t.inner is not None:
            return self.custom(v, t, struct, stack)
        if t.kind == "text" and t.raw:
            assert t.parse is not None
            try:
                return t.parse(json.dumps(v, ensure_ascii=False, separators=(",", ":")))
            except ValueError as e:
                raise _Abort(str(e)) from None
        if t.kind == "text":
            if not isinstance(v, str):
                # The unmarshaler decodes into a string; the outer context names the field.
                raise _Abort(_TypeError(_kind_of(v), "string", struct, list(stack)))
            assert t.parse is not None
            try:
                return t.parse(v)
            except ValueError as e:
                raise _Abort(str(e)) from None
        if t.kind == "string":
            if isinstance(v, str):
                return v
            self.type_error(v, t, struct, stack)
            return None
        if t.kind == "bool":
            if isinstance(v, bool):
                return v
            self.type_error(v, t, struct, stack)
            return None
        if t.kind == "map":
            if not isinstance(v, dict):
                self.type_error(v, t, struct, stack)
                return None
            assert t.elem is not None
            out: dict[str, Any] = {}
            for k, item in v.items():
                sv = self.store(item, t.elem, struct, stack)
                out[k] = "" if sv is None and t.elem.kind == "string" else sv
            return out
        if t.kind == "slice":
            if not isinstance(v, list):
                self.type_error(v, t, struct, stack)
                return None
            assert t.elem is not None
            return [self.store(item, t.elem, struct, stack) for item in v]
        # struct
        if not isinstance(v, dict):
            self.type_error(v, t, struct, stack)
            return None
        return self.struct_fields(v, t, stack)

    def struct_fields(self, v: dict[str, Any], t: GoType, stack: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in v.items():
            name, ft = _field(t, key)
            if ft is None:
                continue
            # Go names the innermost struct type (without package); anonymous structs have "".
            struct = "" if t.name.startswith("struct") else t.name.rpartition(".")[2]
            out[name] = self.store(item, ft, struct, stack + [name])
        return out

    def custom(self, v: Any, t: GoType, struct: str | None, stack: list[str]) -> Any:
        # UnmarshalJSON calling json.Unmarshal on its raw bytes: a fresh decode, whose first error
        # ends the outer one at once (type errors then carry the outer field's name).
        assert t.inner is not None
        inner = _Store()
        try:
            got = inner.store(v, t.inner, None, [])
        except _Abort as e:
            raise self._abort(e.args[0], struct, stack) from None
        if inner.saved is not None:
            raise self._abort(inner.saved, struct, stack)
        if t.after is not None:
            try:
                got = t.after(got)
            except ValueError as e:
                raise _Abort(str(e)) from None
        return got

    def composed(self, v: Any, t: GoType, struct: str | None, stack: list[str]) -> Any:
        # A model's own UnmarshalJSON: each part is a separate json.Unmarshal of the raw value.
        out: dict[str, Any] = {}
        for part in t.parts:
            inner = _Store()
            try:
                got = inner.store(v, part, None, [])
            except _Abort as e:
                raise self._abort(e.args[0], struct, stack) from None
            if inner.saved is not None:
                raise self._abort(inner.saved, struct, stack)
            if isinstance(got, dict):
                out.update(got)
        return out


def _field(t: GoType, key: str) -> tuple[str, GoType | None]:
    for name, ft in t.fields:
        if name == key:
            return name, ft
    low = key.lower()
    for name, ft in t.fields:
        if name.lower() == low:
            return name, ft
    return key, None


def _fix_surrogates(v: Any) -> Any:
    # Go turns an unpaired \ud800-style escape into U+FFFD; Python keeps the lone surrogate.
    if isinstance(v, str):
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in v) if _has_surrogate(v) else v
    if isinstance(v, list):
        return [_fix_surrogates(x) for x in v]
    if isinstance(v, dict):
        return {_fix_surrogates(k): _fix_surrogates(x) for k, x in v.items()}
    return v


def _has_surrogate(s: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in s)


class _Slow(Exception):
    """Something the fast path does not judge: the generic decoder decides (and words errors)."""


Check = Callable[[Any], Any]
_COMPILED: dict[int, Check] = {}


def _compiled(t: GoType) -> Check:
    """A checker for `t`, built once per type: the common, well-typed body decoded without the
    generic decoder's bookkeeping (same result); anything unusual raises `_Slow`."""
    got = _COMPILED.get(id(t))
    if got is None:
        got = _COMPILED[id(t)] = _compile(t)
    return got


def _slow() -> Any:
    raise _Slow()


def _compile(t: GoType) -> Check:
    if t.parts:
        parts = [_compiled(p) for p in t.parts]

        def composed(v: Any) -> Any:
            if v is None:
                return None
            out: dict[str, Any] = {}
            for part in parts:
                got = part(v)
                if type(got) is dict:
                    out.update(got)
            return out
        return composed
    if t.inner is not None:
        inner, after = _compiled(t.inner), t.after

        def custom(v: Any) -> Any:
            got = inner(v)
            if after is not None and v is not None:
                try:
                    return after(got)
                except ValueError:
                    return _slow()
            return got
        return custom
    if t.kind in ("string", "bool"):
        want = str if t.kind == "string" else bool

        def scalar(v: Any) -> Any:
            return v if v is None or type(v) is want else _slow()
        return scalar
    if t.kind == "text":
        parse = t.parse
        if t.raw or parse is None:
            return lambda v: None if v is None else _slow()

        def text(v: Any) -> Any:
            if v is None:
                return None
            if type(v) is not str:
                return _slow()
            try:
                return parse(v)
            except ValueError:
                return _slow()
        return text
    if t.kind in ("map", "slice"):
        assert t.elem is not None
        elem = _compiled(t.elem)
        plain = t.elem.kind == "string" and t.elem.inner is None
        if t.kind == "slice":
            return lambda v: None if v is None else [elem(x) for x in v] if type(v) is list else _slow()

        def mapping(v: Any) -> Any:
            if v is None:
                return None
            if type(v) is not dict:
                return _slow()
            if plain:
                return v if all(type(x) is str for x in v.values()) else _slow()
            return {k: elem(x) for k, x in v.items()}
        return mapping
    exact = {name: _compiled(ft) for name, ft in t.fields}
    lower = frozenset(n.lower() for n in exact)

    def struct(v: Any) -> Any:
        if v is None:
            return None
        if type(v) is not dict:
            return _slow()
        res: dict[str, Any] = {}
        for key, item in v.items():
            check = exact.get(key)
            if check is None:
                if key.lower() in lower:
                    return _slow()  # a case-insensitive match: the generic decoder's business
                continue
            res[key] = check(item)
        return res
    return struct


def _no_constants(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON to Go


_FAST = json.JSONDecoder(parse_constant=_no_constants)
_LONE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _first_value(text: str) -> Any:
    """The C decoder when the body is good (where it accepts, Go accepts the same value); Go's
    own scanner, for its error text, when it is not."""
    start = len(text) - len(text.lstrip(" \t\r\n"))
    try:
        value, _ = _FAST.raw_decode(text, start)
        return value
    except ValueError:
        return json.loads(Scanner(text).first_value(), parse_constant=_no_constants)


_ANY = msgspec.json.Decoder()


def _generic_value(body: bytes) -> Any:
    text = body.decode("utf-8", "replace")
    value = _first_value(text)
    if _LONE_ESCAPE.search(text):
        value = _fix_surrogates(value)
    return value


def decode(body: bytes, t: GoType) -> Any:
    """Decode `body` into `t` as json.NewDecoder(body).Decode would; raises BodyEOF or DecodeError."""
    check = _compiled(t)
    try:
        # A single well-formed value in valid UTF-8: msgspec reads it as Go does. It rejects lone
        # surrogate escapes, invalid UTF-8, a BOM, NaN and text after the value, all of which
        # the generic path handles the Go way.
        value = _ANY.decode(body)
    except msgspec.DecodeError:
        value = _generic_value(body)
    else:
        try:
            return check(value)
        except _Slow:
            # The generic store was written against the stdlib decoder's values: give it those.
            value = _generic_value(body)
    try:
        return check(value)
    except _Slow:
        pass
    st = _Store()
    try:
        out = st.store(value, t, None, [])
    except _Abort as e:
        raise DecodeError(str(e.args[0])) from None
    if st.saved is not None:
        raise DecodeError(str(st.saved))
    return out
