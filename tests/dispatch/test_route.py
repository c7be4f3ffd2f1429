"""Route tree table tests: inheritance, 0.25's quirks, matching order and keys."""

from __future__ import annotations

import pytest
import yaml

from amclone.dispatch.route import (
    DEFAULT_GROUP_INTERVAL,
    DEFAULT_GROUP_WAIT,
    DEFAULT_REPEAT_INTERVAL,
    Route,
    RouteSpec,
)

S = 1_000_000_000

TREE = """
receiver: default
group_by: [alertname]
group_wait: 10s
routes:
  - match: {team: db}
    receiver: db
    continue: true
    repeat_interval: 1h
    mute_time_intervals: [nights]
    routes:
      - matchers: ['severity="critical"', 'env!~"dev|test"']
        receiver: pager
        group_by: []
      - matchers: ['env=""']
  - match_re: {service: "foo|bar"}
    receiver: web
    group_by: ['...']
    routes:
      - {receiver: web-child, matchers: [x=1], group_by: [x]}
  - matchers: ['team=db']
    receiver: second-db
"""


def tree() -> Route:
    return Route.from_config(RouteSpec.from_yaml(yaml.safe_load(TREE)))


def receivers(labels: dict[str, str]) -> list[str]:
    return [r.opts.receiver for r in tree().match(labels)]


@pytest.mark.parametrize("labels, expected", [
    ({}, ["default"]),
    ({"team": "db"}, ["db", "second-db"]),
    ({"team": "db", "severity": "critical"}, ["pager", "second-db"]),
    ({"team": "db", "severity": "critical", "env": "dev"}, ["db", "second-db"]),
    ({"team": "db", "env": "prod"}, ["db", "second-db"]),
    ({"service": "foo"}, ["web"]),
    ({"service": "foobar"}, ["default"]),
    ({"service": "bar", "x": "1"}, ["web-child"]),
])
def test_match(labels: dict[str, str], expected: list[str]) -> None:
    assert receivers(labels) == expected


def test_keys() -> None:
    keys = [r.key() for r in tree()]
    assert keys == [
        "{}", '{}/{team="db"}', '{}/{team="db"}/{env!~"dev|test",severity="critical"}',
        '{}/{team="db"}/{env=""}', '{}/{service=~"^(?:foo|bar)$"}', '{}/{service=~"^(?:foo|bar)$"}/{x="1"}',
        '{}/{team="db"}',
    ]


def test_inheritance() -> None:
    root = tree()
    db, web, second = root.routes
    pager, noenv = db.routes
    assert (root.opts.group_wait, root.opts.group_interval, root.opts.repeat_interval) == \
        (10 * S, DEFAULT_GROUP_INTERVAL, DEFAULT_REPEAT_INTERVAL)
    assert db.opts.repeat_interval == 3600 * S and db.opts.group_wait == 10 * S
    assert pager.opts.repeat_interval == 3600 * S
    # 0.25: group_by: [] inherits the parent's grouping
    assert pager.opts.group_by == frozenset({"alertname"}) and not pager.opts.group_by_all
    # an unset receiver is inherited
    assert noenv.opts.receiver == "db"
    # mute_time_intervals are not inherited
    assert db.opts.mute_time_intervals == ("nights",) and noenv.opts.mute_time_intervals == ()
    assert web.opts.group_by_all and web.routes[0].opts.group_by == frozenset({"x"})
    assert not web.routes[0].opts.group_by_all
    assert second.continue_ is False and db.continue_ is True


def test_defaults() -> None:
    root = Route.from_config(RouteSpec(receiver="r"))
    assert root.opts.group_wait == DEFAULT_GROUP_WAIT and root.opts.group_by == frozenset()
    assert root.match({"a": "b"}) == [root] and root.key() == "{}"


def test_matchers_sorted_by_name_value_type() -> None:
    spec = RouteSpec.from_yaml({"match": {"z": "1", "a": "2"}, "match_re": {"a": "2"},
                                "matchers": ['a!="2"', 'a="1"']})
    route = Route.from_config(RouteSpec(receiver="r", routes=(spec,))).routes[0]
    assert [str(m) for m in route.matchers] == ['a="1"', 'a="2"', 'a!="2"', 'a=~"^(?:2)$"', 'z="1"']


def test_walk_visits_depth_first() -> None:
    seen: list[str] = []
    tree().walk(lambda r: seen.append(r.opts.receiver))
    assert seen == ["default", "db", "pager", "db", "web", "web-child", "second-db"]


def test_from_config_package_route() -> None:
    """The dispatcher builds from amclone.config's Route: same tree as from the raw YAML."""
    from amclone.config import load

    text = "route:\n" + "".join("  " + line + "\n" for line in TREE.strip().splitlines()) + (
        "receivers: [{name: default}, {name: db}, {name: pager}, {name: web}, {name: web-child},"
        " {name: second-db}]\ntime_intervals: [{name: nights, time_intervals: [{times: "
        "[{start_time: '00:00', end_time: '06:00'}]}]}]\n")
    from_config = Route.from_config(load(text).route)
    from_yaml = tree()
    assert [(r.key(), r.opts, r.continue_) for r in from_config] == \
        [(r.key(), r.opts, r.continue_) for r in from_yaml]
