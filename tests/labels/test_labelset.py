"""Label-set fingerprints, strings, ordering and validity as Prometheus' model package has them."""

from __future__ import annotations

import random

import pytest

from amclone.labels import labelset
from amclone.labels.labelset import (
    EMPTY_FINGERPRINT,
    before,
    fingerprint,
    fingerprint_bytes,
    fingerprint_hex,
    is_valid,
    is_valid_name,
    is_valid_value,
    to_string,
)

# Fingerprints read back from a real Alertmanager 0.25 (/api/v2/alerts) for these label sets;
# compat-tests/labels/test_fingerprint_compat.py re-checks them against the binary.
KNOWN_FINGERPRINTS = [
    ({"alertname": "HostDown"}, "c45b0e7ef8b2814a"),
    ({"alertname": "HostDown", "instance": "db1:9100", "job": "node", "severity": "critical"},
     "be810afc28773f95"),
    ({"a": "1", "a1": "2"}, "8b5e93b8477a4433"),
    ({"name": "ünïcødé ☃", "x": "tab\tnew\nline"}, "35b7b42e02ffac00"),
    ({"alertname": 'q"uote\\back'}, "e6e21221d87d6877"),
    ({"Z": "z", "_": "u", "a": "A"}, "01e00533afd4c073"),
    ({"k": "😀" * 5}, "e37124aabdb44bf3"),
]


@pytest.mark.parametrize(("labels", "expected"), KNOWN_FINGERPRINTS)
def test_fingerprint_matches_alertmanager(labels: dict[str, str], expected: str) -> None:
    assert fingerprint_hex(fingerprint(labels)) == expected


def test_fingerprint_ignores_insertion_order() -> None:
    assert fingerprint({"b": "2", "a": "1"}) == fingerprint({"a": "1", "b": "2"})


def test_empty_label_set_is_the_fnv_offset_basis() -> None:
    assert fingerprint({}) == EMPTY_FINGERPRINT == 0xCBF29CE484222325


def test_separator_keeps_name_value_boundaries_apart() -> None:
    assert fingerprint({"ab": "c"}) != fingerprint({"a": "bc"})
    assert fingerprint({"a": ""}) != fingerprint({})


def test_escaped_invalid_bytes_hash_as_the_raw_bytes() -> None:
    # b"\xff" arrives as a surrogate escape; it must hash as the byte 0xff, not as U+FFFD.
    raw = b"v\xff".decode("utf-8", "surrogateescape")
    assert fingerprint({"a": raw}) != fingerprint({"a": "v\ufffd"})


def test_fingerprint_hex_pads_to_sixteen_digits() -> None:
    assert fingerprint_hex(0xABC) == "0000000000000abc"


@pytest.mark.parametrize(("labels", "expected"), [
    ({}, "{}"),
    ({"b": "2", "a": "1"}, '{a="1", b="2"}'),
    # sorted as formatted strings: 'a1=' < 'a=' because '1' < '='
    ({"a": "x", "a1": "y"}, '{a1="y", a="x"}'),
    ({"q": 'say "hi"\\'}, '{q="say \\"hi\\"\\\\"}'),
    ({"n": "line\nbreak\ttab"}, '{n="line\\nbreak\\ttab"}'),
    ({"u": "ünï ☃"}, '{u="ünï ☃"}'),
    ({"c": "\x00\x7f"}, '{c="\\x00\\x7f"}'),
])
def test_to_string_is_go_label_set_string(labels: dict[str, str], expected: str) -> None:
    assert to_string(labels) == expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    ({}, {"a": "1"}, True),  # fewer labels first
    ({"a": "1", "b": "1"}, {"z": "0"}, False),
    ({"a": "1"}, {"a": "2"}, True),
    ({"a": "2"}, {"a": "1"}, False),
    ({"a": "1"}, {"a": "1"}, False),  # equal sets: neither is before the other
    ({"a": "1"}, {"b": "1"}, False),  # 'a' is missing on the right side first
    ({"b": "1"}, {"a": "1"}, True),  # 'a' is missing on the left side first
    ({"a": "1", "b": "2"}, {"a": "1", "b": "3"}, True),
])
def test_before_is_model_label_set_before(a: dict[str, str], b: dict[str, str], expected: bool) -> None:
    assert before(a, b) is expected


@pytest.mark.parametrize(("name", "valid"), [
    ("alertname", True), ("_", True), ("A_1", True), ("__name__", True),
    ("", False), ("1a", False), ("a-b", False), ("a:b", False), ("a b", False),
    ("ünï", False), ("a😀", False), ("ａ", False),  # fullwidth letters are not ASCII
])
def test_is_valid_name_is_0_25_regex(name: str, valid: bool) -> None:
    assert is_valid_name(name) is valid


def test_is_valid_value_is_utf8_validity() -> None:
    assert is_valid_value("")
    assert is_valid_value("ünï ☃ \x00")
    assert not is_valid_value(b"\xff".decode("utf-8", "surrogateescape"))
    assert not is_valid_value("\ud800")


def test_is_valid_checks_every_pair() -> None:
    assert is_valid({"a": "b", "c": ""})
    assert not is_valid({"a": "b", "1": "c"})


def _plain_fnv(labels: dict[str, str]) -> int:
    """The definition, byte by byte: what the cached pair arithmetic must reproduce."""
    data = b"".join(n.encode("utf-8", "surrogateescape") + b"\xff" + labels[n].encode("utf-8", "surrogateescape")
                    + b"\xff" for n in sorted(labels))
    return fingerprint_bytes(data)


def test_cached_pair_arithmetic_equals_plain_fnv() -> None:
    rng = random.Random(3)
    alphabet = ["a", "b", "é", "☃", "😀", "\x00", "\xff", "\udcff", "\udc80", " ", "="]
    for _ in range(3000):
        labels = {"".join(rng.choice("abc_") for _ in range(rng.randint(1, 4))):
                  "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
                  for _ in range(rng.randint(1, 5))}
        assert fingerprint(labels) == _plain_fnv(labels), labels


def test_caches_stay_bounded_and_correct_after_clearing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(labelset, "_PAIRS_MAX", 8)
    monkeypatch.setattr(labelset, "_SETS_MAX", 4)
    sets = [{"alertname": "A", "instance": f"host{i}"} for i in range(50)]
    first = [fingerprint(s) for s in sets]
    assert len(labelset._PAIRS) <= 8 and len(labelset._SETS) <= 4
    assert [fingerprint(s) for s in sets] == first == [_plain_fnv(s) for s in sets]


def test_c_and_python_paths_agree_with_plain_fnv() -> None:
    """The C hash over one joined encoding and the cached pure-Python pair arithmetic (the
    fallback, also taken for lone surrogates that are no escaped bytes) give the same values."""
    rng = random.Random(7)
    alphabet = ["a", "b", "é", "☃", "😀", "\x00", "\xff", "\udcff", "\udc80", "\ud800", " ", "=", "ÿ"]
    for _ in range(3000):
        labels = {"".join(rng.choice("abc_") for _ in range(rng.randint(1, 4))):
                  "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
                  for _ in range(rng.randint(1, 5))}
        expected = labelset._hash_pairs(tuple(sorted(labels.items())))
        assert fingerprint(labels) == labelset._cached_fingerprint(labels) == expected, labels
        if "\ud800" not in "".join([*labels, *labels.values()]):
            assert expected == _plain_fnv(labels), labels


@pytest.mark.parametrize("name,ok", [("a", True), ("0x", True), ("dé jà", True), ("", False), ("\udc80", False)])
def test_utf8_name_rule(name: str, ok: bool) -> None:
    assert labelset.is_valid_utf8_name(name) is ok
