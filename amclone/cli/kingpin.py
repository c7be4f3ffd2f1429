"""A command-line parser that behaves like Go's kingpin v2, which Alertmanager and amtool use.

Scripts and service units written for Alertmanager must work unchanged with amclone, and the
people running them read its errors and help. So this mirrors kingpin's observable rules rather
than argparse's: ``--flag=value`` and ``--flag value``; ``--no-flag`` for booleans; a repeated
non-cumulative flag is an error; a cumulative flag's default is dropped once it is given;
``--version`` wins over any later error, ``--help`` over value errors but not over parse errors;
errors print ``<app>: error: <msg>, try --help`` and exit 1; help is kingpin's two columns, laid
out by the same code that prints amtool's help.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from amclone.cli.amctl.usage import format_flag, two_columns
from amclone.compat.goquote import quote

Parser = Callable[[str], Any]


class UsageError(Exception):
    """A message kingpin would print after ``<app>: error:``."""


@dataclass
class Flag:
    name: str
    help: str
    parse: Parser = str
    default: list[str] = field(default_factory=list)
    placeholder: str = ""
    boolean: bool = False
    cumulative: bool = False
    short: str = ""
    quote_default: bool = False  # kingpin quotes defaults of plain string flags only
    hidden: bool = False

    @property
    def is_bool(self) -> bool:
        return self.boolean

    def placeholder_text(self) -> str:
        if self.placeholder:
            return self.placeholder
        if self.default:
            more = "..." if len(self.default) > 1 else ""
            first = self.default[0]
            return (quote(first) if self.quote_default else first) + more
        return self.name.upper()


def expand_arg_files(args: Sequence[str]) -> list[str]:
    """kingpin's ``@file`` arguments: each line of the file (but ``#`` comments) is one argument."""
    out: list[str] = []
    for arg in args:
        if not arg.startswith("@"):
            out.append(arg)
            continue
        name = arg[1:]
        if name == "":
            raise UsageError("expected @ file to expand arguments from")
        try:
            with open(name, encoding="utf-8", errors="surrogateescape") as f:
                lines = f.read().splitlines()
        except OSError as e:
            reason = os.strerror(e.errno).lower() if e.errno else str(e)
            raise UsageError(f'failed to open arguments file "{name}": open {name}: {reason}') from None
        out.extend(line for line in lines if not line.startswith("#"))
    return out


@dataclass
class Result:
    values: dict[str, Any]
    explicit: set[str]


class App:
    def __init__(self, name: str, version_text: str | None = None) -> None:
        self.name = name
        self.version_text = version_text
        self.flags: list[Flag] = [
            Flag("help", "Show context-sensitive help (also try --help-long and --help-man).",
                 boolean=True, short="h"),
            Flag("help-long", "Generate long help.", boolean=True, hidden=True),
            Flag("help-man", "Generate a man page.", boolean=True, hidden=True),
        ]

    def add(self, flag: Flag) -> Flag:
        self.flags.append(flag)
        return flag

    def _by_name(self, name: str) -> Flag | None:
        return next((f for f in self.flags if f.name == name), None)

    def _by_short(self, ch: str) -> Flag | None:
        return next((f for f in self.flags if f.short == ch), None)

    # -- parsing -------------------------------------------------------------------------------

    def _tokenize(self, args: Sequence[str]) -> tuple[list[tuple[Flag, str | None]], UsageError | None]:
        """Phase one: split into (flag, raw value) elements, stopping at the first parse error."""
        out: list[tuple[Flag, str | None]] = []
        i = 0
        only_args = False
        while i < len(args):
            tok = args[i]
            i += 1
            if only_args or tok == "-" or not tok.startswith("-"):
                return out, UsageError(f"unexpected {tok}")
            if tok == "--":
                only_args = True
                continue
            if tok.startswith("--"):
                body = tok[2:]
                name, eq, value = body.partition("=")
                flag = self._by_name(name)
                negated = False
                if flag is None and name.startswith("no-"):
                    cand = self._by_name(name[3:])
                    if cand is not None and cand.boolean:
                        flag, negated = cand, True
                if flag is None:
                    return out, UsageError(f"unknown long flag '--{name}'")
                if flag.boolean:
                    out.append((flag, "false" if negated else "true"))
                    if eq:
                        return out, UsageError(f"unexpected {value}")
                    continue
                if not eq:
                    if i >= len(args) or (args[i].startswith("-") and args[i] != "-"):
                        return out, UsageError(f"expected argument for flag '--{flag.name}'")
                    value = args[i]
                    i += 1
                out.append((flag, value))
                continue
            # short flags, possibly combined (-hx)
            rest = tok[1:]
            while rest:
                ch, rest = rest[0], rest[1:]
                flag = self._by_short(ch)
                if flag is None:
                    return out, UsageError(f"unknown short flag '-{ch}'")
                if flag.boolean:
                    out.append((flag, "true"))
                    continue
                if not rest:
                    if i >= len(args) or args[i].startswith("-"):
                        return out, UsageError(f"expected argument for flag '-{ch}'")
                    rest = args[i]
                    i += 1
                out.append((flag, rest))
                rest = ""
        return out, None

    def parse(self, args: Sequence[str], out: TextIO | None = None) -> Result:
        """Parse `args`; prints help or version and raises SystemExit(0) as kingpin does."""
        stdout = out or sys.stdout
        elements, parse_err = self._tokenize(expand_arg_files(args))
        values: dict[str, Any] = {}
        explicit: set[str] = set()
        set_err: UsageError | None = None
        for flag, raw in elements:
            if flag.name in explicit and not flag.cumulative:
                set_err = UsageError(f"flag '{flag.name}' cannot be repeated")
                break
            try:
                value = flag.parse(raw or "")
            except (ValueError, UsageError) as e:
                set_err = UsageError(str(e))
                break
            if flag.cumulative:
                values.setdefault(flag.name, []).append(value)
            else:
                values[flag.name] = value
            explicit.add(flag.name)
        if self.version_text is not None and any(f.name == "version" for f, _ in elements):
            stdout.write(self.version_text + "\n")
            raise SystemExit(0)
        if parse_err is not None:
            raise parse_err
        if any(f.name in ("help", "help-long", "help-man") for f, _ in elements):
            stdout.write(self.usage())
            raise SystemExit(0)
        if set_err is not None:
            raise set_err
        for flag in self.flags:
            if flag.name in values or flag.name in ("help", "help-long", "help-man", "version"):
                continue
            if flag.boolean:
                values[flag.name] = flag.parse(flag.default[0]) if flag.default else False
            elif flag.cumulative:
                values[flag.name] = [flag.parse(d) for d in flag.default]
            else:
                values[flag.name] = flag.parse(flag.default[0]) if flag.default else ""
        return Result(values, explicit)

    def run(self, args: Sequence[str]) -> Result:
        """parse(), with errors printed to stderr and turned into exit status 1."""
        try:
            return self.parse(args)
        except UsageError as e:
            sys.stderr.write(f"{self.name}: error: {e}, try --help\n")
            raise SystemExit(1) from None

    # -- help ----------------------------------------------------------------------------------

    def usage(self, width: int = 80) -> str:
        # The layout (two columns, Go doc wrapping) is amtool's too: one implementation serves both.
        visible = [f for f in self.flags if not f.hidden]
        have_short = any(f.short for f in visible)
        rows = [(format_flag(f, have_short), f.help) for f in visible]  # type: ignore[arg-type]
        return f"usage: {self.name} [<flags>]\n\nFlags:\n" + two_columns(rows, 2, 2, width) + "\n"
