"""Restoring ``for`` state after a restart from the ALERTS_FOR_STATE series (``RestoreForState``).

Without it a restart would make every long-``for`` alert wait its full ``for`` again. The last
ALERTS_FOR_STATE sample of an alert (within the outage tolerance, 1h) holds its ``ActiveAt``; the
time of that sample is when amclone went down. Rules with ``for`` below the grace period (10m) are
not restored (they would wait longer with a grace period than without). The time spent down does
not count towards ``for``, and an alert that was nearly due fires no sooner than a grace period
after the restart, so a restart does not page people the moment it comes up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from amclone.compat.goquote import quote
from amclone.rules.alerting import AlertingRule
from amclone.rules.datasource import RemoteSource
from amclone.tsdb import Head, MatchOp, SeriesMatcher

S = 1_000_000_000
DEFAULT_OUTAGE_TOLERANCE = 3600 * S
DEFAULT_GRACE_PERIOD = 600 * S


class ForStateSource(Protocol):
    def last_samples(self, matchers: Sequence[SeriesMatcher], mint_ms: int,
                     maxt_ms: int) -> list[tuple[dict[str, str], int, float]]:
        """Each matching series' labels (without ``__name__``) and its newest sample in
        ``(mint, maxt]``; series whose newest sample is a stale marker are left out."""
        ...


class HeadForState:
    def __init__(self, head: Head) -> None:
        self.head = head

    def last_samples(self, matchers: Sequence[SeriesMatcher], mint_ms: int,
                     maxt_ms: int) -> list[tuple[dict[str, str], int, float]]:
        out = []
        for s in self.head.select(matchers, mint_ms, maxt_ms):
            hit = s.last_sample_at(maxt_ms, maxt_ms - mint_ms)
            if hit is not None:
                out.append(({k: v for k, v in s.labels if k != "__name__"}, hit[0], hit[1]))
        return out


class RemoteForState:
    """The same over a Prometheus-compatible query API (``--rules.datasource.url``): a range
    selector at ``maxt`` gives each series' samples in the window. The API drops stale markers from
    range vectors, so an alert that ended with a marker still restores (from its last real sample);
    Prometheus, reading its own storage, would skip it."""

    def __init__(self, source: RemoteSource) -> None:
        self.source = source

    def last_samples(self, matchers: Sequence[SeriesMatcher], mint_ms: int,
                     maxt_ms: int) -> list[tuple[dict[str, str], int, float]]:
        sel = "{" + ",".join(f"{m.name}{m.op.value}{quote(m.value)}" for m in matchers) + "}"
        window = max((maxt_ms - mint_ms) // 1000, 1)
        out = []
        for labels, t_ms, v in self.source.query_matrix(f"{sel}[{window}s]", maxt_ms):
            out.append(({k: x for k, x in labels if k != "__name__"}, t_ms, v))
        return out


def _matchers(rule: AlertingRule) -> list[SeriesMatcher]:
    """ALERTS_FOR_STATE of this rule: its name and the labels that are not templates."""
    ms = [SeriesMatcher("__name__", MatchOp.EQUAL, "ALERTS_FOR_STATE"),
          SeriesMatcher("alertname", MatchOp.EQUAL, rule.name)]
    ms += [SeriesMatcher(k, MatchOp.EQUAL, v) for k, v in rule.labels.items() if "{{" not in v]
    return ms


def restore_for_state(rules: Sequence[AlertingRule], source: ForStateSource, now: int,
                      outage_tolerance: int = DEFAULT_OUTAGE_TOLERANCE,
                      grace_period: int = DEFAULT_GRACE_PERIOD) -> int:
    """Adjust ``ActiveAt`` of the rules' current alerts; marks every rule restored. Returns how
    many alerts were restored."""
    restored = 0
    maxt = now // 1_000_000
    mint = (now - outage_tolerance) // 1_000_000
    for rule in rules:
        try:
            if rule.for_ < grace_period or not rule.active:
                continue
            found = {tuple(sorted(lbls.items())): (t, v)
                     for lbls, t, v in source.last_samples(_matchers(rule), mint, maxt)}
            for key, alert in rule.active.items():
                hit = found.get(key)
                if hit is None or math.isnan(hit[1]):
                    continue
                down_at = hit[0] // 1000 * S
                active_at = int(hit[1]) * S
                remaining = rule.for_ - (down_at - active_at)
                if remaining <= 0:
                    pass
                elif remaining < grace_period:
                    active_at = now + grace_period - rule.for_
                else:
                    active_at += now - down_at
                alert.active_at = active_at
                restored += 1
        finally:
            rule.restored = True
    return restored
