"""``amtool template render``: render a template text against the default templates, the user's
globs and a data file (or amtool's built-in example data), printing exactly what amtool prints.

Errors are raised as ``ActionError`` carrying Go's message; kingpin's layer prints them as
``amtool: error: <msg>``. Nothing is printed when rendering fails, as amtool prints only after
a successful execution.
"""

from __future__ import annotations

import sys
from typing import TextIO

from amclone.cli.amctl.env import ActionError
from amclone.template import TemplateError, from_globs
from amclone.template.data import KV, Alert, Alerts, Data, from_json
from amclone.template.gotime import NS, GoTime
from amclone.template.gotmpl.values import GoError


def example_data(now_ns: int) -> Data:
    """amtool's predefined data (cli/template_render.go), times relative to now."""
    five_min = 300 * NS
    alerts = Alerts([
        Alert("alertstatus",
              KV({"label1": "value1", "label2": "value2", "instance": "foo.bar:1234",
                  "commonlabelkey1": "commonlabelvalue1", "commonlabelkey2": "commonlabelvalue2"}),
              KV({"annotation1": "value1", "annotation2": "value2",
                  "commonannotationkey1": "commonannotationvalue1",
                  "commonannotationkey2": "commonannotationvalue2"}),
              GoTime(now_ns - five_min).local(), GoTime(now_ns).local(), "https://generatorurl.com",
              "fingerprint1"),
        Alert("alertstatus",
              KV({"foo": "bar", "baz": "qux", "commonlabelkey1": "commonlabelvalue1",
                  "commonlabelkey2": "commonlabelvalue2"}),
              KV({"aaa": "bbb", "ccc": "ddd", "commonannotationkey1": "commonannotationvalue1",
                  "commonannotationkey2": "commonannotationvalue2"}),
              GoTime(now_ns - 2 * five_min).local(), GoTime(now_ns).local(), "https://generatorurl.com",
              "fingerprint2"),
    ])
    return Data("receiver", "alertstatus", alerts,
                KV({"grouplabelkey1": "grouplabelvalue1", "grouplabelkey2": "grouplabelvalue2"}),
                KV({"commonlabelkey1": "commonlabelvalue1", "commonlabelkey2": "commonlabelvalue2"}),
                KV({"commonannotationkey1": "commonannotationvalue1",
                    "commonannotationkey2": "commonannotationvalue2"}),
                "https://example.com")


def render(globs: list[str], text: str, kind: str = "text", data_file: str | None = None) -> str:
    """The rendered text; raises ActionError with amtool's message."""
    import time

    try:
        tmpl = from_globs(*globs)
        if data_file is None:
            data = example_data(time.time_ns())
        else:
            with open(data_file, encoding="utf-8", errors="surrogateescape") as f:
                data = from_json(f.read())
        if kind == "html":
            return tmpl.execute_html(text, data)
        return tmpl.execute_text(text, data)
    except (TemplateError, GoError) as e:
        raise ActionError(str(e)) from None
    except OSError as e:
        raise ActionError(f"open {data_file}: {e.strerror.lower() if e.strerror else e}") from None


def run(globs: list[str], text: str, kind: str = "text", data_file: str | None = None,
        out: TextIO | None = None) -> None:
    """The subcommand body, as amctl's command table calls it."""
    (out or sys.stdout).write(render(globs, text, kind, data_file))


__all__ = ["example_data", "render", "run"]
