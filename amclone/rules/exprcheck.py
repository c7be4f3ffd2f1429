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

from amclone.labels.regex import RegexError, compile_anchored
from amclone.promql.errors import PromQLError
from amclone.promql.parse import parse
from amclone.rules import promql242
from amclone.template.gotmpl.parser import TemplateError, unquote

_UNEXPECTED_CHAR = re.compile(r"^unexpected character( inside braces)?: '(.)'$", re.DOTALL)
_UNKNOWN_FUNC = re.compile(r"^unknown function with name '([^']*)'$")
_REGEX_MATCHER = re.compile(r"""[A-Za-z_][A-Za-z0-9_]*\s*[=!]~\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)""")
_AT_EOF = {"unclosed left parenthesis", "unclosed left bracket", "unclosed left brace"}
_TYPE = re.compile(r"^expected type (\w+) in call to function '([^']+)', got (\w+)$")
_TYPE_NAMES = {"matrix": "range vector", "vector": "instant vector", "scalar": "scalar", "string": "string"}

# Parser messages known to differ from Prometheus 2.42's (kept for the report and the tests).
KNOWN_DIFFERENT = ("invalid promql query", "comparisons between scalars",
                   "binary expression must contain", "vector selector must contain")


def position(text: str, pos: int) -> str:
    """``ParseErr.Error``'s ``line:col`` of byte offset `pos` (col counts from the last newline)."""
    prefix = text[:pos]
    line = prefix.count("\n") + 1
    col = pos - prefix.rfind("\n")
    return f"{line}:{col}"


def _unquote(lit: str) -> str:
    """PromQL string literal to its value; single quotes read like double ones (not Go runes)."""
    if lit[0] == "'":
        lit = '"' + lit[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
    return unquote(lit)


def _regex_error(text: str) -> str | None:
    """Go's regexp error for the first regex matcher that does not compile, at its label name
    (where 2.42 points)."""
    mask = promql242.code_mask(text)
    for m in _REGEX_MATCHER.finditer(text):
        if not mask[m.start()]:
            continue
        try:
            compile_anchored(_unquote(m.group(1)))
        except RegexError as e:
            return f"{position(text, m.start())}: parse error: {e}"
        except TemplateError:
            continue
    return None


def _reword(text: str, msg: str) -> str:
    m = _UNEXPECTED_CHAR.match(msg)
    if m is not None:
        mask = promql242.code_mask(text)
        for i, c in enumerate(text):
            if mask[i] and c == m.group(2):
                return f"{position(text, i)}: parse error: {msg}"
    m = _UNKNOWN_FUNC.match(msg)
    if m is not None:
        found = promql242.unknown_function(text)
        if found is not None:
            return f'{position(text, found[0])}: parse error: unknown function with name "{found[1]}"'
    if msg.startswith("illegal regex for"):
        reworded = _regex_error(text)
        if reworded is not None:
            return reworded
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
        parse(promql242.for_parser(text))
    except PromQLError as e:
        return _reword(text, str(e))
    found = promql242.dialect_error(text)
    if found is not None:
        return f"{position(text, found[0])}: parse error: {found[1]}"
    return None
