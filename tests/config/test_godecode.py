"""The go-yaml strict decoder re-enactment, on small made-up Go types."""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field)
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from amclone.config.errors import ConfigError, DecodeAbort
from amclone.config.godecode import Bool, Decoder, Int, Map, Seq, Str
from amclone.config.gostruct import Struct, gofield
from amclone.config.yamlnode import parse


@dataclass(frozen=True)
class Item:
    name: str = gofield("name", Str())
    on: bool = gofield("on", Bool())
    n: int = gofield("n", Int())


def _need_name(v: dict[str, Any]) -> None:
    if not v["name"]:
        raise ConfigError("missing name")


ITEM = Struct(Item, "test.plain", custom=True, defaults=lambda: Item(on=True), validate=_need_name)


@dataclass(frozen=True)
class Doc:
    items: tuple[Item, ...] = gofield("items", Seq(ITEM))
    tags: dict[str, str] = gofield("tags", Map(Str()))


DOC = Struct(Doc, "test.Doc")


def decode(text: str) -> tuple[Doc, list[str]]:
    root = parse(text.encode())
    assert root is not None
    d = Decoder()
    _, value = d.decode(root, DOC, DOC.zero())
    return value, d.terrors


def test_defaults_then_overlay() -> None:
    doc, errs = decode("items:\n- name: a\n- name: b\n  on: false\n  n: 3\n")
    assert errs == []
    assert doc.items == (Item("a", True, 0), Item("b", False, 3))


def test_null_resets_a_defaulted_field() -> None:
    doc, _ = decode("items:\n- name: a\n  on:\n")
    assert doc.items[0].on is False


def test_type_errors_are_collected_with_lines() -> None:
    _, errs = decode("items:\n- name: a\n  n: x\n  bogus: 1\n- name: b\n  name: c\ntags: [1]\n")
    assert errs == [
        "line 3: cannot unmarshal !!str `x` into int64",
        "line 4: field bogus not found in type test.plain",
        "line 6: field name already set in type test.plain",
        "line 7: cannot unmarshal !!seq into map[string]string",
    ]


def test_long_values_are_truncated_like_go() -> None:
    _, errs = decode("items:\n- name: a\n  n: abcdefghijkl\n")
    assert errs == ["line 3: cannot unmarshal !!str `abcdefg...` into int64"]


def test_validation_is_skipped_after_type_errors_but_aborts_otherwise() -> None:
    _, errs = decode("items:\n- n: x\n")  # no name, but the type error wins
    assert errs == ["line 2: cannot unmarshal !!str `x` into int64"]
    with pytest.raises(DecodeAbort, match="missing name"):
        decode("items:\n- bogus: 1\n- n: 1\n")


def test_duplicate_map_key_points_at_the_value() -> None:
    _, errs = decode("tags:\n  a: 1\n  a: 2\n")
    assert errs == ['line 3: key "a" already set in map']


def test_merge_keys_and_aliases() -> None:
    doc, errs = decode("base: &b {name: x, n: 2}\n")
    assert errs == ["line 1: field base not found in type test.Doc"]
    doc, errs = decode("items:\n- &i {name: x, n: 2}\n- *i\n- {<<: *i, n: 5}\n")
    assert errs == []
    assert [(i.name, i.n) for i in doc.items] == [("x", 2), ("x", 2), ("x", 5)]


def test_quoted_null_is_a_string() -> None:
    doc, _ = decode("items:\n- name: 'null'\n")
    assert doc.items[0].name == "null"


def test_floats_truncate_into_ints_and_bools_need_bool() -> None:
    doc, errs = decode("items:\n- name: a\n  n: 2.9\n")
    assert doc.items[0].n == 2
    doc, errs = decode("items:\n- name: a\n  on: 'yes'\n")
    assert errs == ["line 3: cannot unmarshal !!str `yes` into bool"]
    assert doc.items == ()  # an item whose unmarshaler failed is dropped from the slice
