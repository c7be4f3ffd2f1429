"""Turning posted alerts into stored ones: 0.25's ``postAlertsHandler`` (API v2) and
``insertAlerts`` (API v1) minus the HTTP, plus ``model.Alert.Validate``.

Both API versions share the same steps, in this order, and the order is observable:
1. ``UpdatedAt = now``; a missing ``startsAt`` becomes ``endsAt`` (if set) or ``now``; a missing
   ``endsAt`` becomes ``now + resolve_timeout`` with the ``Timeout`` flag set.
2. ``alertmanager_alerts_received_total{status}`` counts every alert — invalid ones too — as
   firing when its (defaulted) end is after now, resolved otherwise.
3. Labels with empty values are dropped (so ``{x=""}`` alone is "at least one label pair required").
4. Validation; a failing alert is counted in ``alertmanager_alerts_invalid_total`` and skipped,
   the others are still stored ("best effort") and the response is a 400 with every message
   joined by ``"; "`` (``types.MultiError``).

The API layer decodes JSON into `PostedAlert` (it owns the schema errors: 422 for v2, the v1
decoder's texts), calls `prepare`, awaits ``store.put(prepared.alerts)`` and answers 400 with
`Prepared.error_text` when `Prepared.errors` is not empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from prometheus_client import Counter
from prometheus_client.registry import CollectorRegistry

from amclone.alerts.alert import Alert
from amclone.compat.goquote import quote
from amclone.compat.timefmt import local_offset
from amclone.labels.labelset import is_valid_name, is_valid_value
from amclone.timeutil import ZERO_TIME

__all__ = ["VERSIONS", "IngestMetrics", "PostedAlert", "Prepared", "prepare", "v1_labelset_error", "validate"]

# The API versions 0.25 serves; both sets of counters exist (at zero) from start-up.
VERSIONS = ("v1", "v2")
# types.MultiError.Error()
ERROR_SEPARATOR = "; "


class PostedAlert(NamedTuple):
    """An alert as decoded from a POST body, before defaults. Unset times are `ZERO_TIME`.

    `timeout` is only ever true from API v1: it decodes straight into ``types.Alert``, whose
    exported ``Timeout`` field a client can set with a JSON key ``timeout`` (v2's schema has none).
    """

    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    starts_at: int = ZERO_TIME
    ends_at: int = ZERO_TIME
    generator_url: str = ""
    timeout: bool = False
    starts_off: int = 0  # the UTC offsets the times were posted with (see `Alert`)
    ends_off: int = 0


@dataclass(slots=True)
class Prepared:
    """The outcome of one POST: the alerts to store and the validation messages, in input order."""

    alerts: list[Alert] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # What alertmanager_alerts_received_total counts for this body (invalid alerts included).
    firing: int = 0
    resolved: int = 0

    @property
    def error_text(self) -> str:
        return ERROR_SEPARATOR.join(self.errors)


class IngestMetrics:
    """``alertmanager_alerts_received_total{status,version}`` and
    ``alertmanager_alerts_invalid_total{version}``, pre-set to zero for both API versions as 0.25
    registers them at start-up."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.received = Counter("alertmanager_alerts_received", "The total number of received alerts.",
                                ["status", "version"], registry=registry)
        self.invalid = Counter("alertmanager_alerts_invalid",
                               "The total number of received alerts that were invalid.",
                               ["version"], registry=registry)
        self._firing = {v: self.received.labels("firing", v) for v in VERSIONS}
        self._resolved = {v: self.received.labels("resolved", v) for v in VERSIONS}
        self._invalid = {v: self.invalid.labels(v) for v in VERSIONS}

    def count(self, version: str, firing: int, resolved: int, invalid: int) -> None:
        # One increment per batch and kind: a Counter.inc takes a lock, per alert it would show.
        if firing:
            self._firing[version].inc(firing)
        if resolved:
            self._resolved[version].inc(resolved)
        if invalid:
            self._invalid[version].inc(invalid)


# Label names seen valid before. Real traffic repeats a handful of names, so a C-level
# superset test replaces a per-name check on the hot path. Bounded so junk cannot grow it.
_valid_names: set[str] = set()
_VALID_NAMES_MAX = 10_000


def _names_error(names: Iterable[str]) -> str | None:
    for name in names:
        if name not in _valid_names:
            if not is_valid_name(name):
                return f"invalid name {quote(name)}"
            if len(_valid_names) < _VALID_NAMES_MAX:
                _valid_names.add(name)
    return None


def _labelset_error(ls: Mapping[str, str]) -> str | None:
    """``model.LabelSet.Validate``. Go walks a map (random order) and reports the first bad pair;
    here the first in the posted order is reported."""
    if not _valid_names.issuperset(ls):
        for name, value in ls.items():
            err = _names_error((name,))
            if err is not None:
                return err
            if not is_valid_value(value):
                return f"invalid value {quote(value)}"
        return None
    if not "".join(ls.values()).isascii():
        for value in ls.values():
            if not is_valid_value(value):
                return f"invalid value {quote(value)}"
    return None


def v1_labelset_error(ls: Mapping[str, str]) -> str | None:
    """API v1's decode-time check (``model.LabelSet.UnmarshalJSON``), for its JSON decoder.

    v1 decodes bodies straight into ``model.LabelSet`` (labels *and* annotations), whose
    unmarshaler rejects an invalid name before any default or validation runs: the whole request
    fails with 400 ``bad_data`` and this text, nothing is stored and no counter moves. Go walks
    a map, so with several bad names which one is reported varies; here the first posted.
    Empty values are not removed yet at that point, so ``{"": "x"}`` fails here too.
    """
    for name in ls:
        if name not in _valid_names and _names_error((name,)) is not None:
            return f"{quote(name)} is not a valid label name"
    return None


def validate(labels: Mapping[str, str], annotations: Mapping[str, str], starts_at: int,
             ends_at: int) -> str | None:
    """``model.Alert.Validate``: the first problem's message, or None. Checks run in Go's order."""
    if starts_at == ZERO_TIME:
        return "start time missing"
    if ends_at != ZERO_TIME and ends_at < starts_at:
        return "start time must be before end time"
    err = _labelset_error(labels)
    if err is not None:
        return "invalid label set: " + err
    if not labels:
        return "at least one label pair required"
    if annotations:
        err = _labelset_error(annotations)
        if err is not None:
            return "invalid annotations: " + err
    return None


def prepare(posted: Iterable[PostedAlert], *, now: int, resolve_timeout: int, version: str = "v2",
            metrics: IngestMetrics | None = None) -> Prepared:
    """Defaults, counting, empty-label removal and validation for one POST body (see module doc).

    `now` is read once per request, as Go does; `resolve_timeout` is ``global.resolve_timeout``
    in nanoseconds at the time of the request.
    """
    out = Prepared()
    alerts = out.alerts
    firing = resolved = 0
    default_end = now + resolve_timeout
    # Go's time.Now() is in Local, and so are the defaults made from it.
    now_off, end_off = local_offset(now), local_offset(default_end)
    known = _valid_names.issuperset
    for p in posted:
        labels, annotations, starts_at, ends_at, url, timeout, starts_off, ends_off = p
        if starts_at == ZERO_TIME:
            if ends_at == ZERO_TIME:
                starts_at, starts_off = now, now_off
            else:
                starts_at, starts_off = ends_at, ends_off
        if ends_at == ZERO_TIME:
            timeout = True
            ends_at, ends_off = default_end, end_off
        if ends_at > now:
            firing += 1
        else:
            resolved += 1
        if "" in labels.values():
            labels = {k: v for k, v in labels.items() if v != ""}
        # What `validate` accepts at a glance (known names, ASCII values: the usual alert); it
        # words the message, or accepts the less usual, otherwise.
        if not (labels and ends_at >= starts_at != ZERO_TIME and known(labels)
                and "".join(labels.values()).isascii()
                and (not annotations or known(annotations) and "".join(annotations.values()).isascii())):
            err = validate(labels, annotations, starts_at, ends_at)
            if err is not None:
                out.errors.append(err)
                continue
        # Positional (keywords cost more here); -1: the fingerprint is computed.
        alerts.append(Alert(labels, annotations, starts_at, ends_at, now, url, timeout, -1, starts_off, ends_off))
    out.firing, out.resolved = firing, resolved
    if metrics is not None:
        metrics.count(version, firing, resolved, len(out.errors))
    return out
