"""Subcommands whose bodies other packages provide, reached through amctl's command line:
check-config (amclone.config) and template render (amclone.template)."""

from __future__ import annotations

import pytest
from amctl_harness import Tools

GOOD = "route:\n  receiver: default\nreceivers:\n- name: default\n"
BAD = "route:\n  receiver: nobody\nreceivers:\n- name: default\n"
TEMPLATE = '{{ define "x" }}status={{ .Status }} receiver={{ .Receiver }} n={{ len .Alerts }}{{ end }}'


@pytest.mark.parametrize("files", [["good.yml"], ["bad.yml"], ["good.yml", "bad.yml"], ["missing.yml"]])
def test_check_config(tools: Tools, files: list[str]) -> None:
    (tools.home / "good.yml").write_text(GOOD)
    (tools.home / "bad.yml").write_text(BAD)
    tools.same("check-config", *[str(tools.home / f) for f in files])


def test_check_config_stdin(tools: Tools) -> None:
    tools.same("check-config", stdin=GOOD)


@pytest.mark.parametrize("args", [
    ["--template.text={{ template \"x\" . }}"],
    ["--template.text={{ .Status }} {{ .GroupLabels.SortedPairs.Values }}"],
    ["--template.text={{ .Bad"], ["--template.text={{ template \"nope\" . }}"],
    ["--template.text=<b>{{ .Receiver }}</b>", "--template.type=html"],
    ["--template.text=x", "--template.type=pdf"], ["--template.text=x", "--template.data=/nonexistent"],
])
def test_template_render(tools: Tools, args: list[str]) -> None:
    (tools.home / "t.tmpl").write_text(TEMPLATE)
    tools.same("template", "render", f"--template.glob={tools.home}/*.tmpl", *args)


def test_template_render_with_data(tools: Tools) -> None:
    (tools.home / "t.tmpl").write_text(TEMPLATE)
    data = tools.home / "data.json"
    data.write_text('{"receiver": "r", "status": "firing", "alerts": [{"labels": {"a": "1"}}]}')
    tools.same("template", "render", f"--template.glob={tools.home}/*.tmpl",
               "--template.text={{ template \"x\" . }}", f"--template.data={data}")
