"""kingpin's parse rules as amctl implements them."""

from __future__ import annotations

import pytest

from amclone.cli.amctl.cmdline import parse, set_defaults, set_values
from amclone.cli.amctl.main import build_app


def values(*argv: str) -> dict[str, object]:
    ctx, err = parse(build_app(), list(argv))
    assert err is None
    set_defaults(ctx)
    set_values(ctx)
    return ctx.values


def test_default_subcommands() -> None:
    ctx, err = parse(build_app(), ["silence"])
    assert err is None and ctx.selected is not None and ctx.selected.full_command() == "silence query"


def test_flag_forms() -> None:
    v = values("-o", "json", "silence", "query", "-q", "--within=1h", "--no-version-check", "a=b")
    assert v["output"] == "json" and v["quiet"] is True and v["within"] == 3600 * 10**9
    assert v["version-check"] is False and v["arg:matcher-groups"] == ["a=b"]


def test_bundled_short_flags() -> None:
    v = values("alert", "query", "-asi")
    assert v["active"] is v["silenced"] is v["inhibited"] is True


@pytest.mark.parametrize("argv, message", [
    (["bogus"], 'expected command but got "bogus"'),
    (["silence", "add", "--foo"], "unknown long flag '--foo'"),
    (["--timeout"], "expected argument for flag '--timeout'"),
    (["config", "show", "x"], "unexpected x"),
])
def test_errors(argv: list[str], message: str) -> None:
    _, err = parse(build_app(), argv)
    assert str(err) == message
