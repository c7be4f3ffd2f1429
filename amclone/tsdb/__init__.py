"""The series store: recent samples received by remote write, read by PromQL and the query API.

Times here are int milliseconds since the epoch (remote write's and PromQL's unit), not the
nanoseconds used elsewhere in amclone; convert at the boundary (``ns // 1_000_000``).
"""

from amclone.tsdb.head import DEFAULT_RETENTION_MS, Head, Querier
from amclone.tsdb.matchers import MatchOp, RegexError, SeriesMatcher
from amclone.tsdb.series import (
    AppendError,
    DuplicateSampleError,
    Labels,
    MemSeries,
    OutOfBoundsError,
    OutOfOrderError,
)
from amclone.tsdb.stale import NORMAL_NAN, STALE_NAN, is_stale

__all__ = [
    "DEFAULT_RETENTION_MS",
    "NORMAL_NAN",
    "STALE_NAN",
    "AppendError",
    "DuplicateSampleError",
    "Head",
    "Labels",
    "MatchOp",
    "MemSeries",
    "OutOfBoundsError",
    "OutOfOrderError",
    "Querier",
    "RegexError",
    "SeriesMatcher",
    "is_stale",
]
