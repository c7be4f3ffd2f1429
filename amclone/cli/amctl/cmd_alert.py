"""``alert query`` and ``alert add`` (amtool 0.25 cli/alert_*.go), including amtool's guess
that a first argument which does not parse as a matcher is an alertname."""

from __future__ import annotations

from typing import Any

from amclone.cli.amctl import helptext
from amclone.cli.amctl.cmdline import App, Command
from amclone.cli.amctl.env import ActionError, Env
from amclone.cli.amctl.golayout import parse_rfc3339
from amclone.compat.timefmt import format_millis
from amclone.labels.matcher import MatcherParseError, MatchType
from amclone.labels.parse import parse_matcher
from amclone.timeutil import ZERO_TIME


def first_as_alertname(args: list[str]) -> list[str]:
    """amtool: if the first argument is not a matcher, it is the value of alertname."""
    if args:
        try:
            parse_matcher(args[0])
        except MatcherParseError:
            return [f"alertname={args[0]}", *args[1:]]
    return args


def parse_labels(args: list[str]) -> dict[str, str]:
    """cli.parseLabels: every argument must be a ``name=value`` matcher."""
    labels: dict[str, str] = {}
    for text in args:
        try:
            m = parse_matcher(text)
        except MatcherParseError as e:
            raise ActionError(str(e)) from None
        if m.type is not MatchType.EQUAL:
            raise ActionError("labels must be specified as key=value pairs")
        labels[m.name] = m.value
    return labels


def go_time(text: str) -> int:
    try:
        return parse_rfc3339(text)
    except ValueError as e:
        raise ActionError(str(e)) from None


def query(env: Env) -> None:
    matchers = first_as_alertname(list(env.arg("matcher-groups") or []))
    states = {k: bool(env.value(k)) for k in ("active", "silenced", "inhibited", "unprocessed")}
    if not any(states.values()):
        states["active"] = True
    params: list[tuple[str, str]] = [("active", _b(states["active"]))]
    params += [("filter", m) for m in matchers]
    params.append(("inhibited", _b(states["inhibited"])))
    if env.value("receiver"):
        params.append(("receiver", str(env.value("receiver"))))
    params += [("silenced", _b(states["silenced"])), ("unprocessed", _b(states["unprocessed"]))]
    alerts = env.client().call("GET", "/alerts", "/alerts", params)
    env.out.write(env.formatter().alerts(alerts or []))


def _b(v: bool) -> str:
    return "true" if v else "false"


def add(env: Env) -> None:
    args = list(env.arg("labels") or [])
    if args:
        try:
            parse_labels(args[:1])
        except ActionError:
            args[0] = f"alertname={args[0]}"
    labels = parse_labels(args)
    annotations = parse_labels(list(env.value("annotation") or []))
    starts = go_time(env.value("start")) if env.value("start") else ZERO_TIME
    ends = go_time(env.value("end")) if env.value("end") else ZERO_TIME
    alert: dict[str, Any] = {"labels": labels, "annotations": annotations,
                             "startsAt": format_millis(starts), "endsAt": format_millis(ends)}
    if env.value("generator-url"):
        alert["generatorURL"] = env.value("generator-url")
    env.client().call("POST", "/alerts", "/alerts", body=[alert])


def register(app: App) -> Command:
    alert = app.command("alert", "Add or query alerts.")
    q = alert.command("query", helptext.ALERT_QUERY, default=True)
    q.flag("inhibited", "Show inhibited alerts", kind="bool", short="i")
    q.flag("silenced", "Show silenced alerts", kind="bool", short="s")
    q.flag("active", "Show active alerts", kind="bool", short="a")
    q.flag("unprocessed", "Show unprocessed alerts", kind="bool", short="u")
    q.flag("receiver", "Show alerts matching receiver (Supports regex syntax)", short="r")
    q.arg("matcher-groups", "Query filter")
    q.action = query
    a = alert.command("add", helptext.ALERT_ADD)
    a.arg("labels", "List of labels to be included with the alert")
    a.flag("generator-url", "Set the URL of the source that generated the alert")
    a.flag("start", "Set when the alert should start. RFC3339 format 2006-01-02T15:04:05-07:00")
    a.flag("end", "Set when the alert should should end. RFC3339 format 2006-01-02T15:04:05-07:00")
    a.flag("annotation", "Set an annotation to be included with the alert", kind="strings")
    a.action = add
    return alert
