"""The series notation of promtool's unit tests and PromQL test scripts: ``metric{l="v"}`` followed
by the expanding values ``1+2x10 _ _x3 stale -1 Inf``, with Prometheus 2.42's error texts.

Semantics (the grammar's ``series_item``), easy to get wrong by one: ``a+bxN`` and ``axN`` give
N+1 values (a, a+b, ..., a+Nb, the increment added as a float each step), ``_xN`` gives N omitted
samples, ``_`` one, ``stale`` a staleness marker (the exact NaN bits), ``Inf``/``NaN`` any case.
There are no hex numbers (``0x3`` is zero, four times) and a leading zero makes an integer octal
(``010`` is 8), as Go's ParseInt reads it. An omitted sample is ``None``.

Errors: promtool parses ``<series> <values>`` as one line with Prometheus's lexer in its
series-description mode, so positions count in that joined line and the words come from the
lexer (``bad number syntax: "1"``) or the yacc parser (``unexpected " " in series values``);
the token walk below follows the states that decide those words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from amclone.compat.goquote import quote
from amclone.rules.promql242 import unquote_string
from amclone.tsdb.stale import STALE_NAN


class NotationError(ValueError):
    """Bad series text; ``str()`` is Prometheus's ``<line>:<col>: parse error: <msg>``."""


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # ident number string space add sub times blank lbrace rbrace comma eq eqre ne nere eof
    pos: int
    val: str

    def desc(self) -> str:
        """``Item.desc``: how the parser names the token in "unexpected ..." messages."""
        if self.kind == "eof":
            return "end of input"
        if self.kind in ("add", "sub"):
            return f"<op:{self.val}>"
        if self.kind == "ident":
            return f"identifier {quote(self.val)}"
        if self.kind in ("number", "string"):
            shown = quote(self.val) if len(self.val) <= 10 else quote(self.val)[:11] + '"...'
            return f"{self.kind} {shown}"
        return quote(self.val)


_NUMBER = re.compile(r"[0-9]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]*)?")
_WORD = re.compile(r"[A-Za-z0-9_:]+")
_SPACE = " \t\n\r"


class _Lexer:
    """Prometheus's lexer with ``seriesDesc`` set: statements, inside braces, value sequence."""

    def __init__(self, line: str, values: bool) -> None:
        self.s, self.i, self.values = line, 0, values
        self.mode = "statements"
        self.toks: list[_Tok] = []

    def fail(self, pos: int, msg: str) -> NotationError:
        return NotationError(f"1:{pos + 1}: parse error: {msg}")

    def run(self) -> list[_Tok]:
        while True:
            tok = self.next()
            self.toks.append(tok)
            if tok.kind == "eof":
                return self.toks

    def _word(self) -> _Tok:
        m = _WORD.match(self.s, self.i)
        assert m is not None
        self.i = m.end()
        word = m.group()
        kind = "number" if word.lower() in ("inf", "nan") and self.mode != "braces" else "ident"
        if self.mode != "braces":
            self.mode = "statements" if self.s[self.i:self.i + 1] == "{" or not self.values else "values"
        return _Tok(kind, m.start(), word)

    def _number(self, statements: bool) -> _Tok:
        start = self.i
        m = _NUMBER.match(self.s, self.i)
        assert m is not None
        self.i = m.end()
        nxt = self.s[self.i:self.i + 1]
        if nxt and (nxt.isalnum() or nxt == "_") and nxt != "x":
            what = "bad number or duration syntax" if statements else "bad number syntax"
            raise self.fail(start, f"{what}: {quote(self.s[start:self.i])}")
        return _Tok("number", start, self.s[start:self.i])

    def next(self) -> _Tok:
        s = self.s
        if self.mode != "values":
            while self.i < len(s) and s[self.i] in _SPACE:
                self.i += 1
        if self.i >= len(s):
            if self.mode == "braces":
                raise self.fail(self.i, "unexpected end of input inside braces")
            return _Tok("eof", self.i, "")
        c, start = s[self.i], self.i
        if self.mode == "braces":
            if c.isalpha() or c == "_":
                return self._word()
            ops = {"=~": "eqre", "!~": "nere", "!=": "ne"}
            if s[start:start + 2] in ops:
                self.i += 2
                return _Tok(ops[s[start:start + 2]], start, s[start:start + 2])
            simple = {",": "comma", "=": "eq", "}": "rbrace"}
            if c in simple:
                self.i += 1
                if c == "}":
                    self.mode = "values" if self.values else "statements"
                return _Tok(simple[c], start, c)
            if c in "\"'`":
                return self._string(c)
            raise self.fail(start, f"unexpected character inside braces: {_rune(c)}")
        if self.mode == "statements":
            if c.isalpha() or c == "_":
                return self._word()
            if c == "{":
                self.i += 1
                self.mode = "braces"
                return _Tok("lbrace", start, c)
            if c.isdigit() or (c == "." and s[start + 1:start + 2].isdigit()):
                return self._number(statements=True)
            raise self.fail(start, f"unexpected character: {_rune(c)}")
        if c in _SPACE:
            while self.i < len(s) and s[self.i] in _SPACE:
                self.i += 1
            return _Tok("space", start, c)
        simple = {"+": "add", "-": "sub", "x": "times", "_": "blank"}
        if c in simple:
            self.i += 1
            return _Tok(simple[c], start, c)
        if c.isdigit() or (c == "." and s[start + 1:start + 2].isdigit()):
            return self._number(statements=False)
        if c.isalpha():
            return self._word()
        raise self.fail(start, f"unexpected character in series sequence: {_rune(c)}")

    def _string(self, q: str) -> _Tok:
        start, j = self.i, self.i + 1
        while j < len(self.s) and self.s[j] != q:
            if self.s[j] == "\\" and q != "`":
                esc = self.s[j + 1:j + 2]
                if esc and esc not in "abfnrtv\\'\"01234567xuU":
                    raise self.fail(start, f"unknown escape sequence U+{ord(esc):04X} {_rune(esc)}")
                j += 1
            j += 1
        if j >= len(self.s):
            raise self.fail(start, "unterminated quoted string" if q != "`" else "unterminated raw string")
        self.i = j + 1
        return _Tok("string", start, self.s[start:self.i])


def _rune(c: str) -> str:
    return "'\\''" if c == "'" else "'\\\\'" if c == "\\" else f"'{c}'"


def _number_value(tok: _Tok, fail: NotationError) -> float:
    """``parser.number``: ParseInt(s, 0, 64) first (``010`` is octal), then ParseFloat."""
    text = tok.val
    if text.isdigit():
        return float(int(text, 8)) if len(text) > 1 and text[0] == "0" and set(text) <= set("01234567") else float(text)
    try:
        return float(text)
    except ValueError:
        raise fail from None


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks, self.k = toks, 0

    def peek(self) -> _Tok:
        return self.toks[self.k]

    def take(self) -> _Tok:
        tok = self.toks[self.k]
        self.k += 1
        return tok

    @staticmethod
    def fail(tok: _Tok, msg: str) -> NotationError:
        return NotationError(f"1:{tok.pos + 1}: parse error: {msg}")

    def metric(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        tok = self.peek()
        if tok.kind == "ident":
            labels["__name__"] = self.take().val
        elif tok.kind != "lbrace":
            raise self.fail(tok, f"unexpected {tok.desc()} in series values")
        if self.peek().kind == "lbrace":
            self.take()
            self.label_set(labels)
        return labels

    def label_set(self, labels: dict[str, str]) -> None:
        expect = 'identifier or "}"'
        while True:
            tok = self.take()
            if tok.kind == "rbrace":  # also right after a comma: a trailing comma is allowed
                return
            if expect == 'identifier or "}"' and tok.kind == "ident":
                eq = self.take()
                if eq.kind != "eq":
                    raise self.fail(eq, f'unexpected {eq.desc()} in label set, expected "="')
                value = self.take()
                if value.kind != "string":
                    raise self.fail(value, f"unexpected {value.desc()} in label set, expected string")
                labels[tok.val] = unquote_string(value.val)
                expect = '"," or "}"'
            elif expect == '"," or "}"' and tok.kind == "comma":
                expect = 'identifier or "}"'
            else:
                raise self.fail(tok, f"unexpected {tok.desc()} in label set, expected {expect}")

    def values(self) -> list[float | None]:
        out: list[float | None] = []
        tok = self.take()
        if tok.kind not in ("space", "eof"):
            raise self.fail(tok, f"unexpected {tok.desc()} in series values")
        while tok.kind != "eof":
            tok = self.take()  # after a space: an item, or the end
            if tok.kind == "eof":
                break
            out.extend(self.item(tok))
            tok = self.take()
            if tok.kind not in ("space", "eof"):
                raise self.fail(tok, f"unexpected {tok.desc()}")
        return out

    def _inside(self, expected: str) -> _Tok:
        tok = self.take()
        if tok.kind != expected:
            raise self.fail(tok, f"unexpected {tok.desc()} in series values")
        return tok

    def _count(self) -> int:
        tok = self._inside("number")
        return int(_number_value(tok, self.fail(tok, f"invalid repetition in series values: {tok.val}")))

    def _signed(self, sign: _Tok) -> float:
        tok = self._inside("number")
        v = _number_value(tok, self.fail(tok, f"error parsing number: strconv.ParseFloat: parsing {quote(tok.val)}: "
                                              "invalid syntax"))
        return -v if sign.kind == "sub" else v

    def item(self, tok: _Tok) -> list[float | None]:
        if tok.kind == "blank":
            if self.peek().kind != "times":
                return [None]
            self.take()
            return [None] * self._count()
        if tok.kind == "ident":
            if tok.val != "stale":
                raise self.fail(tok, f'unexpected {tok.desc()} in series values, expected number or "stale"')
            value = STALE_NAN
        elif tok.kind in ("add", "sub"):
            value = self._signed(tok)
        elif tok.kind == "number":
            value = _number_value(tok, self.fail(tok, "error parsing number: strconv.ParseFloat: parsing "
                                                      f"{quote(tok.val)}: invalid syntax"))
        else:
            raise self.fail(tok, f"unexpected {tok.desc()}")
        step = 0.0
        if self.peek().kind in ("add", "sub"):
            step = self._signed(self.take())
            self._inside("times")
        elif self.peek().kind == "times":
            self.take()
        else:
            return [value]
        out: list[float | None] = []
        for _ in range(self._count() + 1):
            out.append(value)
            value += step
        return out


def parse_series(series: str, values: str) -> tuple[dict[str, str], tuple[float | None, ...]]:
    """``parser.ParseSeriesDesc`` of promtool's joined ``<series> <values>`` line."""
    parser = _Parser(_Lexer(f"{series} {values}".strip(), values=True).run())
    labels = parser.metric()
    return labels, tuple(parser.values())


def parse_values(text: str) -> tuple[float | None, ...]:
    """Expand the values notation alone (errors read as for a series named ``m``)."""
    return parse_series("m", text)[1] if text.strip() else ()


def parse_metric(text: str) -> dict[str, str]:
    """``parser.ParseMetric``: ``metric{a="b", c='d'}`` (or just one of the two parts; "" is {})."""
    if not text.strip():
        return {}
    parser = _Parser(_Lexer(text.strip(), values=False).run())
    labels = parser.metric()
    tok = parser.take()
    if tok.kind != "eof":
        raise parser.fail(tok, f"unexpected {tok.desc()}")
    return labels
