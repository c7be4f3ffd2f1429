"""What API v2 needs from silences, as 0.25's `api/v2` computes it: the `gettableSilence`
object, the state it shows, the listing order and the `filter` rule. The handlers themselves
belong to `amclone.api`; these stay here so the rules live beside the silences they describe.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from amclone.compat.timefmt import format_millis, offset_or_zero
from amclone.labels.matcher import Matcher
from amclone.silence.model import Silence, SilenceState

_ORDER = {SilenceState.ACTIVE: 0, SilenceState.PENDING: 1, SilenceState.EXPIRED: 2}


def api_state(s: Silence, now: int) -> SilenceState:
    """`types.CalcSilenceState`, the state the API prints: unlike the store's rule, a silence is
    already expired at its end instant (so one expired just now never shows as active)."""
    if now < s.starts_at:
        return SilenceState.PENDING
    if now < s.ends_at:
        return SilenceState.ACTIVE
    return SilenceState.EXPIRED


def to_api(s: Silence, now: int) -> dict[str, object]:
    """The `gettableSilence` JSON object, keys in go-swagger's output order, matchers in the
    order they were posted (0.25 stores and returns them unsorted), times in strfmt millis.
    A start or end still holding the offset it was posted with (`compat.timefmt.Zoned`; lost,
    as in 0.25, once the silence went through its protobuf snapshot or gossip) prints in it."""
    return {
        "id": s.id,
        "status": {"state": api_state(s, now).value},
        "updatedAt": format_millis(s.updated_at),
        "comment": s.comment,
        "createdBy": s.created_by,
        "endsAt": format_millis(s.ends_at, offset_or_zero(s.ends_at)),
        "matchers": [
            {"isEqual": m.type.is_equal, "isRegex": m.type.is_regex, "name": m.name, "value": m.value}
            for m in s.matchers
        ],
        "startsAt": format_millis(s.starts_at, offset_or_zero(s.starts_at)),
    }


def sort_for_api(silences: Iterable[Silence], now: int) -> list[Silence]:
    """GET /api/v2/silences order (0.25 `SortSilences`): active ones that end soonest first,
    then pending ones that start soonest, then expired ones that ended most recently. 0.25's
    sort is unstable, so ties have no defined order; the ID breaks them here."""
    def key(s: Silence) -> tuple[int, int, str]:
        st = api_state(s, now)
        if st is SilenceState.ACTIVE:
            t = s.ends_at
        elif st is SilenceState.PENDING:
            t = s.starts_at
        else:
            t = -s.ends_at
        return (_ORDER[st], t, s.id)

    return sorted(silences, key=key)


def matches_filter(s: Silence, filters: Sequence[Matcher]) -> bool:
    """0.25 `CheckSilenceMatchesFilterLabels`: each filter matcher must appear in the silence
    with the same name, operator and value. It compares matchers, not labels, so
    ``alertname="X"`` does not find a silence on ``alertname=~"X|Y"``."""
    return all(
        any(m.name == f.name and m.type is f.type and m.value == f.value for m in s.matchers)
        for f in filters
    )
