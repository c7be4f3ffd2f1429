"""The first half of Go's ``json.Decoder.Decode``: finding the first JSON value in a body, with
the scanner's syntax errors word for word (``invalid character '}' looking for beginning of
object key string``, ``unexpected EOF``). Text after that first value is never looked at."""

from __future__ import annotations

from amclone.compat.gojson import quote_char


class BodyEOF(Exception):
    """The body held no JSON value at all (Go's io.EOF): go-swagger reports the body missing."""


class DecodeError(Exception):
    """Go's error text for a body that could not be decoded."""


_WS = " \t\r\n"


class Scanner:
    """Finds the extent of the first JSON value in `text`, with Go's syntax error texts."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def _err(self, what: str) -> DecodeError:
        if self.i >= len(self.s):
            return DecodeError("unexpected EOF")
        return DecodeError(f"invalid character {quote_char(self.s[self.i])} {what}")

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
                raise self._err(f"in literal {word} (expecting {quote_char(ch)})")
            self.i += 1
