"""text/template's predefined functions (Go 1.19 ``funcs.go``): comparison, logic, len, index,
slice, print*, html, js, urlquery and call, with Go's error texts.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from amclone.template.gotmpl.gofmt import sprint, sprint_value, sprintf, sprintln
from amclone.template.gotmpl.values import (
    K_BOOL,
    K_COMPLEX,
    K_FLOAT,
    K_INT,
    K_INVALID,
    K_MAP,
    K_SLICE,
    K_STRING,
    K_UINT,
    Func,
    GoError,
    Uint8,
    assignable,
    go_len,
    is_true,
    kind,
    type_name,
)

_BAD_TYPE = "invalid type for comparison"
_BAD_CMP = "incompatible types for comparison"


def _basic(v: Any) -> int:
    k = kind(v)
    return k if k in (K_BOOL, K_INT, K_UINT, K_FLOAT, K_COMPLEX, K_STRING) else -1


def eq(a: Any, *bs: Any) -> bool:
    if not bs:
        raise GoError("missing argument for comparison")
    k1 = _basic(a)
    for b in bs:
        k2 = _basic(b)
        if k1 != k2:
            if {k1, k2} == {K_INT, K_UINT}:
                if a == b:
                    return True
                continue
            if a is not None and b is not None:
                raise GoError(_BAD_CMP)
            truth = False
        elif k1 == -1:
            if a is None or b is None:
                truth = a is None and b is None
            elif type_name(a) != type_name(b):
                raise GoError(f"non-comparable types {sprint_value(a)}: {type_name(a)}, {type_name(b)}: "
                              f"{sprint_value(b)}")
            elif kind(b) in (K_MAP, K_SLICE) or not getattr(b, "go_comparable", True):
                raise GoError(f"non-comparable type {sprint_value(b)}: {type_name(b)}")
            else:
                truth = a == b
        elif k1 == K_STRING:
            truth = str(a) == str(b)
        else:
            truth = a == b
        if truth:
            return True
    return False


def ne(a: Any, b: Any) -> bool:
    return not eq(a, b)


def lt(a: Any, b: Any) -> bool:
    k1, k2 = _basic(a), _basic(b)
    if k1 == -1 or k2 == -1:
        raise GoError(_BAD_TYPE)
    if k1 != k2:
        if {k1, k2} == {K_INT, K_UINT}:
            return bool(a < b)
        raise GoError(_BAD_CMP)
    if k1 in (K_BOOL, K_COMPLEX):
        raise GoError(_BAD_TYPE)
    if k1 == K_STRING:
        return str(a).encode("utf-8", "surrogateescape") < str(b).encode("utf-8", "surrogateescape")
    return bool(a < b)


def le(a: Any, b: Any) -> bool:
    return lt(a, b) or eq(a, b)


def gt(a: Any, b: Any) -> bool:
    return not le(a, b)


def ge(a: Any, b: Any) -> bool:
    return not lt(a, b)


def not_(a: Any) -> bool:
    return not is_true(a)[0]


def length(v: Any) -> int:
    if v is None:
        raise GoError("reflect: call of reflect.Value.Type on zero Value")
    if kind(v) in (K_STRING, K_MAP, K_SLICE):
        return go_len(v)
    raise GoError(f"len of type {type_name(v)}")


def _index_arg(i: Any, cap: int) -> int:
    k = kind(i)
    if k in (K_INT, K_UINT):
        x = int(i)
    elif k == K_INVALID:
        raise GoError("cannot index slice/array with nil")
    else:
        raise GoError(f"cannot index slice/array with type {type_name(i)}")
    if x < 0 or x > cap:
        raise GoError(f"index out of range: {x}")
    return x


def _cap(v: Any) -> int:
    return max(getattr(v, "cap", 0) or 0, go_len(v))


def index(item: Any, *idx: Any) -> Any:
    if item is None:
        raise GoError("index of untyped nil")
    for i in idx:
        k = kind(item)
        if k in (K_SLICE, K_STRING):
            x = _index_arg(i, _cap(item))
            if x >= go_len(item):
                if k == K_STRING:
                    raise GoError("reflect: string index out of range")
                raise GoError("reflect: slice index out of range")
            if k == K_STRING:
                item = Uint8(item.encode("utf-8", "surrogateescape")[x])
            else:
                item = item[x]
        elif k == K_MAP:
            kt = getattr(type(item), "key_type", "string")
            if i is None:
                raise GoError(f"value is nil; should be of type {kt}")
            if not assignable(i, kt):
                raise GoError(f"value has type {type_name(i)}; should be {kt}")
            item = item.get(i, getattr(type(item), "elem_zero", None))
        else:
            raise GoError(f"can't index item of type {type_name(item)}")
    return item


def slice_(item: Any, *idx: Any) -> Any:
    if item is None:
        raise GoError("slice of untyped nil")
    if len(idx) > 3:
        raise GoError(f"too many slice indexes: {len(idx)}")
    k = kind(item)
    if k == K_STRING:
        if len(idx) == 3:
            raise GoError("cannot 3-index slice a string")
        cap = go_len(item)
    elif k == K_SLICE:
        cap = _cap(item)
    else:
        raise GoError(f"can't slice item of type {type_name(item)}")
    bounds = [0, go_len(item)]
    for n, i in enumerate(idx):
        x = _index_arg(i, cap)
        if n < 2:
            bounds[n] = x
        else:
            bounds.append(x)
    if bounds[0] > bounds[1]:
        raise GoError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    if len(bounds) == 3 and bounds[1] > bounds[2]:
        raise GoError(f"invalid slice index: {bounds[1]} > {bounds[2]}")
    if k == K_STRING:
        b = item.encode("utf-8", "surrogateescape")[bounds[0]:bounds[1]]
        return b.decode("utf-8", "surrogateescape")
    out = type(item)(item[bounds[0]:bounds[1]])
    if bounds[1] > len(item):
        # Past the length but within the capacity: Go shows the zero elements there.
        zero = getattr(type(item), "zero_elem", None)
        out.extend(zero() if zero else None for _ in range(bounds[1] - max(bounds[0], len(item))))
    return out


def _eval_args(args: tuple[Any, ...]) -> str:
    if len(args) == 1 and type(args[0]) is str:
        return args[0]
    return sprint(list(args))


_HTML = {"\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}


_HTML_TT = {ord(k): v for k, v in _HTML.items()}


def html_escape_string(s: str) -> str:
    return s.translate(_HTML_TT)


def html(*args: Any) -> str:
    return html_escape_string(_eval_args(args))


_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D"}


def js_escape_string(s: str) -> str:
    out = []
    for c in s:
        if c in _JS:
            out.append(_JS[c])
        elif ord(c) < 0x20 or ord(c) >= 0x80 and not (c.isprintable() or c == " "):
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return "".join(out)


def js(*args: Any) -> str:
    return js_escape_string(_eval_args(args))


def query_escape(s: str) -> str:
    """Go's url.QueryEscape."""
    return urllib.parse.quote_plus(s.encode("utf-8", "surrogateescape"), safe="-_.~")


def urlquery(*args: Any) -> str:
    return query_escape(_eval_args(args))


def call(fn: Any, *args: Any) -> Any:
    if fn is None:
        raise GoError("call of nil")
    if not callable(fn) or isinstance(fn, type):
        raise GoError(f"non-function of type {type_name(fn)}")
    try:
        return fn(*args)
    except TypeError as e:
        raise GoError(str(e)) from None


def printf(fmt: str, *args: Any) -> str:
    return sprintf(fmt, list(args))


def _unreachable(*args: Any) -> Any:
    raise AssertionError("and/or are evaluated by the executor")


RV = "reflect.Value"

BUILTINS: dict[str, Func] = {
    "and": Func(_unreachable, (RV, RV), True, True),
    "or": Func(_unreachable, (RV, RV), True, True),
    "not": Func(not_, (RV,), False, True),
    "call": Func(call, (RV, RV), True, True),
    "html": Func(html, ("any",), True, True),
    "index": Func(index, (RV, RV), True, True),
    "slice": Func(slice_, (RV, RV), True, True),
    "js": Func(js, ("any",), True, True),
    "len": Func(length, (RV,), False, True),
    "print": Func(lambda *a: sprint(list(a)), ("any",), True, True),
    "printf": Func(printf, ("string", "any"), True, True),
    "println": Func(lambda *a: sprintln(list(a)), ("any",), True, True),
    "urlquery": Func(urlquery, ("any",), True, True),
    "eq": Func(eq, (RV, RV), True, True),
    "ge": Func(ge, (RV, RV), False, True),
    "gt": Func(gt, (RV, RV), False, True),
    "le": Func(le, (RV, RV), False, True),
    "lt": Func(lt, (RV, RV), False, True),
    "ne": Func(ne, (RV, RV), False, True),
}
