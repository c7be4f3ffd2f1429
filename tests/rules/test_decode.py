"""go-yaml v3 decoding: which errors are collected, which abort, and their words."""

from __future__ import annotations

import pytest

from amclone.rules.decode import Decoder, Duration, Float, Int, RawNode, Slice, Str, StrMap, Struct
from amclone.rules.yamlv3 import YamlError, parse

THING = Struct("pkg.Thing", {"name": Str(), "n": Int(), "every": Duration(), "tags": StrMap(),
                             "items": Slice(Str()), "raw": RawNode(), "ratio": Float()}, lambda v, _n: v)


def decode(text: str, strict: bool = True) -> object:
    return Decoder(known_fields=strict).run(parse(text.encode()), THING)


def error(text: str, strict: bool = True) -> str:
    with pytest.raises(YamlError) as e:
        decode(text, strict)
    return str(e.value)


def test_scalars_of_any_kind_decode_into_strings() -> None:
    assert decode("name: 5\ntags: {a: true, b: 1.5, c: ~}\n") == {"name": "5", "tags": {"a": "true", "b": "1.5", "c": ""}}


def test_int_takes_ints_and_truncates_floats() -> None:
    assert decode("n: 0x10\n") == {"n": 16}
    assert decode("n: 2.9\n") == {"n": 2}


@pytest.mark.parametrize(("text", "message"), [
    ("n: many\n", "line 1: cannot unmarshal !!str `many` into int"),
    ("n: true\n", "line 1: cannot unmarshal !!bool `true` into int"),
    ("n: '5'\n", "line 1: cannot unmarshal !!str `5` into int"),
    ("n: a long string value\n", "line 1: cannot unmarshal !!str `a long ...` into int"),
    ("name: [a]\n", "line 1: cannot unmarshal !!seq into string"),
    ("tags: [a]\n", "line 1: cannot unmarshal !!seq into map[string]string"),
    ("items: x\n", "line 1: cannot unmarshal !!str `x` into []string"),
    ("ratio: x\n", "line 1: cannot unmarshal !!str `x` into float64"),
    ("every: {a: 1}\n", "line 1: cannot unmarshal !!map into string"),
    ("other: 1\n", "line 1: field other not found in type pkg.Thing"),
    ("name: a\nname: b\n", 'line 2: mapping key "name" already defined at line 1'),
])
def test_collected_errors(text: str, message: str) -> None:
    assert error(text) == "yaml: unmarshal errors:\n  " + message


def test_errors_are_collected_in_document_order() -> None:
    assert error("n: x\nother: 1\nname: [a]\n") == (
        "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `x` into int\n"
        "  line 2: field other not found in type pkg.Thing\n  line 3: cannot unmarshal !!seq into string")


def test_a_bad_duration_aborts_and_drops_collected_errors() -> None:
    assert error("n: x\nevery: 5x\nother: 1\n") == 'not a valid duration string: "5x"'
    assert error("every: 300\n") == 'not a valid duration string: "300"'


def test_durations() -> None:
    assert decode("every: 1h30m\n") == {"every": 5400 * 10**9}
    assert decode("every: 0\n") == {"every": 0}


def test_loose_decoding_ignores_unknown_fields() -> None:
    assert decode("other: 1\nname: x\n", strict=False) == {"name": "x"}


def test_raw_node_takes_anything() -> None:
    value = decode("raw: {a: [1]}\n")
    assert isinstance(value, dict) and value["raw"].kind == "mapping"


def test_failed_sequence_items_are_dropped_but_reported() -> None:
    assert error("items: [a, [b], c]\n") == "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into string"


def test_merge_keys_fill_unset_fields_first_source_wins() -> None:
    assert decode("tags:\n  <<: [{a: '1', b: '1'}, {b: '2', c: '2'}]\n  a: own\n") == {
        "tags": {"a": "own", "b": "1", "c": "2"}}
    assert decode("base: &b {name: x, n: 1}\n", strict=False) == {}
    assert decode("<<: {name: x, n: 1}\nn: 2\n") == {"name": "x", "n": 2}


def test_merge_of_a_scalar_aborts() -> None:
    assert error("tags: {<<: x}\n") == "yaml: map merge requires map or sequence of maps as the value"


def test_alias_cycle_is_an_error_not_a_recursion() -> None:
    text = "items: &a [*a]\n"
    with pytest.raises(YamlError):
        decode(text)
