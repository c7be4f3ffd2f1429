"""Per-execution state of a compiled plan.

Plans are immutable and shared between executions (a rule runs its plan every interval); anything
that belongs to one execution lives here: the querier, the query's start/end/step, the series each
selector found (looked up once per execution, not once per step), subquery results per inner
timestamp, and the annotations Prometheus would attach (warnings, infos).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from amclone.tsdb.head import Querier
from amclone.tsdb.series import MemSeries

DEFAULT_LOOKBACK_MS = 5 * 60 * 1000
DEFAULT_SUBQUERY_STEP_MS = 60 * 1000
DEFAULT_MAX_SAMPLES = 50_000_000


class EvalContext:
    __slots__ = (
        "deadline",
        "end",
        "infos",
        "interval",
        "loaded",
        "lookback",
        "max_samples",
        "max_samples",
        "memo",
        "querier",
        "series_cache",
        "start",
        "sub_step",
        "warnings",
    )

    def __init__(self, querier: Querier, start: int, end: int, interval: int,
                 lookback: int = DEFAULT_LOOKBACK_MS, sub_step: int = DEFAULT_SUBQUERY_STEP_MS) -> None:
        self.querier = querier
        self.start = start
        self.end = end
        self.interval = interval
        self.lookback = lookback
        self.sub_step = sub_step
        self.series_cache: dict[int, Sequence[MemSeries]] = {}
        self.memo: dict[tuple[int, int], Any] = {}
        self.deadline = 0.0  # time.monotonic() after which evaluation stops; 0: none
        self.max_samples = DEFAULT_MAX_SAMPLES
        self.loaded = 0
        self.warnings: list[str] = []
        self.infos: list[str] = []

    def warn(self, msg: str) -> None:
        if msg not in self.warnings:
            self.warnings.append(msg)

    def info(self, msg: str) -> None:
        if msg not in self.infos:
            self.infos.append(msg)

    def load(self, n: int) -> None:
        """Count samples a query holds at once (one step's range windows and subquery points, plus
        the result so far), and stop it past ``max_samples`` as Prometheus does
        (``--query.max-samples``): one query must not take the process's memory."""
        self.loaded += n
        if self.loaded > self.max_samples:
            from amclone.promql.errors import EvalError

            raise EvalError("query processing would load too many samples into memory in query execution")

    def check_deadline(self) -> None:
        if self.deadline and time.monotonic() > self.deadline:
            from amclone.promql.errors import TIMEOUT_TEXT, QueryTimeout

            raise QueryTimeout(TIMEOUT_TEXT)

    @property
    def is_range(self) -> bool:
        return self.start != self.end
