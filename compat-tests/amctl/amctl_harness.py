"""Harness for the amctl compat tests: amtool and amctl, run with the same arguments against the same server, must print the same
bytes and exit the same way. The server under test is a parameter: today the real Alertmanager
0.25; adding amclone is one entry in SERVERS."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from amclone.testing.procs import Managed, reference_binary, start_alertmanager, start_amclone

_STARTERS: dict[str, Callable[[Path, Path], tuple[Managed, str]]] = {
    "alertmanager": start_alertmanager,
    "amclone": start_amclone,
}
# The servers every compat test runs against: amtool and amctl are compared against the real
# Alertmanager and against amclone (AMCTL_SERVERS=alertmanager narrows it while debugging).
SERVERS = {k: _STARTERS[k] for k in os.environ.get("AMCTL_SERVERS", "alertmanager,amclone").split(",")}

AMCTL = [sys.executable, "-m", "amclone.cli.amctl.main"]


@dataclass(frozen=True)
class Result:
    stdout: str
    stderr: str
    code: int


@dataclass
class Tools:
    """Runs both tools in one environment: a HOME without an amtool config, fixed width."""

    home: Path
    url: str = ""

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "USER", "LOGNAME")}
        env["HOME"] = str(self.home)
        return env

    def run(self, argv: list[str], args: list[str], stdin: str | None = None) -> Result:
        p = subprocess.run(argv + args, input=stdin, capture_output=True, text=True, env=self.env(),
                           timeout=60, cwd=self.home, check=False)
        return Result(p.stdout, p.stderr, p.returncode)

    def amtool(self, *args: str, stdin: str | None = None) -> Result:
        return self.run([reference_binary("amtool")], list(args), stdin)

    def amctl(self, *args: str, stdin: str | None = None) -> Result:
        return self.run(AMCTL, list(args), stdin)

    def both(self, *args: str, stdin: str | None = None) -> tuple[Result, Result]:
        """Both tools; with a server, ``--alertmanager.url`` pointing at it comes first."""
        if self.url:
            args = (f"--alertmanager.url={self.url}", *args)
        return self.amtool(*args, stdin=stdin), self.amctl(*args, stdin=stdin)

    def same(self, *args: str, stdin: str | None = None, norm: Callable[[str], str] | None = None) -> Result:
        """Assert byte-identical stdout, stderr and exit status (after `norm`, for outputs that
        carry generated ids or the current time)."""
        a, c = self.both(*args, stdin=stdin)
        f = norm or (lambda s: s)
        got = {"stdout": f(c.stdout), "stderr": f(c.stderr), "code": c.code}
        want = {"stdout": f(a.stdout), "stderr": f(a.stderr), "code": a.code}
        if got != want:
            import difflib

            diff = "".join(difflib.unified_diff(
                [f"{k}: {v!r}\n" for k, v in want.items()], [f"{k}: {v!r}\n" for k, v in got.items()],
                "amtool", "amctl"))
            raise AssertionError(f"amtool and amctl differ for {args}:\n{diff}")
        return a


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_POINTER = re.compile(r"0xc[0-9a-f]{6,}")
_DATE = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?: UTC|Z)?")


def normalise(text: str) -> str:
    """Generated ids, Go pointers and timestamps, the only parts that may differ. Table columns
    are re-spaced, since a normalised cell can change a column's width."""
    text = _POINTER.sub("0xPTR", _DATE.sub("<TIME>", _UUID.sub("<ID>", text)))
    return re.sub(r" {2,}", "  ", text)


def start(kind: str, config_text: str, workdir: Path) -> tuple[Managed, str]:
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "alertmanager.yml"
    config.write_text(config_text)
    return SERVERS[kind](config, workdir)
