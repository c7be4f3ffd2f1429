"""PromQL checks with 2.42's words: positions, and what 2.42 rejects that Prometheus 3 accepts."""

from __future__ import annotations

import pytest

from amclone.rules.exprcheck import check
from amclone.rules.promql242 import code_mask, for_parser, position, unquote_string


@pytest.mark.parametrize("expr", [
    "up", "sum by (job) (rate(x[5m])) > 0.5", "holt_winters(x[10m], 0.5, 0.5)", "x offset -5m", "x @ start()",
    'label_replace(up, "a", "$1", "b", "(.*)")', "sum(x) BY (a)", "max_over_time(x[5m:1m])", "# c\nup",
    'up{job="rate(x)"}', "absent(up{a=~\"x|y\"})", "1 > bool 2",
])
def test_valid_in_2_42(expr: str) -> None:
    assert check(expr) is None


@pytest.mark.parametrize(("expr", "message"), [
    ("up |", "1:4: parse error: unexpected character: '|'"),
    ('up{a="|"} |', "1:11: parse error: unexpected character: '|'"),
    ("sum(\n  up", "2:5: parse error: unclosed left parenthesis"),
    ("info(up)", '1:1: parse error: unknown function with name "info"'),
    ("up + histogram_avg(x)", '1:6: parse error: unknown function with name "histogram_avg"'),
    ("nosuch(up)", '1:1: parse error: unknown function with name "nosuch"'),
    ("double_exponential_smoothing(x[5m], 0.5, 0.5)",
     '1:1: parse error: unknown function with name "double_exponential_smoothing"'),
    ("rate(x[5])", "1:8: parse error: missing unit character in duration"),
    ("time() - x > 10m", '1:14: parse error: unexpected duration "10m"'),
    ('up{job=~"("}', "1:4: parse error: error parsing regexp: missing closing ): `^(?:()$`"),
    ("rate(up)", '1:6: parse error: expected type range vector in call to function "rate", got instant vector'),
])
def test_errors_as_2_42_prints_them(expr: str, message: str) -> None:
    assert check(expr) == message


def test_position_counts_columns_from_the_last_newline() -> None:
    assert position("ab\ncd", 4) == "2:2"
    assert position("abc", 0) == "1:1"
    assert position("abc\n", 4) == "2:1"


def test_code_mask_hides_strings_and_comments() -> None:
    text = 'a"b"c # d\ne'
    assert "".join(c for c, m in zip(text, code_mask(text)) if m) == "ac \ne"


def test_renamed_function_is_given_its_new_name_only_as_a_call() -> None:
    assert for_parser('holt_winters(x[1m], 1, 1) + my_holt_winters{a="holt_winters("}') == (
        'double_exponential_smoothing(x[1m], 1, 1) + my_holt_winters{a="holt_winters("}')


@pytest.mark.parametrize(("lit", "value"), [('"a\\nb"', "a\nb"), ("'it\\'s'", "it's"), ("'say \"x\"'", 'say "x"'),
                                            ("`raw\\n`", "raw\\n")])
def test_promql_string_literals(lit: str, value: str) -> None:
    assert unquote_string(lit) == value
