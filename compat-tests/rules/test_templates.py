"""Go template syntax checks of alert annotations, beside promtool 2.42: about 90 templates, many
broken in a different way (unclosed actions, bad pipelines, undefined variables, functions outside
Prometheus's map, comments, break/continue, define/block...), as annotations of one rule file.
promtool reports every failing one; the whole output must be equal. This pins amclone's Go
template parser (amclone.template) to Go's text/template as promtool 2.42 was built with it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from checkrun import amctl_check, promtool_check

TEMPLATES = [
    "{{ $labels.instance", "{{ .Labels.job }", "{{ if }}x{{ end }}", "{{ if .Value }}x", "{{ end }}", "{{ else }}",
    "{{ range $i, $e := .Labels }}{{ $i }}{{ end }}", "{{ range $a, $b, $c := .Labels }}{{ end }}",
    "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", "{{ $y = 2 }}", '{{ template "x" . }}', '{{ define "x" }}a{{ end }}',
    '{{ block "b" . }}b{{ end }}', "{{ with $v := .Value }}{{ $v }}{{ else }}none{{ end }}",
    "{{ humanize $value }}", "{{ humanize }}", '{{ $value | humanize | printf "%s" }}', "{{ nosuch }}",
    "{{ .Value | nosuch }}", "{{ 1 2 }}", '{{ "unterminated }}', "{{ 'ab' }}", "{{ 'a' }}", "{{ `raw` }}",
    "{{ 0x1G }}", "{{ 1e }}", "{{ .a.b.c }}", "{{ $labels.a.b }}", "{{ (1) }}", "{{ (1 }}", "{{ ) }}",
    "{{ and 1 }}", "{{ or }}", "{{ break }}", "{{ continue }}", "{{ range .Labels }}{{ break }}{{ end }}",
    "{{- trim -}}", "{{-1}}", "{{ - 1 }}", "{{/* comment */}}", "{{/* unclosed comment }}", "{{ /* bad */ }}",
    "{{ nil }}", "{{ len nil }}", "{{ true false }}", "{{ .Labels | }}", "{{ | .Labels }}", "{{ $ }}",
    "{{ $.Value }}", '{{ index $labels "a" }}', '{{ query "up" | first | value }}',
    '{{ range query "up" }}{{ .Labels }}{{ end }}', '{{ toUpper "a" | toLower }}', '{{ safeHtml "<b>" }}',
    "{{ args 1 2 }}", '{{ tmpl "x" . }}', '{{ graphLink "up" }}', '{{ reReplaceAll "a" "b" "c" }}',
    "{{ else if 1 }}", "{{ if 1 }}{{ else if 2 }}{{ else }}{{ end }}", "{{ if 1 }}{{ else }}{{ else }}{{ end }}",
    "{{ with }}{{ end }}", "{{ $labels := 5 }}{{ $labels }}", "{{ {{ }}", "}}", "{{ .Value.x }}",
    '{{ printf "%d" }}', "{{ $value := }}", "{{ 1 | 2 }}", '{{ "a" | "b" }}', '{{ .Labels.job | printf "%q" }}',
    "{{ range $k, $v := $labels }}{{ $k }}={{ $v }},{{ end }}", "{{ strvalue $value }}", "{{ toTime 1 }}",
    "{{ humanizeDuration 1 }}", '{{ urlquery "a b" }}', '{{ js "a" }}', "{{ call }}", '{{ slice "abc" 1 }}',
    "{{ eq 1 1 }}", "{{ now }}", "{{ toDuration 1 }}", '{{ urlQueryEscape "x" }}', "a\n{{ if }}\nb",
    "line1\nline2\n{{ end", "{{ 1.5e3 }}{{ -2 }}{{ +3 }}{{ 'x' }}{{ '\\n' }}",
    "{{ $x := 1 }}{{ range $x = .Labels }}{{ end }}", "{{ template }}", "{{ template x }}",
    '{{ define "a" }}{{ end }}{{ define "a" }}b{{ end }}',
]


def test_templates_as_annotations(tmp_path: Path, promtool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [{"alert": "A", "expr": "up", "annotations": {f"a{i}": t}} for i, t in enumerate(TEMPLATES)]
    rules.append({"alert": "L", "expr": "up", "labels": {"sev": "{{ if }}"}})
    (tmp_path / "t.yml").write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": rules}]}, width=10000))
    want = promtool_check(promtool, tmp_path, "t.yml")
    assert want[0] == 1 and want[2].count("\n") > 30
    got = amctl_check(tmp_path, "t.yml", monkeypatch=monkeypatch)
    assert got[:2] == want[:2]
    assert got[2].splitlines() == want[2].splitlines()
