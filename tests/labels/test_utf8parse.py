"""The UTF-8 matcher parser of newer Alertmanager (matcher/parse), selected by set_mode("utf8").

The tables restate the cases of upstream's matcher/parse/parse_test.go as (input, matchers as
(name, operator, value), error text).
"""

from __future__ import annotations

import pytest

from amclone.labels.matcher import MatcherParseError
from amclone.labels.utf8parse import Kind, Lexer, parse_matcher, parse_matchers

Expected = list[tuple[str, str, str]] | None

MATCHERS: list[tuple[str, Expected, str | None]] = [
    ('', [], None),
    ('{}', [], None),
    ('{foo=bar}', [('foo', '=', 'bar')], None),
    ('{foo=bar,}', [('foo', '=', 'bar')], None),
    ('{foo!=bar}', [('foo', '!=', 'bar')], None),
    ('{foo=~[a-z]+}', [('foo', '=~', '[a-z]+')], None),
    ('{foo!~[a-z]+}', [('foo', '!~', '[a-z]+')], None),
    ('{foo=🙂}', [('foo', '=', '🙂')], None),
    ('{foo=🙂bar}', [('foo', '=', '🙂bar')], None),
    ('foo=bar', [('foo', '=', 'bar')], None),
    ('foo=bar,', [('foo', '=', 'bar')], None),
    ('foo!=bar', [('foo', '!=', 'bar')], None),
    ('foo=~[a-z]+', [('foo', '=~', '[a-z]+')], None),
    ('foo!~[a-z]+', [('foo', '!~', '[a-z]+')], None),
    ('{"foo"="bar"}', [('foo', '=', 'bar')], None),
    ('{"foo"="bar",}', [('foo', '=', 'bar')], None),
    ('{"foo"!="bar"}', [('foo', '!=', 'bar')], None),
    ('{"foo"=~"[a-z]+"}', [('foo', '=~', '[a-z]+')], None),
    ('{"foo"=~"\\\\d+"}', [('foo', '=~', '\\d+')], None),
    ('{"foo"!~"[a-z]+"}', [('foo', '!~', '[a-z]+')], None),
    ('{"foo"="🙂"}', [('foo', '=', '🙂')], None),
    ('{"foo"="\\xf0\\x9f\\x99\\x82"}', [('foo', '=', '🙂')], None),
    ('{"foo"="\\U0001f642"}', [('foo', '=', '🙂')], None),
    ('{"foo"="🙂bar"}', [('foo', '=', '🙂bar')], None),
    ('{"foo"="bar\\n"}', [('foo', '=', 'bar\n')], None),
    ('{"foo"="bar\\t"}', [('foo', '=', 'bar\t')], None),
    ('{"foo"="\\"bar\\""}', [('foo', '=', '"bar"')], None),
    ('{"foo"="bar\\\\"}', [('foo', '=', 'bar\\')], None),
    ('"foo"="bar"', [('foo', '=', 'bar')], None),
    ('"foo"="bar",', [('foo', '=', 'bar')], None),
    ('{foo=bar,bar!=baz}', [('foo', '=', 'bar'), ('bar', '!=', 'baz')], None),
    ('{foo="bar",bar!="baz"}', [('foo', '=', 'bar'), ('bar', '!=', 'baz')], None),
    ('foo=bar,bar!=baz', [('foo', '=', 'bar'), ('bar', '!=', 'baz')], None),
    ('foo="bar",bar!="baz"', [('foo', '=', 'bar'), ('bar', '!=', 'baz')], None),
    (',', None, '0:1: unexpected ,: expected label name'),
    ('{,}', None, '1:2: unexpected ,: expected label name'),
    ('{', None, '0:1: end of input: expected close brace'),
    ('}', None, '0:1: }: expected opening brace'),
    ('foo=bar}', None, '0:8: }: expected opening brace'),
    ('{foo=bar', None, '0:8: end of input: expected close brace'),
    ('{foo=:"bar"}', None, '6:11: unexpected "bar": expected a comma or close brace'),
    ('{foo="bar\\w"}', None, '5:12: "bar\\w": invalid input'),
    ('{"foo"=~"\\d+"}', None, '8:13: "\\d+": invalid input'),
    ('{foo=bar\\n}', None, '8:9: \\: invalid input: expected a comma or close brace'),
    ('{"foo"="\\xf0\\x9f"}', None, '7:17: "\\xf0\\x9f": invalid input'),
]

MATCHER: list[tuple[str, Expected, str | None]] = [
    ('{foo=bar}', [('foo', '=', 'bar')], None),
    ('{foo=bar,}', [('foo', '=', 'bar')], None),
    ('{foo!=bar}', [('foo', '!=', 'bar')], None),
    ('{foo=~[a-z]+}', [('foo', '=~', '[a-z]+')], None),
    ('{foo!~[a-z]+}', [('foo', '!~', '[a-z]+')], None),
    ('{foo=🙂}', [('foo', '=', '🙂')], None),
    ('{"foo"="\\xf0\\x9f\\x99\\x82"}', [('foo', '=', '🙂')], None),
    ('{"foo"="\\U0001f642"}', [('foo', '=', '🙂')], None),
    ('{foo=🙂bar}', [('foo', '=', '🙂bar')], None),
    ('foo=bar', [('foo', '=', 'bar')], None),
    ('foo=bar,', [('foo', '=', 'bar')], None),
    ('foo!=bar', [('foo', '!=', 'bar')], None),
    ('foo=~[a-z]+', [('foo', '=~', '[a-z]+')], None),
    ('foo!~[a-z]+', [('foo', '!~', '[a-z]+')], None),
    ('{"foo"="bar"}', [('foo', '=', 'bar')], None),
    ('{"foo"="bar",}', [('foo', '=', 'bar')], None),
    ('{"foo"!="bar"}', [('foo', '!=', 'bar')], None),
    ('{"foo"=~"[a-z]+"}', [('foo', '=~', '[a-z]+')], None),
    ('{"foo"!~"[a-z]+"}', [('foo', '!~', '[a-z]+')], None),
    ('{"foo"="🙂"}', [('foo', '=', '🙂')], None),
    ('{"foo"="🙂bar"}', [('foo', '=', '🙂bar')], None),
    ('{"foo"="bar\\n"}', [('foo', '=', 'bar\n')], None),
    ('{"foo"="bar\\t"}', [('foo', '=', 'bar\t')], None),
    ('{"foo"="\\"bar\\""}', [('foo', '=', '"bar"')], None),
    ('{"foo"="bar\\\\"}', [('foo', '=', 'bar\\')], None),
    ('"foo"="bar"', [('foo', '=', 'bar')], None),
    ('"foo"="bar",', [('foo', '=', 'bar')], None),
    ('', None, 'no matchers'),
    ('{}', None, 'no matchers'),
    ('foo=bar,bar=baz', None, 'expected 1 matcher, found 2'),
    ('foo="\\xf0\\x9f"', None, '4:14: "\\xf0\\x9f": invalid input'),
]


@pytest.mark.parametrize(("text", "expected", "error"), MATCHERS)
def test_matchers(text: str, expected: Expected, error: str | None) -> None:
    if error is not None:
        with pytest.raises(MatcherParseError) as info:
            parse_matchers(text)
        assert str(info.value) == error
        return
    assert [(m.name, m.type.value, m.value) for m in parse_matchers(text)] == (expected or [])


@pytest.mark.parametrize(("text", "expected", "error"), MATCHER)
def test_matcher(text: str, expected: Expected, error: str | None) -> None:
    if error is not None:
        with pytest.raises(MatcherParseError) as info:
            parse_matcher(text)
        assert str(info.value) == error
        return
    m = parse_matcher(text)
    assert [(m.name, m.type.value, m.value)] == expected


@pytest.mark.parametrize(("text", "error"), [
    ("a!b", "1:2: !: expected one of '=~': expected an operator such as '=', '!=', '=~' or '!~'"),
    ("a!", ("1:2: unexpected end of input, expected one of '=~': expected an operator such as "
            "'=', '!=', '=~' or '!~'")),
    ('a="b', '2:4: "b: missing end ": expected label value'),
    ("a=~(", "failed to create matcher: error parsing regexp: missing closing ): `^(?:()$`"),
    ("a=b c=d", "4:5: unexpected c: expected a comma or close brace"),
    ("{a=b}}", "5:6: }: expected end of input"),
    ("a='b'", "2:3: ': invalid input: expected label value"),
])
def test_more_error_texts(text: str, error: str) -> None:
    with pytest.raises(MatcherParseError) as info:
        parse_matchers(text)
    assert str(info.value) == error


def test_columns_count_runes_not_bytes() -> None:
    with pytest.raises(MatcherParseError) as info:
        parse_matchers("😀=b c")
    assert str(info.value) == "4:5: unexpected c: expected a comma or close brace"


def test_lexer_tokens() -> None:
    lexer = Lexer('{ foo!~"b\\"r", }')
    kinds = []
    while (t := lexer.scan()).kind is not Kind.EOF:
        kinds.append((t.kind, t.value))
    assert kinds == [(Kind.OPEN_BRACE, "{"), (Kind.UNQUOTED, "foo"), (Kind.NOT_MATCHES, "!~"),
                     (Kind.QUOTED, '"b\\"r"'), (Kind.COMMA, ","), (Kind.CLOSE_BRACE, "}")]


def test_quoted_values_use_go_escapes() -> None:
    assert parse_matcher('a="\\u00e9\\x41\\101\\t"').value == "éAA\t"
    assert parse_matcher('"name with space"="v"').name == "name with space"


# Upstream's matcher/parse/lexer_test.go cases: tokens as (kind, value, byte offsets, rune columns).
LEXER: list[tuple[str, list[tuple[str, str, int, int, int, int]], str | None]] = [
    ('', [], None),
    ('{', [('OpenBrace', '{', 0, 1, 0, 1)], None),
    (' {', [('OpenBrace', '{', 1, 2, 1, 2)], None),
    ('}', [('CloseBrace', '}', 0, 1, 0, 1)], None),
    (' }', [('CloseBrace', '}', 1, 2, 1, 2)], None),
    ('{}', [('OpenBrace', '{', 0, 1, 0, 1), ('CloseBrace', '}', 1, 2, 1, 2)], None),
    ('{ }', [('OpenBrace', '{', 0, 1, 0, 1), ('CloseBrace', '}', 2, 3, 2, 3)], None),
    ('hello', [('Unquoted', 'hello', 0, 5, 0, 5)], None),
    ('hello_world', [('Unquoted', 'hello_world', 0, 11, 0, 11)], None),
    ('hello:world', [('Unquoted', 'hello:world', 0, 11, 0, 11)], None),
    ('hello0123456789', [('Unquoted', 'hello0123456789', 0, 15, 0, 15)], None),
    ('_hello', [('Unquoted', '_hello', 0, 6, 0, 6)], None),
    ('hello world', [('Unquoted', 'hello', 0, 5, 0, 5), ('Unquoted', 'world', 6, 11, 6, 11)], None),
    ('\nhello', [('Unquoted', 'hello', 1, 6, 1, 6)], None),
    ('hello\n', [('Unquoted', 'hello', 0, 5, 0, 5)], None),
    ('\rhello', [('Unquoted', 'hello', 1, 6, 1, 6)], None),
    (' hello', [('Unquoted', 'hello', 1, 6, 1, 6)], None),
    ('hello ', [('Unquoted', 'hello', 0, 5, 0, 5)], None),
    ('hello\nworld', [('Unquoted', 'hello', 0, 5, 0, 5), ('Unquoted', 'world', 6, 11, 6, 11)], None),
    ('$', [('Unquoted', '$', 0, 1, 0, 1)], None),
    ('🙂', [('Unquoted', '🙂', 0, 4, 0, 1)], None),
    ('Σ', [('Unquoted', 'Σ', 0, 2, 0, 1)], None),
    ('hello🙂Σ world', [('Unquoted', 'hello🙂Σ', 0, 11, 0, 7), ('Unquoted', 'world', 12, 17, 8, 13)], None),
    ('hello🙂Σ\u202fworld', [('Unquoted', 'hello🙂Σ', 0, 11, 0, 7), ('Unquoted', 'world', 14, 19, 8, 13)], None),
    ('"hello"', [('Quoted', '"hello"', 0, 7, 0, 7)], None),
    ('"hello 🙂"', [('Quoted', '"hello 🙂"', 0, 12, 0, 9)], None),
    ('"hello world"', [('Quoted', '"hello world"', 0, 13, 0, 13)], None),
    ('"hello\u202fworld"', [('Quoted', '"hello\u202fworld"', 0, 15, 0, 13)], None),
    ('"hello\nworld"', [('Quoted', '"hello\nworld"', 0, 13, 0, 13)], None),
    ('"hello\tworld"', [('Quoted', '"hello\tworld"', 0, 13, 0, 13)], None),
    ('"\\d+"', [('Quoted', '"\\d+"', 0, 5, 0, 5)], None),
    ('"\\\\d+"', [('Quoted', '"\\\\d+"', 0, 6, 0, 6)], None),
    ('"hello \\"world\\""', [('Quoted', '"hello \\"world\\""', 0, 17, 0, 17)], None),
    ('"hello world\\\\"', [('Quoted', '"hello world\\\\"', 0, 15, 0, 15)], None),
    ('"\\n"', [('Quoted', '"\\n"', 0, 4, 0, 4)], None),
    ('=', [('Equals', '=', 0, 1, 0, 1)], None),
    ('!=', [('NotEquals', '!=', 0, 2, 0, 2)], None),
    ('=~', [('Matches', '=~', 0, 2, 0, 2)], None),
    ('!~', [('NotMatches', '!~', 0, 2, 0, 2)], None),
    ('!', [], "0:1: unexpected end of input, expected one of '=~'"),
    ('~', [], '0:1: ~: invalid input'),
    ('=!', [('Equals', '=', 0, 1, 0, 1)], "1:2: unexpected end of input, expected one of '=~'"),
    ('!=!!', [('NotEquals', '!=', 0, 2, 0, 2)], "2:3: !: expected one of '=~'"),
    ('hello!', [('Unquoted', 'hello', 0, 5, 0, 5)], "5:6: unexpected end of input, expected one of '=~'"),
    ('\\n', [], '0:1: \\: invalid input'),
    ('\\nhello', [], '0:1: \\: invalid input'),
    ('hello\\n', [('Unquoted', 'hello', 0, 5, 0, 5)], '5:6: \\: invalid input'),
    ('hello\\r', [('Unquoted', 'hello', 0, 5, 0, 5)], '5:6: \\: invalid input'),
    ('"hello', [], '0:6: "hello: missing end "'),
    ('"hello\\"', [], '0:8: "hello\\": missing end "'),
]


@pytest.mark.parametrize(("text", "tokens", "error"), LEXER)
def test_lexer_table(text: str, tokens: list[tuple[str, str, int, int, int, int]], error: str | None) -> None:
    lexer = Lexer(text)
    got = []
    raised = None
    try:
        while (t := lexer.scan()).kind is not Kind.EOF:
            got.append((t.kind.value, t.value, len(text[:t.start].encode()), len(text[:t.end].encode()),
                        t.col_start, t.col_end))
    except MatcherParseError as e:
        raised = str(e)
    assert (got, raised) == (tokens, error)
