"""Read-only commands against one seeded server: both tools see the same state, so their
output must match byte for byte with no normalisation (config show -o extended aside, which
prints Go pointers)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from amctl_harness import Tools, normalise, start

CONFIG = """\
route:
  receiver: default
  group_by: [alertname]
  routes:
    - matchers: ['team="db"']
      receiver: db
      continue: true
    - match_re: {service: "web|api"}
      receiver: web
receivers:
  - name: default
  - name: db
  - name: web
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [cluster]
"""

FAR = "2099-01-01T00:00:00Z"
ALERTS = [
    {"labels": {"alertname": "DiskFull", "team": "db", "severity": "critical", "cluster": "a"},
     "annotations": {"summary": "disk <full> & \"more\"", "runbook": "http://x/y"},
     "startsAt": "2026-01-01T10:00:00.123Z", "endsAt": FAR, "generatorURL": "http://prom/graph?g0"},
    {"labels": {"alertname": "DiskSlow", "team": "db", "severity": "warning", "cluster": "a"},
     "startsAt": "2026-01-01T09:00:00Z", "endsAt": FAR},
    {"labels": {"alertname": "WebDown", "service": "web", "instance": "w1"},
     "annotations": {"summary": "web is down"}, "startsAt": "2026-01-02T00:00:00Z", "endsAt": FAR},
    {"labels": {"alertname": "Silenced", "env": "dev"}, "startsAt": "2026-01-03T00:00:00Z", "endsAt": FAR},
    {"labels": {"alertname": "Ünïcode", "x": "日本"}, "annotations": {"summary": "ü"},
     "startsAt": "2026-01-04T00:00:00Z", "endsAt": FAR},
]
# Many alerts (and silences) with equal times: amtool's sort.Sort is unstable past 12 rows.
ALERTS += [{"labels": {"alertname": f"Same{i:02d}", "shard": str(i * 7 % 19)},
            "annotations": {"summary": f"shard {i}"}, "startsAt": "2026-01-05T00:00:00Z", "endsAt": FAR}
           for i in range(40)]
ALERTS += [{"labels": {"alertname": "Mixed", "n": str(i)}, "startsAt": f"2026-01-0{1 + i % 7}T00:00:00Z",
            "endsAt": FAR} for i in range(60)]
SILENCES = [
    {"matchers": [{"name": "env", "value": "dev", "isRegex": False, "isEqual": True}],
     "startsAt": "2026-01-01T00:00:00Z", "endsAt": "2098-01-01T00:00:00Z", "createdBy": "alice",
     "comment": "dev is noisy"},
    {"matchers": [{"name": "alertname", "value": "Foo|Bar", "isRegex": True, "isEqual": True},
                  {"name": "team", "value": "db", "isRegex": False, "isEqual": False}],
     "startsAt": "2026-01-01T00:00:00Z", "endsAt": "2097-06-01T12:30:00Z", "createdBy": "bob",
     "comment": "two matchers"},
    {"matchers": [{"name": "x", "value": "a\"b\\c", "isRegex": False, "isEqual": True},
                  {"name": "y", "value": ".*", "isRegex": True, "isEqual": False}],
     "startsAt": "2090-01-01T00:00:00Z", "endsAt": "2091-01-01T00:00:00Z", "createdBy": "carol",
     "comment": "pending, quoted value"},
] + [{"matchers": [{"name": "bulk", "value": str(i), "isRegex": False, "isEqual": True}],
      "startsAt": "2026-01-01T00:00:00Z", "endsAt": f"2096-01-01T00:{59 - i:02d}:00Z", "createdBy": "bulk",
      "comment": f"bulk {i}"} for i in range(30)]  # distinct ends: the server orders equal ones randomly


def _post(url: str, path: str, body: object) -> bytes:
    req = urllib.request.Request(url + "/api/v2" + path, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return bytes(resp.read())


@pytest.fixture(scope="module")
def seeded(server_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir: Path = tmp_path_factory.mktemp("server")
    proc, url = start(server_kind, CONFIG, workdir)
    try:
        _post(url, "/alerts", ALERTS)
        for s in SILENCES:
            _post(url, "/silences", s)
        # one expired silence: created active, then expired
        sid = json.loads(_post(url, "/silences", {**SILENCES[0], "comment": "expired one",
                                                  "createdBy": "dave"}))["silenceID"]
        urllib.request.urlopen(urllib.request.Request(url + f"/api/v2/silence/{sid}", method="DELETE"))
        yield url
    finally:
        proc.stop()


@pytest.fixture
def t(tools: Tools, seeded: str) -> Tools:
    tools.url = seeded
    return tools


OUTPUTS = [[], ["-o", "extended"], ["-o", "json"]]


@pytest.mark.parametrize("out", OUTPUTS)
@pytest.mark.parametrize("args", [
    [], ["alert"], ["alert", "query"], ["alert", "query", "DiskFull"], ["alert", "query", "team=db"],
    ["alert", "query", "alertname=~Disk.*", "severity!=warning"], ["alert", "query", "-s"],
    ["alert", "query", "-i"], ["alert", "query", "-a", "-s", "-i"], ["alert", "query", "-u"],
    ["alert", "query", "--receiver=web"], ["alert", "query", "-r", "d.*"], ["alert", "query", "nomatch"],
    ["alert", "query", "a=~("], ["alert", "query", "-r", "("], ["alert", "query", "team=db", "x=~("],
])
def test_alert_query(t: Tools, out: list[str], args: list[str]) -> None:
    if not args:
        args = ["alert", "query", "-a", "-s", "-i"]
    t.same(*out, *args)


@pytest.mark.parametrize("out", OUTPUTS)
@pytest.mark.parametrize("args", [
    ["silence"], ["silence", "query"], ["silence", "query", "-q"], ["silence", "query", "--expired"],
    ["silence", "query", "--expired", "-q"], ["silence", "query", "env=dev"],
    ["silence", "query", "alertname=~Foo|Bar"], ["silence", "query", "Foo"],
    ["silence", "query", "--created-by=bob"], ["silence", "query", "--within=1000000h"],
    ["silence", "query", "--within=1h"], ["silence", "query", "--expired", "--within=1h"],
    ["silence", "query", "{a=\"b\"}"], ["silence", "query", "x=\"a\\\"b\\\\c\""],
])
def test_silence_query(t: Tools, out: list[str], args: list[str]) -> None:
    t.same(*out, *args)


@pytest.mark.parametrize("fmt", ["2006-01-02T15:04:05Z07:00", "Mon Jan _2 15:04:05 MST 2006",
                                 "02/01/06 03:04:05.000 PM -0700", "January 2, 2006 .999 pm",
                                 "Monday 002 __2 1 3 4 5"])
def test_date_format(t: Tools, fmt: str) -> None:
    t.same(f"--date.format={fmt}", "silence", "query", "-o", "extended")
    t.same(f"--date.format={fmt}", "alert", "query")


@pytest.mark.parametrize("args", [["config"], ["config", "show"], ["-o", "json", "config"],
                                  ["cluster"], ["cluster", "show", "-o", "extended"],
                                  ["-o", "json", "cluster"], ["--no-version-check", "config"]])
def test_status(t: Tools, args: list[str]) -> None:
    t.same(*args)


def test_config_extended_prints_pointers(t: Tools) -> None:
    t.same("-o", "extended", "config", norm=normalise)


def test_unreachable_server(tools: Tools) -> None:
    tools.url = "http://127.0.0.1:1"
    for args in (["config"], ["alert"], ["silence"], ["silence", "expire", "x"], ["cluster"],
                 ["config", "routes"], ["config", "routes", "test", "a=b"]):
        tools.same(*args)
    tools.url = "http://nosuchhost.invalid:9093"
    tools.same("silence", "add", "x", "-c", "y")


def test_https_to_plain_http_server(t: Tools) -> None:
    t.url = t.url.replace("http://", "https://")
    t.same("config")
