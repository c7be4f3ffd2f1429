"""The silence value, its state in time, and the validity rules Alertmanager 0.25 applies
before storing one (`validateSilence`), with 0.25's error texts.

Matchers are kept raw (`SilenceMatcher`: name, type, pattern text) rather than compiled, as
Alertmanager keeps its protobuf matchers: a silence posted with a broken regular expression must
reach validation to be refused with 0.25's ``invalid label matcher 0: invalid regular expression``
text, and a snapshot must round-trip the pattern byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from amclone.compat.goquote import quote
from amclone.labels import labelset, regex
from amclone.labels.matcher import Matcher, MatchType
from amclone.timeutil import ZERO_TIME


class SilenceState(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"
    EXPIRED = "expired"


class SilenceError(Exception):
    """A silence operation failed; `str()` is Alertmanager's message for it."""


class NotFoundError(SilenceError):
    """The API answers 404 on POST and (0.25) 500 on DELETE with this text."""

    def __init__(self) -> None:
        super().__init__("silence not found")


class InvalidError(SilenceError):
    """`validateSilence` refused the silence; the text is wrapped as 0.25 wraps it."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"silence invalid: {reason}")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class SilenceMatcher:
    name: str
    type: MatchType
    value: str

    def compile(self) -> Matcher:
        """The label matcher this stands for (regexes anchored); raises on a bad regex."""
        return Matcher(self.name, self.type, self.value)


@dataclass(frozen=True, slots=True)
class Silence:
    id: str
    matchers: tuple[SilenceMatcher, ...]
    starts_at: int
    ends_at: int
    updated_at: int = ZERO_TIME
    created_by: str = ""
    comment: str = ""

    def state(self, now: int) -> SilenceState:
        """0.25's `getState`: the end instant itself still counts as active. (The API's
        `CalcSilenceState` differs at that instant; see `amclone.silence.api.api_state`.)"""
        if now < self.starts_at:
            return SilenceState.PENDING
        if now > self.ends_at:
            return SilenceState.EXPIRED
        return SilenceState.ACTIVE


def _go_string(s: str) -> str:
    # Lone surrogates (JSON "\ud800") cannot be stored as UTF-8; Go's JSON decoder turns each
    # into U+FFFD, so that is what Alertmanager would have kept.
    try:
        s.encode()
        return s
    except UnicodeEncodeError:
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def as_go_strings(s: Silence) -> Silence:
    """`s` with every text as a Go string (valid UTF-8), so it can be stored and gossiped."""
    texts = (s.id, s.created_by, s.comment, *(x for m in s.matchers for x in (m.name, m.value)))
    if all(t.isascii() for t in texts):
        return s
    return replace(
        s, id=_go_string(s.id), created_by=_go_string(s.created_by), comment=_go_string(s.comment),
        matchers=tuple(SilenceMatcher(_go_string(m.name), m.type, _go_string(m.value)) for m in s.matchers))


def validate_matcher(m: SilenceMatcher) -> str | None:
    """0.25's `ValidateMatcher`: the reason `m` is invalid, or None. Names follow the classic
    rule even where the matcher parser accepts colons."""
    if not labelset.is_valid_name(m.name):
        return f"invalid label name {quote(m.name)}"
    if m.type in (MatchType.EQUAL, MatchType.NOT_EQUAL):
        if not labelset.is_valid_value(m.value):
            return f"invalid label value {quote(m.value)}"
        return None
    try:
        regex.compile_unanchored(m.value)
    except regex.RegexError as e:
        return f"invalid regular expression {quote(m.value)}: {e}"
    return None


def _matches_empty(m: SilenceMatcher) -> bool:
    # 0.25 tests `regexp.MatchString(pattern, "")` unanchored; on the empty string an
    # unanchored search and the anchored match agree, so the compiled matcher answers it.
    if m.type is MatchType.EQUAL:
        return m.value == ""
    if m.type is MatchType.REGEX:
        return m.compile().matches("")
    return False


def validate(s: Silence) -> None:
    """Raise `InvalidError` unless `s` may be stored (0.25 `validateSilence`, checks in its order)."""
    if not s.id:
        raise InvalidError("ID missing")
    if not s.matchers:
        raise InvalidError("at least one matcher required")
    all_match_empty = True
    for i, m in enumerate(s.matchers):
        reason = validate_matcher(m)
        if reason is not None:
            raise InvalidError(f"invalid label matcher {i}: {reason}")
        all_match_empty = all_match_empty and _matches_empty(m)
    if all_match_empty:
        raise InvalidError("at least one matcher must not match the empty string")
    if s.starts_at == ZERO_TIME:
        raise InvalidError("invalid zero start timestamp")
    if s.ends_at == ZERO_TIME:
        raise InvalidError("invalid zero end timestamp")
    if s.ends_at < s.starts_at:
        raise InvalidError("end time must not be before start time")
    if s.updated_at == ZERO_TIME:
        raise InvalidError("invalid zero update timestamp")


def can_update(prev: Silence, new: Silence, now: int) -> bool:
    """0.25's `canUpdate`: whether `new` may overwrite `prev` in place (same ID) without
    rewriting history; otherwise `Silences.set` expires `prev` and stores `new` under a new ID.
    Same matchers in the same order are required; an active silence keeps its start second and
    may not end in the past; a pending one may not start in the past; an expired one is final."""
    if prev.matchers != new.matchers:
        return False
    state = prev.state(now)
    if state is SilenceState.ACTIVE:
        return _unix(new.starts_at) == _unix(prev.starts_at) and not new.ends_at < now
    if state is SilenceState.PENDING:
        return not new.starts_at < now
    return False


def _unix(ns: int) -> int:
    # Go's Time.Unix(): whole seconds, rounded toward the past.
    return ns // 1_000_000_000
