"""`marshal_yaml` beside the real Alertmanager 0.25: `/api/v2/status` `config.original`, byte for byte.

One Alertmanager runs for the module; each config is written to its config file, loaded with
`POST /-/reload`, and what it reports is compared with our marshalling of the same file (loaded
from the same path, so relative paths resolve alike).
"""

from __future__ import annotations

import csv
import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from amclone.config import load_file
from amclone.config.marshal import marshal_yaml
from amclone.testing.procs import SHARED, Managed, start_alertmanager

HERE = Path(__file__).parent / "marshal"
CORPUS = SHARED / "corpus" / "am-configs"
ACCEPTED = sorted(r["file"] for r in csv.DictReader((CORPUS / "EXPECTED.tsv").open(), delimiter="\t")
                  if r["accepted"] == "yes")
OWN = sorted(p.name for p in HERE.glob("*.yml"))


@pytest.fixture(scope="module")
def am(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    work = tmp_path_factory.mktemp("am")
    cfg = work / "alertmanager.yml"
    cfg.write_text("route:\n  receiver: r\nreceivers:\n- name: r\n")
    proc: Managed
    proc, url = start_alertmanager(cfg, work)
    try:
        yield cfg, url
    finally:
        proc.stop()


def _reported(am: tuple[Path, str], source: Path) -> tuple[str, str]:
    cfg, url = am
    shutil.copy(source, cfg)
    req = urllib.request.Request(url + "/-/reload", method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200
    with urllib.request.urlopen(url + "/api/v2/status", timeout=10) as r:
        theirs = json.load(r)["config"]["original"]
    return theirs, marshal_yaml(load_file(str(cfg)))


@pytest.mark.parametrize("name", OWN)
def test_own_configs(am: tuple[Path, str], name: str) -> None:
    theirs, ours = _reported(am, HERE / name)
    assert ours == theirs


@pytest.mark.parametrize("name", ACCEPTED)
def test_corpus_configs(am: tuple[Path, str], name: str) -> None:
    theirs, ours = _reported(am, CORPUS / name)
    assert ours == theirs


def test_config_hash_metric(am: tuple[Path, str]) -> None:
    """alertmanager_config_hash after a reload equals ours for the same file text."""
    from amclone.config import config_hash
    _reported(am, HERE / "kitchen-sink.yml")
    cfg, url = am
    with urllib.request.urlopen(url + "/metrics", timeout=10) as r:
        metrics = r.read().decode()
    line = next(x for x in metrics.splitlines() if x.startswith("alertmanager_config_hash "))
    assert float(line.split()[1]) == config_hash(cfg.read_text())
