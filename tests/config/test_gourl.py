"""Go's net/url Parse and String as the config relies on them."""

from __future__ import annotations

import pytest

from amclone.config.gourl import URLError, parse


@pytest.mark.parametrize("raw,scheme,host,path", [
    ("http://a.b/c", "http", "a.b", "/c"),
    ("HTTPS://Host:443", "https", "Host:443", ""),
    ("${SLACK_URL}", "", "", "${SLACK_URL}"),
    ("http://[::1]:9093/x", "http", "[::1]:9093", "/x"),
])
def test_parse(raw: str, scheme: str, host: str, path: str) -> None:
    u = parse(raw)
    assert (u.scheme, u.host, u.path) == (scheme, host, path)


@pytest.mark.parametrize("raw,message", [
    ("{{ op://a/b }}", 'parse "{{ op://a/b }}": first path segment in URL cannot contain colon'),
    ("http://x:port/", 'parse "http://x:port/": invalid port ":port" after host'),
    ("http://a b/", 'parse "http://a b/": invalid character " " in host name'),
    ("%zz", 'parse "%zz": invalid URL escape "%zz"'),
    (":foo", 'parse ":foo": missing protocol scheme'),
    ("http://x/\x7f", 'parse "http://x/\\x7f": net/url: invalid control character in URL'),
])
def test_parse_errors(raw: str, message: str) -> None:
    with pytest.raises(URLError) as e:
        parse(raw)
    assert str(e.value) == message


@pytest.mark.parametrize("raw,printed", [
    ("http://u:p@h:80/p?q=1#f", "http://u:p@h:80/p?q=1#f"),
    ("http://h/a%20b", "http://h/a%20b"),
    ("http://h/a b", "http://h/a%20b"),
    ("mailto:x@y", "mailto:x@y"),
    ("${X}", "$%7BX%7D"),
])
def test_string(raw: str, printed: str) -> None:
    assert parse(raw).string() == printed


def test_redacted_password() -> None:
    assert parse("http://u:secret@proxy:3128/").string(redact_password=True) == "http://u:xxxxx@proxy:3128/"


def test_with_path_drops_the_raw_path() -> None:
    u = parse("https://api.opsgenie.com")
    assert u.with_path(u.path + "/").string() == "https://api.opsgenie.com/"
