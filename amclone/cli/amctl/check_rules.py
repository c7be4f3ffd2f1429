"""``amctl check rules``: promtool 2.42's ``check rules`` (output, exit codes, ``--lint``).

promtool prints ``Checking <file>`` and a blank line to stdout for every file, the verdict in
between: ``  SUCCESS: N rules found`` on stdout, or ``  FAILED:`` and one error per line on
stderr. Exit 1 if any file had a real error; a lint finding alone (duplicate rules, on by default)
prints ``FAILED`` too but exits 0, or 3 with ``--lint-fatal``. ``--extensions`` (amclone's own,
off by default so verdicts stay promtool's) checks a file the way amclone itself loads it: the
group fields ``query_offset``, ``labels`` and ``evaluation: on_write`` are accepted and
expressions are read with the Prometheus 3 grammar amclone's engine runs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from amclone.rules.rulefmt import RuleGroup, parse_file

if TYPE_CHECKING:
    from amclone.cli.amctl.cmdline import App
    from amclone.cli.amctl.env import Env

LINT_OPTIONS = ("all", "duplicate-rules", "none")
SUCCESS, FAILURE, LINT_FATAL = 0, 1, 3


@dataclass(frozen=True)
class LintConfig:
    all: bool = False
    duplicate_rules: bool = False
    fatal: bool = False

    @classmethod
    def parse(cls, text: str, fatal: bool, out: TextIO) -> LintConfig:
        """``newLintConfig``: unknown settings are warned about on stdout and otherwise ignored."""
        all_, dup = False, False
        for setting in text.split(","):
            if setting == "all":
                all_ = True
            elif setting == "duplicate-rules":
                dup = True
            elif setting != "none":
                out.write(f"WARNING: unknown lint option {setting}\n")
        return cls(all_, dup, fatal)

    @property
    def lint_duplicate_rules(self) -> bool:
        return self.all or self.duplicate_rules


class _LintError(str):
    """An error text that is a lint finding, not a failure (``errors.Is(err, lintError)``)."""


def _duplicates(groups: tuple[RuleGroup, ...]) -> list[tuple[str, list[tuple[str, str]]]]:
    """``checkDuplicates``: rules equal in name and label set, each duplicate reported once."""
    rules = sorted(((r.name, sorted(r.labels.items())) for g in groups for r in g.rules), key=_cmp_key)
    dups: list[tuple[str, list[tuple[str, str]]]] = []
    for last, cur in itertools.pairwise(rules):
        if last == cur and (not dups or dups[-1] != last):
            dups.append(cur)
    return dups


def _cmp_key(item: tuple[str, list[tuple[str, str]]]) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """Go compares strings bytewise; ``labels.Compare`` is pairwise, shorter first on a tie."""
    name, labels = item
    return name.encode(), [(k.encode(), v.encode()) for k, v in labels]


def check_file(path: str, lint: LintConfig, out: TextIO, extensions: bool = False) -> tuple[int, list[str]]:
    """``checkRules``: (rule count, errors); prints the ``Checking`` line."""
    out.write(f"Checking {path}\n")
    groups, errs = parse_file(path, extensions)
    if errs or groups is None:
        return 0, errs
    count = sum(len(g.rules) for g in groups.groups)
    if lint.lint_duplicate_rules:
        dups = _duplicates(groups.groups)
        if dups:
            msg = f"{len(dups)} duplicate rule(s) found.\n"
            for name, labels in dups:
                msg += f"Metric: {name}\nLabel(s):\n" + "".join(f"\t{k}: {v}\n" for k, v in labels)
            msg += "Might cause inconsistency while recording expressions"
            return 0, [_LintError(f"lint error {msg}")]
    return count, []


def _write(stream: TextIO, text: str) -> None:
    """Go prints strings as bytes: a ``!!binary`` label value that is not UTF-8 goes out as its
    raw bytes (kept as surrogate escapes until here), not as Python's backslash escapes."""
    buffer = getattr(stream, "buffer", None)
    stream.flush()
    if buffer is not None:
        buffer.write(text.encode("utf-8", "surrogateescape"))
        buffer.flush()
    else:
        stream.write(text)
        stream.flush()


def run(files: list[str], out: TextIO, err: TextIO, lint: str = "duplicate-rules", lint_fatal: bool = False,
        extensions: bool = False) -> int:
    """``CheckRules``: the exit status."""
    config = LintConfig.parse(lint, lint_fatal, out)
    failed = has_errors = False
    for path in files:
        count, errs = check_file(path, config, out, extensions)
        if errs:
            out.flush()
            _write(err, "  FAILED:\n" + "".join(e + "\n" for e in errs))
            failed = True
            has_errors = has_errors or any(not isinstance(e, _LintError) for e in errs)
        else:
            out.write(f"  SUCCESS: {count} rules found\n")
        out.write("\n")
    if failed and has_errors:
        return FAILURE
    if failed and config.fatal:
        return LINT_FATAL
    return SUCCESS


def action(env: Env) -> None:
    """The amctl command action."""
    from amclone.cli.amctl.env import Exit

    code = run(list(env.arg("rule-files") or []), env.out, env.err, lint=str(env.value("lint") or "duplicate-rules"),
               lint_fatal=bool(env.value("lint-fatal")), extensions=bool(env.value("extensions")))
    if code:
        raise Exit(code)


def register(app: App) -> None:
    """Adds ``check rules`` to amctl's command tree (promtool's flags, plus ``--extensions``)."""
    check = app.lookup("check") or app.command("check", "Check the resources for validity.")
    rules = check.command("rules", "Check if the rule files are valid or not.")
    rules.flag("lint", "Linting checks to apply. Available options are: " + ", ".join(LINT_OPTIONS)
               + ". Use --lint=none to disable linting", default=["duplicate-rules"])
    rules.flag("lint-fatal", "Make lint errors exit with exit code 3.", kind="bool")
    rules.flag("extensions", "Check as amclone loads rules: accept query_offset, group labels and "
               "evaluation: on_write, and Prometheus 3 PromQL; promtool 2.42 rejects them.", kind="bool")
    rules.arg("rule-files", "The rule files to check.", kind="existingfiles", required=True)
    rules.action = action
