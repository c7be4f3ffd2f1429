"""Reading ``time_intervals`` entries from loaded YAML data, with 0.25's error texts.

Every message below was checked against ``amtool check-config`` 0.25 (compat-tests/labels/).
Two kinds of error exist, and `TimeIntervalError.kind` tells them apart:

- ``"validation"``: the Go ``UnmarshalYAML`` methods' own errors, printed bare
  (``funday is not a valid weekday``);
- ``"unmarshal"``: what yaml.v2 reports for a wrong shape or an unknown field, which the real
  tool prints as ``yaml: unmarshal errors:\\n  line N: <message>``; the config loader knows N and
  adds the prefix.

Scalars are read as yaml.v2 reads them into a Go ``string``: ints and bools become their text
(``weekdays: [1]`` gives ``1 is not a valid weekday``) and null becomes ``""``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from amclone.timeinterval.intervals import InclusiveRange, Location, TimeInterval, TimeRange

T = TypeVar("T")

_DAYS = {"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5,
         "saturday": 6}
_MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
           "august": 8, "september": 9, "october": 10, "november": 11, "december": 12}
MONTH_NAMES = {v: k for k, v in _MONTHS.items()}
DAY_NAMES = {v: k for k, v in _DAYS.items()}

_VALID_TIME = re.compile(r"(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)\Z")
_ATOI = re.compile(r"[+-]?[0-9]+\Z")
_FIELDS = ("times", "weekdays", "days_of_month", "months", "years", "location")


class TimeIntervalError(ValueError):
    """A time interval Alertmanager rejects; ``str()`` is its message."""

    def __init__(self, message: str, kind: Literal["validation", "unmarshal"] = "validation",
                 messages: list[str] | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.messages = messages or [message]


def _yaml_tag(value: object) -> str:
    if value is None:
        return "!!null"
    if isinstance(value, bool):
        return "!!bool"
    if isinstance(value, int):
        return "!!int"
    if isinstance(value, float):
        return "!!float"
    if isinstance(value, str):
        return "!!str"
    if isinstance(value, Mapping):
        return "!!map"
    return "!!seq"


def _cannot(value: object, go_type: str) -> TimeIntervalError:
    tag = _yaml_tag(value)
    shown = f" `{_scalar_text(value)}`" if tag not in ("!!map", "!!seq") else ""
    return TimeIntervalError(f"cannot unmarshal {tag}{shown} into {go_type}", "unmarshal")


def _scalar_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _as_string(value: object) -> str:
    if isinstance(value, (Mapping, list, tuple)):
        raise _cannot(value, "string")
    return _scalar_text(value)


def _atoi(s: str) -> int:
    """`strconv.Atoi`, error text included."""
    if not _ATOI.match(s):
        raise TimeIntervalError(f'strconv.Atoi: parsing "{s}": invalid syntax')
    n = int(s)
    if not -(1 << 63) <= n < (1 << 63):
        raise TimeIntervalError(f'strconv.Atoi: parsing "{s}": value out of range')
    return n


def _range(text: str, member: Callable[[str], int]) -> InclusiveRange:
    """``stringableRangeFromString``: ``a:b`` or a single member, lower-cased first."""
    text = text.lower()
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 2:
            raise TimeIntervalError(f"couldn't parse range {text}, invalid format")
        return InclusiveRange(member(parts[0]), member(parts[1]))
    n = member(text)
    return InclusiveRange(n, n)


def _weekday(s: str) -> int:
    if s not in _DAYS:
        raise TimeIntervalError(f"{s} is not a valid weekday")
    return _DAYS[s]


def _month(s: str) -> int:
    if s in _MONTHS:
        return _MONTHS[s]
    try:
        return _atoi(s)
    except TimeIntervalError:
        raise TimeIntervalError(f"{s} is not a valid month") from None


def parse_weekday_range(text: str) -> InclusiveRange:
    r = _range(text, _weekday)
    if r.begin > r.end:
        raise TimeIntervalError("start day cannot be before end day")
    return r


def parse_day_of_month_range(text: str) -> InclusiveRange:
    r = _range(text, _atoi)
    for n in (r.begin, r.end):
        if n == 0 or n < -31 or n > 31:
            raise TimeIntervalError(f"{n} is not a valid day of the month: out of range")
    if r.begin < 0 and r.end > 0:
        raise TimeIntervalError("end day must be negative if start day is negative")
    # Negative days are checked on a 28-day month: only ranges that are always empty fail.
    check_begin = 28 + r.begin if r.begin < 0 else r.begin
    check_end = 28 + r.end if r.end < 0 else r.end
    if check_begin > check_end:
        raise TimeIntervalError(f"end day {r.end} is always before start day {r.begin}")
    return r


def parse_month_range(text: str) -> InclusiveRange:
    r = _range(text, _month)
    if r.begin > r.end:  # 0.25 checks only the order: "13" and "0:14" are accepted
        raise TimeIntervalError(
            f"end month {MONTH_NAMES.get(r.end, '')} is before start month {MONTH_NAMES.get(r.begin, '')}")
    return r


def parse_year_range(text: str) -> InclusiveRange:
    r = _range(text, _atoi)
    if r.begin > r.end:
        raise TimeIntervalError(f"end year {r.end} is before start year {r.begin}")
    return r


def parse_clock(text: str) -> int:
    """``HH:MM`` (00:00 to 23:59, or 24:00) as minutes of the day."""
    if not _VALID_TIME.match(text):
        raise TimeIntervalError(f"couldn't parse timestamp {text}, invalid format")
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def parse_time_range(node: object) -> TimeRange:
    if node is None:
        node = {}
    if not isinstance(node, Mapping):
        raise _cannot(node, "timeinterval.yamlTimeRange")
    for key in node:
        if key not in ("start_time", "end_time"):
            raise TimeIntervalError(f"field {key} not found in type timeinterval.yamlTimeRange", "unmarshal")
    start = _as_string(node.get("start_time"))
    end = _as_string(node.get("end_time"))
    if not start or not end:
        raise TimeIntervalError("both start and end times must be provided")
    s, e = parse_clock(start), parse_clock(end)
    if s >= e:
        raise TimeIntervalError("start time cannot be equal or greater than end time")
    return TimeRange(s, e)


def load_location(name: str) -> Location:
    """``time.LoadLocation``: ``""`` and ``UTC`` are UTC, ``Local`` the host's zone."""
    if name in ("", "UTC"):
        return Location("UTC")
    if name == "Local":
        return Location("Local")
    if ".." in name or name.startswith(("/", "\\")):
        raise TimeIntervalError("time: invalid location name")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise TimeIntervalError(f"unknown time zone {name}") from None
    return Location(name)


def _items(node: object, go_type: str, item: Callable[[object], T]) -> tuple[T, ...] | None:
    if node is None:
        return None
    if not isinstance(node, (list, tuple)):
        raise _cannot(node, go_type)
    return tuple(item(x) for x in node)


def _string_item(parse: Callable[[str], InclusiveRange]) -> Callable[[object], InclusiveRange]:
    return lambda x: parse(_as_string(x))


_ParsedField = tuple[TimeRange, ...] | tuple[InclusiveRange, ...] | Location | None


def _field(key: str, value: object) -> _ParsedField:
    if key == "times":
        return _items(value, "[]timeinterval.TimeRange", parse_time_range)
    if key == "weekdays":
        return _items(value, "[]timeinterval.WeekdayRange", _string_item(parse_weekday_range))
    if key == "days_of_month":
        return _items(value, "[]timeinterval.DayOfMonthRange", _string_item(parse_day_of_month_range))
    if key == "months":
        return _items(value, "[]timeinterval.MonthRange", _string_item(parse_month_range))
    if key == "years":
        return _items(value, "[]timeinterval.YearRange", _string_item(parse_year_range))
    return None if value is None else load_location(_as_string(value))


def parse_time_interval(node: object) -> TimeInterval:
    """One ``time_intervals`` entry (a mapping of times/weekdays/.../location).

    Fields are read in document order like yaml.v2 does: a validation error stops at once, while
    shape errors are collected and reported after the whole entry was read (yaml.v2's TypeError);
    `TimeIntervalError.messages` then lists them all.
    """
    if node is None:
        return TimeInterval()
    if not isinstance(node, Mapping):
        raise _cannot(node, "timeinterval.TimeInterval")
    values: dict[str, _ParsedField] = {}
    deferred: list[str] = []
    for key, value in node.items():
        if key not in _FIELDS:
            deferred.append(f"field {key} not found in type timeinterval.TimeInterval")
            continue
        try:
            values[key] = _field(key, value)
        except TimeIntervalError as e:
            if e.kind == "validation":
                raise
            deferred.extend(e.messages)
    if deferred:
        raise TimeIntervalError(deferred[0], "unmarshal", deferred)
    return TimeInterval(**values)  # type: ignore[arg-type]


def parse_time_intervals(node: object) -> tuple[TimeInterval, ...]:
    """A named interval's whole ``time_intervals`` list."""
    return _items(node, "[]timeinterval.TimeInterval", parse_time_interval) or ()
