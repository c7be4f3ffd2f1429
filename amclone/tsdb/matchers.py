"""Label matchers as the series store evaluates them.

PromQL selectors and the Prometheus API's ``match[]`` both end up here. Regexes are RE2 with
Prometheus's anchoring (``^(?s:re)$``: the whole value must match and ``.`` matches newlines), via
the shared `amclone.labels.regex` module when it is present, so a pattern means the same everywhere.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import re2

from amclone.compat.goquote import quote


class MatchOp(enum.Enum):
    EQUAL = "="
    NOT_EQUAL = "!="
    REGEX = "=~"
    NOT_REGEX = "!~"


class RegexError(ValueError):
    """A regex matcher whose pattern RE2 rejects."""


def _compile(pattern: str) -> Callable[[str], bool]:
    """Prometheus anchors as ``^(?s:re)$`` (dot matches newline), unlike Alertmanager's ``^(?:re)$``."""
    anchored = "^(?s:" + pattern + ")$"
    try:
        from amclone.labels import regex as shared  # Go's error texts; owned by another session

        compiled: Any = shared.compile_unanchored(anchored)
        return compiled.match_string  # type: ignore[no-any-return]
    except ImportError:
        pass
    except ValueError as exc:
        raise RegexError(str(exc)) from None
    try:
        raw = re2.compile(anchored)
    except re2.error as exc:
        raise RegexError(f"error parsing regexp: {exc}") from None
    return lambda value: raw.fullmatch(value) is not None


@dataclass(frozen=True, slots=True)
class SeriesMatcher:
    """One ``name op value`` condition; `matches` is precomputed so selection costs one call."""

    name: str
    op: MatchOp
    value: str
    matches: Callable[[str], bool] = field(init=False, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        fn: Callable[[str], bool]
        if self.op is MatchOp.EQUAL:
            v = self.value
            fn = v.__eq__
        elif self.op is MatchOp.NOT_EQUAL:
            v = self.value
            fn = v.__ne__
        elif self.op is MatchOp.REGEX:
            fn = _compile(self.value)
        else:
            inner = _compile(self.value)
            fn = lambda s: not inner(s)
        object.__setattr__(self, "matches", fn)

    @property
    def matches_empty(self) -> bool:
        return self.matches("")

    def __str__(self) -> str:
        return f"{self.name}{self.op.value}{quote(self.value)}"
