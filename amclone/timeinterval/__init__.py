"""Time intervals (``time_intervals`` / ``mute_time_intervals`` entries) as Alertmanager 0.25 reads,
tests and prints them (layer L1).

`parse_time_interval(node)` reads one entry of loaded YAML data, `TimeInterval.contains(ns)` tests
an instant, `marshal(ti)` gives back the data ``config show`` prints. Names, uniqueness and
references from routes are the config loader's job.
"""

from amclone.timeinterval.intervals import (
    InclusiveRange,
    Location,
    TimeInterval,
    TimeRange,
    contains_any,
    days_in_month,
)
from amclone.timeinterval.marshal import FLOW_FIELDS, marshal, marshal_all
from amclone.timeinterval.parse import (
    TimeIntervalError,
    load_location,
    parse_time_interval,
    parse_time_intervals,
)

__all__ = [
    "FLOW_FIELDS", "InclusiveRange", "Location", "TimeInterval", "TimeIntervalError", "TimeRange",
    "contains_any", "days_in_month", "load_location", "marshal", "marshal_all",
    "parse_time_interval", "parse_time_intervals",
]
