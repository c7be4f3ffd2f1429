"""Label matchers (0.25 ``pkg/labels/matcher.go``): routes, inhibit rules, silences and API filters.

A matcher is a value: it compares and hashes by (name, type, value) and carries its compiled
regex along so a silence or route checked against thousands of alerts compiles once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from amclone.labels.regex import Regex, compile_anchored


class MatchType(enum.StrEnum):
    """The four operators; ``str()`` is the operator as Alertmanager prints it."""

    EQUAL = "="
    NOT_EQUAL = "!="
    REGEX = "=~"
    NOT_REGEX = "!~"

    @property
    def order(self) -> int:
        """Go's iota order (MatchEqual=0 ... MatchNotRegexp=3), the last key of Matchers.Less."""
        return _ORDER[self]

    @property
    def is_regex(self) -> bool:
        return self is MatchType.REGEX or self is MatchType.NOT_REGEX

    @property
    def is_equal(self) -> bool:
        """The v1 JSON ``isEqual`` flag: true for ``=`` and ``=~``."""
        return self is MatchType.EQUAL or self is MatchType.REGEX

    @classmethod
    def from_flags(cls, is_equal: bool, is_regex: bool) -> MatchType:
        """The JSON form (``isEqual``, ``isRegex``) used by API v1/v2 and silence snapshots."""
        if is_regex:
            return cls.REGEX if is_equal else cls.NOT_REGEX
        return cls.EQUAL if is_equal else cls.NOT_EQUAL


class MatcherParseError(ValueError):
    """Matcher text Alertmanager rejects; ``str()`` is Alertmanager's message
    (``bad matcher format: foo``, or a regex's ``error parsing regexp: ...``)."""


_ORDER = {MatchType.EQUAL: 0, MatchType.NOT_EQUAL: 1, MatchType.REGEX: 2, MatchType.NOT_REGEX: 3}


def open_metrics_escape(value: str) -> str:
    """Escape only backslash, newline and double quote, as Alertmanager does when printing matchers."""
    if "\\" not in value and "\n" not in value and '"' not in value:
        return value
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


@dataclass(frozen=True, slots=True)
class Matcher:
    """`labels.NewMatcher`: constructing a regex matcher compiles ``^(?:value)$`` and raises
    `amclone.labels.regex.RegexError` (Go's text) for a bad pattern."""

    name: str
    type: MatchType
    value: str
    regex: Regex | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.type, MatchType):
            object.__setattr__(self, "type", MatchType(self.type))
        if self.type.is_regex:
            object.__setattr__(self, "regex", compile_anchored(self.value))

    def matches(self, value: str) -> bool:
        """Whether a label value (``""`` for an absent label) satisfies this matcher."""
        t = self.type
        if t is MatchType.EQUAL:
            return value == self.value
        if t is MatchType.NOT_EQUAL:
            return value != self.value
        assert self.regex is not None
        if t is MatchType.REGEX:
            return self.regex.match_string(value)
        return not self.regex.match_string(value)

    def __str__(self) -> str:
        return f'{self.name}{self.type.value}"{open_metrics_escape(self.value)}"'

    def to_json(self) -> dict[str, object]:
        """The v1 JSON form, field order as Go's struct: name, value, isRegex, isEqual."""
        return {"name": self.name, "value": self.value,
                "isRegex": self.type.is_regex, "isEqual": self.type.is_equal}


def sort_key(m: Matcher) -> tuple[str, str, int]:
    """0.25 ``Matchers.Less``: by name, then value, then operator in Go's enum order."""
    return (m.name, m.value, m.type.order)


def matchers_string(ms: Iterable[Matcher]) -> str:
    """0.25 ``Matchers.String()``: ``{a="b",c=~"d"}``, no spaces; part of route keys and group keys."""
    return "{" + ",".join(str(m) for m in ms) + "}"


def matches_all(ms: Iterable[Matcher], labels: Mapping[str, str]) -> bool:
    """0.25 ``Matchers.Matches``: every matcher holds; an absent label compares as ``""``."""
    get = labels.get
    for m in ms:
        if not m.matches(get(m.name, "")):
            return False
    return True
