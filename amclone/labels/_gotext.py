"""Go string helpers the matcher parsers depend on: `unicode.IsSpace`, `strings.TrimSpace` and
`strconv.Unquote` for double-quoted strings.

Python's own versions differ in ways users can hit: ``str.isspace`` also accepts U+001C..U+001F,
and ``ast.literal_eval`` knows escapes Go does not (``\\N{...}``) and allows raw newlines.
"""

from __future__ import annotations

# unicode.IsSpace: Latin-1 space characters plus the White_Space property (category Z and friends).
_SPACES = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def is_space(ch: str) -> bool:
    return ch in _SPACES


def trim_space(s: str) -> str:
    """`strings.TrimSpace`."""
    i, j = 0, len(s)
    while i < j and s[i] in _SPACES:
        i += 1
    while j > i and s[j - 1] in _SPACES:
        j -= 1
    return s[i:j]


_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
           "\\": "\\", '"': '"'}
_HEX = "0123456789abcdefABCDEF"


class UnquoteError(ValueError):
    """`strconv.ErrSyntax`: the text is not a valid Go double-quoted string."""


def unquote(s: str) -> str:
    """`strconv.Unquote` for ``"..."`` strings.

    ``\\xNN`` and octal escapes denote bytes; a byte that does not form valid UTF-8 with its
    neighbours comes back as a surrogate escape, which callers reject as Go does.
    """
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise UnquoteError(s)
    body = s[1:-1]
    if "\n" in body:
        raise UnquoteError(s)
    if "\\" not in body and is_valid_utf8(body):
        if '"' in body:
            raise UnquoteError(s)
        return body
    out = bytearray()
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == '"':
            raise UnquoteError(s)
        if ch != "\\":
            # A raw invalid byte decodes as utf8.RuneError and is written back as U+FFFD.
            out += ("\ufffd" if "\udc80" <= ch <= "\udcff" else ch).encode("utf-8", "surrogatepass")
            i += 1
            continue
        if i + 1 >= n:
            raise UnquoteError(s)
        c = body[i + 1]
        if c in _SIMPLE:
            out += _SIMPLE[c].encode()
            i += 2
        elif c in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[c]
            digits = body[i + 2:i + 2 + width]
            if len(digits) != width or any(d not in _HEX for d in digits):
                raise UnquoteError(s)
            value = int(digits, 16)
            if c == "x":
                out.append(value)
            else:
                if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
                    raise UnquoteError(s)
                out += chr(value).encode()
            i += 2 + width
        elif c in "01234567":
            digits = body[i + 1:i + 4]
            if len(digits) != 3 or any(d not in "01234567" for d in digits):
                raise UnquoteError(s)
            value = int(digits, 8)
            if value > 255:
                raise UnquoteError(s)
            out.append(value)
            i += 4
        else:
            raise UnquoteError(s)
    return out.decode("utf-8", "surrogateescape")


def is_valid_utf8(s: str) -> bool:
    """`utf8.ValidString` for text that carries invalid bytes as surrogate escapes."""
    if s.isascii():
        return True
    try:
        s.encode()
    except UnicodeEncodeError:
        return False
    return True
