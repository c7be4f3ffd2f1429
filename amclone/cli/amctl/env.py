"""What every amctl action needs from the parsed command line: flag values, stdout/stderr,
the API client and the output formatter, and kingpin's way of failing.

amtool fails in two shapes: ``kingpin.Fatalf("%v\\n", err)`` for errors returned by actions
(message, then a blank line) and direct ``Fatalf("%s", ...)`` calls (no blank line). `Exit`
carries the status out to `main`, which is the only place that ends the process.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from amclone.cli.amctl.client import URL, APIError, Client, HTTPOptions, load_http_config
from amclone.cli.amctl.output import Formatter

AMTOOL_VERSION = "0.25.0"
APP_NAME = "amtool"  # a drop-in: messages and usage say what amtool's say
MISSING_URL = "required flag --alertmanager.url not provided"


class Exit(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class ActionError(Exception):
    """An error an action returns: printed by kingpin as ``amtool: error: <msg>`` + blank line."""


@dataclass
class Env:
    values: dict[str, Any] = field(default_factory=dict)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    elements: list[Any] = field(default_factory=list)  # the parse, for pre-actions

    def value(self, name: str) -> Any:
        return self.values.get(name)

    def arg(self, name: str) -> Any:
        return self.values.get("arg:" + name)

    def fatal(self, message: str, blank_line: bool = False) -> Exit:
        self.err.write(f"{APP_NAME}: error: {message}\n" + ("\n" if blank_line else ""))
        self.err.flush()
        return Exit(1)

    def formatter(self) -> Formatter:
        return Formatter(str(self.value("output") or "simple"), str(self.value("date.format")))

    @property
    def url(self) -> URL | None:
        value = self.value("alertmanager.url")
        return value if isinstance(value, URL) else None

    def client(self) -> Client:
        """NewAlertmanagerClient: auth checks, then (unless --no-version-check) a status call
        whose only possible effect is a warning about differing versions."""
        url = self.url
        if url is None:
            raise self.fatal(MISSING_URL)
        http_file = self.value("http.config.file")
        if url.user is not None and http_file:
            raise self.fatal("basic authentication and http.config.file are mutually exclusive")
        http: HTTPOptions | None = None
        if http_file:
            try:
                http = load_http_config(str(http_file))
            except Exception as e:  # noqa: BLE001  any unreadable or invalid file, as amtool
                raise self.fatal(f"failed to load HTTP config file: {e}") from None
        timeout_ns = self.value("timeout") or 30_000_000_000
        client = Client(url, timeout_ns / 1e9, http)
        if self.value("version-check"):
            try:
                # no context here in amtool: go-openapi's default 30s applies, not --timeout
                status = client.call("GET", "/status", "/status", timeout=30.0)
                version = str((status.get("versionInfo") or {}).get("version") or "")
            except (APIError, AttributeError):
                return client
            if version and _major_minor(version) != _major_minor(AMTOOL_VERSION):
                self.err.write(f"Warning: amtool version ({AMTOOL_VERSION}) and alertmanager "
                               f"version ({version}) are different.\n")
        return client


def _major_minor(version: str) -> str:
    """golang.org/x/mod/semver.MajorMinor("v"+version): "" for anything that is not semver."""
    import re

    m = re.fullmatch(r"(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?"
                     r"(?:\+[0-9A-Za-z.-]+)?)?)?", version)
    if m is None:
        return ""
    return f"v{m.group(1)}.{m.group(2) or '0'}"
