"""Comparing what two servers delivered (and showed in their API) during one scenario.

Deliveries are matched one to one, order-free (concurrent groups may arrive in any order): the
same path, the same body and arrival within `tolerance` seconds; then their request headers
(names, order and values) must agree too. Bodies must be byte-identical,
except that timestamps the server chose itself (``startsAt`` of an alert posted without one) may
differ by less than `tolerance`; such matches are counted separately so a report can say how
many bodies were byte-identical.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from amclone.compat.timefmt import parse_rfc3339
from amclone.testing.webhook import Delivery

__all__ = ["DiffReport", "compare_deliveries", "compare_snapshots", "normalize_snapshot"]

_TIME_KEYS = ("startsAt", "endsAt", "updatedAt")


@dataclass
class DiffReport:
    matched: int = 0
    byte_identical: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _times_close(a: Any, b: Any, tol: float) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return False
        for k in a:
            if k in _TIME_KEYS and isinstance(a[k], str) and isinstance(b[k], str) and a[k] != b[k]:
                try:
                    if abs(parse_rfc3339(a[k]) - parse_rfc3339(b[k])) > tol * 1e9:
                        return False
                except ValueError:
                    return False
            elif not _times_close(a[k], b[k], tol):
                return False
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_times_close(x, y, tol) for x, y in zip(a, b))
    return bool(a == b)


def _same_body(a: bytes, b: bytes, tol: float) -> tuple[bool, bool]:
    if a == b:
        return True, True
    try:
        return _times_close(json.loads(a), json.loads(b), tol), False
    except ValueError:
        return False, False


def _headers(d: Delivery, with_length: bool) -> list[tuple[str, str]]:
    """Request headers in the order sent; Host (the port differs) left out, Content-Length's
    value only compared when the bodies are byte-identical."""
    out = []
    for k, v in d.headers.items():
        if k.lower() == "host":
            continue
        out.append((k, v if with_length or k.lower() != "content-length" else "*"))
    return out


def compare_deliveries(ref: Sequence[Delivery], ref_t0: float, got: Sequence[Delivery], got_t0: float,
                       tolerance: float = 0.5) -> DiffReport:
    report = DiffReport()
    remaining = list(got)
    for d in ref:
        rel = d.at - ref_t0
        best: tuple[int, bool] | None = None
        for i, g in enumerate(remaining):
            if g.path != d.path or abs((g.at - got_t0) - rel) > tolerance:
                continue
            same, identical = _same_body(d.body, g.body, tolerance)
            if same:
                best = (i, identical)
                if identical:
                    break
        if best is None:
            near = [g for g in remaining if g.path == d.path]
            hint = ""
            if near:
                g = min(near, key=lambda g: abs((g.at - got_t0) - rel))
                hint = f"; nearest at +{g.at - got_t0:.2f}s body {g.body[:300]!r}"
            report.problems.append(f"reference delivery at +{rel:.2f}s to {d.path} not matched: "
                                   f"{d.body[:300]!r}{hint}")
            continue
        i, identical = best
        g = remaining.pop(i)
        report.matched += 1
        report.byte_identical += identical
        if _headers(d, identical) != _headers(g, identical):
            report.problems.append(f"delivery at +{rel:.2f}s to {d.path}: headers {_headers(g, identical)} "
                                   f"instead of {_headers(d, identical)}")
    for g in remaining:
        report.problems.append(f"extra delivery at +{g.at - got_t0:.2f}s to {g.path}: {g.body[:300]!r}")
    return report


def normalize_snapshot(snap: Any, silence_names: Mapping[str, str]) -> Any:
    """An API response with silence IDs replaced by the scenario's names for them and
    ``updatedAt`` dropped (the moment each server stored the alert)."""
    if isinstance(snap, dict):
        out = {}
        for k, v in snap.items():
            if k == "updatedAt":
                continue
            if k == "silencedBy" and isinstance(v, list):
                out[k] = sorted(silence_names.get(x, "?" + x) for x in v)
            else:
                out[k] = normalize_snapshot(v, silence_names)
        return out
    if isinstance(snap, list):
        return [normalize_snapshot(x, silence_names) for x in snap]
    return snap


def compare_snapshots(ref: Any, got: Any, tolerance: float = 0.5) -> bool:
    return _times_close(ref, got, tolerance)
