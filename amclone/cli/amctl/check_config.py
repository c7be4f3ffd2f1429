"""`amctl check-config`: amtool 0.25's `check-config`, same output and exit status.

amtool prints, per file, ``Checking '<file>'`` then ``  SUCCESS`` or ``  FAILED: <error>``; on
success a ``Found:`` summary and, when templates are configured, the result of parsing them; a
blank line ends each file. Any failure ends with ``amtool: error: failed to validate N file(s)``
on stderr and exit status 1. Paths are checked for existence first (kingpin's ExistingFiles), and
with no file at all standard input is read, as amtool does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from amclone.config import Config, ConfigError, load_file, template_files
from amclone.config.errors import GoPanic

PROG = "amtool"


def _template_checker() -> Callable[[list[str]], str] | None:
    """The template engine's glob loader, when that package offers one ('' = parsed fine)."""
    try:
        import amclone.template as tmpl
    except ImportError:
        return None
    fn: Any = getattr(tmpl, "check_globs", None) or getattr(tmpl, "from_globs", None)
    if fn is None:
        return None

    def check(patterns: list[str]) -> str:
        try:
            res = fn(patterns)
        except Exception as e:  # noqa: BLE001 - the engine's parse error, whatever its class
            return str(e)
        return res if isinstance(res, str) else ""
    return check


def _summary(cfg: Config, out: TextIO) -> int:
    out.write("Found:\n")
    if cfg.global_ is not None:
        out.write(" - global config\n")
    if cfg.route is not None:
        out.write(" - route\n")
    out.write(f" - {len(cfg.inhibit_rules)} inhibit rules\n")
    out.write(f" - {len(cfg.receivers)} receivers\n")
    out.write(f" - {len(cfg.templates)} templates\n")
    if not cfg.templates:
        return 0
    checker = _template_checker()
    err = checker(list(cfg.templates)) if checker is not None else ""
    if err:
        out.write(f"  FAILED: {err}\n")
        return 1
    out.write("  SUCCESS\n")
    return 0


def check_file(path: str, out: TextIO) -> int:
    """Check one file, writing amtool's lines; returns the number of failures (0, 1 or 2).

    Raises GoPanic for inputs on which amtool 0.25 crashes.
    """
    out.write(f"Checking '{path}'")
    failed = 0
    try:
        cfg: Config | None = load_file(path)
        out.write("  SUCCESS\n")
    except GoPanic:
        raise
    except ConfigError as e:
        out.write(f"  FAILED: {e}\n")
        cfg = None
        failed = 1
    if cfg is not None:
        failed += _summary(cfg, out)
    out.write("\n")
    return failed


def run(files: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """The subcommand: exit status 0 when every file (and its templates) is valid, else 1."""
    out = out or sys.stdout
    err = err or sys.stderr
    for f in files:
        if not os.path.exists(f):
            err.write(f"{PROG}: error: path '{f}' does not exist\n\n")
            return 1
        if os.path.isdir(f):
            err.write(f"{PROG}: error: '{f}' is a directory\n\n")
            return 1
    if not files:
        if sys.stdin.isatty():
            err.write(f"{PROG}: error: Failed to read from standard input\n\n")
            return 1
        files = ["/dev/stdin"]
    try:
        failed = sum(check_file(f, out) for f in files)
    except GoPanic as e:
        # amtool 0.25 crashes here (exit status 2); we say what it says, minus the goroutine dump.
        out.flush()
        err.write(f"panic: {e} [recovered]\n\tpanic: {e}\n")
        return 2
    out.flush()
    if failed:
        err.write(f"{PROG}: error: failed to validate {failed} file(s)\n\n")
        return 1
    return 0


__all__ = ["check_file", "run", "template_files"]
