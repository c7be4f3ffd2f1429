"""The case table (cases.py) through amtool 0.25 and amctl: identical stdout, stderr and status."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases
from template_harness import amctl_inproc, amtool


@pytest.mark.parametrize("case", cases.ALL, ids=[c[0] for c in cases.ALL])
def test_case(case: tuple[str, str, dict[str, object]]) -> None:
    _, text, opts = case
    kw = {"globs": opts.get("globs"), "kind": opts.get("kind", "text"), "data": opts.get("data", "mixed.json")}
    want = amtool(text, **kw)  # type: ignore[arg-type]
    got = amctl_inproc(text, **kw)  # type: ignore[arg-type]
    assert (got.rc, got.out, got.err) == (want.rc, want.out, want.err)
