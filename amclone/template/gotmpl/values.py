"""How Python values stand in for Go values inside the template engine.

Go templates see static types: error texts name them (``can't evaluate field X in type
template.KV``), function arguments are checked against them, and ``eq`` compares by kind. Plain
``str``/``bool``/``int``/``float`` are Go's ``string``/``bool``/``int``/``float64``; ``None`` is an
invalid (missing) value; anything else declares its Go type with a ``go_type`` class attribute, and
structs list their fields and methods. Subclassing ``list``/``dict`` keeps data construction cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, NamedTuple


class GoError(Exception):
    """A Go function returned a non-nil error (or panicked); ``str()`` is the error's text."""


class Func(NamedTuple):
    """A callable as templates see it: parameter Go types, variadic tail, whether it may fail."""

    fn: Callable[..., Any]
    params: tuple[str, ...]
    variadic: bool = False
    builtin: bool = False


class GoStruct:
    """Base of struct-like values: ``go_fields`` are readable, ``go_methods`` callable."""

    __slots__ = ()
    go_type: ClassVar[str] = "struct {}"
    go_fields: ClassVar[tuple[str, ...]] = ()
    go_methods: ClassVar[dict[str, Func]] = {}


class GoMap(dict[Any, Any]):
    """A ``map[string]interface {}``; a missing key reads as an invalid value."""

    go_type: ClassVar[str] = "map[string]interface {}"
    go_methods: ClassVar[dict[str, Func]] = {}
    elem_zero: ClassVar[Any] = None
    key_type: ClassVar[str] = "string"


class GoSlice(list[Any]):
    """A ``[]interface {}``. ``cap`` matters only for index/slice errors past the length."""

    go_type: ClassVar[str] = "[]interface {}"
    go_methods: ClassVar[dict[str, Func]] = {}
    elem_type: ClassVar[str] = "interface {}"


class StringSlice(GoSlice):
    go_type = "[]string"
    elem_type = "string"


class Uint8(int):
    """A byte, as indexing a string yields."""

    go_type: ClassVar[str] = "uint8"


class Uint64(int):
    go_type: ClassVar[str] = "uint64"


class Int64(int):
    go_type: ClassVar[str] = "int64"


class NilPointer:
    """A nil *time.Location (UTC times): <nil> under %v, 0 under integer verbs."""

    go_type: ClassVar[str] = "*time.Location"


class HTML(str):
    """html/template.HTML: trusted markup that html escaping passes through."""

    go_type: ClassVar[str] = "template.HTML"


# Named types whose underlying type is an unnamed one: assignable both ways (Go's spec rule).
UNDERLYING: dict[str, str] = {
    "template.KV": "map[string]string",
    "template.Alerts": "[]template.Alert",
    "template.Pairs": "[]template.Pair",
}


def type_name(v: Any) -> str:
    t = type(v)
    if t is str:
        return "string"
    if t is bool:
        return "bool"
    if t is int:
        return "int"
    if t is float:
        return "float64"
    if t is complex:
        return "complex128"
    if v is None:
        return "<nil>"
    name = getattr(t, "go_type", None)
    if name is not None:
        return str(name)
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, (list, tuple)):
        return "[]interface {}"
    if callable(v):
        return "func()"
    return t.__name__


# Kinds, as reflect.Kind groups them for comparison and truth.
K_INVALID, K_BOOL, K_INT, K_UINT, K_FLOAT, K_COMPLEX, K_STRING, K_MAP, K_SLICE, K_STRUCT, K_FUNC = range(11)


def kind(v: Any) -> int:
    if v is None:
        return K_INVALID
    if isinstance(v, bool):
        return K_BOOL
    if isinstance(v, (Uint8, Uint64)):
        return K_UINT
    if isinstance(v, int):
        return K_INT
    if isinstance(v, float):
        return K_FLOAT
    if isinstance(v, complex):
        return K_COMPLEX
    if isinstance(v, str):
        return K_STRING
    if isinstance(v, dict):
        return K_MAP
    if isinstance(v, (list, tuple)):
        return K_SLICE
    if isinstance(v, GoStruct):
        return K_STRUCT
    if callable(v):
        return K_FUNC
    return K_STRUCT


def is_true(v: Any) -> tuple[bool, bool]:
    """Go's isTrue: (truth, ok); structs are always true, empty containers false."""
    if v is None:
        return False, True
    if isinstance(v, (str, list, tuple, dict)):
        return len(v) > 0, True
    if isinstance(v, (bool, int, float, complex)):
        return v != 0, True
    return True, True


def assignable(v: Any, typ: str) -> bool:
    if typ in ("any", "reflect.Value"):
        return True
    tn = type_name(v)
    return tn == typ or UNDERLYING.get(tn) == typ or UNDERLYING.get(typ) == tn


def can_be_nil(typ: str) -> bool:
    return typ in ("any",) or typ.startswith(("[]", "map[", "*", "func")) or typ in UNDERLYING


def zero_of(typ: str) -> Any:
    """reflect.Zero for the parameter types our functions declare."""
    if typ == "[]string":
        return StringSlice()
    if typ == "string":
        return ""
    return None


def go_len(v: Any) -> int:
    """len() as Go counts: bytes of a string's UTF-8 form."""
    if isinstance(v, str):
        return len(v) if v.isascii() else len(v.encode("utf-8", "surrogateescape"))
    return len(v)


_LOOKUP: dict[tuple[type, str], tuple[int, Any]] = {}


def lookup(recv: Any, name: str) -> tuple[int, Any]:
    """What ``.name`` means on `recv`: (1, Func) a method, (2, value) a struct field,
    (3, None) a map key, (0, None) nothing. Resolved once per (type, name)."""
    t = type(recv)
    hit = _LOOKUP.get((t, name))
    if hit is not None:
        return (2, getattr(recv, name)) if hit[0] == 2 else hit
    res = _resolve(recv, name)
    _LOOKUP[(t, name)] = (res[0], None) if res[0] == 2 else res
    return res


def _resolve(recv: Any, name: str) -> tuple[int, Any]:
    t = type(recv)
    methods = getattr(t, "go_methods", None)
    if methods:
        m = methods.get(name)
        if m is not None:
            return 1, m
    if isinstance(recv, GoStruct):
        if name in t.go_fields:
            return 2, getattr(recv, name)
        return 0, None
    if isinstance(recv, dict):
        return 3, None
    return 0, None
