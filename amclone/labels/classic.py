"""Alertmanager 0.25's matcher parser (``pkg/labels/parse.go``), the one amtool 0.25 uses.

It is deliberately lenient (unquoted values, stray backslashes kept literally), and its quirks
are observable: ``{a="b",}`` is fine, ``a=b c`` gives the value ``b c``, a missing closing quote is
reported as an "unescaped double quote". Everything here follows the Go code's behaviour, checked
against ``amtool`` in compat-tests/labels/.
"""

from __future__ import annotations

import re

from amclone.labels._gotext import is_valid_utf8, trim_space
from amclone.labels.matcher import Matcher, MatcherParseError, MatchType
from amclone.labels.regex import RegexError

# Go's `\s` is [\t\n\f\r ] (no \v, no Unicode spaces) and `$` is end of text, hence \Z here.
_SPACE = "[\t\n\f\r ]"
_MATCHER_RE = re.compile(
    rf"^{_SPACE}*([a-zA-Z_:][a-zA-Z0-9_:]*){_SPACE}*(=~|=|!=|!~){_SPACE}*(.*?){_SPACE}*\Z", re.DOTALL
)


def _unescape(raw: str, original: str) -> str:
    """OpenMetrics-style unescaping of the value token, with 0.25's leniency."""
    expect_trailing_quote = raw.startswith('"')
    if expect_trailing_quote:
        raw = raw[1:]
    if not is_valid_utf8(raw):
        raise MatcherParseError(f"matcher value not valid UTF-8: {original}")
    if "\\" not in raw and '"' not in raw:
        if expect_trailing_quote:
            raise MatcherParseError(f"matcher value contains unescaped double quote: {original}")
        return raw
    out: list[str] = []
    escaped = False
    last = len(raw) - 1
    for i, ch in enumerate(raw):
        if escaped:
            escaped = False
            if ch == "n":
                out.append("\n")
            elif ch == '"' or ch == "\\":
                out.append(ch)
            else:  # a spurious escape: the backslash stays
                out.append("\\" + ch)
            continue
        if ch == "\\":
            if i < last:
                escaped = True
                continue
            out.append("\\")  # a trailing lone backslash is literal
        elif ch == '"':
            if not expect_trailing_quote or i < last:
                raise MatcherParseError(f"matcher value contains unescaped double quote: {original}")
            expect_trailing_quote = False
        else:
            out.append(ch)
    if expect_trailing_quote:
        raise MatcherParseError(f"matcher value contains unescaped double quote: {original}")
    return "".join(out)


def parse_matcher(text: str) -> Matcher:
    """0.25 ``labels.ParseMatcher``: one ``name op value`` matcher."""
    m = _MATCHER_RE.match(text)
    if m is None:
        raise MatcherParseError(f"bad matcher format: {text}")
    name, op, raw = m.group(1), m.group(2), m.group(3)
    value = _unescape(raw, raw)
    try:
        return Matcher(name, MatchType(op), value)
    except RegexError as e:
        raise MatcherParseError(str(e)) from e


def split_matchers(text: str) -> list[str]:
    """The tokenising half of 0.25 ``labels.ParseMatchers``: commas outside quotes separate.

    Go ranges over runes, so invalid UTF-8 bytes turn into U+FFFD here, before ParseMatcher's
    UTF-8 check could see them.
    """
    text = text.removeprefix("{")
    text = text.removesuffix("}")
    tokens: list[str] = []
    token: list[str] = []
    inside_quotes = False
    escaped = False
    for ch in text:
        if ch == ",":
            if not inside_quotes:
                tokens.append("".join(token))
                token = []
                continue
            # a comma inside quotes leaves `escaped` as it was (Go's switch falls through)
        elif ch == '"':
            if not escaped:
                inside_quotes = not inside_quotes
            else:
                escaped = False
        elif ch == "\\":
            escaped = not escaped
        else:
            escaped = False
            if "\udc80" <= ch <= "\udcff":
                ch = "\ufffd"
        token.append(ch)
    last = trim_space("".join(token))
    if last:
        tokens.append(last)
    return tokens


def parse_matchers(text: str) -> list[Matcher]:
    """0.25 ``labels.ParseMatchers``: optional braces, comma-separated matchers, in input order."""
    return [parse_matcher(token) for token in split_matchers(text)]
