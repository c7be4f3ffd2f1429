"""Seeded mutations of the corpus configs, beside the real amtool and Alertmanager.

Each corpus file gets a few random edits (a line deleted, duplicated, re-indented or swapped, a
value replaced by an awkward one). Whatever the result, `amctl check-config` must print what
`amtool check-config` prints, and every mutant both accept must marshal as Alertmanager does.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from amclone.cli.amctl.check_config import run
from amclone.config import ConfigError, load_file
from amclone.config.marshal import marshal_yaml
from amclone.testing.procs import SHARED, start_alertmanager

CORPUS = sorted((SHARED / "corpus" / "am-configs").glob("*.yml"))
VALUES = ["", "~", "5", "true", "[a]", "{a: b}", "'null'", "1.5", "-1", "x y", "'5m'", "0", "http://x", "'a:b'",
          "[]", "{}", "yes", '"\\x41"', "'...'", "*nope", "!!int x", "0x10", "1h", "a=b", "'{{ x }}'"]
PER_FILE = 3


def _mutate(rnd: random.Random, lines: list[str]) -> list[str]:
    out = list(lines)
    i = rnd.randrange(len(out))
    kind = rnd.randrange(5)
    if kind == 0:
        del out[i]
    elif kind == 1 and ":" in out[i]:
        out[i] = out[i].split(":", 1)[0] + ": " + rnd.choice(VALUES)
    elif kind == 2:
        out.insert(i, out[i])
    elif kind == 3:
        d = rnd.choice([-2, -1, 1, 2])
        out[i] = " " * d + out[i] if d > 0 else out[i][-d:] if out[i].startswith(" " * -d) else out[i]
    else:
        j = rnd.randrange(len(out))
        out[i], out[j] = out[j], out[i]
    return out


@pytest.fixture(scope="module")
def mutants(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    rnd = random.Random(20250)
    d = tmp_path_factory.mktemp("mutants")
    files = []
    for src in CORPUS:
        lines = src.read_text(errors="replace").split("\n")
        for n in range(PER_FILE):
            m = lines
            for _ in range(rnd.randint(1, 2)):
                m = _mutate(rnd, m) if m else m
            p = d / f"{src.stem}_{n}.yml"
            p.write_text("\n".join(m))
            files.append(p)
    return files


def test_check_config_agrees_on_every_mutant(amtool: str, mutants: list[Path]) -> None:
    mismatches = []
    for p in mutants:
        r = subprocess.run([amtool, "check-config", str(p)], capture_output=True, text=True, errors="replace",
                           timeout=30, check=False)
        out, err = io.StringIO(), io.StringIO()
        rc = run([str(p)], out, err)
        if (rc, out.getvalue()) != (r.returncode, r.stdout):
            mismatches.append((p.name, r.stdout, out.getvalue()))
    assert mismatches == []


@pytest.fixture(scope="module")
def am(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    work = tmp_path_factory.mktemp("am")
    cfg = work / "alertmanager.yml"
    cfg.write_text("route:\n  receiver: r\nreceivers:\n- name: r\n")
    proc, url = start_alertmanager(cfg, work)
    try:
        yield cfg, url
    finally:
        proc.stop()


def test_accepted_mutants_marshal_as_alertmanager(am: tuple[Path, str], mutants: list[Path]) -> None:
    cfg, url = am
    compared, diffs = 0, []
    for p in mutants:
        try:
            load_file(str(p))
        except ConfigError:
            continue
        shutil.copy(p, cfg)
        urllib.request.urlopen(urllib.request.Request(url + "/-/reload", method="POST"), timeout=10)
        with urllib.request.urlopen(url + "/api/v2/status", timeout=10) as r:
            theirs = json.load(r)["config"]["original"]
        compared += 1
        if marshal_yaml(load_file(str(cfg))) != theirs:
            diffs.append(p.name)
    assert diffs == []
    assert compared > 30  # about half the corpus is valid; most single edits keep it so
