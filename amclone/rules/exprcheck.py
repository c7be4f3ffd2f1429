"""PromQL syntax check of a rule's ``expr``, with Prometheus's error text where it can be rebuilt.

Parsing is the PromQL package's job (`amclone.promql.parse`, the adapter over ``promql-parser``);
this module only words the failure. Prometheus prints ``<line>:<col>: parse error: <msg>``, the
position counted in the expression text; the Rust parser gives neither position nor, for several
errors, the same words. Where the position follows from the text alone (an unexpected character,
input that ends too early) and the words map one to one, the message is rebuilt exactly; otherwise
the parser's own words are kept after ``parse error:`` (see `KNOWN_DIFFERENT` and the compat tests,
which pin every such case).

What 2.42 rejects that Prometheus 3's grammar accepts, and the lexer-level positions, come from
`amclone.rules.promql242`.
"""

from __future__ import annotations

import re

from amclone.compat.goquote import quote
from amclone.labels.regex import RegexError, compile_anchored
from amclone.promql.errors import PromQLError
from amclone.promql.parse import parse
from amclone.rules.promql242 import (
    IDENT_CALL,
    code_mask,
    dialect_error,
    for_parser,
    number_error,
    position,
    preceded_by_ident,
    unmatched_closer,
    unquote_string,
    unterminated,
)

# The adapter's wording has changed over time (quotes, type names): accept either form.
_CHAR = r"['\"](\\.|.)['\"]"  # one character as the adapter quotes it, maybe backslash-escaped
_UNEXPECTED_CHAR = re.compile(r"^unexpected character( inside braces)?: " + _CHAR + "$", re.DOTALL)
_UNKNOWN_FUNC = re.compile(r"^unknown function with name ['\"]([^'\"]*)['\"]$")
_REGEX_MATCHER = re.compile(r"""[A-Za-z_][A-Za-z0-9_]*\s*[=!]~\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)""")
_AT_EOF = {"unclosed left parenthesis", "unclosed left bracket", "unclosed left brace"}
_TYPE = re.compile(r"^expected type (\w+(?: vector)?) in call to function ['\"]([^'\"]+)['\"], got (\w+(?: vector)?)$")
_TYPE_NAMES = {"matrix": "range vector", "vector": "instant vector", "scalar": "scalar", "string": "string"}

# Parser messages known to differ from Prometheus 2.42's (kept for the report and the tests).
KNOWN_DIFFERENT = ("invalid promql query",)


def _regex_error(text: str) -> str | None:
    """Go's regexp error for the first regex matcher that does not compile, at its label name
    (where 2.42 points)."""
    mask = code_mask(text)
    for m in _REGEX_MATCHER.finditer(text):
        if not mask[m.start()]:
            continue
        try:
            compile_anchored(unquote_string(m.group(1)))
        except RegexError as e:
            return f"{position(text, m.start())}: parse error: {e}"
        except ValueError:
            continue
    return None


def _rune_q(c: str) -> str:
    """Go's ``%q`` of a rune."""
    if c == "'":
        return "'\\''"
    inner = quote(c)[1:-1]
    return "'" + ('"' if inner == '\\"' else inner) + "'"


_RIGHT = re.compile(r"^unexpected right (parenthesis|bracket|brace) " + _CHAR + "$")
_AFTER_BANG = re.compile(r"^unexpected character after ['\"]!['\"]( inside braces)?: " + _CHAR + "$", re.DOTALL)
_ARGS = re.compile(r'^expected (?:at most |at least )?\d+ argument\(s\) in call to "([^"]+)", got \d+$')
_BAD_NUMBER = re.compile(r"^bad number or duration syntax: (\S+)$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'"}


def _char(group: str) -> str:
    return _ESCAPES.get(group[1], group[1]) if len(group) == 2 and group[0] == "\\" else group
_UNTERMINATED = re.compile(r"^unterminated (?:quoted|raw) string ?(.?)$")


def _reword_lexer(text: str, msg: str) -> str | None:
    """Lexer errors, whose position follows from the text: Prometheus puts a stray ``)`` one
    past it and a stray ``]`` on it; a stray ``}`` is just an unexpected character there."""
    m = _RIGHT.match(msg)
    if m is not None:
        kind, c = m.group(1), _char(m.group(2))
        at = unmatched_closer(text, c)
        if at is not None:
            if kind == "brace":
                return f"{position(text, at)}: parse error: unexpected character: {_rune_q(c)}"
            return f"{position(text, at + (kind == 'parenthesis'))}: parse error: unexpected right {kind} {_rune_q(c)}"
    m = _AFTER_BANG.match(msg)
    if m is not None:
        mask = code_mask(text)
        want = _char(m.group(2))
        for i in range(len(text) - 1):
            if mask[i] and text[i] == "!" and text[i + 1] == want:
                return (f"{position(text, i)}: parse error: unexpected character after '!'{m.group(1) or ''}: "
                        f"{_rune_q(want)}")
    m = _UNTERMINATED.match(msg)
    if m is not None:
        at = unterminated(text)
        if at is not None:
            what = "raw" if text[at] == "`" else "quoted"
            return f"{position(text, at)}: parse error: unterminated {what} string"
    m = _ARGS.match(msg)
    if m is not None:
        mask = code_mask(text)
        for hit in IDENT_CALL.finditer(text):
            if hit.group() == m.group(1) and mask[hit.start()] and not preceded_by_ident(text, hit.start()):
                return f"{position(text, hit.start())}: parse error: {msg}"
    if msg == "trailing commas not allowed in function call args":
        mask = code_mask(text)
        for hit in re.finditer(r",\s*\)", text):
            if mask[hit.start()]:
                return f"{position(text, hit.start())}: parse error: {msg}"
    if msg.startswith("unexpected character inside brackets") or _BAD_NUMBER.match(msg):
        found = [e for e in (number_error(text), _range_not_closed(text)) if e is not None]
        return min(found, key=_where) if found else None
    return None


def _where(message: str) -> tuple[int, int]:
    line, col = message.split(":", 2)[:2]
    return int(line), int(col)


_RANGE_THEN = re.compile(r"\[\s*(?:[0-9]+(?:ms|[smhdwy]))+\s*([),])")


def _range_not_closed(text: str) -> str | None:
    """``x[5m)``: the lexer leaves the brackets at the duration, the parser then wants ``:`` or ``]``."""
    mask = code_mask(text)
    for m in _RANGE_THEN.finditer(text):
        if mask[m.start()]:
            return (f'{position(text, m.start(1))}: parse error: unexpected "{m.group(1)}" in subquery or range, '
                    'expected ":" or "]"')
    return None


_COMPARISON = re.compile(r"==|!=|>=|<=|>|<")
_SCALAR_CMP = "comparisons between scalars must use BOOL modifier"
_EMPTY_SELECTOR = "vector selector must contain at least one non-empty matcher"


def _outcome(text: str) -> str | None:
    try:
        parse(text)
    except PromQLError as e:
        return str(e)
    return None


def _first_repair(text: str, msg: str, candidates: list[tuple[int, str]]) -> int | None:
    """The culprit among (position, repaired text) candidates: the first whose repair parses; if
    none does, the first whose repair at least makes `msg` go away."""
    outcomes = [(pos, _outcome(repaired)) for pos, repaired in candidates]
    for pos, outcome in outcomes:
        if outcome is None:
            return pos
    return next((pos for pos, outcome in outcomes if outcome != msg), None)


def _locate_by_repair(text: str, msg: str) -> str | None:
    """Errors that Prometheus places on a node (no position in our parser's message): try the
    one repair that removes the error at each candidate place; the culprit is where it works.
    ``1 > 2`` points at the operator, a selector with only empty-matching matchers at its ``{``,
    a range vector used as an operand at that operand."""
    mask = code_mask(text)
    candidates: list[tuple[int, str]] = []
    if msg == _SCALAR_CMP:
        candidates = [(m.start(), text[:m.end()] + " bool" + text[m.end():]) for m in _COMPARISON.finditer(text)
                      if mask[m.start()] and not text[m.end():].lstrip().lower().startswith("bool")]
    elif msg == _EMPTY_SELECTOR:
        candidates = [(i, text[:i] + "x" + text[i:]) for i, c in enumerate(text)
                      if mask[i] and c == "{" and not preceded_by_ident(text, i)]
    elif msg == _RANGE_OPERAND:
        candidates = [(_operand_start(text, m.start(), mask), text[:m.start()] + text[m.end():])
                      for m in _RANGE.finditer(text) if mask[m.start()]]
    found = _first_repair(text, msg, candidates)
    return None if found is None else f"{position(text, found)}: parse error: {msg}"


_RANGE_OPERAND = "binary expression must contain only scalar and instant vector types"
_RANGE = re.compile(r"\[[^\[\]]*\]")


def _operand_start(text: str, bracket: int, mask: list[bool]) -> int:
    """Where the operand before a ``[range]`` begins (2.42 points at the range-vector operand):
    back over a ``{...}`` or ``(...)`` group, then over the name in front of it."""
    i = bracket
    closer = text[i - 1:i]
    if closer in ("}", ")"):
        opener, depth, i = "{" if closer == "}" else "(", 0, i - 1
        while i > 0:
            if mask[i]:
                depth += (text[i] == closer) - (text[i] == opener)
                if depth == 0:
                    break
            i -= 1
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_:"):
        i -= 1
    return i


def _reword(text: str, msg: str) -> str:
    lexer = _reword_lexer(text, msg)
    if lexer is not None:
        return lexer
    repaired = _locate_by_repair(text, msg)
    if repaired is not None:
        return repaired
    m = _UNEXPECTED_CHAR.match(msg)
    if m is not None:
        mask = code_mask(text)
        want = _char(m.group(2))
        for i, c in enumerate(text):
            if mask[i] and c == want:
                # %q of a Go rune: single quotes, whatever the adapter prints.
                return f"{position(text, i)}: parse error: unexpected character{m.group(1) or ''}: {_rune_q(c)}"
    m = _UNKNOWN_FUNC.match(msg)
    if m is not None:
        mask = code_mask(text)
        for hit in IDENT_CALL.finditer(text):
            if hit.group() == m.group(1) and mask[hit.start()] and not preceded_by_ident(text, hit.start()):
                return f'{position(text, hit.start())}: parse error: unknown function with name "{m.group(1)}"'
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


def check(text: str, prometheus3: bool = False) -> str | None:
    """None if `text` parses, else the text after ``could not parse expression: ``.

    `prometheus3` is amclone's own loading: the grammar the engine runs (Prometheus 3's), with
    none of 2.42's restrictions; the default is promtool 2.42's."""
    try:
        parse(text if prometheus3 else for_parser(text))
    except PromQLError as e:
        return _reword(text, str(e))
    found = None if prometheus3 else dialect_error(text)
    if found is not None:
        return f"{position(text, found[0])}: parse error: {found[1]}"
    return None
