"""Asking the real 0.25 tools for verdicts, and loading the tables the unit tests state.

The unit tests in tests/labels and tests/timeinterval hold each verdict once; these helpers let
the compat tests re-derive the same verdicts from amtool / Alertmanager and compare.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from pathlib import Path
from types import ModuleType

from amclone.testing.procs import REPO


def unit_table(relpath: str) -> ModuleType:
    """Import a unit-test module (tests/ is not a package) to reuse its verdict tables."""
    path = REPO / "tests" / relpath
    spec = importlib.util.spec_from_file_location(f"_unit_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def yaml_str(s: str) -> str:
    """A YAML double-quoted scalar for any text (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def check_configs(amtool: str, configs: list[str], workdir: Path) -> list[str | None]:
    """Run one ``amtool check-config`` over many files; per file None (valid) or its error text.

    Multi-line errors (``yaml: unmarshal errors:\\n  line N: ...``) are returned whole.
    """
    paths = []
    for i, text in enumerate(configs):
        p = workdir / f"c{i:04d}.yml"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    r = subprocess.run([amtool, "check-config", *map(str, paths)], capture_output=True, text=True, check=False,
                       timeout=120)
    verdicts: dict[str, str | None] = {}
    for chunk in r.stdout.split("Checking '")[1:]:
        name, _, rest = chunk.partition("'")
        rest = rest.lstrip(" ")
        if rest.startswith("SUCCESS"):
            verdicts[name] = None
        else:
            assert rest.startswith("FAILED: "), rest
            verdicts[name] = rest[len("FAILED: "):].rstrip("\n")
    return [verdicts[str(p)] for p in paths]


def route_matchers(amtool: str, matchers_entry: str, workdir: Path) -> tuple[str | None, str | None]:
    """What 0.25 makes of one ``matchers:`` entry: (printed sorted matchers, None) or (None, error)."""
    p = workdir / "routes.yml"
    p.write_text(
        "route:\n  receiver: r\n  routes:\n  - receiver: r\n"
        f"    matchers: [{yaml_str(matchers_entry)}]\nreceivers:\n- name: r\n",
        encoding="utf-8",
    )
    r = subprocess.run([amtool, "config", "routes", f"--config.file={p}"], capture_output=True, check=False,
                       text=True, timeout=60)
    if r.returncode != 0:
        err = r.stderr.rstrip("\n")
        return None, err[err.index("amtool: error: ") + len("amtool: error: "):]
    # split on "\n" only: the printed values may hold characters splitlines() breaks at (\x1c)
    line = [ln for ln in r.stdout.split("\n") if ln.endswith("receiver: r")][-1]
    printed = re.sub(r"^.*?── ", "", line).rsplit("  receiver: r", 1)[0]
    return printed, None
