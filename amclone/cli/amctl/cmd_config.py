"""``config show``, ``config routes show|test``, ``cluster show``, and the two subcommands whose
bodies live elsewhere: ``check-config`` (``check_config.run``) and ``template render`` (a hook
for the template session's ``template_render.run``).

Routes come from ``--config.file`` or the server's ``/api/v2/status`` config, built with the
same route tree the dispatcher uses, so ``routes test`` answers what amclone would do.
"""

from __future__ import annotations

import importlib
from typing import Any

from amclone.cli.amctl import helptext
from amclone.cli.amctl.cmd_alert import parse_labels
from amclone.cli.amctl.cmdline import App, Command
from amclone.cli.amctl.env import ActionError, Env, Exit
from amclone.cli.amctl.layout import Tree
from amclone.dispatch.route import Route, RouteSpec
from amclone.labels.matcher import matchers_string


def _status(env: Env) -> dict[str, Any]:
    status = env.client().call("GET", "/status", "/status")
    return status if isinstance(status, dict) else {}


def show_config(env: Env) -> None:
    env.out.write(env.formatter().config(_status(env)))


def show_cluster(env: Env) -> None:
    env.out.write(env.formatter().cluster(_status(env).get("cluster") or {}))


def _route_from_text(text: str, path: str) -> Route:
    """The config package's loader when present (full validation, Alertmanager's errors);
    otherwise the route section read directly."""
    try:
        config = importlib.import_module("amclone.config")
        load = getattr(config, "load_file" if path else "load")
    except (ImportError, AttributeError):
        import yaml

        data = yaml.safe_load(text) or {}
        return Route.from_config(RouteSpec.from_yaml(data.get("route") or {}))
    cfg = load(path) if path else load(text)
    return Route.from_config(cfg.route)


def load_route(env: Env, blank_line: bool) -> Route:
    """cli.loadAlertmanagerConfig; failures end the command the way each caller's Fatalf does."""
    config_file = env.value("config.file") or ""
    if env.url is not None and config_file:
        env.err.write("Warning: --config.file flag overrides the --alertmanager.url.\n")
    if env.url is None and not config_file:
        raise env.fatal("You have to specify one of --config.file or --alertmanager.url flags.")
    try:
        if config_file:
            with open(config_file, encoding="utf-8", errors="surrogateescape") as fh:
                return _route_from_text(fh.read(), config_file)
        original = ((_status(env).get("config") or {}).get("original")) or ""
        return _route_from_text(str(original), "")
    except Exit:
        raise
    except Exception as e:  # noqa: BLE001  ConfigError, APIError, YAML: reported as amtool does
        raise env.fatal(str(e), blank_line) from None


def _slug(route: Route, show_continue: bool, show_receiver: bool) -> str:
    text = matchers_string(route.matchers) if route.matchers else "default-route"
    if route.continue_ and show_continue:
        text += "  continue: true"
    if show_receiver:
        text += "  receiver: " + route.opts.receiver
    return text


def _full_tree(route: Route, tree: Tree) -> None:
    branch = tree.add_branch(_slug(route, True, True))
    for child in route.routes:
        _full_tree(child, branch)


def _matching_tree(route: Route, tree: Tree, labels: dict[str, str]) -> None:
    branch = tree.add_branch(_slug(route, False, False))
    final = True
    for child in route.routes:
        if child.matchers_match(labels):
            _matching_tree(child, branch, labels)
            final = False
            if not child.continue_:
                break
    if final:
        branch.value = _slug(route, False, True)


def routes_show(env: Env) -> None:
    route = load_route(env, blank_line=False)
    tree = Tree()
    _full_tree(route, tree)
    env.out.write("Routing tree:\n" + tree.render() + "\n")


def routes_test(env: Env) -> None:
    route = load_route(env, blank_line=True)
    try:
        labels = parse_labels(list(env.arg("labels") or []))
    except ActionError as e:
        raise env.fatal(f"Failed to parse labels: {e}", blank_line=True) from None
    if env.value("tree"):
        tree = Tree()
        _matching_tree(route, tree, labels)
        env.out.write("Matching routes:\n" + tree.render() + "\n\n")
    receivers = ",".join(r.opts.receiver for r in route.match(labels))
    env.out.write(receivers + "\n")
    expected = env.value("verify.receivers") or ""
    if expected and expected != receivers:
        env.out.write("WARNING: Expected receivers did not match resolved receivers.\n")
        raise Exit(1)


def check_config(env: Env) -> None:
    module = importlib.import_module("amclone.cli.amctl.check_config")
    code = int(module.run(list(env.arg("check-files") or []), env.out, env.err))
    if code:
        raise Exit(code)


def template_render(env: Env) -> None:
    """Hook: the template session provides ``amclone.cli.amctl.template_render.run``."""
    try:
        module = importlib.import_module("amclone.cli.amctl.template_render")
    except ImportError:
        raise ActionError("template render is not implemented in amctl yet") from None
    try:
        module.run(globs=list(env.value("template.glob") or []), text=env.value("template.text"),
                   kind=env.value("template.type") or "text", data_file=env.value("template.data"),
                   out=env.out)
    except (Exit, ActionError):
        raise
    except Exception as e:  # noqa: BLE001  template errors carry Go's text; amtool prints them
        raise ActionError(str(e)) from None


def register(app: App) -> None:
    cc = app.command("check-config", helptext.CHECK_CONFIG)
    cc.arg("check-files", "Files to be validated", kind="existingfiles")
    cc.action = check_config
    cluster = app.command("cluster", "View cluster status and peers.")
    cluster.command("show", "View cluster status and peers.", default=True).action = show_cluster
    config = app.command("config", helptext.CONFIG)
    config.command("show", helptext.CONFIG, default=True).action = show_config
    routes: Command = config.command("routes", helptext.ROUTES)
    routes.command("show", helptext.ROUTES, default=True).action = routes_show
    routes.flag("config.file", "Config file to be tested.", kind="existingfile")
    test = routes.command("test", helptext.ROUTES_TEST)
    test.flag("verify.receivers", "Checks if specified receivers matches resolved receivers. The command "
              "fails if the labelset does not route to the specified receivers.")
    test.flag("tree", "Prints out matching routes tree.", kind="bool")
    test.arg("labels", "List of labels to be tested against the configured routes.")
    test.action = routes_test
    template = app.command("template", "Render template files.")
    render = template.command("render", "Render a given definition in a template file to standard output.")
    render.flag("template.glob", "Glob of paths that will be expanded and used for rendering.",
                kind="strings", required=True)
    render.flag("template.text", "The template that will be rendered.", required=True)
    render.flag("template.type", "The type of the template. Can be either text (default) or html.",
                kind="enum", options=("html", "text"))
    render.flag("template.data", "Full path to a file which contains the data of the alert(-s) with which "
                "the --template.text will be rendered. Must be in JSON. File must be formatted according "
                "to the following layout: https://pkg.go.dev/github.com/prometheus/alertmanager/template#Data. "
                "If none has been specified then a predefined, simple alert will be used for rendering.",
                kind="file")
    render.action = template_render
