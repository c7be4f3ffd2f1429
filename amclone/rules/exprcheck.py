"""PromQL syntax check of a rule's ``expr``, with Prometheus's error text where it can be rebuilt.

Parsing is the PromQL package's job (`amclone.promql.parse`, the adapter over ``promql-parser``);
this module only words the failure. Prometheus prints ``<line>:<col>: parse error: <msg>``, the
position counted in the expression text; the Rust parser gives neither position nor, for several
errors, the same words. Where the position follows from the text alone (an unexpected character,
input that ends too early) and the words map one to one, the message is rebuilt exactly; otherwise
the parser's own words are kept after ``parse error:`` (see `KNOWN_DIFFERENT` and the compat tests,
which pin every such case).
"""

from __future__ import annotations

import re

from amclone.promql.errors import PromQLError
from amclone.promql.parse import parse

_UNEXPECTED_CHAR = re.compile(r"^unexpected character( inside braces)?: '(.)'$", re.DOTALL)
_AT_EOF = {"unclosed left parenthesis", "unclosed left bracket", "unclosed left brace"}
_TYPE = re.compile(r"^expected type (\w+) in call to function '([^']+)', got (\w+)$")
_TYPE_NAMES = {"matrix": "range vector", "vector": "instant vector", "scalar": "scalar", "string": "string"}

# Parser messages known to differ from Prometheus 2.42's (kept for the report and the tests).
KNOWN_DIFFERENT = ("invalid promql query", "illegal regex for", "comparisons between scalars",
                   "binary expression must contain", "vector selector must contain")


def position(text: str, pos: int) -> str:
    """``ParseErr.Error``'s ``line:col`` of byte offset `pos` (col counts from the last newline)."""
    prefix = text[:pos]
    line = prefix.count("\n") + 1
    col = pos - prefix.rfind("\n")
    return f"{line}:{col}"


def _code_offsets(text: str) -> list[int]:
    """Offsets of characters outside string literals and ``#`` comments, where a stray character
    would be seen by the lexer."""
    out: list[int] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'`":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" and c != "`" else 1
            i = j + 1
            continue
        if c == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        out.append(i)
        i += 1
    return out


def _reword(text: str, msg: str) -> str:
    m = _UNEXPECTED_CHAR.match(msg)
    if m is not None:
        for i in _code_offsets(text):
            if text[i] == m.group(2):
                return f"{position(text, i)}: parse error: {msg}"
    if msg in _AT_EOF:
        return f"{position(text, len(text))}: parse error: {msg}"
    m = _TYPE.match(msg)
    if m is not None:
        want, func, got = (_TYPE_NAMES.get(m.group(1), m.group(1)), m.group(2),
                           _TYPE_NAMES.get(m.group(3), m.group(3)))
        reworded = f'expected type {want} in call to function "{func}", got {got}'
        call = re.search(re.escape(func) + r"\s*\(\s*", text)
        if call is not None:
            return f"{position(text, call.end())}: parse error: {reworded}"
        return f"parse error: {reworded}"
    return f"parse error: {msg}"


def check(text: str) -> str | None:
    """None if `text` parses, else the text after ``could not parse expression: ``."""
    try:
        parse(text)
    except PromQLError as e:
        return _reword(text, str(e))
    return None
