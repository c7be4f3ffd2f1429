"""Every expression of Prometheus 3.14's PromQL test scripts (about 1,100) as a recording rule,
checked by promtool 2.42 and by amctl: the whole output must be equal, so amctl accepts what
2.42 accepts (not what the Prometheus 3 parser underneath accepts) and rejects the rest with
2.42's position and words. This is how the 2.42 dialect rules in ``amclone.rules.exprcheck``
were found; it keeps them honest."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from amclone.testing.procs import SHARED

sys.path.insert(0, str(Path(__file__).parent))
from checkrun import amctl_check, promtool_check

SCRIPTS = SHARED / "promql-testdata" / "v3.14.0"
EVAL = re.compile(r"^eval(?:_fail|_ordered|_warn|_info)?\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+"
                  r"step\s+\S+)\s+(.*)$")


def expressions() -> list[str]:
    seen: dict[str, None] = {}
    for script in sorted(SCRIPTS.glob("*.test")):
        for line in script.read_text().splitlines():
            m = EVAL.match(line)
            if m:
                seen.setdefault(m.group(1), None)
    return list(seen)


def test_all_expressions_as_rules(tmp_path: Path, promtool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    exprs = expressions()
    assert len(exprs) > 1000
    doc = {"groups": [{"name": "g", "rules": [{"record": "r", "expr": e} for e in exprs]}]}
    (tmp_path / "exprs.yml").write_text(yaml.safe_dump(doc, width=10000))
    want = promtool_check(promtool, tmp_path, "exprs.yml")
    assert want[0] == 1 and want[2].count("\n") > 100  # a good share is rejected by 2.42
    got = amctl_check(tmp_path, "exprs.yml", monkeypatch=monkeypatch)
    assert got[:2] == want[:2]
    assert got[2].splitlines() == want[2].splitlines()
