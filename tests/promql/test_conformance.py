"""Prometheus 3.14's PromQL test scripts, run against our engine: one test per ``eval``.

Skips are native-histogram cases only (each with its reason). The session-level summary prints
passed / failed / skipped counts.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from .promqltest import TESTDATA, Outcome, Script

FILES = sorted(TESTDATA.glob("*.test"))


@functools.cache
def outcomes(path: Path) -> dict[int, Outcome]:
    return {o.case.line: o for o in Script(path).run()}


def _cases() -> list[tuple[Path, int]]:
    out = []
    for f in FILES:
        out.extend((f, line) for line in outcomes(f))
    return out


@pytest.mark.parametrize("path,line", _cases(), ids=lambda v: v.name if isinstance(v, Path) else str(v))
def test_eval(path: Path, line: int) -> None:
    o = outcomes(path)[line]
    if o.status == "skipped":
        pytest.skip(o.reason)
    assert o.status == "passed", f"{o.case.expr}: {o.reason}"


def test_summary(capsys: pytest.CaptureFixture[str]) -> None:
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for f in FILES:
        for o in outcomes(f).values():
            counts[o.status] += 1
    with capsys.disabled():
        print(f"\nPromQL conformance (v3.14.0): passed {counts['passed']}, failed {counts['failed']}, "
              f"skipped {counts['skipped']} (native histograms)")
    assert counts["passed"] > 0
