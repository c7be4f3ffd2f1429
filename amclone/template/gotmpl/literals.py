"""Literal syntax inside actions: Go's strconv.Unquote for strings and characters, and the
parse's NumberNode construction (every int/uint/float/complex reading a literal admits), with the
error texts Go's parser gives ("integer overflow", "illegal number syntax", "invalid syntax").
"""

from __future__ import annotations

import re

from amclone.template.gotmpl.lexer import T
from amclone.template.gotmpl.nodes import NumberNode, Source

_ESC = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def unquote(s: str) -> str:
    """Go's strconv.Unquote for "..." and `...` literals; raises ValueError("invalid syntax")."""
    if len(s) < 2 or s[0] != s[-1]:
        raise ValueError("invalid syntax")
    q, body = s[0], s[1:-1]
    if q == "`":
        if "`" in body:
            raise ValueError("invalid syntax")
        return body.replace("\r", "")
    if q == "'":
        out, tail = unquote_char(body, "'")
        if tail:
            raise ValueError("invalid syntax")
        return out
    if q != '"':
        raise ValueError("invalid syntax")
    if "\\" not in body and '"' not in body and "\n" not in body:
        return body
    res = []
    while body:
        if body[0] == '"' or body[0] == "\n":
            raise ValueError("invalid syntax")
        ch, body = unquote_char(body, '"')
        res.append(ch)
    return "".join(res)


def unquote_char(s: str, q: str) -> tuple[str, str]:
    """One (possibly escaped) character of a quoted literal, and the rest."""
    if not s:
        raise ValueError("invalid syntax")
    c = s[0]
    if c != "\\":
        if c == q and q == "'":
            raise ValueError("invalid syntax")
        return c, s[1:]
    if len(s) < 2:
        raise ValueError("invalid syntax")
    e = s[1]
    if e in _ESC:
        return _ESC[e], s[2:]
    if e in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[e]
        digits = s[2:2 + n]
        if len(digits) != n or not all(d in "0123456789abcdefABCDEF" for d in digits):
            raise ValueError("invalid syntax")
        v = int(digits, 16)
        if e == "x":
            # A \x byte; valid UTF-8 sequences of them are rare in templates, keep it as a byte.
            return chr(v) if v < 0x80 else chr(0xDC00 + v), s[2 + n:]
        if v > 0x10FFFF or 0xD800 <= v < 0xE000:
            raise ValueError("invalid syntax")
        return chr(v), s[2 + n:]
    if e in "01234567":
        digits = s[1:4]
        if len(digits) != 3 or not all(d in "01234567" for d in digits) or int(digits, 8) > 255:
            raise ValueError("invalid syntax")
        v = int(digits, 8)
        return chr(v) if v < 0x80 else chr(0xDC00 + v), s[4:]
    if e == q:
        return e, s[2:]
    raise ValueError("invalid syntax")


_OCTAL = re.compile(r"^[+-]?0[0-7_]+$")


def _go_int(text: str) -> int | None:
    t = text
    try:
        if _OCTAL.match(t):
            sign = -1 if t[0] == "-" else 1
            return sign * int(t.lstrip("+-").replace("_", ""), 8)
        if re.match(r"^[+-]?0\d", t):
            return None
        if "_" in t and (t.startswith("_") or t.endswith("_") or "__" in t):
            return None
        return int(t, 0)
    except ValueError:
        return None


def _go_float(text: str) -> float | None:
    t = text.replace("_", "")
    try:
        if re.match(r"^[+-]?0[xX]", t):
            f = float.fromhex(t)
        elif re.match(r"^[+-]?(inf|infinity|nan)$", t, re.IGNORECASE):
            return None
        else:
            f = float(t)
    except (ValueError, OverflowError):
        return None
    # strconv.ParseFloat reports a range error for literals beyond float64.
    return None if f in (float("inf"), float("-inf")) else f


def new_number(pos: int, src: Source, text: str, typ: T) -> NumberNode:
    """Go's newNumber: fills every view (int, uint, float, complex) the literal admits."""
    n = NumberNode(pos, src, text)
    if typ == T.CHAR_CONSTANT:
        ch, tail = unquote_char(text[1:], text[0])
        if tail != "'":
            raise ValueError(f"malformed character constant: {text}")
        n.int_val = ord(ch)
        n.is_int = n.is_uint = n.is_float = True
        n.float_val = float(n.int_val)
        return n
    if typ == T.COMPLEX or text.endswith("i"):
        try:
            c = complex(text.replace("i", "j"))
        except ValueError:
            if typ == T.COMPLEX:
                raise ValueError("expected integer") from None
        else:
            n.is_complex = True
            n.complex_val = c
            if c.imag == 0:
                n.is_float = True
                n.float_val = c.real
                if n.float_val == int(n.float_val):
                    n.is_int = True
                    n.int_val = int(c.real)
            return n
    iv = _go_int(text)
    if iv is not None:
        if 0 <= iv < 1 << 64:
            n.is_uint = True
        if -(1 << 63) <= iv < 1 << 63:
            n.is_int = True
        n.int_val = iv
    if n.is_int or n.is_uint:
        n.is_float = True
        n.float_val = float(iv or 0)
    else:
        f = _go_float(text)
        if f is not None:
            if not any(c in text for c in ".eEpP"):
                raise ValueError(f"integer overflow: {_q(text)}")
            n.is_float = True
            n.float_val = f
            if f == int(f):
                i = int(f)
                n.int_val = i
                n.is_int = -(1 << 63) <= i < 1 << 63
                n.is_uint = 0 <= i < 1 << 64
    if not (n.is_int or n.is_uint or n.is_float):
        raise ValueError(f"illegal number syntax: {_q(text)}")
    return n


def _q(s: str) -> str:
    from amclone.compat.goquote import quote

    return quote(s)
