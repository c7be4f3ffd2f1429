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

from amclone.compat.goquote import quote


class BodyEOF(Exception):
    """The body held no JSON value at all (Go's io.EOF): go-swagger reports the body missing."""


class DecodeError(Exception):
    """Go's error text for a body that could not be decoded."""


class _Abort(Exception):
    """An error from a custom unmarshaler: Go stops decoding and returns it."""


_WS = " \t\r\n"
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _qc(ch: str) -> str:
    """Go's quoteChar for scanner errors."""
    if ch == "'":
        return "'\\''"
    if ch == '"':
        return "'\"'"
    return "'" + quote(ch)[1:-1] + "'"


class _Scanner:
    """Finds the extent of the first JSON value in `text`, with Go's syntax error texts."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def _err(self, what: str) -> DecodeError:
        if self.i >= len(self.s):
            return DecodeError("unexpected EOF")
        return DecodeError(f"invalid character {_qc(self.s[self.i])} {what}")

    def _ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in _WS:
            self.i += 1

    def first_value(self) -> str:
        self._ws()
        if self.i >= len(self.s):
            raise BodyEOF()
        start = self.i
        self._value()
        return self.s[start:self.i]

    def _value(self) -> None:
        self._ws()
        if self.i >= len(self.s):
            raise DecodeError("unexpected EOF")
        c = self.s[self.i]
        if c == "{":
            self._object()
        elif c == "[":
            self._array()
        elif c == '"':
            self._string()
        elif c == "-" or c.isdigit() and c.isascii():
            self._number()
        elif c in "tfn":
            self._literal({"t": "true", "f": "false", "n": "null"}[c])
        else:
            raise self._err("looking for beginning of value")

    def _object(self) -> None:
        self.i += 1
        self._ws()
        if self.i < len(self.s) and self.s[self.i] == "}":
            self.i += 1
            return
        while True:
            self._ws()
            if self.i >= len(self.s) or self.s[self.i] != '"':
                raise self._err("looking for beginning of object key string")
            self._string()
            self._ws()
            if self.i >= len(self.s) or self.s[self.i] != ":":
                raise self._err("after object key")
            self.i += 1
            self._value()
            self._ws()
            if self.i < len(self.s) and self.s[self.i] == ",":
                self.i += 1
                continue
            if self.i < len(self.s) and self.s[self.i] == "}":
                self.i += 1
                return
            raise self._err("after object key:value pair")

    def _array(self) -> None:
        self.i += 1
        self._ws()
        if self.i < len(self.s) and self.s[self.i] == "]":
            self.i += 1
            return
        while True:
            self._value()
            self._ws()
            if self.i < len(self.s) and self.s[self.i] == ",":
                self.i += 1
                continue
            if self.i < len(self.s) and self.s[self.i] == "]":
                self.i += 1
                return
            raise self._err("after array element")

    def _string(self) -> None:
        self.i += 1
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == '"':
                self.i += 1
                return
            if c == "\\":
                self.i += 1
                if self.i >= len(self.s):
                    break
                e = self.s[self.i]
                if e == "u":
                    for _ in range(4):
                        self.i += 1
                        if self.i >= len(self.s):
                            raise DecodeError("unexpected EOF")
                        if self.s[self.i] not in "0123456789abcdefABCDEF":
                            raise self._err("in \\u hexadecimal character escape")
                elif e not in '"\\/bfnrt':
                    raise self._err("in string escape code")
            elif ord(c) < 0x20:
                raise self._err("in string literal")
            self.i += 1
        raise DecodeError("unexpected EOF")

    def _number(self) -> None:
        s, i = self.s, self.i
        if s[i] == "-":
            i += 1
            if i >= len(s):
                self.i = i
                raise DecodeError("unexpected EOF")
            if not ("0" <= s[i] <= "9"):
                self.i = i
                raise self._err("in numeric literal")
        if s[i] == "0":
            i += 1
        else:
            while i < len(s) and "0" <= s[i] <= "9":
                i += 1
        if i < len(s) and s[i] == ".":
            i += 1
            if i >= len(s) or not ("0" <= s[i] <= "9"):
                self.i = i
                if i >= len(s):
                    raise DecodeError("unexpected EOF")
                raise self._err("after decimal point in numeric literal")
            while i < len(s) and "0" <= s[i] <= "9":
                i += 1
        if i < len(s) and s[i] in "eE":
            i += 1
            if i < len(s) and s[i] in "+-":
                i += 1
            if i >= len(s) or not ("0" <= s[i] <= "9"):
                self.i = i
                if i >= len(s):
                    raise DecodeError("unexpected EOF")
                raise self._err("in exponent of numeric literal")
            while i < len(s) and "0" <= s[i] <= "9":
                i += 1
        self.i = i

    def _literal(self, word: str) -> None:
        for ch in word:
            if self.i >= len(self.s):
                raise DecodeError("unexpected EOF")
            if self.s[self.i] != ch:
                raise self._err(f"in literal {word} (expecting {_qc(ch)})")
            self.i += 1


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


class _Store:
    def __init__(self) -> None:
        self.saved: str | None = None

    def type_error(self, value: Any, t: GoType, struct: str | None, stack: list[str]) -> None:
        if self.saved is not None:
            return
        kind = _kind_of(value)
        if struct is not None or stack:
            self.saved = (f"json: cannot unmarshal {kind} into Go struct field "
                          f"{struct or ''}.{'.'.join(stack)} of type {t.name}")
        else:
            self.saved = f"json: cannot unmarshal {kind} into Go value of type {t.name}"

    def store(self, v: Any, t: GoType, struct: str | None, stack: list[str]) -> Any:
        if v is None:
            return None
        if t.parts:
            return self.composed(v, t, struct, stack)
        if t.kind == "text" and t.raw:
            assert t.parse is not None
            try:
                return t.parse(json.dumps(v, ensure_ascii=False, separators=(",", ":")))
            except ValueError as e:
                raise _Abort(str(e)) from None
        if t.kind == "text":
            if not isinstance(v, str):
                # The unmarshaler decodes into a string; the outer context names the field.
                inner = _Store()
                inner.type_error(v, GoType("string", "string"), struct, stack)
                raise _Abort(inner.saved)
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

    def composed(self, v: Any, t: GoType, struct: str | None, stack: list[str]) -> Any:
        # A model's own UnmarshalJSON: each part is a separate json.Unmarshal of the raw value.
        out: dict[str, Any] = {}
        for part in t.parts:
            inner = _Store()
            got = inner.store(v, part, None, [])
            if inner.saved is not None:
                raise _Abort(inner.saved)
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


def decode(body: bytes, t: GoType) -> Any:
    """Decode `body` into `t` as json.NewDecoder(body).Decode would; raises BodyEOF or DecodeError."""
    text = body.decode("utf-8", "replace")
    raw = _Scanner(text).first_value()
    value = _fix_surrogates(json.loads(raw))
    st = _Store()
    try:
        out = st.store(value, t, None, [])
    except _Abort as e:
        raise DecodeError(str(e)) from None
    if st.saved is not None:
        raise DecodeError(st.saved)
    return out
