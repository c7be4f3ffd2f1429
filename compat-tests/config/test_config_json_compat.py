"""`marshal_json` beside the real Alertmanager 0.25: `/api/v1/status` `configJSON`, byte for byte.

One Alertmanager and one amclone run for the module, both on the same config file (so relative
paths resolve alike, and the certificates the http_configs name exist beside it). Each config is
loaded into both with `POST /-/reload`; the two `/api/v1/status` answers must be the same bytes
apart from uptime, version and configYAML, and `marshal_json` of the file must be exactly the `configJSON`
Alertmanager wrote (or fail where Go's encoding/json fails and 0.25 answers with an empty body).

Configs: our own (`config_json/`: every integration, http_config variants, TLS versions, routes
and inhibit rules in both syntaxes, time intervals, templates, anchors, escapes), the YAML marshal
fixtures (`marshal/`) and every config of the shared corpus that Alertmanager accepts; then
seeded mutants of all of them (test_mutants_compat's edits) wherever both sides accept one.
"""

from __future__ import annotations

import csv
import json
import random
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_mutants_compat import _mutate

from amclone.config import ConfigError, load_file
from amclone.config.marshal_json import marshal_json
from amclone.testing.procs import SHARED, Managed, start_alertmanager, start_amclone

HERE = Path(__file__).parent
OWN = HERE / "config_json"
MARSHAL = HERE / "marshal"
CORPUS = SHARED / "corpus" / "am-configs"
ACCEPTED = sorted(r["file"] for r in csv.DictReader((CORPUS / "EXPECTED.tsv").open(), delimiter="\t")
                  if r["accepted"] == "yes")
CASES = ([OWN / p.name for p in sorted(OWN.glob("*.yml"))] + [MARSHAL / p.name for p in sorted(MARSHAL.glob("*.yml"))]
         + [CORPUS / name for name in ACCEPTED])
# Left out of the body comparison: what differs by process, and configYAML, which is marshal_yaml's
# (test_marshal_compat.py compares it).
_VOLATILE = re.compile(r'"configYAML":"(?:[^"\\]|\\.)*",|"versionInfo":\{[^{}]*\},"uptime":"[^"]*"')
_KEY = ',"configJSON":'


class Pair:
    def __init__(self, cfg: Path, am: str, ours: str) -> None:
        self.cfg, self.am, self.ours = cfg, am, ours


def _certs(d: Path) -> None:
    """The files the fixtures' tls_configs name: 0.25 reads them when it builds its clients."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(d / "key.pem"),
                    "-out", str(d / "crt.pem"), "-days", "2", "-subj", "/CN=amclone-test"],
                   check=True, capture_output=True)
    shutil.copy(d / "crt.pem", d / "ca.pem")


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    work = tmp_path_factory.mktemp("configjson")
    _certs(work)
    cfg = work / "alertmanager.yml"
    cfg.write_text("route:\n  receiver: r\nreceivers:\n- name: r\n")
    am: Managed
    am, am_url = start_alertmanager(cfg, work)
    try:
        ours, ours_url = start_amclone(cfg, work)
        try:
            yield Pair(cfg, am_url, ours_url)
        finally:
            ours.stop()
    finally:
        am.stop()


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read().decode()


def _reload(url: str) -> int:
    req = urllib.request.Request(url + "/-/reload", method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


def config_json_text(body: str) -> str | None:
    """The raw `configJSON` value inside a v1 status answer (None for the empty answer)."""
    if body == "":
        return None
    start = body.index(_KEY) + len(_KEY)  # `,"` cannot occur unescaped inside a JSON string
    _, end = json.JSONDecoder().raw_decode(body, start)
    return body[start:end]


def _check(pair: Pair, text: str) -> None:
    pair.cfg.write_text(text)
    assert _reload(pair.am) == 200
    assert _reload(pair.ours) == 200
    theirs, mine = _get(pair.am + "/api/v1/status"), _get(pair.ours + "/api/v1/status")
    expected = config_json_text(theirs[2])
    if "min_version" not in text and "max_version" not in text:
        assert expected is not None and expected != "null"
    result = marshal_json(load_file(str(pair.cfg)))
    assert (None if result.error else result.text()) == expected
    assert mine[:2] == theirs[:2]
    assert _VOLATILE.sub("", mine[2]) == _VOLATILE.sub("", theirs[2])


@pytest.mark.parametrize("source", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_config_json(pair: Pair, source: Path) -> None:
    _check(pair, source.read_text())


_TLS_VERSION_LINE = re.compile(r"^[ \t]*(min|max)_version:.*\n", re.MULTILINE)
WITH_TLS_VERSIONS = [p for p in CASES if _TLS_VERSION_LINE.search(p.read_text())]


@pytest.mark.parametrize("source", WITH_TLS_VERSIONS, ids=[p.name for p in WITH_TLS_VERSIONS])
def test_config_json_without_tls_versions(pair: Pair, source: Path) -> None:
    """A TLS version hides the whole configJSON; the rest of such a fixture is checked without it."""
    _check(pair, _TLS_VERSION_LINE.sub("", source.read_text()))


MUTANTS_PER_CONFIG = 10


def test_mutants(pair: Pair) -> None:
    """Every mutant Alertmanager and marshal_json's loader both accept comes out the same."""
    rnd = random.Random(20251204)
    compared, diffs = 0, []
    for source in CASES:
        lines = source.read_text(errors="replace").split("\n")
        for n in range(MUTANTS_PER_CONFIG):
            mutant = lines
            for _ in range(rnd.randint(1, 2)):
                mutant = _mutate(rnd, mutant) if mutant else mutant
            pair.cfg.write_text("\n".join(mutant))
            try:
                result = marshal_json(load_file(str(pair.cfg)))
            except ConfigError:
                continue
            if _reload(pair.am) != 200:
                continue
            compared += 1
            theirs = config_json_text(_get(pair.am + "/api/v1/status")[2])
            if (None if result.error else result.text()) != theirs:
                diffs.append(f"{source.name} #{n}:\n" + "\n".join(mutant))
    assert diffs == []
    assert compared > 100
