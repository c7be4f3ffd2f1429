"""Help, version and command-line errors: no server involved, everything byte for byte."""

from __future__ import annotations

import pytest
from amctl_harness import Tools

COMMANDS = ["", "help", "alert", "alert query", "alert add", "silence", "silence add", "silence expire",
            "silence import", "silence query", "silence update", "config", "config show", "config routes",
            "config routes show", "config routes test", "cluster", "cluster show", "template",
            "template render", "check-config"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_command(tools: Tools, command: str) -> None:
    tools.same("help", *command.split())


@pytest.mark.parametrize("command", COMMANDS)
def test_help_flag(tools: Tools, command: str) -> None:
    tools.same(*command.split(), "--help")


@pytest.mark.parametrize("args", [
    [], ["-h"], ["--help-long"], ["silence", "--help-long", "--bad"], ["bogus"], ["help", "bogus"], ["help", "silence", "bogus"],
    ["silence", "add", "--foo"], ["silence", "-x"], ["-o", "foo", "config"], ["--output=yaml"],
    ["--timeout=x", "config"], ["--timeout"], ["config", "routes", "test", "--config.file=/nonexistent"],
    ["config", "routes", "--config.file=/tmp"], ["silence", "query", "--within=3x"],
    ["silence", "import", "-w", "x"], ["silence", "query", "--expired", "--expired"],
    ["--no-output", "config"], ["template", "render", "--template.glob=x"],
    ["check-config", "/nonexistent"], ["--http.config.file=/nonexistent", "config"],
    ["--alertmanager.url=::", "config"], ["silence", "add", "-d"], ["--", "silence"],
    ["silence", "query", "--", "--x"], ["-vq"], ["alert", "query", "-asx"], ["@"],
    ["@/nonexistent"], ["silence", "--help", "--bad"], ["silence", "--bad", "--help"],
    ["config", "routes", "show", "extra"], ["--alertmanager.url=http://[::1", "config"],
    ["--alertmanager.url=%zz", "config", "routes"], ["--alertmanager.url=localhost:9093", "config"],
    ["--alertmanager.url=ftp://x/", "silence"], ["--alertmanager.url=http://a b/", "alert"],
])
def test_command_line_errors(tools: Tools, args: list[str]) -> None:
    tools.same(*args)


def test_required_flags_in_any_order(tools: Tools) -> None:
    """kingpin walks a Go map for required flags, so amtool names either one first."""
    a, c = tools.both("template", "render")
    assert (c.code, c.stdout) == (a.code, a.stdout) == (1, "")
    assert c.stderr in ("amtool: error: required flag --template.glob not provided\n\n",
                        "amtool: error: required flag --template.text not provided\n\n")


def test_version_shape(tools: Tools) -> None:
    a, c = tools.both("--version")
    assert (c.code, c.stderr) == (a.code, a.stderr) == (0, "")
    assert c.stdout.splitlines()[0].startswith("amtool, version 0.25.0 ")
    assert len(c.stdout.splitlines()) == len(a.stdout.splitlines())


def test_width_from_columns(tools: Tools, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tools.env

    def narrow() -> dict[str, str]:
        return {**base(), "COLUMNS": "50"}

    monkeypatch.setattr(tools, "env", narrow)
    tools.same("help", "silence", "query")


@pytest.mark.parametrize("args", [["--help-man"], ["silence", "--help-man"]])
def test_man_page(tools: Tools, args: list[str]) -> None:
    """Identical but for the .TH line, which embeds the build's version text."""
    a, c = tools.both(*args)
    assert (c.code, c.stderr) == (a.code, a.stderr) == (0, "")
    body = c.stdout.split('.SH "NAME"', 1)
    assert body[0].startswith(".TH amtool 1 amtool, version 0.25.0 ")
    assert body[1] == a.stdout.split('.SH "NAME"', 1)[1]
