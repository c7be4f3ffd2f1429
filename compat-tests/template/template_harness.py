"""Rendering one template text with the real amtool 0.25 and with amctl, on the same data.

The Debian amtool embeds no default templates, so it is given the installed upstream defaults
(/usr/share/prometheus/alertmanager/*.tmpl) as globs in front of the user's; amctl loads our own
defaults itself, as upstream amtool does. Both results are (exit status, stdout, stderr).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from amclone.testing.procs import REPO, reference_binary

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
UPSTREAM_DEFAULTS = ["/usr/share/prometheus/alertmanager/default.tmpl",
                     "/usr/share/prometheus/alertmanager/email.tmpl"]


@dataclass(frozen=True)
class Result:
    rc: int
    out: str
    err: str


def _data_path(data: str) -> Path:
    """Both tools fail alike on a missing data file, so every case would agree vacuously: it must exist."""
    path = DATA / data
    if not path.is_file():
        raise FileNotFoundError(f"template compat data file is missing: {path}")
    return path


def _args(text: str, globs: list[str], kind: str, data: str | None) -> list[str]:
    args = ["template", "render", f"--template.text={text}"]
    args += [f"--template.glob={g}" for g in globs]
    if kind != "text":
        args.append(f"--template.type={kind}")
    if data is not None:
        args.append(f"--template.data={_data_path(data)}")
    return args


def amtool(text: str, globs: list[str] | None = None, kind: str = "text", data: str | None = "mixed.json",
           cwd: Path | None = None, tz: str | None = None) -> Result:
    glist = UPSTREAM_DEFAULTS + list(globs or [])
    env = None if tz is None else {**os.environ, "TZ": tz}
    p = subprocess.run([reference_binary("amtool"), *_args(text, glist, kind, data)], capture_output=True,
                       cwd=cwd or HERE, check=False, env=env)
    return Result(p.returncode, p.stdout.decode("utf-8", "surrogateescape"),
                  p.stderr.decode("utf-8", "surrogateescape"))


def amctl_inproc(text: str, globs: list[str] | None = None, kind: str = "text",
                 data: str | None = "mixed.json") -> Result:
    """amctl's render called in this process (fast; the printing layer is kingpin's)."""
    from amclone.cli.amctl.env import ActionError
    from amclone.cli.amctl.template_render import run

    # amtool runs in this directory; relative globs mean the same files (and messages) for both.
    glist = list(globs or [])
    out = io.StringIO()
    try:
        with contextlib.chdir(HERE):
            run(globs=glist, text=text, kind=kind, data_file=str(_data_path(data)) if data else None, out=out)
    except ActionError as e:
        return Result(1, "", f"amtool: error: {e}\n\n")
    return Result(0, out.getvalue(), "")


def amctl(text: str, globs: list[str] | None = None, kind: str = "text", data: str | None = "mixed.json",
          cwd: Path | None = None, tz: str | None = None) -> Result:
    """The real amctl command line, as a separate process."""
    amctl_bin = Path(sys.executable).with_name("amctl")
    argv = [str(amctl_bin)] if amctl_bin.exists() else [sys.executable, "-m", "amclone.cli.amctl.main"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(REPO), "PYTHONPATH": str(REPO)}
    if tz is not None:
        env["TZ"] = tz
    p = subprocess.run([*argv, *_args(text, list(globs or ["/nonexistent-amclone/*.tmpl"]), kind, data)],
                       capture_output=True, cwd=cwd or HERE, check=False, env=env)
    return Result(p.returncode, p.stdout.decode("utf-8", "surrogateescape"),
                  p.stderr.decode("utf-8", "surrogateescape"))
