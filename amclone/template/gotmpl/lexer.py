"""Go text/template's lexer (Go 1.19, the version Alertmanager 0.25 is built with).

The token stream, trim-marker handling and error texts follow Go's ``text/template/parse/lex.go``
closely because parse errors are user visible ("unclosed action", "bad character U+0023 '#'") and
must match amtool byte for byte. Tokens are produced eagerly into a list; an error token ends the
list, which is equivalent to Go's lazy lexer since the parser consumes tokens in order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import IntEnum


class T(IntEnum):
    ERROR = 0
    BOOL = 1
    CHAR = 2
    CHAR_CONSTANT = 3
    COMMENT = 4
    COMPLEX = 5
    ASSIGN = 6
    DECLARE = 7
    EOF = 8
    FIELD = 9
    IDENTIFIER = 10
    LEFT_DELIM = 11
    LEFT_PAREN = 12
    NUMBER = 13
    PIPE = 14
    RAW_STRING = 15
    RIGHT_DELIM = 16
    RIGHT_PAREN = 17
    SPACE = 18
    STRING = 19
    TEXT = 20
    VARIABLE = 21
    KEYWORD = 22  # keywords sort after this
    BLOCK = 23
    BREAK = 24
    CONTINUE = 25
    DOT = 26
    DEFINE = 27
    ELSE = 28
    END = 29
    IF = 30
    NIL = 31
    RANGE = 32
    TEMPLATE = 33
    WITH = 34


KEYWORDS = {
    ".": T.DOT, "block": T.BLOCK, "break": T.BREAK, "continue": T.CONTINUE, "define": T.DEFINE,
    "else": T.ELSE, "end": T.END, "if": T.IF, "range": T.RANGE, "nil": T.NIL, "template": T.TEMPLATE,
    "with": T.WITH,
}

SPACE_CHARS = " \t\r\n"
LEFT = "{{"
RIGHT = "}}"


@dataclass(frozen=True, slots=True)
class Item:
    typ: T
    pos: int
    val: str
    line: int

    def __str__(self) -> str:
        from amclone.compat.goquote import quote

        if self.typ == T.EOF:
            return "EOF"
        if self.typ == T.ERROR:
            return self.val
        if self.typ > T.KEYWORD:
            return f"<{self.val}>"
        if len(self.val) > 10:
            # Go's %.10q: quote the first ten runes, then "...".
            return quote(self.val[:10]) + "..."
        return quote(self.val)


def go_rune(r: str) -> str:
    """Go's %#U: U+0023 '#'."""
    cp = ord(r)
    s = f"U+{cp:04X}"
    if _is_print(r):
        s += f" '{r}'"
    return s


def _is_print(r: str) -> bool:
    return r == " " or unicodedata.category(r)[0] in "LMNPS"


def is_alnum(r: str) -> bool:
    return r == "_" or r.isalpha() or unicodedata.category(r) == "Nd"


def _has_left_trim(s: str, i: int) -> bool:
    return len(s) >= i + 2 and s[i] == "-" and s[i + 1] in SPACE_CHARS


def _has_right_trim(s: str, i: int) -> bool:
    return len(s) >= i + 2 and s[i] in SPACE_CHARS and s[i + 1] == "-"


class _Lexer:
    def __init__(self, text: str) -> None:
        self.s = text
        self.pos = 0
        self.start = 0
        self.items: list[Item] = []
        self.paren = 0
        self.nl = [i for i, c in enumerate(text) if c == "\n"]

    def line_at(self, pos: int) -> int:
        import bisect

        return 1 + bisect.bisect_left(self.nl, pos)

    def emit(self, t: T) -> None:
        self.items.append(Item(t, self.start, self.s[self.start:self.pos], self.line_at(self.start)))
        self.start = self.pos

    def error(self, msg: str) -> None:
        self.items.append(Item(T.ERROR, self.start, msg, self.line_at(self.start)))

    def at_right_delim(self) -> tuple[bool, bool]:
        s, p = self.s, self.pos
        if _has_right_trim(s, p) and s.startswith(RIGHT, p + 2):
            return True, True
        if s.startswith(RIGHT, p):
            return True, False
        return False, False

    def peek(self) -> str:
        return self.s[self.pos] if self.pos < len(self.s) else ""

    def at_terminator(self) -> bool:
        r = self.peek()
        if r == "" or r in SPACE_CHARS or r in ".,|:)(":
            return True
        return r == RIGHT[0]

    def run(self) -> list[Item]:
        s = self.s
        while True:
            # lexText
            x = s.find(LEFT, self.pos)
            if x < 0:
                self.pos = len(s)
                if self.pos > self.start:
                    self.emit(T.TEXT)
                self.emit(T.EOF)
                return self.items
            self.pos = x
            trim = 0
            if _has_left_trim(s, x + 2):
                trim = len(s[self.start:x]) - len(s[self.start:x].rstrip(SPACE_CHARS))
            self.pos -= trim
            if self.pos > self.start:
                self.emit(T.TEXT)
            self.pos += trim
            self.start = self.pos
            if not self.left_delim():
                return self.items

    def left_delim(self) -> bool:
        s = self.s
        self.pos += 2
        trim = _has_left_trim(s, self.pos)
        after = 2 if trim else 0
        if s.startswith("/*", self.pos + after):
            self.pos += after
            self.start = self.pos
            return self.comment()
        self.emit(T.LEFT_DELIM)
        self.pos += after
        self.start = self.pos
        self.paren = 0
        return self.inside_action()

    def comment(self) -> bool:
        s = self.s
        self.pos += 2
        x = s.find("*/", self.pos)
        if x < 0:
            self.error("unclosed comment")
            return False
        self.pos = x + 2
        delim, trim = self.at_right_delim()
        if not delim:
            self.error("comment ends before closing delimiter")
            return False
        if trim:
            self.pos += 2
        self.pos += 2
        if trim:
            self.pos += len(s) - self.pos - len(s[self.pos:].lstrip(SPACE_CHARS))
        self.start = self.pos
        return True

    def right_delim(self, trim: bool) -> bool:
        s = self.s
        if trim:
            self.pos += 2
            self.start = self.pos
        self.pos += 2
        self.emit(T.RIGHT_DELIM)
        if trim:
            self.pos += len(s) - self.pos - len(s[self.pos:].lstrip(SPACE_CHARS))
            self.start = self.pos
        return True

    def inside_action(self) -> bool:
        s = self.s
        n = len(s)
        while True:
            delim, trim = self.at_right_delim()
            if delim:
                if self.paren == 0:
                    return self.right_delim(trim)
                self.error("unclosed left paren")
                return False
            if self.pos >= n:
                self.error("unclosed action")
                return False
            r = s[self.pos]
            self.pos += 1
            if r in SPACE_CHARS:
                # lexSpace: a run of spaces; stop before " -}}".
                self.pos -= 1
                spaces = 0
                while self.pos < n and s[self.pos] in SPACE_CHARS:
                    self.pos += 1
                    spaces += 1
                if _has_right_trim(s, self.pos - 1) and s.startswith(RIGHT, self.pos + 1):
                    self.pos -= 1
                    if spaces == 1:
                        return self.right_delim(True)
                self.emit(T.SPACE)
            elif r == "=":
                self.emit(T.ASSIGN)
            elif r == ":":
                if self.pos >= n or s[self.pos] != "=":
                    if self.pos < n:
                        self.pos += 1
                    self.error("expected :=")
                    return False
                self.pos += 1
                self.emit(T.DECLARE)
            elif r == "|":
                self.emit(T.PIPE)
            elif r == '"':
                if not self.quote('"', "unterminated quoted string", T.STRING):
                    return False
            elif r == "`":
                x = s.find("`", self.pos)
                if x < 0:
                    self.pos = n
                    self.error("unterminated raw quoted string")
                    return False
                self.pos = x + 1
                self.emit(T.RAW_STRING)
            elif r == "$":
                if not self.field_or_var(T.VARIABLE):
                    return False
            elif r == "'":
                if not self.quote("'", "unterminated character constant", T.CHAR_CONSTANT):
                    return False
            elif r == "." and self.pos < n and not ("0" <= s[self.pos] <= "9"):
                if not self.field_or_var(T.FIELD):
                    return False
            elif r in "+-." or "0" <= r <= "9":
                self.pos -= 1
                if not self.number():
                    return False
            elif is_alnum(r):
                self.pos -= 1
                if not self.identifier():
                    return False
            elif r == "(":
                self.emit(T.LEFT_PAREN)
                self.paren += 1
            elif r == ")":
                self.emit(T.RIGHT_PAREN)
                self.paren -= 1
                if self.paren < 0:
                    self.error(f"unexpected right paren {go_rune(r)}")
                    return False
            elif ord(r) < 0x80 and r.isprintable():
                self.emit(T.CHAR)
            else:
                self.error(f"unrecognized character in action: {go_rune(r)}")
                return False

    def quote(self, q: str, msg: str, typ: T) -> bool:
        s, n = self.s, len(self.s)
        while True:
            if self.pos >= n:
                self.error(msg)
                return False
            c = s[self.pos]
            self.pos += 1
            if c == "\\":
                if self.pos < n and s[self.pos] != "\n":
                    self.pos += 1
                    continue
                self.error(msg)
                return False
            if c == "\n":
                self.error(msg)
                return False
            if c == q:
                self.emit(typ)
                return True

    def identifier(self) -> bool:
        s, n = self.s, len(self.s)
        while self.pos < n and is_alnum(s[self.pos]):
            self.pos += 1
        if not self.at_terminator():
            return self.bad_char()
        word = s[self.start:self.pos]
        kw = KEYWORDS.get(word)
        if kw is not None and kw > T.KEYWORD:
            self.emit(kw)
        elif word in ("true", "false"):
            self.emit(T.BOOL)
        else:
            self.emit(T.IDENTIFIER)
        return True

    def bad_char(self) -> bool:
        r = self.s[self.pos] if self.pos < len(self.s) else ""
        self.pos += 1
        self.error(f"bad character {go_rune(r)}")
        return False

    def field_or_var(self, typ: T) -> bool:
        s, n = self.s, len(self.s)
        if self.at_terminator():
            self.emit(T.VARIABLE if typ == T.VARIABLE else T.DOT)
            return True
        while self.pos < n and is_alnum(s[self.pos]):
            self.pos += 1
        if not self.at_terminator():
            return self.bad_char()
        self.emit(typ)
        return True

    def number(self) -> bool:
        if not self.scan_number():
            self.error(f"bad number syntax: {_q(self.s[self.start:self.pos])}")
            return False
        if self.peek() in ("+", "-") and self.peek() != "":
            if not self.scan_number() or self.s[self.pos - 1] != "i":
                self.error(f"bad number syntax: {_q(self.s[self.start:self.pos])}")
                return False
            self.emit(T.COMPLEX)
        else:
            self.emit(T.NUMBER)
        return True

    def accept(self, valid: str) -> bool:
        if self.pos < len(self.s) and self.s[self.pos] in valid:
            self.pos += 1
            return True
        return False

    def accept_run(self, valid: str) -> None:
        while self.pos < len(self.s) and self.s[self.pos] in valid:
            self.pos += 1

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 11 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 23 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if self.pos < len(self.s) and is_alnum(self.s[self.pos]):
            self.pos += 1
            return False
        return True


def _q(s: str) -> str:
    from amclone.compat.goquote import quote

    return quote(s)


def lex(text: str) -> list[Item]:
    return _Lexer(text).run()
