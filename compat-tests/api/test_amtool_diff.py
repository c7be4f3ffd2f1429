"""The real amtool, pointed at Alertmanager 0.25 and at amclone in turn: every command's output
and exit status must agree (silence IDs and times normalised), since amtool is how operators
drive Alertmanager."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from amclone.testing.procs import start_alertmanager, start_amclone

CONFIG = """\
route:
  receiver: default
  group_by: [alertname]
  group_wait: 1h
  routes:
    - matchers: ['team="db"']
      receiver: db
receivers:
  - name: default
  - name: db
"""

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z| UTC|[+-]\d{2}:\d{2})?")
_HOST = re.compile(r"127\.0\.0\.1:\d+")


def _norm(text: str, ids: dict[str, str]) -> str:
    for m in _UUID.findall(text):
        ids.setdefault(m, f"<id{len(ids)}>")
    text = _UUID.sub(lambda m: ids[m.group(0)], text)
    return _HOST.sub("<host>", _TIME.sub("<time>", text))


COMMANDS = [
    ["alert", "add", "alertname=Disk", "team=db", "--annotation=summary=full"],
    ["alert", "add", "alertname=Cpu", "severity=page"],
    ["alert", "query"], ["alert", "query", "alertname=Disk"], ["alert", "query", "-a"],
    ["alert", "query", "team=~d."], ["alert", "query", "-o", "extended"], ["alert", "query", "--receiver=db"],
    ["silence", "add", "alertname=Disk", "-c", "maintenance", "-a", "ops"],
    ["silence", "query"], ["silence", "query", "-o", "extended"], ["silence", "query", "alertname=Disk"],
    ["alert", "query"], ["alert", "query", "-s"], ["alert", "query", "-i"],
    ["silence", "add", "alertname=", "-c", "x", "-a", "y"],
    ["silence", "expire", "00000000-0000-4000-8000-000000000000"],
    ["cluster", "show"], ["config", "show"], ["config", "routes"], ["config", "routes", "test", "team=db"],
    ["alert", "query", "foo"], ["silence", "query", "-q"],
]


def _run(url: str, args: list[str], amtool: str, ids: dict[str, str]) -> tuple[int, str]:
    p = subprocess.run([amtool, f"--alertmanager.url={url}", *args], capture_output=True, text=True,
                       timeout=30, check=False)
    return p.returncode, _norm(p.stdout + p.stderr, ids)


def test_amtool_against_both(amtool: str, tmp_path: Path) -> None:
    cfg = tmp_path / "am.yml"
    cfg.write_text(CONFIG)
    (tmp_path / "am").mkdir()
    (tmp_path / "ours").mkdir()
    am_proc, am_url = start_alertmanager(cfg, tmp_path / "am")
    try:
        our_proc, our_url = start_amclone(cfg, tmp_path / "ours")
    except BaseException:
        am_proc.stop()
        raise
    am_ids: dict[str, str] = {}
    our_ids: dict[str, str] = {}
    failures = []
    try:
        for args in COMMANDS:
            theirs = _run(am_url, args, amtool, am_ids)
            mine = _run(our_url, args, amtool, our_ids)
            if mine != theirs:
                failures.append(f"amtool {' '.join(args)}\n  alertmanager: {theirs}\n  amclone:      {mine}")
        # expiring by ID: each server's own
        am_sil = next(k for k, v in am_ids.items() if v == "<id0>")
        our_sil = next(k for k, v in our_ids.items() if v == "<id0>")
        for args_am, args_ours in ((["silence", "expire", am_sil], ["silence", "expire", our_sil]),
                                   (["silence", "query", "-e"], ["silence", "query", "-e"]),
                                   (["silence", "query", "--expired"], ["silence", "query", "--expired"])):
            theirs, mine = _run(am_url, args_am, amtool, am_ids), _run(our_url, args_ours, amtool, our_ids)
            if mine != theirs:
                failures.append(f"amtool {' '.join(args_am)}\n  alertmanager: {theirs}\n  amclone:      {mine}")
    finally:
        our_proc.stop()
        am_proc.stop()
    assert not failures, "\n".join(failures)
