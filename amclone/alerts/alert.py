"""The alert value every layer passes around: 0.25's ``types.Alert`` (``model.Alert`` plus
``UpdatedAt`` and ``Timeout``) and its ``Merge``.

Alerts are immutable: the store, the aggregation groups and the API hold the same objects, and a
changed alert is a new object (as Go's ``Merge`` returns a copy). Times are int nanoseconds
(`amclone.timeutil`); an unset time is `ZERO_TIME`, never ``None``, exactly like Go's zero
``time.Time`` — `is_zero` checks and the merge rules compare the same values Go compares.

Go's times also carry a location, which the API, webhooks and templates print: `starts_off`
and `ends_off` are the UTC offsets (seconds east; 0 prints ``Z``) that go with `starts_at` and
`ends_at` — the offset a client posted, or Local's for times made from ``now``. They travel with
their instant (`merge` picks whole values as Go's ``Merge`` does) and never affect comparisons.
`updated_at` is always ``now``, hence Local (`compat.timefmt.local_offset` at print time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import Enum

from amclone.labels.labelset import fingerprint as _fingerprint
from amclone.labels.labelset import fingerprint_hex
from amclone.timeutil import ZERO_TIME

__all__ = ["NIL_MAP", "Alert", "AlertStatus", "NilMap", "overlaps"]

# An unset fingerprint; real ones are unsigned 64-bit, so a negative value cannot collide.
_UNSET = -1


class NilMap(dict[str, str]):
    """Go's nil map where an empty one would print differently: API v1 decodes a body without
    ``annotations`` into a nil ``model.LabelSet`` and prints it as ``null``, not ``{}``. Use the
    one instance `NIL_MAP` (never mutate it); the write-ahead log keeps it across restarts."""


NIL_MAP = NilMap()


class AlertStatus(str, Enum):
    """``model.AlertStatus``: what webhooks and templates call ``status``."""

    FIRING = "firing"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as Alertmanager holds it.

    `fingerprint` is computed from `labels` when not given. Callers that already know it (the
    write-ahead log on reload, `merge`) pass it, because hashing the label set is the single most
    expensive thing done per ingested alert.
    """

    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    starts_at: int
    ends_at: int
    updated_at: int
    generator_url: str = ""
    timeout: bool = False
    fingerprint: int = field(default=_UNSET, compare=False)
    starts_off: int = field(default=0, compare=False)
    ends_off: int = field(default=0, compare=False)

    # Written out instead of generated: a frozen dataclass's own __init__ costs 2.2 µs (it
    # looks up object.__setattr__ per field), this one 0.6 µs: it calls each slot's descriptor
    # directly (bound below, once the class exists), and every ingested alert and every
    # reloaded one is built here. test_alert checks it against the field list.
    def __init__(self, labels: Mapping[str, str], annotations: Mapping[str, str], starts_at: int,
                 ends_at: int, updated_at: int, generator_url: str = "", timeout: bool = False,
                 fingerprint: int = _UNSET, starts_off: int = 0, ends_off: int = 0) -> None:
        _set_labels(self, labels)
        _set_annotations(self, annotations)
        _set_starts_at(self, starts_at)
        _set_ends_at(self, ends_at)
        _set_updated_at(self, updated_at)
        _set_generator_url(self, generator_url)
        _set_timeout(self, timeout)
        _set_fingerprint(self, fingerprint if fingerprint >= 0 else _fingerprint(labels))
        _set_starts_off(self, starts_off)
        _set_ends_off(self, ends_off)

    def __hash__(self) -> int:
        # The generated hash would hash the label dicts (a TypeError); equal alerts have equal
        # labels, hence equal fingerprints, so this agrees with ==.
        return hash((self.fingerprint, self.updated_at))

    @property
    def fingerprint_hex(self) -> str:
        return fingerprint_hex(self.fingerprint)

    @property
    def name(self) -> str:
        """``model.Alert.Name()``: the ``alertname`` label, empty when absent."""
        return self.labels.get("alertname", "")

    def resolved_at(self, now: int) -> bool:
        """``model.Alert.ResolvedAt``: an end time is set and is not after `now`."""
        return self.ends_at != ZERO_TIME and self.ends_at <= now

    def status_at(self, now: int) -> AlertStatus:
        return AlertStatus.RESOLVED if self.resolved_at(now) else AlertStatus.FIRING

    def with_ends_at(self, ends_at: int, ends_off: int = 0) -> Alert:
        """A copy with another end time (flushes send firing alerts with a zero `endsAt`, UTC)."""
        return Alert(self.labels, self.annotations, self.starts_at, ends_at, self.updated_at,
                     self.generator_url, self.timeout, self.fingerprint, self.starts_off, ends_off)

    def merge(self, other: Alert, now: int) -> Alert:
        """``types.Alert.Merge``: combine two versions of the same alert (equal labels).

        The version with the later `updated_at` is authoritative for everything but the time
        span (on a tie `other` is, as in Go). The span keeps the earliest start; the end is the
        newer one's unless:
        - the newer is resolved, the older is resolved too and ended later: the latest explicit
          resolution wins;
        - the newer is firing and the older ends later without being a resolve-timeout guess:
          "a non-timeout timestamp always rules if it is the latest".
        `now` stands in for Go's ``time.Now()`` in ``Resolved()``.
        """
        older, newer = (other, self) if other.updated_at < self.updated_at else (self, other)
        older_start = older.starts_at < newer.starts_at
        older_end = False
        if newer.resolved_at(now):
            older_end = older.resolved_at(now) and older.ends_at > newer.ends_at
        elif older.ends_at > newer.ends_at and not older.timeout:
            older_end = True
        if not (older_start or older_end):
            return newer
        starts_at, starts_off = (older.starts_at, older.starts_off) if older_start else (newer.starts_at, newer.starts_off)
        ends_at, ends_off = (older.ends_at, older.ends_off) if older_end else (newer.ends_at, newer.ends_off)
        return Alert(newer.labels, newer.annotations, starts_at, ends_at, newer.updated_at,
                     newer.generator_url, newer.timeout, newer.fingerprint, starts_off, ends_off)



# The slots' own setters (what object.__setattr__ would find after a lookup per call).
_setters = {f.name: Alert.__dict__[f.name].__set__ for f in fields(Alert)}
_set_labels, _set_annotations = _setters["labels"], _setters["annotations"]
_set_starts_at, _set_ends_at, _set_updated_at = _setters["starts_at"], _setters["ends_at"], _setters["updated_at"]
_set_generator_url, _set_timeout = _setters["generator_url"], _setters["timeout"]
_set_fingerprint, _set_starts_off, _set_ends_off = _setters["fingerprint"], _setters["starts_off"], _setters["ends_off"]

def overlaps(new: Alert, old: Alert) -> bool:
    """provider/mem ``Put``'s test for merging a re-posted alert into the stored one.

    Only an end strictly inside the old span, or a start strictly inside it, counts; anything
    else (e.g. a re-fire after the old one resolved, or an identical span) replaces the stored
    alert wholesale. The strictness is Go's ``After``/``Before`` and is kept on purpose.
    """
    return (old.starts_at < new.ends_at < old.ends_at) or (old.starts_at < new.starts_at < old.ends_at)
