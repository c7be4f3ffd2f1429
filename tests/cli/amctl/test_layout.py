"""Go text layouts amtool output depends on: tabwriter, treeprint, doc wrapping, time layouts."""

from __future__ import annotations

import pytest

from amclone.cli.amctl.godoc import to_text, wrap
from amclone.cli.amctl.golayout import format_time, parse_rfc3339
from amclone.cli.amctl.layout import TabWriter, Tree

T = parse_rfc3339("2026-01-02T15:04:05.678Z")


def test_tabwriter_pads_terminated_cells_only() -> None:
    w = TabWriter()
    w.write("A\tBB\t\nCCC\tD\t\n")
    assert w.getvalue() == "A    BB  \nCCC  D   \n"


def test_tabwriter_line_without_tabs_ends_the_block() -> None:
    w = TabWriter()
    w.write("x:\tlong-value\nNode:\ty\n\nAddress\tName\nveryveryverylong\tn\t\n")
    assert w.getvalue() == ("x:     long-value\nNode:  y\n\nAddress           Name\n"
                            "veryveryverylong  n  \n")


def test_tree() -> None:
    t = Tree()
    a = t.add_branch("a")
    a.add_branch("a1")
    t.add_branch("b")
    assert t.render() == ".\n├── a\n│\u00a0\u00a0 └── a1\n└── b\n"


def test_wrap_prefers_punctuation() -> None:
    words = ["aaaa", "bbbb,", "cccc", "dddd", "eeee"]
    assert wrap(words, 12) == [0, 2, 4, 5]


def test_to_text_code_blocks_and_lists() -> None:
    text = "Intro line:\n\tcode  here\n\nList:\n\t- one\n\t- two\n"
    assert to_text(text, "", "  ", 80) == "Intro line:\n\n  code  here\n\nList:\n  - one\n  - two\n"


@pytest.mark.parametrize("layout, expected", [
    ("2006-01-02 15:04:05 MST", "2026-01-02 15:04:05 UTC"),
    ("Mon Jan _2 03:04:05.000 PM Z07:00", "Fri Jan  2 03:04:05.678 PM Z"),
    ("January 2, 06 .999 -0700", "January 2, 26 .678 +0000"),
])
def test_format_time(layout: str, expected: str) -> None:
    assert format_time(T, layout) == expected


@pytest.mark.parametrize("text, error", [
    ("bad", 'parsing time "bad" as "2006-01-02T15:04:05Z07:00": cannot parse "bad" as "2006"'),
    ("2026-01-02", 'parsing time "2026-01-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"'),
    ("2026-13-02T00:00:00Z", 'parsing time "2026-13-02T00:00:00Z": month out of range'),
])
def test_parse_rfc3339_errors(text: str, error: str) -> None:
    with pytest.raises(ValueError) as e:
        parse_rfc3339(text)
    assert str(e.value) == error
