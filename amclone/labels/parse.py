"""The matcher parser in force, and the switch between parsers (upstream ``matcher/compat``).

amclone targets 0.25, whose only parser is the classic one, so ``classic`` is the default here.
Newer Alertmanager offers ``--enable-feature=utf8-strict-mode`` (UTF-8 parser only),
``classic-mode`` and, by default, a *fallback* that tries the UTF-8 parser, falls back to the
classic one with a warning when only the classic one accepts the input, and prefers the classic
result when both accept but disagree. The server maps its feature flags onto `set_mode`.
"""

from __future__ import annotations

import logging
from typing import Literal

from amclone.labels import classic, utf8parse
from amclone.labels.labelset import is_valid_name as _is_valid_classic_name
from amclone.labels.labelset import is_valid_utf8_name
from amclone.labels.matcher import Matcher, MatcherParseError, matchers_string

__all__ = ["MatcherParseError", "Mode", "get_mode", "is_valid_label_name", "parse_matcher",
           "parse_matchers", "set_mode"]

Mode = Literal["classic", "utf8", "fallback"]

log = logging.getLogger("amclone.labels.parse")

_MODES: tuple[Mode, ...] = ("classic", "utf8", "fallback")
_mode: Mode = "classic"

_INCOMPATIBLE = (
    "Alertmanager is moving to a new parser for labels and matchers, and this input is incompatible. "
    "Alertmanager has instead parsed the input using the classic matchers parser as a fallback. "
    "To make this input compatible with the UTF-8 matchers parser please make sure all regular "
    "expressions and values are double-quoted and backslashes are escaped. If you are still seeing "
    "this message please open an issue."
)


def set_mode(mode: Mode) -> None:
    """Select the parser process-wide, as upstream's ``compat.InitFromFlags`` does at start-up."""
    global _mode
    if mode not in _MODES:
        raise ValueError(f"unknown matcher parser mode {mode!r}")
    _mode = mode


def get_mode() -> Mode:
    return _mode


def is_valid_label_name(name: str) -> bool:
    """``compat.IsValidLabelName``: 0.25's regex in classic mode, any non-empty UTF-8 otherwise."""
    if _mode == "classic":
        return _is_valid_classic_name(name)
    return is_valid_utf8_name(name)


def _brace_check(text: str) -> None:
    if text.startswith("{") or text.endswith("}"):
        raise MatcherParseError(f"unexpected open or close brace: {text}")


def _same(a: list[Matcher], b: list[Matcher]) -> bool:
    return [(m.name, m.type, m.value) for m in a] == [(m.name, m.type, m.value) for m in b]


def parse_matchers(text: str, origin: str = "") -> list[Matcher]:
    """Zero or more matchers (``route.matchers`` entries, silence and inhibit matchers, amtool)."""
    if _mode == "classic":
        return classic.parse_matchers(text)
    if _mode == "utf8":
        return utf8parse.parse_matchers(text)
    try:
        new = utf8parse.parse_matchers(text)
        new_err: MatcherParseError | None = None
    except MatcherParseError as e:
        new, new_err = [], e
    try:
        old = classic.parse_matchers(text)
    except MatcherParseError:
        if new_err is not None:
            raise
        return new
    if new_err is not None:
        log.warning(_INCOMPATIBLE, extra={"input": text, "origin": origin, "err": str(new_err),
                                          "suggestion": matchers_string(old)[1:-1]})
        return old
    if not _same(new, old):
        log.warning("Matchers input has disagreement", extra={"input": text, "origin": origin})
        return old
    return new


def parse_matcher(text: str, origin: str = "") -> Matcher:
    """Exactly one matcher (API ``filter`` values, ``amtool alert query`` arguments)."""
    if _mode == "classic":
        return classic.parse_matcher(text)
    _brace_check(text)
    if _mode == "utf8":
        return utf8parse.parse_matcher(text)
    try:
        new: Matcher | None = utf8parse.parse_matcher(text)
    except MatcherParseError:
        new = None
    try:
        old = classic.parse_matcher(text)
    except MatcherParseError:
        if new is None:
            raise
        return new
    if new is None:
        log.warning(_INCOMPATIBLE, extra={"input": text, "origin": origin, "suggestion": str(old)})
        return old
    if not _same([new], [old]):
        log.warning("Matchers input has disagreement", extra={"input": text, "origin": origin})
        return old
    return new
