"""``amctl test rules``: promtool 2.42's ``test rules`` (output streams, blank lines, exit codes).

For each file promtool prints ``Unit Testing:  <file>`` on stdout, then either ``  SUCCESS`` on
stdout or ``  FAILED:`` and every error on stderr, each error followed by a blank line that goes
to *stdout*; then one more blank line on stdout. Exit 1 if any file failed. The tests themselves
run in `amclone.rules.unittest_runner`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from amclone.rules.unittest_format import UnitTestFormatError, load_file
from amclone.rules.unittest_runner import run_test_group

if TYPE_CHECKING:
    from amclone.cli.amctl.cmdline import App
    from amclone.cli.amctl.env import Env

SUCCESS, FAILURE = 0, 1


def file_errors(path: str, err: TextIO) -> list[str]:
    """``ruleUnitTest``: every error of one file (warnings go out on stderr as they arise)."""
    try:
        ut = load_file(path)
    except UnitTestFormatError as e:
        return [str(e)]
    for w in ut.warnings:
        err.write(w + "\n")
    errors: list[str] = []
    for tg in ut.tests:
        errors.extend(run_test_group(tg, ut))
    return errors


def run(paths: list[str], out: TextIO, err: TextIO) -> int:
    failed = False
    for path in paths:
        out.write(f"Unit Testing:  {path}\n")
        out.flush()
        errors = file_errors(path, err)
        if errors:
            err.write("  FAILED:\n")
            for e in errors:
                err.write(e + "\n")
                err.flush()
                out.write("\n")
                out.flush()
            failed = True
        else:
            out.write("  SUCCESS\n")
        out.write("\n")
    out.flush()
    return FAILURE if failed else SUCCESS


def action(env: Env) -> None:
    from amclone.cli.amctl.env import Exit

    code = run(list(env.arg("test-rule-file") or []), env.out, env.err)
    if code:
        raise Exit(code)


def register(app: App) -> None:
    """Adds ``test rules`` to amctl's command tree (promtool's arguments)."""
    test = app.lookup("test") or app.command("test", "Unit testing.")
    rules = test.command("rules", "Unit tests for rules.")
    rules.arg("test-rule-file", "The unit test file.", kind="existingfiles", required=True)
    rules.action = action
