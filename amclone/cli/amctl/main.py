"""``amctl``: an amtool 0.25-compatible client. This is the composition of the command tree and
kingpin's ``Application.Parse`` sequence, which decides which of several problems is reported
and when help or the version wins; the commands themselves live in ``cmd_*``."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from amclone.cli.amctl import cmd_alert, cmd_config, cmd_silence, helptext
from amclone.cli.amctl.client import APIError
from amclone.cli.amctl.cmdline import (
    App,
    Command,
    Context,
    Flag,
    parse,
    set_defaults,
    set_values,
    validate_required,
)
from amclone.cli.amctl.cmdvalues import ParseError
from amclone.cli.amctl.env import AMTOOL_VERSION, APP_NAME, MISSING_URL, ActionError, Env, Exit
from amclone.cli.amctl.usage import render, render_long, render_man

LEGACY_KEYS = {"comment_required": "require-comment"}


def config_files() -> list[str]:
    """amtool's config files: upstream's locations, then the Debian build's; first key wins."""
    home = os.environ.get("HOME", "")
    return [f"{home}/.config/amtool/config.yml", f"{home}/.config/prometheus/amtool.yml",
            "/etc/amtool/config.yml", "/etc/prometheus/amtool.yml"]


def version_text() -> str:
    from amclone import __version__

    return (f"{APP_NAME}, version {AMTOOL_VERSION} (branch: amclone, revision: {__version__})\n"
            f"  build user:       amclone\n  build date:       unknown\n"
            f"  go version:       python{sys.version.split()[0]}\n  platform:         linux/amd64")


def build_app(argv: Sequence[str] = ("check",)) -> App:
    app = App(APP_NAME, helptext.ROOT)
    app.flag("date.format", "Format of date output", default=["2006-01-02 15:04:05 MST"])
    app.flag("verbose", "Verbose running information", kind="bool", short="v")
    app.flag("alertmanager.url", "Alertmanager to talk to", kind="url", default=["http://localhost:9093/"])
    app.flag("output", "Output formatter (simple, extended, json)", kind="enum", short="o",
             default=["simple"], options=("simple", "extended", "json"))
    app.flag("timeout", "Timeout for the executed command", kind="duration", default=["30s"])
    app.flag("http.config.file", "HTTP client configuration file for amtool to connect to Alertmanager.",
             kind="existingfile", placeholder="<filename>")
    app.flag("version-check", "Check alertmanager version. Use --no-version-check to disable.",
             kind="bool", default=["true"])
    app.flag("version", "Show application version.", kind="bool")
    # Newer amtool's matcher-parser switch; hidden so help stays 0.25's, where it does not exist.
    app.flag("enable-feature", "Experimental features to enable. The flag can be repeated to enable "
             "multiple features. Valid options: classic-mode, utf8-strict-mode", kind="strings", hidden=True)
    help_cmd = app.command("help", "Show help.")
    help_cmd.arg("command", "Show help on command.")
    cmd_alert.register(app)
    cmd_silence.register(app)
    cmd_config.register(app)
    if "check" in argv or "test" in argv:  # promtool's rule tools are heavy to import; only when asked for
        _register_extras(app)
    for path in (["alert"], ["silence"], ["config", "show"], ["cluster", "show"]):
        node: Command | None = app
        for name in path:
            node = node.lookup(name) if node is not None else None
        assert node is not None
        node.pre_action = require_url
    return app


def _settings(text: str) -> dict[str, str]:
    """yaml.v2 Unmarshal into map[string]string: scalars keep their text; other shapes fail
    with yaml.v2's messages."""
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("yaml: unmarshal errors:\n  " + _mismatch(root, "map[string]string"))  # noqa: TRY004
    out: dict[str, str] = {}
    errors = []
    for key, value in root.value:
        if not isinstance(value, yaml.ScalarNode):
            errors.append(_mismatch(value, "string"))
            continue
        out[str(key.value)] = "" if value.tag.endswith(":null") else str(value.value)
    if errors:
        raise ValueError("yaml: unmarshal errors:\n  " + "\n  ".join(errors))
    return out


def _mismatch(node: Any, target: str) -> str:
    import yaml

    tag = "!!" + str(node.tag).rsplit(":", 1)[-1]
    shown = f" `{node.value}`" if isinstance(node, yaml.ScalarNode) else ""
    return f"line {node.start_mark.line + 1}: cannot unmarshal {tag}{shown} into {target}"


def _register_extras(app: App) -> None:
    """amclone's own subcommands (``check rules``, promtool's rule checks): hidden, so help
    stays byte-identical to amtool's."""
    from amclone.cli.amctl import check_rules, receiver_test, test_rules

    check_rules.register(app)
    test_rules.register(app)
    receiver_test.register(app)  # "amctl receiver test RECEIVER" (argv holds "test")
    for name in ("check", "test"):
        cmd = app.lookup(name)
        if cmd is not None:
            cmd.hidden = True
            for sub in cmd.commands:
                sub.hidden = True


def read_config_files(env: Env) -> dict[str, str]:
    import yaml

    flags: dict[str, str] = {}
    for path in config_files():
        try:
            with open(path, encoding="utf-8") as fh:
                data = _settings(fh.read())
        except FileNotFoundError:
            continue
        except (OSError, ValueError, yaml.YAMLError) as e:
            raise env.fatal(f"could not load config file: {e}\n") from None
        for key, value in data.items():
            if key in LEGACY_KEYS:
                if LEGACY_KEYS[key] in data:
                    continue
                key = LEGACY_KEYS[key]
            flags.setdefault(key, value)
    return flags


def _bind(app: App, ctx: Context, flags: dict[str, str]) -> None:
    """config.Resolver.Bind: file values become defaults of global flags and of the selected
    (innermost) command's own flags."""
    scopes = [app.flags] + ([ctx.selected.flags] if ctx.selected is not None else [])
    for scope in scopes:
        for f in scope:
            if f.name in flags:
                f.default = [flags[f.name]]


def require_url(env: Env) -> None:
    """requireAlertManagerURL, a pre-action of alert, silence, config show and cluster show: it
    runs before value errors are reported, so a bad --alertmanager.url reads as a missing one."""
    if any(e.clause.name == "help" for e in env.elements if isinstance(e.clause, Flag)):
        return
    if env.url is None:
        raise env.fatal(MISSING_URL)


KNOWN_FEATURES = ("receiver-name-in-metrics", "classic-mode", "utf8-strict-mode", "auto-gomemlimit",
                  "auto-gomaxprocs", "alert-names-in-metrics", "group-key-in-metrics", "event-recorder")


def apply_features(env: Env) -> None:
    """--enable-feature as Alertmanager 0.27+'s featurecontrol reads it; 0.25's classic matcher
    parser stays the default when no mode is named."""
    from amclone.labels.parse import set_mode

    features = [f for value in env.value("enable-feature") or [] for f in str(value).split(",") if f]
    for feature in features:
        if feature not in KNOWN_FEATURES:
            raise env.fatal(f"Unknown option '{feature}' for --enable-feature", blank_line=True)
    if "classic-mode" in features and "utf8-strict-mode" in features:
        raise env.fatal("cannot have both classic and UTF-8 modes enabled", blank_line=True)
    set_mode("utf8" if "utf8-strict-mode" in features else "classic")


def _help(app: App, env: Env, args: list[str]) -> Exit:
    ctx, err = parse(app, args, ignore_default=True)
    if err is not None:
        return env.fatal(str(err))
    env.out.write(render(ctx))
    return Exit(0)


def run(argv: list[str], env: Env) -> int:
    app = build_app(argv)
    flags = read_config_files(env)
    ctx, err = parse(app, argv)
    if err is not None:
        raise env.fatal(str(err), blank_line=True)
    _bind(app, ctx, flags)
    ctx, parse_err = parse(app, argv)
    try:
        set_defaults(ctx)
    except ParseError as e:
        raise env.fatal(str(e), blank_line=True) from None
    values_err: ParseError | None = None
    try:
        set_values(ctx)
    except ParseError as e:
        values_err = e
    env.values = ctx.values
    env.elements = ctx.elements
    for element in ctx.elements:
        if isinstance(element.clause, Flag) and element.clause.name == "version":
            env.out.write(version_text() + "\n")
            raise Exit(0)
        if isinstance(element.clause, Flag) and element.clause.name == "help-man":
            env.out.write(render_man(app, version_text()))
            raise Exit(0)
        if isinstance(element.clause, Flag) and element.clause.name == "help-long":
            env.out.write(render_long(ctx))
            raise Exit(0)
        if element.clause is app.lookup("help"):
            raise _help(app, env, [str(a) for a in ctx.values.get("arg:command") or []])
        if isinstance(element.clause, Command) and element.clause.pre_action is not None:
            element.clause.pre_action(env)
    if parse_err is not None:
        raise env.fatal(str(parse_err), blank_line=True)
    if any(isinstance(e.clause, Flag) and e.clause.name == "help" for e in ctx.elements):
        raise _help(app, env, argv)
    if values_err is not None:
        raise env.fatal(str(values_err), blank_line=True)
    try:
        validate_required(ctx)
    except ParseError as e:
        raise env.fatal(str(e), blank_line=True) from None
    actions = [e.clause.action for e in ctx.elements
               if isinstance(e.clause, Command) and e.clause.action is not None]
    if ctx.selected is None:
        env.out.write(render(ctx))
        return 0
    apply_features(env)
    try:
        for action in actions:
            action(env)
    except (ActionError, APIError, ParseError) as e:
        raise env.fatal(str(e), blank_line=True) from None
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    import signal

    # Like a Go program: a closed pipe (amctl ... | head) ends the process quietly with SIGPIPE.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    env = Env()
    args: Any = list(sys.argv[1:] if argv is None else argv)
    try:
        code = run(args, env)
    except Exit as e:
        code = e.code
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = 1
    sys.stdout.flush()
    raise SystemExit(code)


if __name__ == "__main__":
    main()
