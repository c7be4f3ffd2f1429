"""kingpin's CompactUsageTemplate, the help layout amtool selects, rendered from a parse Context.

Kept apart from the parser because it is pure text layout: section order (usage line, help,
Flags, Args, Commands), the two-column flag table with a left column capped at 30 characters,
and the terminal-width guess (``$COLUMNS``, then the stdout tty, else 80) that kingpin uses.
"""

from __future__ import annotations

import fcntl
import os
import struct
import sys
import termios

from amclone.cli.amctl.cmdline import Arg, Command, Context, Flag
from amclone.cli.amctl.godoc import to_text


def guess_width() -> int:
    cols = os.environ.get("COLUMNS", "")
    if cols:
        try:
            return int(cols)
        except ValueError:
            pass
    try:
        packed = fcntl.ioctl(sys.stdout.fileno(), termios.TIOCGWINSZ, b"\0" * 8)
        return int(struct.unpack("HHHH", packed)[1])
    except (OSError, ValueError, AttributeError):
        return 80


def _wrap(text: str, indent: int, width: int) -> str:
    pad = " " * indent
    return to_text(text, pad, "  " + pad, width - indent)


def flag_summary(flags: list[Flag]) -> str:
    out: list[str] = []
    count = 0
    for f in flags:
        if f.name != "help":
            count += 1
        if f.required:
            out.append(f"--[no-]{f.name}" if f.is_bool else f"--{f.name}={f.placeholder_text()}")
    if count != len(out):
        out.append("[<flags>]")
    return " ".join(out)


def _format_command(cmd: Command) -> str:
    s = ""
    summary = flag_summary(cmd.flags)
    if summary:
        s += " " + summary
    for a in cmd.args:
        inner = f"<{a.name}>" + ("..." if a.cumulative else "")
        s += " " + (inner if a.required else f"[{inner}]")
    return s


def _format_usage(cmd: Command, width: int) -> str:
    s = _format_command(cmd) + (" <command> [<args> ...]" if cmd.commands else "") + "\n"
    if cmd.help:
        s += "\n" + _wrap(cmd.help, 0, width)
    return s + "\n"


def format_flag(flag: Flag, have_short: bool) -> str:
    if flag.short:
        s = f"-{flag.short}, --{flag.name}"
    else:
        s = f"    --{flag.name}" if have_short else f"--{flag.name}"
    if not flag.is_bool:
        s += "=" + flag.placeholder_text()
    if flag.cumulative:
        s += " ..."
    return s


def two_columns(rows: list[tuple[str, str]], indent: int, padding: int, width: int) -> str:
    """kingpin's formatTwoColumns: the left column is as wide as its widest entry under 30."""
    s = max((len(left) for left, _ in rows if len(left) < 30), default=0)
    pad, offset = " " * indent, " " * (s + padding)
    out: list[str] = []
    for left, text in rows:
        lines = to_text(text, "", "  ", width - s - padding - indent).rstrip("\n").split("\n")
        out.append(f"{pad}{left:<{s}}{'':{padding}}")
        if len(left) >= 30:
            out.append(f"\n{pad}{offset}")
        out.append(lines[0] + "\n")
        out.extend(f"{pad}{offset}{line}\n" for line in lines[1:])
    return "".join(out)


def _args_rows(args: list[Arg]) -> list[tuple[str, str]]:
    return [(f"<{a.name}>" if a.required else f"[<{a.name}>]", a.help) for a in args]


def _command_list(cmds: list[Command]) -> str:
    out = []
    for c in cmds:
        if not c.hidden:
            out.append("  " * c.depth() + c.name + ("*" if c.default else "") + _format_command(c) + "\n")
        out.append(_command_list(c.commands))
    return "".join(out)


def render(ctx: Context, width: int | None = None) -> str:
    """The help text kingpin prints for this parse context."""
    width = guess_width() if width is None else width
    sel = ctx.selected
    if sel is not None:
        out = f"usage: {ctx.app.name} {sel.full_command()}" + _format_usage(sel, width)
    else:
        out = f"usage: {ctx.app.name}" + _format_usage(ctx.app, width)
    if ctx.flag_order:
        have_short = any(f.short for f in ctx.flag_order)
        rows = [(format_flag(f, have_short), f.help) for f in ctx.flag_order if not f.hidden]
        out += "Flags:\n" + two_columns(rows, 2, 2, width) + "\n"
    if ctx.args:
        out += "Args:\n" + two_columns(_args_rows(ctx.args), 2, 2, width) + "\n"
    if sel is not None:
        if sel.commands:
            out += f"Commands:\n  {sel.full_command()}\n" + _command_list(sel.commands) + "\n"
    elif ctx.app.commands:
        out += "Commands:\n" + _command_list(ctx.app.commands) + "\n"
    return out


def _flattened(cmds: list[Command]) -> list[Command]:
    out: list[Command] = []
    for c in cmds:
        if not c.commands:
            out.append(c)
        out.extend(_flattened(c.commands))
    return out


def render_long(ctx: Context, width: int | None = None) -> str:
    """kingpin's LongHelpTemplate (``--help-long``): every leaf command with its help and flags."""
    width = guess_width() if width is None else width
    app = ctx.app
    out = f"usage: {app.name}" + _format_usage(app, width)
    if ctx.flag_order:
        have_short = any(f.short for f in ctx.flag_order)
        rows = [(format_flag(f, have_short), f.help) for f in ctx.flag_order if not f.hidden]
        out += "Flags:\n" + two_columns(rows, 2, 2, width) + "\n"
    if ctx.args:
        out += "Args:\n" + two_columns(_args_rows(ctx.args), 2, 2, width) + "\n"
    if app.commands:
        out += "Commands:\n"
        for c in _flattened(app.commands):
            if c.hidden:
                continue
            out += c.full_command() + _format_command(c) + "\n" + _wrap(c.help, 4, width) + "\n"
            have_short = any(f.short for f in c.flags)
            rows = [(format_flag(f, have_short), f.help) for f in c.flags if not f.hidden]
            if rows:
                out += two_columns(rows, 4, 2, width)
            out += "\n"
        out += "\n"
    return out


def _man_flags(flags: list[Flag]) -> str:
    out = []
    for f in flags:
        if f.hidden:
            continue
        name = (f"-{f.short}, " if f.short else "") + f"--{f.name}"
        if not f.is_bool:
            name += "=" + f.placeholder_text()
        out.append(f".TP\n\\fB{name}\\fR\n{f.help}\n")
    return "".join(out)


def render_man(app: Command, version: str) -> str:
    """kingpin's ManPageTemplate (``--help-man``): help texts verbatim, in roff."""
    out = (f'.TH {app.name} 1 {version} ""\n.SH "NAME"\n{app.name}\n.SH "SYNOPSIS"\n.TP\n'
           f"\\fB{app.name}{_format_command(app)}" + (" <command> [<args> ...]" if app.commands else "")
           + f'\\fR\n\n.SH "DESCRIPTION"\n{app.help}\n.SH "OPTIONS"\n' + _man_flags(app.flags))
    if app.commands:
        out += '.SH "COMMANDS"\n'
        for c in _flattened(app.commands):
            if not c.hidden:
                out += f".SS\n\\fB{c.full_command()}{_format_command(c)}\\fR\n.PP\n{c.help}\n" + _man_flags(c.flags)
    return out
