"""Go regexp semantics and error texts on top of google-re2.

GO_VERDICTS is what the reference 0.25 build (Go 1.19.8) says about `match_re: {a: <pattern>}`,
captured with `amtool check-config`; compat-tests/labels/test_regex_compat.py re-runs the real
tool on the same table. None means Go accepts the pattern.
"""

from __future__ import annotations

import pytest

from amclone.labels.regex import RegexError, compile_anchored, compile_unanchored

GO_VERDICTS: list[tuple[str, str | None]] = [
    ('(x{500}){3}?', 'invalid repeat count: `{3}?`'),
    ('x{2,1}?', 'invalid repeat count: `{2,1}`'),
    ('x{1001}?', 'invalid repeat count: `{1001}`'),
    ('x{1001,}?', 'invalid repeat count: `{1001,}`'),
    ('a{2}{3}?', 'invalid nested repetition operator: `{2}{3}?`'),
    ('a**?', 'invalid nested repetition operator: `**?`'),
    ('(', 'missing closing ): `^(?:()$`'),
    ('a)', 'unexpected ): `^(?:a))$`'),
    ('[a', 'missing closing ]: `[a)$`'),
    ('a**', 'invalid nested repetition operator: `**`'),
    ('a++', 'invalid nested repetition operator: `++`'),
    ('a*+', 'invalid nested repetition operator: `*+`'),
    ('a?+', 'invalid nested repetition operator: `?+`'),
    ('a{2}+', 'invalid nested repetition operator: `{2}+`'),
    ('a{2}{3}', 'invalid nested repetition operator: `{2}{3}`'),
    ('\\C', 'invalid escape sequence: `\\C`'),
    ('\\z', None),
    ('\\Z', 'invalid escape sequence: `\\Z`'),
    ('\\A', None),
    ('\\b', None),
    ('\\B', None),
    ('(?P<n>a)', None),
    ('(?<n>a)', 'invalid or unsupported Perl syntax: `(?<`'),
    ('(?P<n>a)(?P<n>b)', None),
    ('(?P<>a)', 'invalid named capture: `(?P<>`'),
    ('(?P<ñ>a)', 'invalid named capture: `(?P<ñ>`'),
    ('(?P<n', 'invalid named capture: `(?P<n)$`'),
    ('(?P=n)', 'invalid or unsupported Perl syntax: `(?P`'),
    ('(?i)a', None),
    ('(?z)a', 'invalid or unsupported Perl syntax: `(?z`'),
    ('(?i', 'missing closing ): `^(?:(?i)$`'),
    ('(?#comment)', 'invalid or unsupported Perl syntax: `(?#`'),
    ('(?=a)', 'invalid or unsupported Perl syntax: `(?=`'),
    ('(?!a)', 'invalid or unsupported Perl syntax: `(?!`'),
    ('(?<=a)', 'invalid or unsupported Perl syntax: `(?<`'),
    ('x{1001}', 'invalid repeat count: `{1001}`'),
    ('x{1000}', None),
    ('x{2,1}', 'invalid repeat count: `{2,1}`'),
    ('x{1000,}', None),
    ('(x{500}){3}', 'invalid repeat count: `{3}`'),
    ('((a{100}){100}){100}', 'invalid repeat count: `{100}`'),
    ('\\8', 'invalid escape sequence: `\\8`'),
    ('\\1', 'invalid escape sequence: `\\1`'),
    ('\\0', None),
    ('\\12', None),
    ('\\pL', None),
    ('\\p{Greek}', None),
    ('\\p{Foo}', 'invalid character class range: `\\p{Foo}`'),
    ('\\pZ', None),
    ('\\p', 'invalid character class range: `\\p)`'),
    ('[[:alpha:]]', None),
    ('[[:foo:]]', 'invalid character class range: `[:foo:]`'),
    ('[z-a]', 'invalid character class range: `z-a`'),
    ('[a-\\d]', 'invalid escape sequence: `\\d`'),
    ('\\Q.\\E', None),
    ('\\Qab', 'missing closing ): `^(?:\\Qab)$`'),
    ('*a', 'missing argument to repetition operator: `*`'),
    ('+a', 'missing argument to repetition operator: `+`'),
    ('?a', 'missing argument to repetition operator: `?`'),
    ('{1}a', 'missing argument to repetition operator: `{1}`'),
    ('a{,2}', None),
    ('a|*', 'missing argument to repetition operator: `*`'),
    ('()', None),
    ('(|)', None),
    ('\\x{110000}', 'invalid escape sequence: `\\x{110000`'),
    ('\\x{zz}', 'invalid escape sequence: `\\x{z`'),
    ('\\xZ', 'invalid escape sequence: `\\xZ)`'),
    ('\\', 'missing closing ): `^(?:\\)$`'),
    ('a\\', 'missing closing ): `^(?:a\\)$`'),
    ('[\\C]', 'invalid escape sequence: `\\C`'),
    ('\\e', 'invalid escape sequence: `\\e`'),
    ('\\v', None),
    ('\\cA', 'invalid escape sequence: `\\c`'),
    ('\\N{LATIN SMALL LETTER A}', 'invalid escape sequence: `\\N`'),
    ('\\u0041', 'invalid escape sequence: `\\u`'),
    ('\\U00000041', 'invalid escape sequence: `\\U`'),
    ('\\X', 'invalid escape sequence: `\\X`'),
    ('\\R', 'invalid escape sequence: `\\R`'),
    ('\\h', 'invalid escape sequence: `\\h`'),
    ('\\K', 'invalid escape sequence: `\\K`'),
    ('\\G', 'invalid escape sequence: `\\G`'),
    ('[^]', 'missing closing ]: `[^])$`'),
    ('[]a]', None),
    ('[a-]', None),
    ('(?U)a+', None),
    ('(?m)^a$', None),
    ('(?s).', None),
    ('(?-i)a', None),
    ('(?i-s:a)', None),
    ('(?:a', 'missing closing ): `^(?:(?:a)$`'),
    ('(?P<name>', 'missing closing ): `^(?:(?P<name>)$`'),
    ('[[:^alpha:]]', None),
    ('[\\p{Foo}]', 'invalid character class range: `\\p{Foo}`'),
    ('\\P{Greek}', None),
    ('\\p{^Greek}', None),
    ('\\pN', None),
    ('\\d\\D\\w\\W\\s\\S', None),
    ('[\\d-z]', None),
    ('x**', 'invalid nested repetition operator: `**`'),
    ('x{2}*', 'invalid nested repetition operator: `{2}*`'),
    ('a{1001,}', 'invalid repeat count: `{1001,}`'),
    ('a{0,1001}', 'invalid repeat count: `{0,1001}`'),
    ('(?<!a)', 'invalid or unsupported Perl syntax: `(?<`'),
    ('(?P<n>a)(?P<n>b)', None),
    ('\\p{Vithkuqi}', 'invalid character class range: `\\p{Vithkuqi}`'),
    ('\\p{Kawi}', 'invalid character class range: `\\p{Kawi}`'),
    ('\\p{Toto}', 'invalid character class range: `\\p{Toto}`'),
    ('\\p{Latin}', None),
    ('\\p{Cypro_Minoan}', 'invalid character class range: `\\p{Cypro_Minoan}`'),
    ('\\p{Adlam}', None),
    ('\\p{L}', None),
    ('\\p{Lu}', None),
    ('\\p{Han}', None),
    ('\\p{Garay}', 'invalid character class range: `\\p{Garay}`'),
    ('(?P<a1_>x)', None),
    ('(?i)ſ', None),
    ('\\x{FFFF}', None),
    ('[\\x{D800}]', None),
    ('a{1000}{1}', 'invalid nested repetition operator: `{1000}{1}`'),
    ('(a{10}){100}', None),
    ('(a{10}){101}', 'invalid repeat count: `{101}`'),
    ('(?:a{10}|b{50}){30}', 'invalid repeat count: `{30}`'),
]


@pytest.mark.parametrize(("pattern", "go_error"), GO_VERDICTS)
def test_anchored_compile_agrees_with_go(pattern: str, go_error: str | None) -> None:
    if go_error is None:
        compile_anchored(pattern)
        return
    with pytest.raises(RegexError) as info:
        compile_anchored(pattern)
    assert str(info.value) == "error parsing regexp: " + go_error


def test_nesting_deeper_than_go_allows() -> None:
    ok = "(" * 998 + "a" + ")" * 998
    compile_anchored(ok)
    deep = "(" * 1001 + "a" + ")" * 1001
    with pytest.raises(RegexError) as info:
        compile_anchored(deep)
    assert str(info.value) == f"error parsing regexp: expression nests too deeply: `^(?:{deep})$`"


def test_patterns_beyond_the_default_cpp_budget_still_compile() -> None:
    # C++ RE2 refuses this with max_mem at 8 MiB; Go accepts it.
    compile_anchored("|".join(["[a-z]{1000}"] * 100))


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    ("foo", "foo", True),
    ("foo", "foobar", False),  # anchored: the whole value must match
    ("foo|bar", "bar", True),  # alternation is inside the group, so both branches are anchored
    ("", "", True),
    ("", "x", False),
    (".*", "multi\nline", False),  # '.' does not match newline without (?s)
    ("(?s).*", "multi\nline", True),
    ("a$", "a\n", False),  # '$' is end of text, not before a final newline
    ("(?i)HOST", "host", True),
    ("\\d+", "٣", False),  # \d is ASCII only in RE2
    ("\\pN", "٣", True),
    ("[[:alpha:]]+", "abc", True),
    ("\\Q.*\\E", ".*", True),
    ("\\Q.*\\E", "ab", False),
    ("ü.", "üß", True),  # matching is by code point, not byte
    ("(?P<n>a)(?P<n>b)", "ab", True),  # duplicate names are accepted by Go 1.19
])
def test_anchored_matching(pattern: str, text: str, expected: bool) -> None:
    assert compile_anchored(pattern).match_string(text) is expected


def test_unanchored_matching_searches() -> None:
    r = compile_unanchored("b+")
    assert r.match_string("abbbc")
    assert not r.match_string("ac")
    assert compile_unanchored("^a").match_string("ab")
    assert not compile_unanchored("^b").match_string("ab")


def test_unanchored_errors_report_the_pattern_as_given() -> None:
    with pytest.raises(RegexError) as info:
        compile_unanchored("(")
    assert str(info.value) == "error parsing regexp: missing closing ): `(`"


def test_invalid_bytes_in_text_match_like_go_rune_error() -> None:
    # Go decodes an invalid byte as U+FFFD (width 1): '.' matches it.
    raw = b"a\xffb".decode("utf-8", "surrogateescape")
    assert compile_anchored("a.b").match_string(raw)
    assert compile_anchored("a\\x{FFFD}b").match_string(raw)


def test_regex_error_fields() -> None:
    with pytest.raises(RegexError) as info:
        compile_anchored("a**")
    assert info.value.code == "invalid nested repetition operator"
    assert info.value.expr == "**"
    assert isinstance(info.value, ValueError)


def test_to_python_gives_groups_for_templates() -> None:
    m = compile_unanchored("(\\w+)@(\\w+)").to_python().search("mail me@host now")
    assert m is not None and m.group(2) == "host"


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    ("\\pL", "\u0870", False),  # ARABIC LETTER ALEF WITH ATTACHED FATHA: new in Unicode 14
    ("\\PL", "\u0870", True),  # unassigned in Go's tables, so not a letter
    ("\\p{Arabic}", "\u0870", False),
    ("\\p{Arabic}", "\u0627", True),  # ALEF: old enough
    ("\\p{Han}", "\U00031350", False),  # CJK extension H (Unicode 15)
    ("[^\\pL]", "\u0870", True),
    (".", "\u0870", True),  # '.' needs no tables
    ("\\x{0870}", "\u0870", True),  # a pattern naming the character sees it as it is
])
def test_unicode_classes_use_go_1_19_tables(pattern: str, text: str, expected: bool) -> None:
    assert compile_anchored(pattern).match_string(text) is expected
