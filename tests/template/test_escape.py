"""html/template contexts: each escaper, chosen by where the action sits."""

from __future__ import annotations

import pytest

from amclone.template.funcs import FUNCS
from amclone.template.gotmpl.parser import TemplateError
from amclone.template.gotmpl.template import TemplateSet
from amclone.template.gotmpl.values import GoMap


def h(text: str, **data: object) -> str:
    return TemplateSet(FUNCS, html=True).execute_text(text, GoMap(data))


@pytest.mark.parametrize("text,want", [
    ("<p>{{ .x }}</p>", "<p>&lt;a&gt; &amp; a&#43;b</p>"),
    ('<a title="{{ .x }}">', '<a title="&lt;a&gt; &amp; a&#43;b">'),
    ("<a title={{ .x }}>", "<a title=&lt;a&gt;&#32;&amp;&#32;a&#43;b>"),
    ('<a href="{{ .x }}">', '<a href="%3ca%3e%20&amp;%20a&#43;b">'),
    ('<a href="/q?v={{ .x }}">', '<a href="/q?v=%3ca%3e%20%26%20a%2bb">'),
    ("a<!-- {{ .x }} -->b", "ab"),
    ("<title>{{ .x }}</title>", "<title>&lt;a&gt; &amp; a&#43;b</title>"),
])
def test_contexts(text: str, want: str) -> None:
    assert h(text, x="<a> & a+b") == want


def test_url_guard_and_safe_html() -> None:
    assert h('<a href="{{ .u }}">', u="javascript:x") == '<a href="#ZgotmplZ">'
    assert h("{{ safeHtml .s }}", s="<b>ok</b>") == "<b>ok</b>"
    assert h('<p style="color: {{ .c }}">', c="expression(x)") == '<p style="color: ZgotmplZ">'


def test_non_text_end() -> None:
    with pytest.raises(TemplateError, match="ends in a non-text context"):
        h('<a href="{{ .u }}', u="x")
