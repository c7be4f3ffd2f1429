"""The unit tests' verdict tables, re-derived from amtool 0.25 and compared with amclone.

- GO_VERDICTS (tests/labels/test_regex.py): `match_re` patterns through `amtool check-config`;
- CLASSIC_VERDICTS (tests/labels/test_classic.py): `matchers:` entries through `amtool config routes`;
- VERDICTS (tests/timeinterval/test_parse.py): `time_intervals` entries through `amtool check-config`;
plus extra generated inputs that the tables do not hold, so amclone is checked beyond them.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml
from labels_oracle import check_configs, route_matchers, unit_table, yaml_str

from amclone.labels import classic
from amclone.labels.matcher import MatcherParseError, matchers_string, sort_key
from amclone.labels.regex import RegexError, compile_anchored
from amclone.timeinterval import TimeIntervalError, parse_time_interval


def match_re_config(pattern: str) -> str:
    return ("route:\n  receiver: r\n  routes:\n  - receiver: r\n    match_re:\n"
            f"      a: {yaml_str(pattern)}\nreceivers:\n- name: r\n")


def go_regex_verdict(pattern: str) -> str | None:
    try:
        compile_anchored(pattern)
    except RegexError as e:
        return str(e)
    return None


ATOMS = [
    "a", "é", ".", "|", "(", ")", "[", "]", "*", "+", "?", "{2}", "{1,", "{,5}", "{0}", "{1000}", "x{1001}",
    "^", "$", "^*", "$+", "\\b*", "\\A*", "\\z", "\\Z", "\\C", "\\", "\\d", "\\W", "\\S", "\\B", "\\v",
    "\\a", "\\f", "\\8", "\\0", "\\177", "\\400", "\\.", "\\-", "\\_", "\\<", "\\~", "\\%", "\\ ", "\\é",
    "\\x", "\\x4", "\\xg1", "\\x{", "\\x{41}", "\\x{ 41}", "\\x{10FFFF}", "\\x{110000}",
    "(?:", "(?i)", "(?U)", "(?-s)", "(?i:", "(?s:", "(?i-)", "(?-)", "(?)", "(?flags)", "(?:)", "()", "(?:*)",
    "(?P<x>", "(?P<1>", "(?P<a-b>", "(?P<_>", "(?<y>", "(?P<é>", "*?", "+?", "??", "{2}?", "{2,}?", "x**?",
    "\\Q", "\\E", "\\Q*\\E*", "\\Qa\\E+", "[]", "[^]", "[]]", "[a-]", "[-a]", "[a-b-c]", "[z-a]",
    "[\\d-z]", "[a-\\d]", "[a-\\x{10FFFF}]", "[^\\x00-\\x{10FFFF}]", "[\\p{L}]", "[\\pL-z]", "[:alpha:]",
    "[[:alpha:]-z]", "[[:foo:]]", "\\pL", "\\PL", "\\pZs", "\\p{Zs}", "\\p{^L}", "\\P{^L}", "\\p{Greek}",
    "\\p{Latin}", "\\p{latin}", "\\p{Any}", "\\p{Nd}", "\\p{Cs}", "\\p{L&}", "\\p{IsLatin}", "\\p{Toto}",
]


def random_patterns(n: int, seed: int = 19) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 5))) for _ in range(n)]


def test_regex_verdicts(amtool: str, tmp_path: Path) -> None:
    table = unit_table("labels/test_regex.py").GO_VERDICTS
    patterns = [p for p, _ in table] + random_patterns(1000)
    theirs = check_configs(amtool, [match_re_config(p) for p in patterns], tmp_path)
    for (pattern, recorded), verdict in zip(table, theirs, strict=False):
        assert verdict == (None if recorded is None else "error parsing regexp: " + recorded), pattern
    mismatches = [(p, t, go_regex_verdict(p)) for p, t in zip(patterns, theirs, strict=True)
                  if go_regex_verdict(p) != t]
    assert mismatches == []


def classic_verdict(text: str) -> tuple[str | None, str | None]:
    try:
        ms = sorted(classic.parse_matchers(text), key=sort_key)
    except MatcherParseError as e:
        return None, str(e).rstrip()
    return (matchers_string(ms) if ms else "default-route"), None


def random_matcher_inputs(n: int, seed: int = 4) -> list[str]:
    """Mostly well-formed `name op value` lists with awkward values, some broken ones."""
    rng = random.Random(seed)
    names = ["a", "b_1", "x:y", " c ", "a", "b_1", "1a", "é", ""]
    ops = ["=", "!=", "=~", "!~", "==", "~"]
    bits = ["\\", ",", " ", "{", "}", "x y", "é", "\\n", ".*", "(", ")", "a|b", '\\"', "\t"]

    def one() -> str:
        value = "".join(rng.choice(bits) for _ in range(rng.randint(0, 4)))
        if rng.random() < 0.5:
            value = '"' + value + '"'
        return rng.choice(names) + rng.choice(ops) + value

    out = []
    for _ in range(n):
        text = rng.choice([",", ", "]).join(one() for _ in range(rng.randint(1, 3)))
        out.append("{" + text + "}" if rng.random() < 0.3 else text)
    return out


def test_classic_matcher_verdicts(amtool: str, tmp_path: Path) -> None:
    table = unit_table("labels/test_classic.py").CLASSIC_VERDICTS
    for text, printed, error in table:
        printed_t, error_t = route_matchers(amtool, text, tmp_path)
        assert (printed_t, error_t.rstrip() if error_t else None) == (printed, error), text
    for text in random_matcher_inputs(120):
        printed_t, error_t = route_matchers(amtool, text, tmp_path)
        assert (printed_t, error_t.rstrip() if error_t else None) == classic_verdict(text), text


def interval_config(entry: str) -> str:
    body = "\n".join("    " + line if i else "  - " + line for i, line in enumerate(entry.split("\n")))
    return ("route:\n  receiver: r\n  routes:\n  - receiver: r\n    mute_time_intervals: [x]\n"
            "receivers:\n- name: r\ntime_intervals:\n- name: x\n  time_intervals:\n" + body + "\n")


def interval_verdict(entry: str) -> str | None:
    try:
        parse_time_interval(yaml.safe_load(entry))
    except TimeIntervalError as e:
        return ("unmarshal: " if e.kind == "unmarshal" else "") + str(e)
    return None


def normalise(verdict: str | None) -> str | None:
    """amtool's form -> the table's: the yaml.v2 prefix and line number become "unmarshal: "."""
    if verdict is None or not verdict.startswith("yaml: unmarshal errors:"):
        return verdict
    return "unmarshal: " + re.sub(r"^.*?line \d+: ", "", verdict, flags=re.DOTALL)


def test_time_interval_verdicts(amtool: str, tmp_path: Path) -> None:
    table = unit_table("timeinterval/test_parse.py").VERDICTS
    rng = random.Random(11)
    values = ["monday", "Sunday:saturday", "funday", "1:5", "-1", "-3:-1", "0", "32", "-5:3", "10:5",
              "may", "13", "march:january", "2020", "2022:2020", "abc", "1:2:3", "+4"]
    extra = [f"{rng.choice(['weekdays', 'days_of_month', 'months', 'years'])}: ['{rng.choice(values)}']"
             for _ in range(60)]
    clock = ["00:00", "9:00", "09:00", "23:59", "24:00", "24:01", "12:60", "", "1200"]
    extra += [f"times: [{{start_time: '{rng.choice(clock)}', end_time: '{rng.choice(clock)}'}}]"
              for _ in range(30)]
    entries = [e for e, _ in table] + extra
    theirs = [normalise(v) for v in check_configs(amtool, [interval_config(e) for e in entries], tmp_path)]
    for (entry, recorded), verdict in zip(table, theirs, strict=False):
        assert verdict == recorded, entry
    mismatches = [(e, t, interval_verdict(e)) for e, t in zip(entries, theirs, strict=True)
                  if interval_verdict(e) != t]
    assert mismatches == []
