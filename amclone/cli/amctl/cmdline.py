"""kingpin v2.2.6's command tree and parser, as amtool 0.25 builds its command line with it.

amctl must accept, refuse and explain exactly what amtool does: the same tokenising
(``--f=v``, ``-fv``, bundled short booleans, ``--no-`` inversion, ``--``), default
subcommands (``amtool silence`` is ``silence query``), the order in which kingpin reports
problems (parse error, then help, then value errors, then required flags), and the same
messages. Help rendering lives in ``usage``; this module is the model and the parse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from amclone.cli.amctl.cmdvalues import (
    ParseError,
    existing_file,
    parse_bool,
    parse_duration,
    parse_int,
    readable_file,
)

Action = Callable[[Any], None]  # called with the amctl Env (a higher layer)


@dataclass
class Flag:
    name: str
    help: str
    kind: str = "string"  # string strings bool enum duration int url existingfile file
    default: list[str] = field(default_factory=list)
    short: str = ""
    placeholder: str = ""
    hidden: bool = False
    required: bool = False
    options: tuple[str, ...] = ()
    pre_action: Action | None = None

    @property
    def is_bool(self) -> bool:
        return self.kind == "bool"

    @property
    def cumulative(self) -> bool:
        return self.kind == "strings"

    def convert(self, raw: str) -> Any:
        if self.kind == "bool":
            return parse_bool(raw)
        if self.kind == "enum" and raw not in self.options:
            raise ParseError(f"enum value must be one of {','.join(self.options)}, got '{raw}'")
        if self.kind == "duration":
            return parse_duration(raw)
        if self.kind == "int":
            return parse_int(raw)
        if self.kind == "existingfile":
            return existing_file(raw)
        if self.kind == "file":
            return readable_file(raw)
        if self.kind == "url":
            from amclone.cli.amctl.client import parse_url

            return parse_url(raw)
        return raw

    def placeholder_text(self) -> str:
        if self.placeholder:
            return self.placeholder
        if self.default:
            more = "..." if len(self.default) > 1 else ""
            if self.kind == "string":
                from amclone.compat.goquote import quote

                return quote(self.default[0]) + more
            return self.default[0] + more
        return self.name.upper()


@dataclass
class Arg:
    name: str
    help: str
    kind: str = "strings"  # strings string existingfile existingfiles
    required: bool = False

    @property
    def cumulative(self) -> bool:
        return self.kind in ("strings", "existingfiles")

    def convert(self, raw: str) -> Any:
        if self.kind in ("existingfile", "existingfiles"):
            return existing_file(raw)
        return raw


@dataclass(eq=False)
class Command:
    name: str
    help: str
    flags: list[Flag] = field(default_factory=list)
    args: list[Arg] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    default: bool = False
    hidden: bool = False
    parent: Command | None = None
    action: Action | None = None
    pre_action: Action | None = None

    def command(self, name: str, help: str, default: bool = False) -> Command:
        # kingpin: top-level commands have no parent; FullCommand and Depth follow parents.
        child = Command(name, help, default=default, parent=None if isinstance(self, App) else self)
        self.commands.append(child)
        return child

    def flag(self, name: str, help: str, **kw: Any) -> Flag:
        f = Flag(name, help, **kw)
        self.flags.append(f)
        return f

    def arg(self, name: str, help: str, **kw: Any) -> Arg:
        a = Arg(name, help, **kw)
        self.args.append(a)
        return a

    def full_command(self) -> str:
        names = []
        node: Command | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " ".join(reversed(names))

    def depth(self) -> int:
        d, node = 0, self
        while node is not None:
            d, node = d + 1, node.parent  # type: ignore[assignment]
        return d

    def default_subcommand(self) -> Command | None:
        return next((c for c in self.commands if c.default), None)

    def lookup(self, name: str) -> Command | None:
        return next((c for c in self.commands if c.name == name), None)


class App(Command):
    """The application: global flags, top-level commands, and kingpin's built-in flags."""

    def __init__(self, name: str, help: str) -> None:
        super().__init__(name, help)
        self.flag("help", "Show context-sensitive help (also try --help-long and --help-man).",
                  kind="bool", short="h")
        for hidden in ("help-long", "help-man", "completion-bash", "completion-script-bash",
                       "completion-script-zsh"):
            self.flag(hidden, "", kind="bool", hidden=True)


@dataclass
class Element:
    clause: Flag | Arg | Command
    value: str | None = None


@dataclass
class Context:
    """What one parse found (kingpin's ParseContext): elements in order, and the flags and
    positional args in scope once the selected commands are merged in."""

    app: App
    selected: Command | None = None
    elements: list[Element] = field(default_factory=list)
    long: dict[str, Flag] = field(default_factory=dict)
    short: dict[str, Flag] = field(default_factory=dict)
    flag_order: list[Flag] = field(default_factory=list)
    args: list[Arg] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    _pending: list[str] = field(default_factory=list)
    _peeked: list[tuple[str, str]] = field(default_factory=list)
    _args_only: bool = False
    _arg_cursor: int = 0

    def merge(self, cmd: Command) -> None:
        for f in cmd.flags:
            if f.short:
                self.short[f.short] = f
            self.long[f.name] = f
            self.flag_order.append(f)
        self.args.extend(cmd.args)

    def matched_cmd(self, cmd: Command) -> None:
        self.elements.append(Element(cmd))
        self.merge(cmd)
        self.selected = cmd

    # tokens are (type, value) with type "long", "short", "arg", "eol", "error"
    def next(self) -> tuple[str, str]:
        if self._peeked:
            return self._peeked.pop()
        if not self._pending:
            return ("eol", "")
        arg = self._pending.pop(0)
        if self._args_only:
            return ("arg", arg)
        if arg == "--":
            self._args_only = True
            return self.next()
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            if eq:
                self._peeked.append(("arg", value))
            return ("long", name)
        if arg.startswith("-"):
            if len(arg) == 1:
                return ("short", "")
            ch = arg[1]
            flag = self.short.get(ch)
            if flag is not None and not flag.is_bool:
                if len(arg) > 2:
                    self._peeked.append(("arg", arg[2:]))
                return ("short", ch)
            if len(arg) > 2:
                self._pending.insert(0, "-" + arg[2:])
            return ("short", ch)
        if arg.startswith("@"):
            return self._expand_file(arg[1:])
        return ("arg", arg)

    def _expand_file(self, path: str) -> tuple[str, str]:
        if path == "":
            return ("error", "expected @ file to expand arguments from")
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                lines = [ln for ln in fh.read().splitlines() if not ln.startswith("#")]
        except OSError as e:
            return ("error", f'failed to open arguments file "{path}": open {path}: {(e.strerror or str(e)).lower()}')
        self._pending[0:0] = lines
        return self.next()

    def peek(self) -> tuple[str, str]:
        if not self._peeked:
            self._peeked.append(self.next())
        return self._peeked[-1]

    def next_arg(self) -> Arg | None:
        if self._arg_cursor >= len(self.args):
            return None
        arg = self.args[self._arg_cursor]
        if not arg.cumulative:
            self._arg_cursor += 1
        return arg


def _token_text(tok: tuple[str, str]) -> str:
    kind, value = tok
    return {"short": "-", "long": "--"}.get(kind, "") + value


def _parse_flag(ctx: Context) -> Flag:
    kind, name = ctx.peek()
    invert = False
    flag: Flag | None
    if kind == "long":
        flag = ctx.long.get(name)
        if flag is None and name.startswith("no-"):
            flag, invert = ctx.long.get(name[3:]), True
        if flag is None:
            raise ParseError(f"unknown long flag '--{name}'")
    else:
        flag = ctx.short.get(name)
        if flag is None:
            raise ParseError(f"unknown short flag '-{name}'")
    tok = ctx.next()
    if flag.is_bool:
        value = "false" if invert else "true"
    else:
        if invert:
            ctx._peeked.append(tok)
            raise ParseError(f"unknown long flag '{_token_text(tok)}'")
        nxt = ctx.peek()
        if nxt[0] != "arg":
            raise ParseError(f"expected argument for flag '{_token_text(tok)}'")
        value = ctx.next()[1]
    ctx.elements.append(Element(flag, value))
    return flag


def parse(app: App, argv: list[str], ignore_default: bool = False) -> tuple[Context, ParseError | None]:
    """kingpin's parse(): fill a Context from argv; the error, if any, is returned beside it
    because kingpin still runs pre-actions (--version, help) on a partly parsed line."""
    ctx = Context(app=app, _pending=list(argv))
    ctx.merge(app)
    cmds: Command = app
    try:
        while ctx.peek()[0] not in ("eol", "error"):
            kind, value = ctx.peek()
            if kind in ("long", "short"):
                try:
                    _parse_flag(ctx)
                except ParseError:
                    default = None if ignore_default else cmds.default_subcommand()
                    if default is None:
                        raise
                    ctx.matched_cmd(default)
                    cmds = default
            elif cmds.commands:
                cmd = cmds.lookup(value)
                chose_default = False
                if cmd is None:
                    cmd = None if ignore_default else cmds.default_subcommand()
                    if cmd is None:
                        raise ParseError(f'expected command but got "{value}"')
                    chose_default = True
                ctx.matched_cmd(cmd)
                cmds = cmd
                if not chose_default:
                    ctx.next()
            elif ctx.args:
                arg = ctx.next_arg()
                if arg is None:
                    break
                ctx.elements.append(Element(arg, value))
                ctx.next()
            else:
                break
        while not ignore_default:
            default = cmds.default_subcommand()
            if default is None:
                break
            ctx.matched_cmd(default)
            cmds = default
        kind, value = ctx.peek()
        if kind == "error":
            raise ParseError(value)
        if kind != "eol":
            raise ParseError(f"unexpected {_token_text((kind, value))}")
    except ParseError as e:
        return ctx, e
    return ctx, None


def set_defaults(ctx: Context) -> None:
    """Defaults for every flag and arg the command line did not give (none at all with --help)."""
    given = {e.clause.name for e in ctx.elements if isinstance(e.clause, Flag)}
    if "help" in given:
        return
    for f in ctx.long.values():
        if f.name not in given:
            ctx.values[f.name] = [] if f.cumulative else (False if f.is_bool else None)
            for raw in f.default:
                _store(ctx, f, raw)
    for a in ctx.args:
        ctx.values.setdefault("arg:" + a.name, [] if a.cumulative else None)


def _store(ctx: Context, clause: Flag | Arg, raw: str) -> None:
    key = clause.name if isinstance(clause, Flag) else "arg:" + clause.name
    value = clause.convert(raw)
    if clause.cumulative:
        ctx.values.setdefault(key, [])
        ctx.values[key] = [*ctx.values[key], value]
    else:
        ctx.values[key] = value


def set_values(ctx: Context) -> list[str]:
    """Apply the command-line values; returns the selected command names."""
    seen: set[str] = set()
    selected: list[str] = []
    last: Command | None = None
    for e in ctx.elements:
        c = e.clause
        if isinstance(c, Flag):
            if c.name in seen and not c.cumulative:
                raise ParseError(f"flag '{c.name}' cannot be repeated")
            if c.name not in seen and c.cumulative:
                ctx.values[c.name] = []  # a cumulative flag's defaults are replaced
            assert e.value is not None
            _store(ctx, c, e.value)
            seen.add(c.name)
        elif isinstance(c, Arg):
            assert e.value is not None
            _store(ctx, c, e.value)
        else:
            selected.append(c.name)
            last = c
    if last is not None and last.commands:
        raise ParseError(f"must select a subcommand of '{last.full_command()}'")
    return selected


def validate_required(ctx: Context) -> None:
    given = {e.clause.name for e in ctx.elements if isinstance(e.clause, Flag)}
    for f in ctx.long.values():
        if f.name not in given and f.required and not f.default:
            raise ParseError(f"required flag --{f.name} not provided")
    given_args = {e.clause.name for e in ctx.elements if isinstance(e.clause, Arg)}
    for a in ctx.args:
        if a.name not in given_args and a.required:
            raise ParseError(f"required argument '{a.name}' not provided")
