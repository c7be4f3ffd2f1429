"""The text/template engine on its own: parsing, execution, scoping, errors (texts from Go 1.19,
cross-checked against amtool in compat-tests/template)."""

from __future__ import annotations

import pytest

from amclone.template.funcs import FUNCS
from amclone.template.gotmpl.parser import TemplateError, parse
from amclone.template.gotmpl.template import TemplateSet
from amclone.template.gotmpl.values import GoMap, StringSlice


def render(text: str, data: object = None, html: bool = False) -> str:
    ts = TemplateSet(FUNCS, html=html)
    return ts.execute_text(text, data)


def test_text_and_trim() -> None:
    assert render("a \n {{- 1 -}} \n b") == "a1b"
    assert render("{{ -1 }}|{{-2}}") == "-1|-2"
    assert render("x{{/* c */}}y") == "xy"


def test_variables_scope() -> None:
    assert render("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}") == "21"
    assert render("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}") == "2"


def test_range_forms() -> None:
    data = GoMap({"l": StringSlice(["a", "b", "c"]), "m": GoMap({"b": 2, "a": 1})})
    assert render("{{ range $i, $e := .l }}{{ $i }}{{ $e }}{{ end }}", data) == "0a1b2c"
    assert render("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}", data) == "a=1;b=2;"
    assert render("{{ range .l }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}", data) == "a"
    assert render("{{ range .l }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", data) == "ac"
    assert render("{{ range .none }}x{{ else }}empty{{ end }}", data) == "empty"


def test_define_block_template() -> None:
    assert render('{{ define "x" }}[{{ . }}]{{ end }}{{ template "x" 1 }}{{ template "x" }}') == "[1][<no value>]"
    assert render('{{ block "b" "d" }}<{{ . }}>{{ end }}') == "<d>"


def test_missing_map_key_is_no_value() -> None:
    assert render("{{ .nope }}", GoMap()) == "<no value>"


@pytest.mark.parametrize("text,msg", [
    ("{{ .Status", "template: :1: unclosed action"),
    ("{{ if true }}", "template: :1: unexpected EOF"),
    ("{{ nope }}", 'template: :1: function "nope" not defined'),
    ("{{ $x }}", 'template: :1: undefined variable "$x"'),
    ("{{ 08 }}", 'template: :1: integer overflow: "08"'),
    ("{{ .a# }}", "template: :1: bad character U+0023 '#'"),
    ('{{ "x".y }}', 'template: :1: unexpected . after term "\\"x\\""'),
    ("a\n{{ break }}", "template: :2: {{break}} outside {{range}}"),
])
def test_parse_errors(text: str, msg: str) -> None:
    with pytest.raises(TemplateError) as e:
        parse("", text, lambda n: n in FUNCS)
    assert str(e.value) == msg


@pytest.mark.parametrize("text,msg", [
    ("{{ 1 2 }}", 'template: :1:3: executing "" at <1>: can\'t give argument to non-function 1'),
    ("{{ nil }}", 'template: :1:3: executing "" at <nil>: nil is not a command'),
    ("{{ len 3 }}", 'template: :1:3: executing "" at <len 3>: error calling len: len of type int'),
    ("{{ eq 1 1.0 }}", 'template: :1:3: executing "" at <eq 1 1.0>: error calling eq: incompatible types for comparison'),
    ('{{ template "t" }}', 'template: :1:12: executing "" at <{{template "t"}}>: template "t" not defined'),
    ("{{ toUpper 1 }}", 'template: :1:11: executing "" at <1>: expected string; found 1'),
])
def test_exec_errors(text: str, msg: str) -> None:
    with pytest.raises(TemplateError) as e:
        render(text)
    assert str(e.value) == msg


def test_and_or_short_circuit() -> None:
    assert render("{{ and 0 (index .x 5) }}", GoMap()) == "0"
    assert render('{{ or "" "y" }}') == "y"


def test_later_definition_wins_but_empty_does_not() -> None:
    ts = TemplateSet(FUNCS)
    ts.parse("a.tmpl", '{{ define "x" }}one{{ end }}{{ define "y" }}kept{{ end }}')
    ts.parse("b.tmpl", '{{ define "x" }}two{{ end }}{{ define "y" }} {{ end }}')
    assert ts.execute_text('{{ template "x" }}{{ template "y" }}', None) == "twokept"


def test_duplicate_in_one_file() -> None:
    ts = TemplateSet(FUNCS)
    with pytest.raises(TemplateError, match='multiple definition of template "d"'):
        ts.parse("d.tmpl", '{{ define "d" }}1{{ end }}{{ define "d" }}2{{ end }}')
