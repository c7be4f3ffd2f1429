"""Go's fmt as templates print values (expected strings taken from amtool runs)."""

from __future__ import annotations

from amclone.template.gotmpl.gofmt import format_float, sprint, sprintf, sprintln
from amclone.template.gotmpl.values import GoMap, StringSlice


def test_sprintf_verbs() -> None:
    got = sprintf("%d %s %v %q %x %5.2f|%-5s|%05d|%+d %t %T %e %g %c %U %o %b %X %%",
                  [42, "s", 1.5, "q", 255, 3.14159, "ab", 42, 5, True, 1.0, 1234567.0, 1e21, 65, 65, 8, 5, 255])
    assert got == '42 s 1.5 "q" ff  3.14|ab   |00042|+5 true float64 1.234567e+06 1e+21 A U+0041 10 101 FF %'


def test_sprintf_errors() -> None:
    assert sprintf("%d", []) == "%!d(MISSING)"
    assert sprintf("%d", ["x", 1]) == "%!d(string=x)%!(EXTRA int=1)"
    assert sprintf("%!", []) == "%!!(MISSING)"


def test_sprint_spacing() -> None:
    assert sprint([1, 2, "a", "b", 3]) == "1 2ab3"
    assert sprintln([1, "a"]) == "1 a\n"


def test_float_shortest() -> None:
    assert [format_float(x) for x in (1e6, 123456.0, 0.00001, 1.5e300, -0.0, 0.1)] == \
        ["1e+06", "123456", "1e-05", "1.5e+300", "-0", "0.1"]


def test_collections() -> None:
    assert sprint([GoMap({"b": "2", "a": "1"})]) == "map[a:1 b:2]"
    assert sprint([StringSlice(["x", "y"])]) == "[x y]"
