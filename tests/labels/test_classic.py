"""0.25's classic matcher parser (pkg/labels/parse.go), as amtool 0.25 applies it to `matchers:`.

CLASSIC_VERDICTS: input -> the route's sorted matchers as `amtool config routes` prints them
(``default-route`` for none), or the error line of `amtool check-config`. Recorded from the real
tool; compat-tests/labels/test_matchers_compat.py re-runs it on the same table.
"""

from __future__ import annotations

import pytest

from amclone.labels.classic import parse_matcher, parse_matchers, split_matchers
from amclone.labels.matcher import Matcher, MatcherParseError, MatchType, matchers_string, sort_key

CLASSIC_VERDICTS: list[tuple[str, str | None, str | None]] = [
    ('{foo="bar"}', '{foo="bar"}', None),
    ('{foo=~"bar.*"}', '{foo=~"bar.*"}', None),
    ('{foo!="bar"}', '{foo!="bar"}', None),
    ('{foo!~"bar.*"}', '{foo!~"bar.*"}', None),
    ('{foo="bar", baz!="quux"}', '{baz!="quux",foo="bar"}', None),
    ('{foo = "bar", dings != "bums", }', '{dings!="bums",foo="bar"}', None),
    ('foo=bar,dings!=bums', '{dings!="bums",foo="bar"}', None),
    ('foo=bar, dings!=bums', '{dings!="bums",foo="bar"}', None),
    ('{quote="She said: \\"Hi, ladies! That\'s gender-neutral…\\""}', '{quote="She said: \\"Hi, ladies! That\'s gender-neutral…\\""}', None),
    ('statuscode=~"5.."', '{statuscode=~"5.."}', None),
    ('foo', None, 'bad matcher format: foo'),
    ('foo="bar', None, 'matcher value contains unescaped double quote: "bar'),
    ('foo=bar"', None, 'matcher value contains unescaped double quote: bar"'),
    ('foo="b"ar"', None, 'matcher value contains unescaped double quote: "b"ar"'),
    ('foo=b"ar', None, 'matcher value contains unescaped double quote: b"ar'),
    ('invalid-name = "valid label"', None, 'bad matcher format: invalid-name = "valid label"'),
    ('foo=~"[regexp"', None, 'error parsing regexp: missing closing ]: `[regexp)$`'),
    ('foo=bar baz', '{foo="bar baz"}', None),
    ('  foo  =  bar  ', '{foo="bar"}', None),
    ('foo=', '{foo=""}', None),
    ('foo=""', '{foo=""}', None),
    ('foo!=', '{foo!=""}', None),
    ('{foo=bar}}', '{foo="bar}"}', None),
    ('{{foo=bar}', None, 'bad matcher format: {foo=bar'),
    ('foo:bar=baz', '{foo:bar="baz"}', None),
    (':a=b', '{:a="b"}', None),
    ('_a=b', '{_a="b"}', None),
    ('1a=b', None, 'bad matcher format: 1a=b'),
    ('fo😀o="bar"', None, 'bad matcher format: fo😀o="bar"'),
    ('a="\\n"', '{a="\\n"}', None),
    ('a="\\\\"', '{a="\\\\"}', None),
    ('a="\\x"', '{a="\\\\x"}', None),
    ('a=b\\', '{a="b\\\\"}', None),
    ('a="b\\"', None, 'matcher value contains unescaped double quote: "b\\"'),
    ('a="b\\\\"', '{a="b\\\\"}', None),
    ('a="b,c"', '{a="b,c"}', None),
    ('a=b,c', None, 'bad matcher format: c'),
    ('a="b\\",c"', '{a="b\\",c"}', None),
    ('a=b,,c=d', None, 'bad matcher format:'),
    (',a=b', None, 'bad matcher format:'),
    ('a=b,', '{a="b"}', None),
    ('a=b, ', '{a="b"}', None),
    ('{}', 'default-route', None),
    ('', 'default-route', None),
    (' ', 'default-route', None),
    ('{,}', None, 'bad matcher format:'),
    ('a==b', '{a="=b"}', None),
    ('a=~=b', '{a=~"=b"}', None),
    ('a!~~b', '{a!~"~b"}', None),
    ('a = ~b', '{a="~b"}', None),
    ('a=\t"b"\t', '{a="b"}', None),
    ('a="multi\nline"', '{a="multi\\nline"}', None),
    ('a=ünï☃', '{a="ünï☃"}', None),
    ('a="\\""', '{a="\\""}', None),
    ('a=\\"', '{a="\\""}', None),
    ('{a=b}  ', '{a="b}"}', None),
    ('  {a=b}', None, 'bad matcher format: {a=b'),
    ('a=b}', '{a="b"}', None),
    ('{a=b', '{a="b"}', None),
    ('a="{b}"', '{a="{b}"}', None),
    ('a=~"(x"', None, 'error parsing regexp: missing closing ): `^(?:(x)$`'),
    ('a=~"x)"', None, 'error parsing regexp: unexpected ): `^(?:x))$`'),
    ('a!~"\\\\C"', None, 'error parsing regexp: invalid escape sequence: `\\C`'),
    ('a=~"\\\\d+"', '{a=~"\\\\d+"}', None),
    ('a=~\\d+', '{a=~"\\\\d+"}', None),
    ('a=~"a|b",b!~c', '{a=~"a|b",b!~"c"}', None),
    ('a="b"c', None, 'matcher value contains unescaped double quote: "b"c'),
    ('a= "b" ', '{a="b"}', None),
    ('a="""', None, 'matcher value contains unescaped double quote: """'),
    ('a=b=c', '{a="b=c"}', None),
    ('a!=b!=c', '{a!="b!=c"}', None),
    ('a="\\\\n"', '{a="\\\\n"}', None),
    ('a=~"\\\\\\\\"', '{a=~"\\\\\\\\"}', None),
    # whitespace: Go's regexp \s is [\t\n\f\r ]; only the last token is TrimSpace'd (Unicode spaces)
    ('a=b\xa0', '{a="b"}', None),
    ('a=b\xa0,c=d', '{a="b\xa0",c="d"}', None),
    ('a=b\x0b', '{a="b"}', None),
    ('\x0ba=b', '{a="b"}', None),
    ('a=b\x1c', '{a="b\x1c"}', None),
    ('\xa0a=b', '{a="b"}', None),
    ('a=\u2003b\u2003', '{a="\u2003b"}', None),
    ('a=b,\u2003', '{a="b"}', None),
    ('a=b\r\n', '{a="b"}', None),
    ('a="b"\xa0', '{a="b"}', None),
    ('{a=b}\xa0', '{a="b}"}', None),
]


@pytest.mark.parametrize(("text", "printed", "error"), CLASSIC_VERDICTS)
def test_parse_matchers_agrees_with_amtool(text: str, printed: str | None, error: str | None) -> None:
    if error is not None:
        with pytest.raises(MatcherParseError) as info:
            parse_matchers(text)
        assert str(info.value).rstrip() == error
        return
    ms = sorted(parse_matchers(text), key=sort_key)
    assert (matchers_string(ms) if ms else "default-route") == printed


def test_values_are_unescaped_openmetrics_style() -> None:
    assert parse_matcher('a="x\\ny\\"z\\\\"').value == 'x\ny"z\\'
    assert parse_matcher('a="\\t"').value == "\\t"  # unknown escapes keep their backslash
    assert parse_matcher("a=b\\").value == "b\\"  # a trailing backslash is literal


def test_matchers_keep_input_order() -> None:
    ms = parse_matchers("z=1,a=2")
    assert [m.name for m in ms] == ["z", "a"]


def test_operator_longest_first() -> None:
    assert parse_matcher("a=~b").type is MatchType.REGEX
    assert parse_matcher("a!~b").type is MatchType.NOT_REGEX
    assert parse_matcher("a!=b").type is MatchType.NOT_EQUAL


def test_single_matcher_does_not_split_or_strip_braces() -> None:
    # the API `filter` parameter uses ParseMatcher: braces are part of the value
    assert parse_matcher("a=b,c").value == "b,c"
    with pytest.raises(MatcherParseError, match="^bad matcher format: {a=b}$"):
        parse_matcher("{a=b}")


def test_parsed_regex_matchers_are_compiled() -> None:
    m = parse_matcher('job=~"node|db"')
    assert m == Matcher("job", MatchType.REGEX, "node|db")
    assert m.matches("db") and not m.matches("dbx")


def test_invalid_utf8_value_is_rejected_by_the_single_parser() -> None:
    raw = b'a="\xff"'.decode("utf-8", "surrogateescape")
    with pytest.raises(MatcherParseError, match="^matcher value not valid UTF-8: "):
        parse_matcher(raw)


def test_split_turns_invalid_bytes_into_replacement_characters() -> None:
    # ParseMatchers ranges over runes first, so bad bytes never reach the UTF-8 check
    raw = b'a="\xff"'.decode("utf-8", "surrogateescape")
    assert split_matchers(raw) == ['a="\ufffd"']
    assert parse_matchers(raw)[0].value == "\ufffd"


def test_comma_inside_quotes_does_not_reset_escape_state() -> None:
    # '\\' then ',' (quoted) keeps the escape pending, so the next '"' does not close the quote
    assert split_matchers('a="x\\,",b=c') == ['a="x\\,",b=c']


def test_trailing_token_is_trimmed_with_go_unicode_spaces() -> None:
    assert split_matchers("a=b,\u00a0") == ["a=b"]  # NBSP is a Go space
    assert split_matchers("a=b,\x1c") == ["a=b", "\x1c"]  # Python calls it space, Go does not
