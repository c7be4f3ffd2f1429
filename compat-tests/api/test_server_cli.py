"""The `amclone` command line against `prometheus-alertmanager`: help, version layout, flag
errors and exit codes, and the start-up failures that exit before serving."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from amclone.testing.procs import free_port

OURS = [sys.executable, "-m", "amclone"]
# amclone's additions, listed after Alertmanager's own
EXTRA_FLAGS = ("--enable-feature", "--rules.config", "--rules.datasource.url", "--rules.evaluation",
               "--rules.on-write-min-interval", "--rules.alert.for-outage-tolerance",
               "--rules.alert.for-grace-period", "--rules.alert.resend-delay", "--storage.tsdb.retention.time")


def run(argv: list[str], cwd: Path | None = None, timeout: float = 20) -> tuple[int, str, str]:
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False)
    return p.returncode, p.stdout, p.stderr


def _strip_extra(help_text: str) -> str:
    out, skipping = [], False
    for line in help_text.splitlines(keepends=True):
        if line.startswith(("      --", "  -h")):
            skipping = line.strip().split("=")[0] in EXTRA_FLAGS
        if not skipping or line.strip() == "":
            out.append(line)
    return "".join(out)


def test_help_is_alertmanagers(alertmanager_bin: str) -> None:
    for flag in ("--help", "-h", "--help-long"):
        rc_am, out_am, _ = run([alertmanager_bin, flag])
        rc, out, _ = run(OURS + [flag])
        assert rc == rc_am == 0
        assert _strip_extra(out).replace("usage: amclone", "usage: prometheus-alertmanager") == out_am
    help_text = run(OURS + ["--help"])[1]
    assert all(flag in help_text for flag in EXTRA_FLAGS)


def test_version_layout(alertmanager_bin: str) -> None:
    _, theirs, _ = run([alertmanager_bin, "--version"])
    _, ours, _ = run(OURS + ["--version"])
    shape = re.compile(r"\(branch: [^,]*, revision: [^)]*\)|:\s+\S*$", re.MULTILINE)
    assert shape.sub("X", ours) == shape.sub("X", theirs)
    assert "version 0.25.0 " in ours


BAD_ARGS = [
    ["--foo"], ["--data.retention=abc"], ["--web.get-concurrency=x"], ["--web.get-concurrency=0x10"],
    ["--web.get-concurrency="], ["--log.level=bad"], ["--log.format=bad"], ["--web.timeout=5"],
    ["positional"], ["--web.systemd-socket=true"], ["--cluster.peer-timeout"], ["-x"], ["-hx"],
    ["--data.retention="], ["-- x"], ["--help=x"], ["--config.file", "a", "--config.file", "b"],
    ["--log.level=debug", "--log.level=bad"], ["--foo", "--version"], ["x", "--version"],
    ["--data.retention", "1h", "--data.retention=2h"], ["--foo", "--help"], ["--cluster.peer-timeout", "-h"],
    ["--no-config.file"], ["--alerts.gc-interval=1x"], ["--data.maintenance-interval=-"],
    ["@/nonexistent/args"], ["@"], ["--config.file", "@ARGS"], ["@ARGS", "--foo"],
]


@pytest.mark.parametrize("args", BAD_ARGS, ids=lambda a: " ".join(a))
def test_flag_errors(alertmanager_bin: str, args: list[str], tmp_path: Path) -> None:
    argfile = tmp_path / "args"
    argfile.write_text("# comment\n--data.retention=1h\n--log.level=bad\n")
    args = [a.replace("ARGS", str(argfile)) for a in args]
    rc_am, out_am, err_am = run([alertmanager_bin, *args])
    rc, out, err = run(OURS + args)
    assert (rc, out, err.replace("amclone:", "prometheus-alertmanager:")) == (rc_am, out_am, err_am)


WINS = [["--version", "--foo"], ["--data.retention=x", "--version"], ["--version", "x"],
        ["--log.level=bad", "--help"], ["--help", "--version"], ["--no-web.systemd-socket", "--version"]]


@pytest.mark.parametrize("args", WINS, ids=lambda a: " ".join(a))
def test_help_and_version_precedence(alertmanager_bin: str, args: list[str]) -> None:
    rc_am, out_am, _ = run([alertmanager_bin, *args])
    rc, out, _ = run(OURS + args)
    assert rc == rc_am == 0
    assert out.splitlines()[0].split()[0] == out_am.splitlines()[0].split()[0]


def _err(log: str, msg: str) -> str:
    for line in log.splitlines():
        if f'msg="{msg}"' in line or f"msg={msg}" in line:
            m = re.search(r' err=("(?:[^"\\]|\\.)*"|\S+)', line)
            return m.group(1) if m else ""
    raise AssertionError(f"no {msg!r} line in:\n{log}")


def test_startup_failures(alertmanager_bin: str, tmp_path: Path) -> None:
    good = tmp_path / "am.yml"
    good.write_text("route:\n  receiver: x\nreceivers:\n  - name: x\n")
    bad = tmp_path / "bad.yml"
    bad.write_text("route:\n  receiver: nope\nreceivers:\n  - name: x\n")
    base = [f"--web.listen-address=127.0.0.1:{free_port()}"]
    off = "--cluster.listen-address="
    cases = [
        ([off, f"--config.file={tmp_path}/missing.yml", f"--storage.path={tmp_path}/d1"],
         "Loading configuration file failed"),
        ([off, f"--config.file={bad}", f"--storage.path={tmp_path}/d2"], "Loading configuration file failed"),
        ([off, f"--config.file={good}", f"--storage.path={tmp_path}/d3", "--web.external-url=ftp://x"],
         "failed to determine external URL"),
        ([off, f"--config.file={good}", f"--storage.path={tmp_path}/d4", "--web.external-url=::"],
         "failed to determine external URL"),
        ([f"--config.file={good}", f"--storage.path={tmp_path}/d5", "--cluster.listen-address=bad"],
         "unable to initialize gossip mesh"),
        ([f"--config.file={good}", f"--storage.path={tmp_path}/d6", "--cluster.listen-address=0.0.0.0:x"],
         "unable to initialize gossip mesh"),
        ([f"--config.file={good}", f"--storage.path={tmp_path}/d7", "--cluster.listen-address=0.0.0.0:",
          "--cluster.advertise-address=1.2.3.4"], "unable to initialize gossip mesh"),
        ([f"--config.file={good}", f"--storage.path={tmp_path}/d8", "--cluster.advertise-address=1.2.3.4:p"],
         "unable to initialize gossip mesh"),
        ([f"--config.file={good}", f"--storage.path={tmp_path}/d9", "--cluster.peer=nohostport"],
         "unable to initialize gossip mesh"),
        ([f"--config.file={good}", f"--storage.path={tmp_path}/d10", f"--cluster.tls-config={tmp_path}/no.yml"],
         "unable to initialize TLS transport configuration for gossip mesh"),
    ]
    for args, msg in cases:
        rc_am, _, log_am = run([alertmanager_bin, *base, *args])
        rc, _, log = run(OURS + base + args)
        assert rc == rc_am == 1, (args, log)
        assert _err(log, msg) == _err(log_am, msg), args
