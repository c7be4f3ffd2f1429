"""Rule files to evaluation-ready groups: what amclone's rule manager loads at start and on reload.

This is amclone's own loading, so the extensions are on: Prometheus 3's group ``query_offset``
and ``labels`` and amclone's ``evaluation: on_write``. Defaults are resolved here, once, the way
Prometheus's manager resolves them: a group without ``interval`` takes the global
``evaluation_interval``, without ``query_offset`` the global ``rule_query_offset``; group labels
are merged under each rule's own (the rule wins). A group is identified by ``file;name``
(Prometheus's ``GroupKey``), which is what keeps alert state across reloads of unchanged groups.
A reload either loads every file or changes nothing, so errors are collected over all files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from amclone.rules.config import DEFAULT_EVALUATION_INTERVAL, RulesConfig
from amclone.rules.rulefmt import RuleNode, parse_file

ALERT, RECORD = "alert", "record"
INTERVAL, ON_WRITE = "interval", "on_write"


class RuleLoadError(Exception):
    """One or more rule files failed; `errors` holds every promtool-style line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors[0] if len(errors) == 1 else f"{errors[0]} (and {len(errors) - 1} more errors)")
        self.errors = tuple(errors)


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str  # ALERT or RECORD
    name: str  # the alert name or the recorded metric name
    expr: str
    for_: int = 0  # ns
    keep_firing_for: int = 0  # ns
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    file: str
    name: str
    interval: int  # ns, defaults resolved
    rules: tuple[Rule, ...]
    limit: int = 0
    query_offset: int = 0  # ns, defaults resolved
    labels: dict[str, str] = field(default_factory=dict)
    evaluation: str = INTERVAL  # or ON_WRITE

    @property
    def key(self) -> str:
        """Prometheus's ``GroupKey``: unique across files, stable across reloads."""
        return f"{self.file};{self.name}"


def _rule(node: RuleNode, group_labels: dict[str, str]) -> Rule:
    labels = {**group_labels, **node.labels}
    if node.alert_name:
        return Rule(ALERT, node.alert_name, node.expr_text, node.for_, node.keep_firing_for, labels, node.annotations)
    return Rule(RECORD, node.record_name, node.expr_text, 0, 0, labels, {})


def load_files(paths: Iterable[str], *, evaluation_interval: int = DEFAULT_EVALUATION_INTERVAL,
               query_offset: int = 0, evaluation: str = INTERVAL) -> list[Group]:
    """Every group of every file, in file then group order; raises `RuleLoadError`.

    `evaluation` is the default mode for groups that do not choose one (the server flag)."""
    groups: list[Group] = []
    errors: list[str] = []
    for path in paths:
        parsed, errs = parse_file(path, extensions=True)
        if errs or parsed is None:
            errors.extend(errs)
            continue
        for g in parsed.groups:
            groups.append(Group(
                file=path, name=g.name, interval=g.interval or evaluation_interval,
                rules=tuple(_rule(r, g.labels) for r in g.rules), limit=g.limit,
                query_offset=query_offset if g.query_offset is None else g.query_offset,
                labels=dict(g.labels), evaluation=g.evaluation or evaluation))
    if errors:
        raise RuleLoadError(errors)
    return groups


def load_config(config: RulesConfig, evaluation: str = INTERVAL) -> list[Group]:
    """The groups a ``--rules.config`` names, with its global defaults; a malformed glob raises
    ``RulesConfigError``, bad rule files `RuleLoadError`."""
    return load_files(config.rule_file_paths(), evaluation_interval=config.evaluation_interval,
                      query_offset=config.rule_query_offset, evaluation=evaluation)
