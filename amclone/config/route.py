"""`route` and `inhibit_rules`: the routing tree and inhibition rules as written in the file.

Only what 0.25's UnmarshalYAML methods check lives here (label names, group_by rules, zero
intervals); the checks that need the whole file (root-route rules, undefined receivers and time
intervals) are in `config.py`. Child timers stay None when unset: inheritance is the dispatcher's
business, and the marshalled config must omit them as Alertmanager does.
"""


from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from amclone.compat.goquote import quote
from amclone.config.errors import ConfigError
from amclone.config.godecode import Bool, Map, Seq, Str
from amclone.config.gostruct import Lazy, Ptr, Struct, gofield
from amclone.config.types import (
    DURATION,
    LABEL_NAMES,
    MATCH_REGEXPS,
    MATCHERS,
    STRING,
    STRING_MAP,
    STRINGS,
    Regexp,
)
from amclone.labels import labelset
from amclone.labels.matcher import Matcher


@dataclass(frozen=True)
class Route:
    receiver: str = gofield("receiver", STRING)
    group_by: tuple[str, ...] = gofield("group_by", STRINGS)
    match: Mapping[str, str] = gofield("match", STRING_MAP)
    match_re: Mapping[str, Regexp] = gofield("match_re", MATCH_REGEXPS)
    matchers: tuple[Matcher, ...] = gofield("matchers", MATCHERS)
    mute_time_intervals: tuple[str, ...] = gofield("mute_time_intervals", STRINGS)
    active_time_intervals: tuple[str, ...] = gofield("active_time_intervals", STRINGS)
    continue_: bool = gofield("continue", Bool(), omitempty=False)
    routes: tuple[Route, ...] = gofield("routes", Seq(Ptr(Lazy(lambda: _route_type(), "config.plain")),
                                                         "[]*config.Route"))
    group_wait: int | None = gofield("group_wait", Ptr(DURATION))
    group_interval: int | None = gofield("group_interval", Ptr(DURATION))
    repeat_interval: int | None = gofield("repeat_interval", Ptr(DURATION))

    @property
    def group_by_all(self) -> bool:
        """`group_by: ['...']`: every label groups."""
        return "..." in self.group_by

    @property
    def group_by_labels(self) -> tuple[str, ...]:
        return tuple(x for x in self.group_by if x != "...")

    def walk(self) -> list[Route]:
        """This route and all below it, depth first."""
        out = [self]
        for r in self.routes:
            out.extend(r.walk())
        return out


def check_label_names(m: Mapping[str, Any]) -> None:
    for k in m:
        if not labelset.is_valid_name(k):
            raise ConfigError(f"invalid label name {quote(k)}")


def _validate_route(r: dict[str, Any]) -> None:
    check_label_names(r["match"])
    labels: list[str] = []
    wildcard = False
    for name in r["group_by"]:
        if name == "...":
            wildcard = True
        elif not labelset.is_valid_name(name):
            raise ConfigError(f"invalid label name {quote(name)} in group_by list")
        else:
            labels.append(name)
    if labels and wildcard:
        raise ConfigError("cannot have wildcard group_by (`...`) and other other labels at the same time")
    seen: set[str] = set()
    for name in labels:
        if name in seen:
            raise ConfigError(f"duplicated label {quote(name)} in group_by")
        seen.add(name)
    if r["group_interval"] == 0:
        raise ConfigError("group_interval cannot be zero")
    if r["repeat_interval"] == 0:
        raise ConfigError("repeat_interval cannot be zero")


ROUTE: Struct[Route] = Struct(Route, "config.plain", custom=True, validate=_validate_route,
                              type_name="config.Route")


def _route_type() -> Struct[Route]:
    return ROUTE
ROUTE_PTR = Ptr(ROUTE)


@dataclass(frozen=True)
class InhibitRule:
    source_match: Mapping[str, str] = gofield("source_match", STRING_MAP)
    source_match_re: Mapping[str, Regexp] = gofield("source_match_re", MATCH_REGEXPS)
    source_matchers: tuple[Matcher, ...] = gofield("source_matchers", MATCHERS)
    target_match: Mapping[str, str] = gofield("target_match", STRING_MAP)
    target_match_re: Mapping[str, Regexp] = gofield("target_match_re", MATCH_REGEXPS)
    target_matchers: tuple[Matcher, ...] = gofield("target_matchers", MATCHERS)
    equal: tuple[str, ...] = gofield("equal", LABEL_NAMES)


@dataclass(frozen=True)
class ExtendedInhibitRule(InhibitRule):
    """0.30 added a `name` to inhibition rules (extended schema only)."""

    name: str = gofield("name", STRING)


def _validate_inhibit(r: dict[str, Any]) -> None:
    check_label_names(r["source_match"])
    check_label_names(r["target_match"])


INHIBIT_RULE = Struct(InhibitRule, "config.plain", custom=True, validate=_validate_inhibit,
                      type_name="config.InhibitRule")
EXTENDED_INHIBIT_RULE = Struct(ExtendedInhibitRule, "config.plain", custom=True, validate=_validate_inhibit,
                               type_name="config.InhibitRule")
INHIBIT_RULES = Seq(Ptr(INHIBIT_RULE), "[]*config.InhibitRule")
EXTENDED_INHIBIT_RULES = Seq(Ptr(EXTENDED_INHIBIT_RULE), "[]*config.InhibitRule")

__all__ = [
    "EXTENDED_INHIBIT_RULES",
    "INHIBIT_RULES",
    "ROUTE_PTR",
    "ExtendedInhibitRule",
    "InhibitRule",
    "Map",
    "Route",
    "Str",
]
