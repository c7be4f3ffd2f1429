"""A recording rule (Prometheus 3's ``RecordingRule.Eval``): the query's samples renamed to the
rule's metric, with the rule's labels set over theirs (not templated; an empty value removes the
label), checked for collisions and against the group's ``limit``. The group writes the rows at
the query time, so the next rule of the group already reads them.
"""

from __future__ import annotations

from amclone.rules.alerting import ZERO, Rows, RuleEvalError, RuleQuery
from amclone.tsdb.series import Labels

DUPLICATE_SERIES = "vector contains metrics with the same labelset after applying rule labels"


class RecordingRule:
    kind = "recording"

    def __init__(self, name: str, expr: str, query: RuleQuery, labels: dict[str, str] | None = None) -> None:
        self.name = name
        self.expr = expr
        self.query = query
        self.labels = labels or {}
        self.last_error = ""
        self.health = "unknown"
        self.last_evaluation = ZERO
        self.evaluation_seconds = 0.0
        self._set = tuple((k, v) for k, v in self.labels.items() if k != "__name__" and v)
        self._drop = frozenset({"__name__", *(k for k, v in self.labels.items() if not v)})

    def eval(self, ts: int, query_offset: int = 0, limit: int = 0) -> list[tuple[Labels, float]]:
        """The rows to append at ``ts - query_offset``; raises `RuleEvalError`."""
        try:
            rows: Rows = self.query((ts - query_offset) // 1_000_000)
        except RuleEvalError:
            raise
        except Exception as e:
            raise RuleEvalError(str(e)) from None
        out: list[tuple[Labels, float]] = []
        seen: set[Labels] = set()
        name = ("__name__", self.name)
        drop, extra = self._drop, self._set
        simple = not extra and len(drop) == 1
        for labels, value in rows:
            if simple:
                lbls = tuple(sorted((name, *(p for p in labels if p[0] != "__name__"))))
            else:
                d = {k: v for k, v in labels if k not in drop}
                d.update(extra)
                d["__name__"] = self.name
                lbls = tuple(sorted(d.items()))
            if lbls in seen:
                raise RuleEvalError(DUPLICATE_SERIES)
            seen.add(lbls)
            out.append((lbls, value))
        if limit > 0 and len(out) > limit:
            raise RuleEvalError(f"exceeded limit of {limit} with {len(out)} series")
        return out
