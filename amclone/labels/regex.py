"""Go `regexp` (RE2 syntax) on top of google-re2, with Go's error texts.

Alertmanager compiles matcher and ``match_re`` values as ``^(?:value)$`` with Go's regexp package,
and users see Go's parse errors verbatim (``amtool check-config``, API 400 bodies). google-re2 is
the C++ engine Go's package was ported from, so matching agrees; what differs is:

- the wording of errors: this module rewrites the C++ message into Go's
  ``error parsing regexp: <code>: `<expr>` `` form (verified against amtool, tests/labels/test_regex.py);
- a handful of constructs the C++ library accepts but Go 1.19 (the toolchain of the reference
  0.25 build) rejects: `_syntax` finds and rewrites them so C++ fails the way Go does;
- Unicode tables (13.0 in Go 1.19, 15.1 in google-re2): `_unicode13` hides newer characters
  from patterns that use Unicode classes;
- invalid UTF-8 in the text: Go reads each bad byte as U+FFFD, so `_encode` does the same.
"""

from __future__ import annotations

import re
from typing import Any

import re2
from re2 import _re2

from amclone.labels._syntax import go_only_errors
from amclone.labels._unicode13 import TO_UNASSIGNED

_ANCHOR_UNANCHORED = _re2.RE2.Anchor.UNANCHORED

# C++ RE2 code text -> Go regexp/syntax ErrorCode text.
_CODES: tuple[tuple[str, str], ...] = (
    ("missing )", "missing closing )"),
    ("missing ]", "missing closing ]"),
    ("unexpected )", "unexpected )"),
    ("bad repetition operator", "invalid nested repetition operator"),
    ("invalid repetition size", "invalid repeat count"),
    ("no argument for repetition operator", "missing argument to repetition operator"),
    ("invalid perl operator", "invalid or unsupported Perl syntax"),
    ("invalid named capture group", "invalid named capture"),
    ("invalid escape sequence", "invalid escape sequence"),
    ("invalid character class range", "invalid character class range"),
    ("invalid character class", "invalid character class"),
    ("trailing \\", "trailing backslash at end of expression"),
    ("invalid UTF-8", "invalid UTF-8"),
    ("pattern too large - compile failed", "expression too large"),
    ("unexpected error", "regexp/syntax: internal error"),
)

# C++ sizes its compile budget by max_mem (8 MiB by default) and refuses patterns Go still
# accepts; retry those once with a larger budget before calling them too large.
_LARGE_MAX_MEM = 512 << 20


class RegexError(ValueError):
    """A pattern Go's regexp.Compile rejects; ``str()`` is Go's ``err.Error()``."""

    def __init__(self, code: str, expr: str) -> None:
        self.code = code
        self.expr = expr
        super().__init__(f"error parsing regexp: {code}: `{expr}`")


def _options(max_mem: int | None = None) -> Any:
    o = re2.Options()
    o.log_errors = False  # errors are reported to the caller, not printed on stderr
    if max_mem is not None:
        o.max_mem = max_mem
    return o


_OPTIONS = _options()
_LARGE_OPTIONS = _options(_LARGE_MAX_MEM)


def _encode(s: str) -> bytes:
    """UTF-8 for RE2. Escaped invalid bytes become U+FFFD, which is how Go's regexp reads them."""
    try:
        return s.encode()
    except UnicodeEncodeError:
        fixed = "".join("\ufffd" if "\udc80" <= ch <= "\udcff" else ch for ch in s)
        return fixed.encode("utf-8", "surrogatepass")


def _translate(message: str, restore: dict[str, str]) -> RegexError:
    for cpp, go in _CODES:
        if message == cpp or message.startswith(cpp + ": "):
            expr = message[len(cpp) + 2:]
            break
    else:
        go, expr = "regexp/syntax: internal error", message
    for placeholder, original in restore.items():
        expr = expr.replace(placeholder, original)
    if go == "invalid or unsupported Perl syntax" and expr.startswith("(?<"):
        # Go 1.19 stops at the '<' (no lookbehind, no (?<name>)); C++ reads one more char.
        expr = "(?<"
    if go == "expression too large":
        expr = ""
    if go == "invalid repeat count" and expr.endswith("}?") and _bad_counts(expr[:-1]):
        # Go checks the counts before reading the lazy '?'; C++ reports it with the operator.
        # A nested-size failure (`(x{500}){3}?`) is found later in both and keeps the '?'.
        expr = expr[:-1]
    return RegexError(go, expr)


_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}\Z")


def _bad_counts(op: str) -> bool:
    m = _REPEAT.match(op)
    if m is None:
        return False
    lo = int(m.group(1))
    hi = lo if m.group(2) is None else (int(m.group(3)) if m.group(3) else -1)
    return lo > 1000 or hi > 1000 or (hi >= 0 and lo > hi)


def _message(compiled: Any) -> str:
    message = compiled.error()
    if isinstance(message, bytes):
        return message.decode("utf-8", "surrogateescape")
    return str(message)


def _build(pattern: str) -> tuple[Any, bool]:
    """Compile with C++ RE2, or raise RegexError with the message Go gives for `pattern`.

    The flag says whether texts must be seen through Go's Unicode 13 tables (see _unicode13):
    only for patterns with Unicode classes, and not when the pattern itself names non-ASCII
    characters (which the mapping would hide from it).
    """
    syntax = go_only_errors(pattern)
    if syntax.nests_too_deeply:
        raise RegexError("expression nests too deeply", pattern)
    rewritten = syntax.rewritten != pattern
    source = syntax.rewritten if rewritten else pattern
    encoded = source.encode("utf-8", "surrogateescape")
    compiled = _re2.RE2(encoded, _OPTIONS)
    if not compiled.ok() and _message(compiled) == "pattern too large - compile failed":
        compiled = _re2.RE2(encoded, _LARGE_OPTIONS)
    if not compiled.ok():
        raise _translate(_message(compiled), syntax.restore)
    if rewritten:  # pragma: no cover - every rewrite is chosen to make C++ fail
        raise RegexError("regexp/syntax: internal error", pattern)
    unicode13 = syntax.unicode_classes and pattern.isascii() and "\\x" not in pattern
    return compiled, unicode13


class Regex:
    """A compiled pattern. `match_string` is Go's ``Regexp.MatchString`` (is there a match in s?)."""

    __slots__ = ("_compiled", "_unicode13", "pattern", "source")

    def __init__(self, pattern: str, source: str) -> None:
        self.pattern = pattern  # what the user wrote
        self.source = source  # what was compiled (anchored or not)
        self._compiled, self._unicode13 = _build(source)

    def match_string(self, s: str) -> bool:
        if self._unicode13 and not s.isascii():
            s = s.translate(TO_UNASSIGNED)
        data = _encode(s)
        span = self._compiled.Match(_ANCHOR_UNANCHORED, data, 0, len(data))
        return bool(span[0][0] >= 0)

    def to_python(self) -> Any:
        """The google-re2 object for callers that need groups or replacement (templates).

        Its methods follow Python's re API; callers translate Go semantics (``$1``) themselves.
        """
        return re2.compile(self.source, _OPTIONS)

    def __repr__(self) -> str:
        return f"Regex({self.source!r})"


def compile_anchored(pattern: str) -> Regex:
    """``^(?:pattern)$``: how matchers, ``match_re`` and the receiver filter compile."""
    return Regex(pattern, "^(?:" + pattern + ")$")


def compile_unanchored(pattern: str) -> Regex:
    """`pattern` as is: template ``match``/``reReplaceAll`` and the silence empty-match check."""
    return Regex(pattern, pattern)


_META = frozenset("\\.+*?()|[]{}^$")


def quote_meta(s: str) -> str:
    """Go's ``regexp.QuoteMeta``: every metacharacter backslash-escaped (Alertmanager passes
    receiver names through it for template data and webhook bodies)."""
    return "".join("\\" + c if c in _META else c for c in s)
