"""Go's ServeMux/httprouter pieces as pure functions: path cleaning, query parsing, escaping."""

from __future__ import annotations

import pytest

from amclone.api.mux import clean_path, go_query, html_escape
from amclone.api.netaddr import split_host_port


@pytest.mark.parametrize("raw,clean", [
    ("", "/"), ("/", "/"), ("//a", "/a"), ("/a/./b", "/a/b"), ("/a/../b/", "/b/"), ("/a/..", "/"),
    ("a/b", "/a/b"), ("/a//b//", "/a/b/"),
])
def test_clean_path(raw: str, clean: str) -> None:
    assert clean_path(raw) == clean


def test_go_query_drops_what_go_drops() -> None:
    assert go_query("a=1&b=%zz&c=x;y&&d&e=%41+b") == [("a", "1"), ("d", ""), ("e", "A b")]
    assert go_query("filter=a%3Db&filter=c%3Dd") == [("filter", "a=b"), ("filter", "c=d")]


def test_html_escape_uses_numeric_quotes() -> None:
    assert html_escape("""<a href='x'>"&"</a>""") == "&lt;a href=&#39;x&#39;&gt;&#34;&amp;&#34;&lt;/a&gt;"


@pytest.mark.parametrize("addr,out", [(":9093", ("", "9093")), ("[::1]:80", ("::1", "80")),
                                      ("host:", ("host", ""))])
def test_split_host_port(addr: str, out: tuple[str, str]) -> None:
    assert split_host_port(addr) == out


@pytest.mark.parametrize("addr,err", [("bad", "address bad: missing port in address"),
                                      ("a:b:c", "address a:b:c: too many colons in address"),
                                      ("[::1", "address [::1: missing ']' in address")])
def test_split_host_port_errors(addr: str, err: str) -> None:
    with pytest.raises(ValueError) as e:
        split_host_port(addr)
    assert str(e.value) == err
