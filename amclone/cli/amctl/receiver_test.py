"""``amctl receiver test RECEIVER`` (beyond amtool): send one test notification through every
integration of one receiver of a config file and say what happened to each.

It builds the integrations exactly as the server does (the config's templates, global
fallbacks, http_config, the registry's classes) and calls each once, without the retry stage,
so the answer is immediate: ``ok``, or the error with whether Alertmanager would retry it.
The test alert is ``alertname=TestAlert`` plus any ``--label``; ``--resolved`` sends it resolved.
Exit status 0 when every integration delivered, 1 otherwise, 2 for a bad config or receiver.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from amclone.cli.amctl.cmdline import App
    from amclone.cli.amctl.env import Env

__all__ = ["register", "run"]

OK, FAILED, USAGE = 0, 1, 2
NS = 1_000_000_000


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="amctl receiver test", add_help=False)
    p.add_argument("receiver")
    p.add_argument("--config.file", dest="config_file", default="alertmanager.yml")
    p.add_argument("--label", action="append", default=[], help="name=value, repeatable")
    p.add_argument("--resolved", action="store_true")
    p.add_argument("--external-url", dest="external_url", default="http://localhost:9093")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per integration")
    p.add_argument("--extended", action="store_true", help="accept newer Alertmanager's config keys")
    return p


def _load(path: str, extended: bool) -> Any:
    from amclone import config as amconfig

    try:
        return amconfig.load_file(path)
    except amconfig.ConfigError:
        if extended:
            return amconfig.load_file(path, extended=True)
        raise


def _test_alert(labels: dict[str, str], resolved: bool, now: int) -> Any:
    from amclone.alerts import Alert

    starts = now - 60 * NS
    ends = now - NS if resolved else now + 300 * NS
    return Alert(labels=labels, annotations={"summary": "Test notification from amctl receiver test"},
                 starts_at=starts, ends_at=ends, updated_at=now, generator_url="", timeout=False)


async def _run(opts: argparse.Namespace, cfg: Any, rcv: Any, out: TextIO) -> int:
    from amclone.notify.integrations import factories
    from amclone.notify.pipeline import build_integrations
    from amclone.notify.stage import NotifyContext
    from amclone.template import from_globs
    from amclone.timeutil import SystemClock

    clock = SystemClock()
    template = from_globs(*cfg.templates)
    integrations = build_integrations(rcv, opts.external_url, clock, factories(template, opts.external_url, clock))
    if not integrations:
        out.write(f"receiver {rcv.name} has no integrations: nothing to send\n")
        return OK
    labels = {"alertname": "TestAlert"}
    for item in opts.label:
        k, _, v = item.partition("=")
        labels[k] = v
    now = time.time_ns()
    alert = _test_alert(labels, opts.resolved, now)
    ctx = NotifyContext(group_key="{}/{}:{alertname=\"TestAlert\"}", group_labels={"alertname": "TestAlert"},
                        receiver=rcv.name, repeat_interval=0, now=now, deadline=now + int(opts.timeout * NS))
    failed = False
    for integ in integrations:
        if opts.resolved and not integ.send_resolved:
            out.write(f"{integ}: skipped (send_resolved is false)\n")
            continue
        started = time.monotonic()
        try:
            async with asyncio.timeout(opts.timeout):
                retry, err = await integ.notifier.notify(ctx, [alert])
        except TimeoutError:
            retry, err = True, RuntimeError("context deadline exceeded")
        took = time.monotonic() - started
        if err is None:
            out.write(f"{integ}: ok ({took:.2f}s)\n")
        else:
            failed = True
            kind = "retryable" if retry else "unrecoverable"
            out.write(f"{integ}: failed ({kind}, {took:.2f}s): {err}\n")
        close = getattr(integ.notifier, "close", None)
        if close is not None:
            await close()
    return FAILED if failed else OK


def run(args: Sequence[str], out: TextIO, err: TextIO) -> int:
    try:
        opts = _parser().parse_args(list(args))
    except SystemExit:
        err.write("usage: amctl receiver test RECEIVER [--config.file=FILE] [--label=k=v ...] [--resolved]\n")
        return USAGE
    from amclone import config as amconfig

    try:
        cfg = _load(opts.config_file, opts.extended)
    except (amconfig.ConfigError, OSError) as e:
        err.write(f"error loading {opts.config_file}: {e}\n")
        return USAGE
    rcv = next((r for r in cfg.receivers if r.name == opts.receiver), None)
    if rcv is None:
        names = ", ".join(r.name for r in cfg.receivers)
        err.write(f"receiver {opts.receiver!r} not found in {opts.config_file} (receivers: {names})\n")
        return USAGE
    from amclone.template import TemplateError

    try:
        return asyncio.run(_run(opts, cfg, rcv, out))
    except TemplateError as e:
        err.write(f"failed to parse templates: {e}\n")
        return USAGE


def register(app: App) -> None:
    """Adds ``receiver test`` to amctl's command tree (for main.py's extras)."""
    receiver = app.lookup("receiver") or app.command("receiver", "Receiver tools (amclone).")
    cmd = receiver.command("test", "Send a test notification through one receiver.")
    cmd.arg("receiver", "Receiver name.", required=True)
    cmd.flag("config.file", "Alertmanager configuration file.", default=["alertmanager.yml"])
    cmd.action = _action


def _action(env: Env) -> None:
    from amclone.cli.amctl.env import Exit

    def one(v: Any) -> str:
        return str(v[0] if isinstance(v, list) and v else v)

    args = [one(env.arg("receiver")), f"--config.file={one(env.value('config.file'))}"]
    code = run(args, env.out, env.err)
    if code:
        raise Exit(code)
