"""Builders for silence tests: a fixed start instant and terse silences and matchers."""

from __future__ import annotations

from amclone.labels.matcher import MatchType
from amclone.silence import Silence, SilenceMatcher
from amclone.timeutil import NS_PER_SECOND

T0 = 1_800_000_000 * NS_PER_SECOND
MINUTE = 60 * NS_PER_SECOND
HOUR = 60 * MINUTE


def m(name: str, op: str, value: str) -> SilenceMatcher:
    return SilenceMatcher(name, MatchType(op), value)


def sil(
    *matchers: SilenceMatcher, start: int, end: int, id: str = "", created_by: str = "me", comment: str = "c"
) -> Silence:
    return Silence(
        id=id,
        matchers=matchers or (m("alertname", "=", "HostDown"),),
        starts_at=start,
        ends_at=end,
        created_by=created_by,
        comment=comment,
    )
