"""The routing tree (0.25 ``dispatch/route.go``): which receivers, with which grouping and timing,
an alert's labels lead to.

Everything here is observable: the receivers ``amtool config routes test`` prints, the order in
which an alert joins groups, and the route key that starts every group key (``{}/{team="db"}``)
and so every nflog entry and PagerDuty dedup key. So 0.25's rules are kept, quirks included:
``group_by: []`` inherits the parent's grouping (fixed upstream only in 0.31), mute and active
time intervals are never inherited, and a route's matchers are match + match_re + matchers,
sorted by name, value, then operator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from amclone.labels.matcher import Matcher, MatchType, matchers_string, sort_key
from amclone.labels.parse import parse_matchers
from amclone.timeutil import NS_PER_SECOND

DEFAULT_GROUP_WAIT = 30 * NS_PER_SECOND
DEFAULT_GROUP_INTERVAL = 5 * 60 * NS_PER_SECOND
DEFAULT_REPEAT_INTERVAL = 4 * 3600 * NS_PER_SECOND


@dataclass(frozen=True, slots=True)
class RouteOpts:
    """What a route hands its groups; children start from a copy of their parent's."""

    receiver: str = ""
    group_by: frozenset[str] = frozenset()
    group_by_all: bool = False
    group_wait: int = DEFAULT_GROUP_WAIT
    group_interval: int = DEFAULT_GROUP_INTERVAL
    repeat_interval: int = DEFAULT_REPEAT_INTERVAL
    mute_time_intervals: tuple[str, ...] = ()
    active_time_intervals: tuple[str, ...] = ()


@dataclass(frozen=True)
class RouteSpec:
    """A route as written in alertmanager.yml, already validated. `Route.from_config` also takes
    the config package's route objects; this is the shape it reads from either."""

    receiver: str = ""
    group_by: tuple[str, ...] | None = None  # None: inherit (also what 0.25 makes of [])
    group_by_all: bool = False
    match: Mapping[str, str] = field(default_factory=dict)
    match_re: Mapping[str, str] = field(default_factory=dict)  # the pattern as written
    matchers: tuple[Matcher, ...] = ()
    continue_: bool = False
    routes: tuple[RouteSpec, ...] = ()
    group_wait: int | None = None
    group_interval: int | None = None
    repeat_interval: int | None = None
    mute_time_intervals: tuple[str, ...] = ()
    active_time_intervals: tuple[str, ...] = ()

    @classmethod
    def from_yaml(cls, node: Mapping[str, Any]) -> RouteSpec:
        """From a loaded YAML mapping (no validation: for configs already accepted elsewhere)."""
        from amclone.compat.duration import parse_model_duration

        def dur(key: str) -> int | None:
            v = node.get(key)
            return None if v is None else parse_model_duration(str(v))

        raw_group_by = [str(g) for g in node.get("group_by") or []]
        names = tuple(g for g in raw_group_by if g != "...")
        matchers: list[Matcher] = []
        for text in node.get("matchers") or []:
            matchers.extend(parse_matchers(str(text)))
        return cls(
            receiver=str(node.get("receiver") or ""),
            group_by=names or None,
            group_by_all="..." in raw_group_by,
            match={str(k): str(v) for k, v in (node.get("match") or {}).items()},
            match_re={str(k): str(v) for k, v in (node.get("match_re") or {}).items()},
            matchers=tuple(matchers),
            continue_=bool(node.get("continue", False)),
            routes=tuple(cls.from_yaml(r) for r in node.get("routes") or []),
            group_wait=dur("group_wait"),
            group_interval=dur("group_interval"),
            repeat_interval=dur("repeat_interval"),
            mute_time_intervals=tuple(node.get("mute_time_intervals") or ()),
            active_time_intervals=tuple(node.get("active_time_intervals") or ()),
        )


def _attr(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def _regex_source(value: Any) -> str:
    """config.Regexp.String() is the anchored ``^(?:re)$``, which NewMatcher anchors again."""
    original = value if isinstance(value, str) else _attr(value, "original", "pattern", default=value)
    return f"^(?:{original})$"


class Route:
    """One node of the tree. Built once per config load; matching is read-only."""

    __slots__ = ("continue_", "matchers", "opts", "parent", "routes")

    def __init__(self, parent: Route | None, opts: RouteOpts, matchers: Sequence[Matcher],
                 continue_: bool) -> None:
        self.parent = parent
        self.opts = opts
        self.matchers: tuple[Matcher, ...] = tuple(matchers)
        self.continue_ = continue_
        self.routes: list[Route] = []

    @classmethod
    def from_config(cls, cr: Any, parent: Route | None = None) -> Route:
        """``dispatch.NewRoute``: a RouteSpec or the config package's route, recursively."""
        opts = parent.opts if parent is not None else RouteOpts()
        receiver = _attr(cr, "receiver", default="") or ""
        group_by = _attr(cr, "group_by")
        group_by_all = bool(_attr(cr, "group_by_all", default=False))
        if group_by is not None and "..." in group_by:
            group_by_all = True
            group_by = [g for g in group_by if g != "..."]
        changes: dict[str, Any] = {}
        if receiver:
            changes["receiver"] = receiver
        if group_by:  # 0.25: an empty list never becomes a non-nil GroupBy, so it inherits
            changes["group_by"], changes["group_by_all"] = frozenset(group_by), False
        elif group_by_all:
            changes["group_by_all"] = True
        for key in ("group_wait", "group_interval", "repeat_interval"):
            value = _attr(cr, key)
            if value is not None:
                changes[key] = int(value)
        changes["mute_time_intervals"] = tuple(_attr(cr, "mute_time_intervals", default=()) or ())
        changes["active_time_intervals"] = tuple(_attr(cr, "active_time_intervals", default=()) or ())
        opts = replace(opts, **changes)

        matchers = [Matcher(str(k), MatchType.EQUAL, str(v))
                    for k, v in (_attr(cr, "match", default={}) or {}).items()]
        matchers += [Matcher(str(k), MatchType.REGEX, _regex_source(v))
                     for k, v in (_attr(cr, "match_re", default={}) or {}).items()]
        matchers += list(_attr(cr, "matchers", default=()) or ())
        matchers.sort(key=sort_key)
        route = cls(parent, opts, matchers, bool(_attr(cr, "continue_", "continue", default=False)))
        route.routes = [cls.from_config(child, route) for child in _attr(cr, "routes", default=()) or ()]
        return route

    def match(self, labels: Mapping[str, str]) -> list[Route]:
        """The routes an alert with these labels is dispatched to, depth first: a matching child
        stops the scan of its later siblings unless it has ``continue: true``; a node none of
        whose children match is itself the answer."""
        get = labels.get
        for m in self.matchers:
            if not m.matches(get(m.name, "")):
                return []
        found: list[Route] = []
        for child in self.routes:
            sub = child.match(labels)
            found.extend(sub)
            if sub and not child.continue_:
                break
        return found or [self]

    def matchers_match(self, labels: Mapping[str, str]) -> bool:
        get = labels.get
        return all(m.matches(get(m.name, "")) for m in self.matchers)

    def key(self) -> str:
        """``{}`` for the root, then ``/`` and each descendant's matchers: the group-key prefix."""
        own = matchers_string(self.matchers)
        return own if self.parent is None else self.parent.key() + "/" + own

    def walk(self, visit: Callable[[Route], None]) -> None:
        visit(self)
        for child in self.routes:
            child.walk(visit)

    def __iter__(self) -> Iterator[Route]:
        yield self
        for child in self.routes:
            yield from child

    def __repr__(self) -> str:
        return f"Route({self.key()!r}, receiver={self.opts.receiver!r})"

