"""`time_intervals` / `mute_time_intervals` entries, decoded along go-yaml's path.

The range syntax and its error texts belong to `amclone.timeinterval`; this module only walks the
nodes as yaml.v2 would (so type errors carry the right line and each range is validated, and may
abort, at the moment Go's UnmarshalYAML for it runs) and hands each item to that package.
"""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from amclone.config.errors import ConfigError
from amclone.config.godecode import Seq
from amclone.config.gostruct import Custom, Ptr, Struct, gofield
from amclone.config.types import STRING
from amclone.timeinterval import (
    InclusiveRange,
    Location,
    TimeInterval,
    TimeIntervalError,
    TimeRange,
    load_location,
)
from amclone.timeinterval import parse as ti_parse


def _wrap(fn: Callable[[str], Any]) -> Callable[[str, Any], Any]:
    def convert(s: str, node: Any) -> Any:
        try:
            return fn(s)
        except TimeIntervalError as e:
            raise ConfigError(str(e)) from None
    return convert


@dataclass(frozen=True)
class _YamlTimeRange:
    start_time: str = gofield("start_time", STRING, omitempty=False)
    end_time: str = gofield("end_time", STRING, omitempty=False)


def _time_range(raw: _YamlTimeRange, node: Any) -> TimeRange:
    try:
        return ti_parse.parse_time_range({"start_time": raw.start_time, "end_time": raw.end_time})
    except TimeIntervalError as e:
        raise ConfigError(str(e)) from None


_TIME_RANGE = Custom(Struct(_YamlTimeRange, "timeinterval.yamlTimeRange"), _time_range,
                     lambda: TimeRange(0, 0), "timeinterval.TimeRange")


def _ranges(parse: Callable[[str], InclusiveRange], type_name: str) -> Seq[InclusiveRange]:
    item = Custom(STRING, _wrap(parse), lambda: InclusiveRange(0, 0), "timeinterval." + type_name)
    return Seq(item, "[]timeinterval." + type_name)


_LOCATION = Ptr(Custom(STRING, _wrap(load_location), lambda: Location("UTC"), "timeinterval.Location"))


@dataclass(frozen=True)
class _RawInterval:
    times: tuple[TimeRange, ...] = gofield("times", Seq(_TIME_RANGE))
    weekdays: tuple[InclusiveRange, ...] = gofield("weekdays", _ranges(ti_parse.parse_weekday_range,
                                                                          "WeekdayRange"))
    days_of_month: tuple[InclusiveRange, ...] = gofield(
        "days_of_month", _ranges(ti_parse.parse_day_of_month_range, "DayOfMonthRange"))
    months: tuple[InclusiveRange, ...] = gofield("months", _ranges(ti_parse.parse_month_range, "MonthRange"))
    years: tuple[InclusiveRange, ...] = gofield("years", _ranges(ti_parse.parse_year_range, "YearRange"))
    location: Location | None = gofield("location", _LOCATION)


def _to_interval(raw: _RawInterval, node: Any) -> TimeInterval:
    return TimeInterval(times=raw.times or None, weekdays=raw.weekdays or None,
                        days_of_month=raw.days_of_month or None, months=raw.months or None,
                        years=raw.years or None, location=raw.location)


# timeinterval.TimeInterval has no UnmarshalYAML: a plain struct, so its type errors do not stop
# the enclosing named interval from being checked.
_INTERVAL = Custom(Struct(_RawInterval, "timeinterval.TimeInterval"), _to_interval, TimeInterval,
                   "timeinterval.TimeInterval")


@dataclass(frozen=True)
class NamedTimeInterval:
    """A `time_intervals` (or deprecated `mute_time_intervals`) entry."""

    name: str = gofield("name", STRING, omitempty=False)
    time_intervals: tuple[TimeInterval, ...] = gofield("time_intervals", Seq(_INTERVAL), omitempty=False)


def _need_name(message: str) -> Callable[[dict[str, Any]], None]:
    def validate(v: dict[str, Any]) -> None:
        if v["name"] == "":
            raise ConfigError(message)
    return validate


TIME_INTERVALS = Seq(Struct(NamedTimeInterval, "config.plain", custom=True,
                            validate=_need_name("missing name in time interval"),
                            type_name="config.TimeInterval"), "[]config.TimeInterval")
MUTE_TIME_INTERVALS = Seq(Struct(NamedTimeInterval, "config.plain", custom=True,
                                 validate=_need_name("missing name in mute time interval"),
                                 type_name="config.MuteTimeInterval"), "[]config.MuteTimeInterval")
