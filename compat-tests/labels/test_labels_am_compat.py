"""Fingerprints and single-matcher parsing against a running Alertmanager 0.25.

The API exposes both: /api/v2/alerts answers each alert's fingerprint, and its ``filter``
parameter goes through 0.25's ``labels.ParseMatcher`` (400 with the parse error as body) and
then ``Matcher.Matches``, so filtering a known set of alerts checks matching semantics too.
"""

from __future__ import annotations

import json
import random
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from amclone.labels import classic
from amclone.labels.labelset import fingerprint, fingerprint_hex
from amclone.labels.matcher import MatcherParseError, matches_all
from amclone.testing.procs import start_alertmanager

ALPHABET = ["a", "Z", "_", "0", "é", "☃", "😀", " ", "\t", "\n", '"', "\\", ",", "=", "{", "}"]


def random_label_sets(n: int, seed: int = 25) -> list[dict[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        labels = {}
        for _ in range(rng.randint(1, 6)):
            name = rng.choice("abcxyzAB_") + "".join(rng.choice("abz_09") for _ in range(rng.randint(0, 8)))
            labels[name] = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30)))
        out.append(labels)
    return out


FIXED = [
    {"alertname": "HostDown", "instance": "db1:9100", "job": "node", "severity": "critical"},
    {"alertname": "DiskFull", "team": "db", "env": "prod"},
    {"alertname": "DiskFull", "team": "web", "env": "stage"},
    {"alertname": "Latency", "service": "api", "quantile": "0.99"},
    {"alertname": "Quoting", "msg": 'say "hi", \\o/'},
    {"alertname": "Multi", "msg": "two\nlines"},
    # characters where Go's Unicode 13 tables and google-re2's newer ones (or folding) could differ
    *({"alertname": "Unicode", "v": v} for v in [
        "\u212a", "\u017f", "\u0870", "\U00031350", "\U00011f00", "\xa0", "\x0b", "\u03c2", "\u0131",
        "\u212b", "\xb5", "\u0130", "\u200d", "\xdf", "\u1e9e", "a\u0870b"]),
]


@pytest.fixture(scope="module")
def am(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[dict[str, object]]]]:
    work = tmp_path_factory.mktemp("am-labels")
    config = work / "alertmanager.yml"
    config.write_text("route:\n  receiver: r\nreceivers:\n- name: r\n")
    proc, url = start_alertmanager(config, work)
    try:
        sets = FIXED + random_label_sets(200)
        body = json.dumps([{"labels": s} for s in sets]).encode()
        req = urllib.request.Request(url + "/api/v2/alerts", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            assert r.status == 200
        with urllib.request.urlopen(url + "/api/v2/alerts") as r:
            alerts = json.load(r)
        assert len(alerts) == len(sets)
        yield url, alerts
    finally:
        proc.stop()


def test_fingerprints_equal_alertmanagers(am: tuple[str, list[dict[str, object]]]) -> None:
    _, alerts = am
    for alert in alerts:
        labels = alert["labels"]
        assert isinstance(labels, dict)
        assert fingerprint_hex(fingerprint(labels)) == alert["fingerprint"], labels


def query(url: str, filter_: str) -> tuple[int, object]:
    qs = urllib.parse.urlencode({"filter": filter_})
    try:
        with urllib.request.urlopen(f"{url}/api/v2/alerts?{qs}") as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


FILTERS = [
    "alertname=DiskFull", 'alertname="DiskFull"', "team!=db", 'env=~"prod|stage"', "env=~prod|stage",
    'env!~"p.*"', "env=", 'env!=""', "alertname=~Disk", "alertname=~Disk.*", 'msg="say \\"hi\\", \\\\o/"',
    'msg="two\\nlines"', "msg=~(?s).*lines", "msg=~.*lines", "quantile=0.99", "quantile=~0\\.99",
    "{alertname=DiskFull}", "alertname=DiskFull,team=db", "alertname", "alertname=\"DiskFull", "1a=b",
    "alertname=~(", 'alertname=~"\\\\C"', "alertname=~(?<n>x)", "  team  =  db  ", "team=db ", "a:b=c",
    'alertname=~"(?i)diskfull"', "alertname=~\\w+Full", 'alertname=~"\\\\pL+"',
    "v=~(?i)k", "v=~(?i)s", "v=~(?i)σ", "v=~(?i)ß", "v=~(?i)å", "v=~\\pL", "v=~\\PL", "v=~\\p{Arabic}",
    "v=~\\p{Han}", "v=~a\\p{Arabic}b", "v=~\\p{Lu}", "v=~(?i)\\p{Lu}", "v=~[\\pL]", "v=~[^\\pL]", "v=~\\s",
    "v=~[[:space:]]", "v=~\\p{Z}", "v=~.", "v=~..", "v=~\\p{Cf}", "v=~[\\p{Mn}]", "v=~\\x{0870}",
]


@pytest.mark.parametrize("filter_", FILTERS)
def test_filter_parsing_and_matching_equal_alertmanagers(
    am: tuple[str, list[dict[str, object]]], filter_: str
) -> None:
    url, alerts = am
    status, body = query(url, filter_)
    try:
        m = classic.parse_matcher(filter_)
    except MatcherParseError as e:
        assert (status, body) == (400, str(e))
        return
    assert status == 200, body
    assert isinstance(body, list)
    theirs = sorted(str(a["fingerprint"]) for a in body)
    ours = sorted(str(a["fingerprint"]) for a in alerts
                  if isinstance(a["labels"], dict) and matches_all([m], a["labels"]))
    assert ours == theirs


def test_random_regex_filters_select_the_same_alerts(am: tuple[str, list[dict[str, object]]]) -> None:
    url, alerts = am
    rng = random.Random(7)
    atoms = ["a", "z", ".", "é", "☃", "\\s", "\\S", "[a-z]", "[^a-z]", "\\pL", "(?i)z", "\\\\", "\\d"]
    names = sorted({n for a in alerts if isinstance(a["labels"], dict) for n in a["labels"]})
    for _ in range(40):
        pattern = "".join(rng.choice(atoms) + rng.choice(["", "*", "+", "?"]) for _ in range(rng.randint(1, 4)))
        filter_ = f"{rng.choice(names)}=~\".*{pattern.replace(chr(92), chr(92) * 2)}.*\""
        status, body = query(url, filter_)
        m = classic.parse_matcher(filter_)
        assert status == 200, (filter_, body)
        assert isinstance(body, list)
        theirs = sorted(str(a["fingerprint"]) for a in body)
        ours = sorted(str(a["fingerprint"]) for a in alerts
                      if isinstance(a["labels"], dict) and matches_all([m], a["labels"]))
        assert ours == theirs, filter_

