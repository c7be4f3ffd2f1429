"""``silence add|expire|import|query|update`` (amtool 0.25 cli/silence_*.go).

Kept faithful where amtool is odd, because scripts depend on what it prints: ``update -q``
prints Go pointers (it passes a *string to Println), ``import`` posts with N workers so its
output order is not fixed, and a silence id unknown to the server is retried as a new silence.
"""

from __future__ import annotations

import os
import time
import urllib.parse

from amclone.cli.amctl import cmd_import, helptext
from amclone.cli.amctl.cmd_alert import first_as_alertname, go_time
from amclone.cli.amctl.cmdline import App, Command
from amclone.cli.amctl.env import ActionError, Env
from amclone.cli.amctl.output import go_pointer
from amclone.compat.duration import DurationError, parse_model_duration
from amclone.compat.timefmt import format_millis, parse_rfc3339
from amclone.labels.matcher import MatcherParseError
from amclone.labels.parse import parse_matcher


def username() -> str:
    """os/user.Current().Username, which amtool's Go build reads from /etc/passwd."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, ImportError):
        return ""


def _duration(text: str) -> int:
    try:
        d = parse_model_duration(text)
    except DurationError as e:
        raise ActionError(str(e)) from None
    if d == 0:
        raise ActionError("silence duration must be greater than 0")
    return d


def add(env: Env) -> None:
    args = first_as_alertname(list(env.arg("matcher-groups") or []))
    try:
        matchers = [parse_matcher(a) for a in args]
    except MatcherParseError as e:
        raise ActionError(str(e)) from None
    if not matchers:
        raise ActionError("no matchers specified")
    starts = go_time(env.value("start")) if env.value("start") else time.time_ns()
    ends = go_time(env.value("end")) if env.value("end") else starts + _duration(str(env.value("duration")))
    if starts > ends:
        raise ActionError("silence cannot start after it ends")
    comment = env.value("comment") or ""
    if env.value("require-comment") and comment == "":
        raise ActionError("comment required by config")
    author = env.value("author")
    body = {
        "matchers": [{"isEqual": m.type.is_equal, "isRegex": m.type.is_regex, "name": m.name,
                      "value": m.value} for m in matchers],
        "startsAt": format_millis(starts), "endsAt": format_millis(ends),
        "createdBy": username() if author is None else author, "comment": comment,
    }
    result = env.client().call("POST", "/silences", "/silences", body=body)
    env.out.write(f"{result['silenceID']}\n")


def _path(silence_id: str) -> str:
    return "/silence/" + urllib.parse.quote(silence_id, safe="")


def expire(env: Env) -> None:
    ids = list(env.arg("silence-ids") or [])
    if not ids:
        raise ActionError("no silence IDs specified")
    client = env.client()
    for sid in ids:
        client.call("DELETE", "/silence/{silenceID}", _path(sid))


def query(env: Env) -> None:
    matchers = first_as_alertname(list(env.arg("matcher-groups") or []))
    silences = env.client().call("GET", "/silences", "/silences", [("filter", m) for m in matchers]) or []
    now = time.time_ns()
    expired, within = bool(env.value("expired")), int(env.value("within") or 0)
    created_by = env.value("created-by") or ""
    shown = []
    for s in silences:
        ends = parse_rfc3339(s["endsAt"])
        if not expired and ends < now:
            continue
        if expired and ends > now:
            continue
        if not expired and within > 0 and ends > now + within:
            continue
        if expired and within > 0 and ends < now - within:
            continue
        if created_by and s.get("createdBy") != created_by:
            continue
        shown.append(s)
    if env.value("quiet"):
        env.out.write("".join(f"{s['id']}\n" for s in shown))
    else:
        env.out.write(env.formatter().silences(shown))


def update(env: Env) -> None:
    ids = list(env.arg("update-ids") or [])
    if not ids:
        raise ActionError("no silence IDs specified")
    client = env.client()
    updated = []
    for sid in ids:
        sil = client.call("GET", "/silence/{silenceID}", _path(sid))
        if env.value("start"):
            sil["startsAt"] = format_millis(go_time(env.value("start")))
        if env.value("end"):
            sil["endsAt"] = format_millis(go_time(env.value("end")))
        elif env.value("duration"):
            d = _duration(str(env.value("duration")))
            sil["endsAt"] = format_millis(parse_rfc3339(sil["startsAt"]) + d)
        if parse_rfc3339(sil["startsAt"]) > parse_rfc3339(sil["endsAt"]):
            raise ActionError("silence cannot start after it ends")
        if env.value("comment"):
            sil["comment"] = env.value("comment")
        body = {k: sil.get(k) for k in ("id", "matchers", "startsAt", "endsAt", "createdBy", "comment")}
        env.client()  # amtool builds (and version-checks) a second client per silence
        sil["id"] = client.call("POST", "/silences", "/silences", body=body)["silenceID"]
        updated.append(sil)
    if env.value("quiet"):
        env.out.write("".join(go_pointer() + "\n" for _ in updated))
    else:
        env.out.write(env.formatter().silences(updated))


def register(app: App) -> Command:
    silence = app.command(
        "silence", "Add, expire or view silences. For more information and additional flags see query help")
    a = silence.command("add", helptext.SILENCE_ADD)
    a.flag("author", "Username for CreatedBy field", short="a")
    a.flag("require-comment", "Require comment to be set", kind="bool", hidden=True, default=["true"])
    a.flag("duration", "Duration of silence", short="d", default=["1h"])
    a.flag("start", "Set when the silence should start. RFC3339 format 2006-01-02T15:04:05-07:00")
    a.flag("end", "Set when the silence should end (overwrites duration). RFC3339 format "
           "2006-01-02T15:04:05-07:00")
    a.flag("comment", "A comment to help describe the silence", short="c")
    a.arg("matcher-groups", "Query filter")
    a.action = add
    e = silence.command("expire", "expire an alertmanager silence")
    e.arg("silence-ids", "Ids of silences to expire")
    e.action = expire
    i = silence.command("import", helptext.SILENCE_IMPORT)
    i.flag("force", "Force adding new silences even if it already exists", kind="bool", short="f")
    i.flag("worker", "Number of concurrent workers to use for import", kind="int", short="w", default=["8"])
    i.arg("input-file", "JSON file with silences", kind="existingfile")
    i.action = cmd_import.bulk_import
    q = silence.command("query", helptext.SILENCE_QUERY, default=True)
    q.flag("expired", "Show expired silences instead of active", kind="bool")
    q.flag("quiet", "Only show silence ids", kind="bool", short="q")
    q.flag("created-by", "Show silences that belong to this creator")
    q.arg("matcher-groups", "Query filter")
    q.flag("within", "Show silences that will expire or have expired within a duration", kind="duration")
    q.action = query
    u = silence.command("update", "Update silences")
    u.flag("quiet", "Only show silence ids", kind="bool", short="q")
    u.flag("duration", "Duration of silence", short="d")
    u.flag("start", "Set when the silence should start. RFC3339 format 2006-01-02T15:04:05-07:00")
    u.flag("end", "Set when the silence should end (overwrites duration). RFC3339 format "
           "2006-01-02T15:04:05-07:00")
    u.flag("comment", "A comment to help describe the silence", short="c")
    u.arg("update-ids", "Silence IDs to update")
    u.action = update
    return silence
