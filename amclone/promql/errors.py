"""Errors a query can end with; the API maps them to Prometheus's ``errorType`` values."""

from __future__ import annotations

# Prometheus's texts that both the engine and the API raise.
TIMEOUT_TEXT = "query timed out in expression evaluation"
NON_POSITIVE_STEP_TEXT = "zero or negative query resolution step widths are not accepted. Try a positive integer"


class PromQLError(Exception):
    """Base class; `error_type` is the Prometheus API's errorType."""

    error_type = "execution"


class ParseError(PromQLError):
    """The query text is not valid PromQL (API: 400 bad_data)."""

    error_type = "bad_data"


class EvalError(PromQLError):
    """Evaluation failed (duplicate label sets, bad function arguments; API: 422 execution)."""

    error_type = "execution"


class QueryTimeout(PromQLError):
    error_type = "timeout"
