"""PromQL: parse (via the `parse` adapter), compile into plans, evaluate over a tsdb `Querier`."""

from amclone.promql.engine import Engine, Plan, Result
from amclone.promql.errors import EvalError, ParseError, PromQLError

__all__ = ["Engine", "EvalError", "ParseError", "Plan", "PromQLError", "Result"]
