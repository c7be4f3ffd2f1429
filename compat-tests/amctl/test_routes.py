"""``config routes show`` and ``config routes test`` on many configs: hand-written ones that
exercise 0.25's routing rules, and every corpus config amtool accepts, both from
``--config.file`` and from a running server's ``/api/v2/status``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from amctl_harness import Tools

from amclone.testing.procs import SHARED

CORPUS = SHARED / "corpus" / "am-configs"

HAND = {
    "nested": """\
route:
  receiver: default
  group_by: [alertname]
  routes:
    - match: {team: db}
      receiver: db
      continue: true
      routes:
        - matchers: ['severity="critical"', 'env!~"dev|test"']
          receiver: pager
        - matchers: ['env=""']
          receiver: noenv
    - match_re: {service: "^(foo|bar)$"}
      receiver: web
      group_by: ['...']
    - receiver: catchall
      matchers: [ 'a="b\\"c"', 'z=~"x,y"' ]
    - matchers: ['team=db']
      receiver: second-db
receivers: [{name: default}, {name: db}, {name: pager}, {name: noenv}, {name: web}, {name: catchall},
            {name: second-db}]
""",
    "continue_chain": """\
route:
  receiver: r0
  routes:
    - {receiver: r1, continue: true, matchers: ['a=~".+"']}
    - {receiver: r2, continue: true, matchers: ['b=~".+"'], routes: [{receiver: r3, matchers: [c=1]}]}
    - {receiver: r4, match: {a: "1", b: "2"}}
    - {receiver: r5, matchers: ['a!=1', 'a!~"2|3"'], continue: true}
receivers: [{name: r0}, {name: r1}, {name: r2}, {name: r3}, {name: r4}, {name: r5}]
""",
    "sorting": """\
route:
  receiver: r0
  routes:
    - receiver: r1
      match: {z: "1", a: "2"}
      match_re: {m: "x|y", a: "2"}
      matchers: ['a!="2"', 'a=~"2"', 'b="quote\\"d"', 'n="new\\\\nline"']
receivers: [{name: r0}, {name: r1}]
""",
}

LABEL_SETS = [
    [], ["team=db"], ["team=db", "severity=critical"], ["team=db", "severity=critical", "env=dev"],
    ["team=db", "env=prod"], ["service=foo"], ["service=foobar"], ['a=b"c', "z=x,y"], ["a=1"],
    ["a=1", "b=2"], ["a=1", "b=2", "c=1"], ["a=5", "b=1"], ["severity=critical"], ["alertname=Watchdog"],
    ["alertname=KubePodCrashLooping", "severity=warning", "namespace=kube-system"], ["job=node", "env=prod"],
]


CORPUS_LABEL_SETS = [["severity=critical"], ["alertname=Watchdog", "severity=none"],
                     ["alertname=KubePodCrashLooping", "severity=warning", "namespace=kube-system"]]


def _corpus(accepted: str) -> list[str]:
    with open(CORPUS / "EXPECTED.tsv", newline="") as fh:
        return [row["file"] for row in csv.DictReader(fh, delimiter="\t") if row["accepted"] == accepted]


def _config_files(tmp: Path) -> list[Path]:
    out = []
    for name, text in HAND.items():
        p = tmp / f"{name}.yml"
        p.write_text(text)
        out.append(p)
    return out


@pytest.mark.parametrize("name", list(HAND))
def test_hand_configs(tools: Tools, name: str) -> None:
    path = tools.home / f"{name}.yml"
    path.write_text(HAND[name])
    tools.same("config", "routes", f"--config.file={path}")
    for labels in LABEL_SETS:
        tools.same("config", "routes", "test", f"--config.file={path}", *labels)
        tools.same("config", "routes", "test", f"--config.file={path}", "--tree", *labels)
    tools.same("config", "routes", "test", f"--config.file={path}", "--verify.receivers=db,pager",
               "team=db", "severity=critical")
    tools.same("config", "routes", "test", f"--config.file={path}", "--verify.receivers=nope", "team=db")
    tools.same("config", "routes", "test", f"--config.file={path}", "team!=db")
    tools.same("config", "routes", "test", f"--config.file={path}", "bad")


@pytest.mark.parametrize("name", _corpus("yes"))
def test_corpus_config(tools: Tools, name: str) -> None:
    path = str(CORPUS / name)
    tools.same("--no-version-check", "config", "routes", "show", f"--config.file={path}")
    for labels in CORPUS_LABEL_SETS:
        tools.same("--no-version-check", "config", "routes", f"--config.file={path}", "test", "--tree", *labels)


@pytest.mark.parametrize("name", _corpus("no"))
def test_corpus_config_rejected(tools: Tools, name: str) -> None:
    """Configs Alertmanager refuses: both tools print its first error the same way."""
    path = str(CORPUS / name)
    tools.same("--no-version-check", "config", "routes", "show", f"--config.file={path}")
    tools.same("--no-version-check", "config", "routes", f"--config.file={path}", "test", "a=b")


def test_routes_from_server(served: Tools) -> None:
    served.same("config", "routes")
    served.same("config", "routes", "show")
    for labels in LABEL_SETS:
        served.same("config", "routes", "test", "--tree", *labels)


CONFIG = HAND["nested"]
