"""The UTF-8 matcher parser of newer Alertmanager (``matcher/parse``: lexer.go, parse.go, token.go).

amclone defaults to 0.25's classic parser; this one is selected by ``set_mode("utf8")`` (or tried
first in ``"fallback"`` mode), as ``--enable-feature=utf8-strict-mode`` does upstream. Error texts
carry ``start:end`` columns counted in runes, exactly as upstream prints them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from amclone.labels._gotext import UnquoteError, is_space, is_valid_utf8, unquote
from amclone.labels.matcher import Matcher, MatcherParseError, MatchType
from amclone.labels.regex import RegexError


class Kind(enum.Enum):
    EOF = "EOF"
    OPEN_BRACE = "OpenBrace"
    CLOSE_BRACE = "CloseBrace"
    COMMA = "Comma"
    EQUALS = "Equals"
    NOT_EQUALS = "NotEquals"
    MATCHES = "Matches"
    NOT_MATCHES = "NotMatches"
    QUOTED = "Quoted"
    UNQUOTED = "Unquoted"


_OPERATORS = {Kind.EQUALS: MatchType.EQUAL, Kind.NOT_EQUALS: MatchType.NOT_EQUAL,
              Kind.MATCHES: MatchType.REGEX, Kind.NOT_MATCHES: MatchType.NOT_REGEX}
_RESERVED = frozenset("{}!=~,\\\"'`")
_SINGLE = {"{": Kind.OPEN_BRACE, "}": Kind.CLOSE_BRACE, ",": Kind.COMMA}


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    value: str
    start: int  # offsets into the input (characters here; upstream's bytes slice the same text)
    end: int
    col_start: int  # rune columns, as printed in errors
    col_end: int


class _EOFError(MatcherParseError):
    """Upstream's errEOF sentinel: callers test for it, its text is "end of input"."""


def _is_reserved(ch: str) -> bool:
    return ch in _RESERVED or is_space(ch)


class Lexer:
    """Characters map one-to-one onto Go's runes (invalid bytes are one surrogate escape each),
    so character offsets double as both upstream's byte offsets and its rune columns."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.err: MatcherParseError | None = None

    def _expected(self, start: int, end: int, expected: str) -> MatcherParseError:
        if end >= len(self.text):
            return MatcherParseError(f"{start}:{end}: unexpected end of input, expected one of '{expected}'")
        return MatcherParseError(f"{start}:{end}: {self.text[start:end]}: expected one of '{expected}'")

    def scan(self) -> Token:
        if self.err is not None:
            raise self.err
        try:
            return self._scan()
        except MatcherParseError as e:
            self.err = e
            raise

    def peek(self) -> Token:
        pos = self.pos
        try:
            return self.scan()
        finally:
            self.pos = pos

    def _scan(self) -> Token:
        text, n = self.text, len(self.text)
        while self.pos < n:
            start = self.pos
            ch = text[start]
            if ch in _SINGLE:
                self.pos += 1
                return Token(_SINGLE[ch], ch, start, start + 1, start, start + 1)
            if ch == "=" or ch == "!":
                return self._operator(start)
            if ch == '"':
                return self._quoted(start)
            if not _is_reserved(ch):
                end = start
                while end < n and not _is_reserved(text[end]):
                    end += 1
                self.pos = end
                return Token(Kind.UNQUOTED, text[start:end], start, end, start, end)
            if is_space(ch):
                self.pos += 1
                continue
            raise MatcherParseError(f"{start}:{start + 1}: {ch}: invalid input")
        return Token(Kind.EOF, "", n, n, n, n)

    def _operator(self, start: int) -> Token:
        text = self.text
        nxt = text[start + 1] if start + 1 < len(text) else ""
        if text[start] == "!":
            kind = {"=": Kind.NOT_EQUALS, "~": Kind.NOT_MATCHES}.get(nxt)
            if kind is None:
                # the failed accept() rewinds, so the reported span is just the '!'
                raise self._expected(start, start + 1, "=~")
            self.pos = start + 2
            return Token(kind, text[start:start + 2], start, start + 2, start, start + 2)
        end = start + 2 if nxt == "~" else start + 1
        self.pos = end
        return Token(Kind.MATCHES if nxt == "~" else Kind.EQUALS, text[start:end], start, end, start, end)

    def _quoted(self, start: int) -> Token:
        text, n = self.text, len(self.text)
        i = start + 1
        escaped = False
        while i < n:
            ch = text[i]
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                break
            i += 1
        if i >= n:
            raise MatcherParseError(f"{start}:{n}: {text[start:n]}: missing end \"")
        self.pos = i + 1
        return Token(Kind.QUOTED, text[start:i + 1], start, i + 1, start, i + 1)


def _unquote(t: Token) -> str:
    if t.kind is not Kind.QUOTED:
        return t.value
    try:
        value = unquote(t.value)
    except UnquoteError:
        raise MatcherParseError(f"{t.col_start}:{t.col_end}: {t.value}: invalid input") from None
    if not is_valid_utf8(value):
        raise MatcherParseError(f"{t.col_start}:{t.col_end}: {t.value}: invalid input")
    return value


class _Parser:
    def __init__(self, text: str) -> None:
        self.lexer = Lexer(text)
        self.matchers: list[Matcher] = []
        self.has_open_brace = False

    def _expect_peek(self, *kinds: Kind) -> Token:
        t = self.lexer.peek()
        if t.kind is Kind.EOF:
            raise _EOFError("end of input")
        if t.kind not in kinds:
            raise MatcherParseError(f"{t.col_start}:{t.col_end}: unexpected {t.value}")
        return t

    def _expect(self, *kinds: Kind) -> Token:
        t = self._expect_peek(*kinds)
        self.lexer.scan()
        return t

    def parse(self) -> list[Matcher]:
        # parseOpenBrace: lexer errors here are returned without a suffix.
        t = self.lexer.peek()
        if t.kind is Kind.EOF:
            self._parse_eof()
            return self.matchers
        if t.kind is Kind.OPEN_BRACE:
            self.has_open_brace = True
            self.lexer.scan()
            t = self.lexer.peek()
        if t.kind is Kind.EOF or t.kind is Kind.CLOSE_BRACE:
            self._parse_close_brace()
            return self.matchers
        while True:
            self._parse_matcher()
            try:
                t = self._expect_peek(Kind.COMMA, Kind.CLOSE_BRACE)
            except _EOFError:
                break
            except MatcherParseError as e:
                raise MatcherParseError(f"{e}: expected a comma or close brace") from None
            if t.kind is Kind.CLOSE_BRACE:
                break
            self.lexer.scan()  # the comma
            try:
                t = self._expect_peek(Kind.CLOSE_BRACE, Kind.UNQUOTED, Kind.QUOTED)
            except _EOFError:
                break
            except MatcherParseError as e:
                raise MatcherParseError(f"{e}: expected a matcher or close brace after comma") from None
            if t.kind is Kind.CLOSE_BRACE:
                break
        self._parse_close_brace()
        return self.matchers

    def _parse_close_brace(self) -> None:
        try:
            self._expect(Kind.CLOSE_BRACE)
            found: MatcherParseError | None = None
        except MatcherParseError as e:
            found = e
        col = self.lexer.pos  # upstream: l.position().columnEnd after the attempt
        if self.has_open_brace and found is not None:
            raise MatcherParseError(f"0:{col}: {found}: expected close brace")
        if not self.has_open_brace and found is None:
            raise MatcherParseError(f"0:{col}: }}: expected opening brace")
        self._parse_eof()

    def _parse_eof(self) -> None:
        try:
            t = self.lexer.scan()
        except MatcherParseError as e:
            raise MatcherParseError(f"{e}: expected end of input") from None
        if t.kind is not Kind.EOF:
            raise MatcherParseError(f"{t.col_start}:{t.col_end}: {t.value}: expected end of input")

    def _expect_or(self, suffix: str, *kinds: Kind) -> Token:
        """`expect`, with upstream's ``%w: <what was expected>`` wrapping of its error."""
        try:
            return self._expect(*kinds)
        except MatcherParseError as e:
            raise MatcherParseError(f"{e}: {suffix}") from None

    def _parse_matcher(self) -> None:
        name = _unquote(self._expect_or("expected label name", Kind.QUOTED, Kind.UNQUOTED))
        t = self._expect_or("expected an operator such as '=', '!=', '=~' or '!~'", *_OPERATORS)
        value = _unquote(self._expect_or("expected label value", Kind.UNQUOTED, Kind.QUOTED))
        try:
            self.matchers.append(Matcher(name, _OPERATORS[t.kind], value))
        except RegexError as e:
            raise MatcherParseError(f"failed to create matcher: {e}") from None


def parse_matchers(text: str) -> list[Matcher]:
    """Upstream ``parse.Matchers``: zero or more matchers, optional braces."""
    return _Parser(text).parse()


def parse_matcher(text: str) -> Matcher:
    """Upstream ``parse.Matcher``: exactly one matcher."""
    ms = parse_matchers(text)
    if len(ms) == 1:
        return ms[0]
    if not ms:
        raise MatcherParseError("no matchers")
    raise MatcherParseError(f"expected 1 matcher, found {len(ms)}")
