"""A silence's state in time, the validity rules, and when an edit may keep the silence's ID
(Alertmanager 0.25 `getState`, `validateSilence`, `canUpdate`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from silence_builders import HOUR, MINUTE, T0, m, sil

from amclone.silence.model import InvalidError, Silence, SilenceMatcher, SilenceState, can_update, validate
from amclone.timeutil import ZERO_TIME


def test_state_is_pending_before_start_active_through_end_and_expired_after() -> None:
    s = sil(start=T0, end=T0 + HOUR)
    assert s.state(T0 - 1) is SilenceState.PENDING
    assert s.state(T0) is SilenceState.ACTIVE
    assert s.state(T0 + HOUR) is SilenceState.ACTIVE  # the end instant itself is still active
    assert s.state(T0 + HOUR + 1) is SilenceState.EXPIRED


BASE = Silence(id="x", matchers=(m("a", "=", "b"),), starts_at=T0, ends_at=T0 + HOUR, updated_at=T0)


def valid(**changes: Any) -> Silence:
    return replace(BASE, **changes)


def _reason(s: Silence) -> str:
    with pytest.raises(InvalidError) as e:
        validate(s)
    return str(e.value)


def test_a_complete_silence_is_valid() -> None:
    validate(BASE)


@pytest.mark.parametrize(
    ("kw", "text"),
    [
        ({"id": ""}, "silence invalid: ID missing"),
        ({"matchers": ()}, "silence invalid: at least one matcher required"),
        (
            {"matchers": (m("a b", "=", "x"),)},
            'silence invalid: invalid label matcher 0: invalid label name "a b"',
        ),
        (
            {"matchers": (m("a", "=", "x"), m("job:x", "=", "y"))},
            'silence invalid: invalid label matcher 1: invalid label name "job:x"',
        ),
        (
            {"matchers": (m("a", "=~", "("),)},
            (
                'silence invalid: invalid label matcher 0: invalid regular expression "(": '
                "error parsing regexp: missing closing ): `(`"
            ),
        ),
        (
            {"matchers": (m("a", "!~", ")"),)},
            (
                'silence invalid: invalid label matcher 0: invalid regular expression ")": '
                "error parsing regexp: unexpected ): `)`"
            ),
        ),
        (
            {"matchers": (m("a", "=", ""),)},
            "silence invalid: at least one matcher must not match the empty string",
        ),
        (
            {"matchers": (m("a", "=~", ".*"), m("b", "=~", "x|"))},
            "silence invalid: at least one matcher must not match the empty string",
        ),
        ({"starts_at": ZERO_TIME}, "silence invalid: invalid zero start timestamp"),
        ({"ends_at": ZERO_TIME}, "silence invalid: invalid zero end timestamp"),
        ({"ends_at": T0 - 1}, "silence invalid: end time must not be before start time"),
        ({"updated_at": ZERO_TIME}, "silence invalid: invalid zero update timestamp"),
    ],
)
def test_invalid_silences_are_refused_with_alertmanagers_text(kw: dict[str, object], text: str) -> None:
    assert _reason(valid(**kw)) == text


def test_the_first_failing_matcher_is_reported_before_the_empty_match_check() -> None:
    assert (
        _reason(valid(matchers=(m("a", "=", ""), m("1x", "=", "v"))))
        == 'silence invalid: invalid label matcher 1: invalid label name "1x"'
    )


@pytest.mark.parametrize(
    "matchers",
    [
        (m("a", "!=", ""),),  # negative matchers never count as matching the empty string
        (m("a", "!~", ".*"),),
        (m("a", "=", ""), m("b", "=", "x")),
        (m("a", "=~", "x+"),),
    ],
)
def test_one_matcher_that_needs_a_value_is_enough(matchers: tuple[SilenceMatcher, ...]) -> None:
    validate(valid(matchers=matchers))


def test_a_zero_length_silence_is_valid() -> None:
    validate(valid(ends_at=T0))


class TestCanUpdate:
    """Edits that would rewrite what was silenced in the past need a new silence."""

    def test_changed_matchers_never_update_in_place(self) -> None:
        prev = sil(m("a", "=", "1"), start=T0, end=T0 + HOUR)
        new = sil(m("a", "=", "2"), start=T0, end=T0 + HOUR)
        assert not can_update(prev, new, T0 + MINUTE)

    def test_reordered_matchers_count_as_changed(self) -> None:
        prev = sil(m("a", "=", "1"), m("b", "=", "2"), start=T0, end=T0 + HOUR)
        new = sil(m("b", "=", "2"), m("a", "=", "1"), start=T0, end=T0 + HOUR)
        assert not can_update(prev, new, T0 + MINUTE)

    def test_an_active_silence_may_change_its_end_and_comment(self) -> None:
        prev = sil(start=T0, end=T0 + HOUR)
        assert can_update(prev, sil(start=T0, end=T0 + 2 * HOUR, comment="longer"), T0 + MINUTE)

    def test_an_active_silence_keeps_its_start_to_the_second(self) -> None:
        prev = sil(start=T0 + 100, end=T0 + HOUR)
        assert can_update(prev, sil(start=T0 + 999_999_999, end=T0 + HOUR), T0 + MINUTE)
        assert not can_update(prev, sil(start=T0 + 1_000_000_000, end=T0 + HOUR), T0 + MINUTE)

    def test_an_active_silence_may_not_be_moved_to_end_in_the_past(self) -> None:
        prev = sil(start=T0, end=T0 + HOUR)
        now = T0 + 10 * MINUTE
        assert can_update(prev, sil(start=T0, end=now), now)
        assert not can_update(prev, sil(start=T0, end=now - 1), now)

    def test_a_pending_silence_may_move_but_not_into_the_past(self) -> None:
        prev = sil(start=T0 + HOUR, end=T0 + 2 * HOUR)
        assert can_update(prev, sil(start=T0 + 3 * HOUR, end=T0 + 4 * HOUR), T0)
        assert can_update(prev, sil(start=T0, end=T0 + 4 * HOUR), T0)
        assert not can_update(prev, sil(start=T0 - 1, end=T0 + 4 * HOUR), T0)

    def test_an_expired_silence_is_final(self) -> None:
        prev = sil(start=T0, end=T0 + HOUR)
        assert not can_update(prev, sil(start=T0, end=T0 + 5 * HOUR), T0 + 2 * HOUR)
