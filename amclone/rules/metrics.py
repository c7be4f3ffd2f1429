"""Prometheus's rule-manager metrics under their own names, so dashboards and alerts written for
Prometheus (``prometheus_rule_group_iterations_missed_total``, last duration vs interval...) work
on amclone unchanged. Every per-group series carries ``rule_group="<file>;<name>"``.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Summary
from prometheus_client.registry import CollectorRegistry

_G = ["rule_group"]


class RuleMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        r = registry
        self.eval_duration = Summary("prometheus_rule_evaluation_duration_seconds",
                                     "The duration for a rule to execute.", registry=r)
        self.group_duration = Summary("prometheus_rule_group_duration_seconds",
                                      "The duration of rule group evaluations.", registry=r)
        self.iterations_missed = Counter("prometheus_rule_group_iterations_missed",
                                         "The total number of rule group evaluations missed due to slow rule "
                                         "group evaluation.", _G, registry=r)
        self.iterations_scheduled = Counter("prometheus_rule_group_iterations",
                                            "The total number of scheduled rule group evaluations, whether "
                                            "executed or missed.", _G, registry=r)
        self.evaluations = Counter("prometheus_rule_evaluations", "The total number of rule evaluations.",
                                   _G, registry=r)
        self.eval_failures = Counter("prometheus_rule_evaluation_failures",
                                     "The total number of rule evaluation failures.", _G, registry=r)
        self.interval = Gauge("prometheus_rule_group_interval_seconds", "The interval of a rule group.", _G,
                              registry=r)
        self.last_evaluation = Gauge("prometheus_rule_group_last_evaluation_timestamp_seconds",
                                     "The timestamp of the last rule group evaluation in seconds.", _G,
                                     registry=r)
        self.last_duration = Gauge("prometheus_rule_group_last_duration_seconds",
                                   "The duration of the last rule group evaluation.", _G, registry=r)
        self.last_samples = Gauge("prometheus_rule_group_last_evaluation_samples",
                                  "The number of samples returned during the last rule group evaluation.", _G,
                                  registry=r)
        self.rules = Gauge("prometheus_rule_group_rules", "The number of rules.", _G, registry=r)
        self.last_restore = Gauge("prometheus_rule_group_last_restore_duration_seconds",
                                  "The duration of the last alert rules alerts restoration using the "
                                  "`ALERTS_FOR_STATE` series.", _G, registry=r)

    def remove(self, key: str) -> None:
        """A group that is gone no longer exports series (Prometheus deletes them on reload)."""
        for m in (self.iterations_missed, self.iterations_scheduled, self.evaluations, self.eval_failures,
                  self.interval, self.last_evaluation, self.last_duration, self.last_samples, self.rules,
                  self.last_restore):
            try:
                m.remove(key)
            except KeyError:
                pass
