"""Parsed intervals back to the data Alertmanager 0.25 prints (``config show``, ``/api/v2/status``).

Checked with the real binary (compat-tests/labels/test_timeinterval_compat.py). What it prints:

- fields in Go struct order: times, weekdays, days_of_month, months, years, location; absent,
  null and empty lists are left out (``omitempty``), so ``weekdays: []`` prints as ``{}``;
- weekdays by name (``monday:friday``, a one-day range as ``saturday``); days of month, months
  and years as numbers (``months: ["1:3"]``, ``years: ["20"]`` for ``020``), because only
  WeekdayRange has its own marshaller;
- times as ``{start_time: "09:00", end_time: "24:00"}``; the location by name, ``""`` as ``UTC``.

YAML *style* is the config emitter's business, but one yaml.v2 quirk belongs with this data:
the fields in `FLOW_FIELDS` carry the ``,flow`` tag. yaml.v2 sets its flow flag before encoding
such a field and only a collection clears it, so after ``location`` (a scalar) the flag leaks to
the *next* collection the encoder opens: the following list item, or the next named interval,
comes out in flow style (``- {location: Local}``, ``- {name: "y", time_intervals: [...]}``).
"""

from __future__ import annotations

from amclone.timeinterval.intervals import InclusiveRange, TimeInterval, TimeRange
from amclone.timeinterval.parse import DAY_NAMES

# Fields tagged `yaml:",flow"` in 0.25's TimeInterval struct.
FLOW_FIELDS = frozenset({"weekdays", "days_of_month", "months", "years", "location"})


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def marshal_time_range(r: TimeRange) -> dict[str, str]:
    return {"start_time": _clock(r.start_minute), "end_time": _clock(r.end_minute)}


def marshal_weekday_range(r: InclusiveRange) -> str:
    """``WeekdayRange.MarshalText``; every parsed weekday is 0..6, so the names always exist."""
    begin = DAY_NAMES[r.begin]
    return begin if r.begin == r.end else f"{begin}:{DAY_NAMES[r.end]}"


def marshal_inclusive_range(r: InclusiveRange) -> str:
    """``InclusiveRange.MarshalText``: ``7`` or ``1:5`` (also used for months and years)."""
    return str(r.begin) if r.begin == r.end else f"{r.begin}:{r.end}"


def marshal(ti: TimeInterval) -> dict[str, object]:
    """The printed form of one interval entry as plain data, keys in Go's order."""
    out: dict[str, object] = {}
    if ti.times:
        out["times"] = [marshal_time_range(r) for r in ti.times]
    if ti.weekdays:
        out["weekdays"] = [marshal_weekday_range(r) for r in ti.weekdays]
    if ti.days_of_month:
        out["days_of_month"] = [marshal_inclusive_range(r) for r in ti.days_of_month]
    if ti.months:
        out["months"] = [marshal_inclusive_range(r) for r in ti.months]
    if ti.years:
        out["years"] = [marshal_inclusive_range(r) for r in ti.years]
    if ti.location is not None:
        out["location"] = ti.location.name
    return out


def marshal_all(intervals: tuple[TimeInterval, ...] | list[TimeInterval]) -> list[dict[str, object]]:
    return [marshal(ti) for ti in intervals]
