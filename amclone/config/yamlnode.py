"""YAML text to a node tree, the way gopkg.in/yaml.v2 sees it.

Alertmanager parses its config with go-yaml v2, a Go port of libyaml. PyYAML's C extension wraps
libyaml itself, so its event stream (and its syntax errors) are go-yaml's; what we must redo in
Python is go-yaml's own layer on top: building nodes, keeping only the first document, the
`yaml: line N: ...` error wording (with go-yaml's off-by-one line quirk for parser errors), and
the scalar resolution rules of YAML 1.1 as go-yaml implements them (``yes``/``on`` are booleans,
no sexagesimal numbers, ``0b`` binary ints...).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from amclone.config.errors import ConfigError

SCALAR, MAPPING, SEQUENCE, ALIAS = "scalar", "mapping", "sequence", "alias"

LONG_PREFIX = "tag:yaml.org,2002:"
STR_TAG = LONG_PREFIX + "str"
NULL_TAG = LONG_PREFIX + "null"
BOOL_TAG = LONG_PREFIX + "bool"
INT_TAG = LONG_PREFIX + "int"
FLOAT_TAG = LONG_PREFIX + "float"
TIMESTAMP_TAG = LONG_PREFIX + "timestamp"
BINARY_TAG = LONG_PREFIX + "binary"
MERGE_TAG = LONG_PREFIX + "merge"
SEQ_TAG = LONG_PREFIX + "seq"
MAP_TAG = LONG_PREFIX + "map"


@dataclass(eq=False)
class Node:
    """go-yaml's `node`: kind, 0-based line, tag as written, raw value, plain-implicit flag."""

    kind: str
    line: int
    column: int
    tag: str = ""
    value: str = ""
    implicit: bool = False
    children: list[Node] = field(default_factory=list)
    alias: Node | None = None

    def is_null(self) -> bool:
        """go-yaml's `prepare` test: such a node leaves the target at its zero value."""
        if self.tag == NULL_TAG:
            return True
        return self.kind == SCALAR and self.tag == "" and (
            self.value in ("null", "~") or (self.value == "" and self.implicit))

    def is_merge(self) -> bool:
        return self.kind == SCALAR and self.value == "<<" and (self.implicit or self.tag == MERGE_TAG)


def short_tag(tag: str) -> str:
    return "!!" + tag[len(LONG_PREFIX):] if tag.startswith(LONG_PREFIX) else tag


def _syntax_error(e: yaml.YAMLError) -> ConfigError:
    """go-yaml's parser.fail(): `line` is the problem mark's 0-based line (+1 for scanner errors)."""
    if isinstance(e, yaml.reader.ReaderError):
        return ConfigError("yaml: " + str(getattr(e, "reason", "") or "unknown problem parsing YAML content"))
    assert isinstance(e, yaml.MarkedYAMLError)
    line = 0
    pm, cm = e.problem_mark, e.context_mark
    if pm is not None and pm.line != 0:
        line = pm.line
        if isinstance(e, yaml.scanner.ScannerError):
            line += 1
    elif cm is not None and cm.line != 0:
        line = cm.line
    where = f"line {line}: " if line else ""
    problem = e.problem or "unknown problem parsing YAML content"
    return ConfigError(f"yaml: {where}{problem}", line=line or None)


_STAND_IN = "\ue000"


def parse(data: bytes) -> Node | None:
    """The first document of `data` as a node tree (None for an empty stream)."""
    if not data:
        data = b"\n"
    stand_in = ""
    if b"\n\xef\xbb\xbf" in data and _STAND_IN.encode() not in data:
        # libyaml skips a BOM that starts a later line; go-yaml means to, but its is_bom looks
        # at the start of its buffer instead of the current position, so the BOM stays an
        # ordinary character (`field \ufeffreceivers not found`). A private-use character that
        # libyaml also reads as ordinary stands in for it and is swapped back in the values.
        data = data.replace(b"\n\xef\xbb\xbf", b"\n" + _STAND_IN.encode())
        stand_in = _STAND_IN
    try:
        return _Builder(yaml.parse(data, Loader=yaml.CLoader), data, stand_in).document()
    except yaml.YAMLError as e:
        raise _syntax_error(e) from None


class _Builder:
    def __init__(self, events: Any, data: bytes, stand_in: str = "") -> None:
        self._stand_in = stand_in
        self._lines = data.decode("utf-8", "replace").splitlines(keepends=True)
        self._events = iter(events)
        self._peeked: Any = None
        self._anchors: dict[str, Node] = {}

    def _peek(self) -> Any:
        if self._peeked is None:
            self._peeked = next(self._events)
        return self._peeked

    def _take(self) -> Any:
        ev = self._peek()
        self._peeked = None
        return ev

    def document(self) -> Node | None:
        self._take()  # stream start
        ev = self._peek()
        if isinstance(ev, yaml.StreamEndEvent):
            return None
        start = self._take()  # document start
        if start.version is not None and start.version != (1, 1):
            # libyaml 0.2 accepts `%YAML 1.2`; go-yaml (a port of 0.1) does not.
            line = start.start_mark.line
            raise ConfigError("yaml: " + (f"line {line}: " if line else "") + "found incompatible YAML document",
                              line=line or None)
        root = self._node()
        self._take()  # document end: later documents are never read, as in go-yaml
        return root

    def _node(self) -> Node:
        """One node and everything below it, iteratively (documents may nest arbitrarily deep)."""
        stack: list[Node] = []
        while True:
            ev = self._take()
            if isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                node = stack.pop()
            else:
                node = self._leaf_or_open(ev)
                if isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                    stack.append(node)
                    continue
            if not stack:
                return node
            stack[-1].children.append(node)

    def _leaf_or_open(self, ev: Any) -> Node:
        line, col = ev.start_mark.line, ev.start_mark.column
        if isinstance(ev, yaml.AliasEvent):
            target = self._anchors.get(ev.anchor or "")
            if target is None:
                raise ConfigError(f"yaml: unknown anchor '{ev.anchor}' referenced", line=line + 1)
            return Node(ALIAS, line, col, value=str(ev.anchor), alias=target)
        if isinstance(ev, yaml.ScalarEvent):
            if ev.style == '"':
                self._check_escapes(ev)
            value = str(ev.value)
            if self._stand_in:
                value = value.replace(self._stand_in, "\ufeff")
            n = Node(SCALAR, line, col, tag=ev.tag or "", value=value, implicit=bool(ev.implicit[0]))
        elif isinstance(ev, yaml.SequenceStartEvent):
            n = Node(SEQUENCE, line, col, tag=ev.tag or "")
        elif isinstance(ev, yaml.MappingStartEvent):
            n = Node(MAPPING, line, col, tag=ev.tag or "")
        else:  # pragma: no cover - libyaml never yields anything else here
            raise ConfigError(f"yaml: unexpected event {type(ev).__name__}")
        self._anchor(ev, n)
        return n

    def _check_escapes(self, ev: Any) -> None:
        """libyaml 0.2 added the JSON escape `\\/`; go-yaml's scanner calls it unknown."""
        sm, em = ev.start_mark, ev.end_mark
        rows = self._lines[sm.line:em.line + 1]
        if not rows:
            return
        text = "".join(rows)
        begin = sm.column
        end = len(text) - len(rows[-1]) + em.column
        raw = text[begin:end]
        i = 0
        row = sm.line
        while i < len(raw):
            c = raw[i]
            if c == "\\" and i + 1 < len(raw):
                if raw[i + 1] == "/":
                    line = row + 1
                    raise ConfigError("yaml: " + (f"line {line}: " if row else "") + "found unknown escape character",
                                      line=line)
                i += 2
                continue
            if c == "\n":
                row += 1
            i += 1

    def _anchor(self, ev: Any, n: Node) -> None:
        if ev.anchor is not None:
            self._anchors[ev.anchor] = n


# --- scalar resolution (go-yaml v2 resolve.go) ---------------------------------------------

_BOOLS = {**{s: True for s in ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")},
          **{s: False for s in ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")}}
_NULLS = {"", "~", "null", "Null", "NULL"}
_SPECIAL_FLOATS = {".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
                   **{p + s: math.inf for p in ("", "+") for s in (".inf", ".Inf", ".INF")},
                   **{"-" + s: -math.inf for s in (".inf", ".Inf", ".INF")}}
_YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_FLOAT = re.compile(r"^[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|inf|infinity|nan)$",
                       re.IGNORECASE)
_TIMESTAMP = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]| )\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?"
                        r"(?:Z|[+-]\d{2}:\d{2})?)?$")
_INT_BASES = (("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2))
_MAX_U64 = (1 << 64) - 1


def _go_parse_int(s: str) -> int | None:
    """strconv.ParseInt/ParseUint with base 0 (sign, 0x/0o/0b/leading-0 octal prefixes)."""
    sign = 1
    body = s
    if body[:1] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    base = 10
    for prefix, b in _INT_BASES:
        if body.startswith(prefix):
            base, body = b, body[2:]
            break
    else:
        if len(body) > 1 and body[0] == "0":
            base, body = 8, body[1:]
    if not body or not all(c in "0123456789abcdefABCDEF"[: base if base <= 10 else 22] for c in body):
        return None
    try:
        v = sign * int(body, base)
    except ValueError:
        return None
    if v < -(1 << 63) or v > _MAX_U64:
        return None
    return v


def resolve(tag: str, value: str) -> tuple[str, Any]:
    """go-yaml's resolve(): the tag a scalar resolves to and its value (None for null)."""
    if tag not in ("", STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG):
        return tag, value
    rtag, out = _resolve_plain(tag, value)
    if tag in ("", rtag, STR_TAG, BINARY_TAG):
        return rtag, out
    if tag == FLOAT_TAG and rtag == INT_TAG:
        return FLOAT_TAG, float(out)
    raise ConfigError(f"yaml: cannot decode {short_tag(rtag)} `{value}` as a {short_tag(tag)}")


def _resolve_plain(tag: str, s: str) -> tuple[str, Any]:
    hint = s[:1] if s else "N"
    if tag == STR_TAG or not (hint in "+-0123456789yYnNtTfFoO~." or hint == "N"):
        return STR_TAG, s
    if s in _BOOLS:
        return BOOL_TAG, _BOOLS[s]
    if s in _NULLS:
        return NULL_TAG, None
    if s in _SPECIAL_FLOATS:
        return FLOAT_TAG, _SPECIAL_FLOATS[s]
    if s == "<<":
        return MERGE_TAG, s
    if hint == ".":
        if _GO_FLOAT.match(s):
            return FLOAT_TAG, float(s)
    elif hint in "+-0123456789":
        if tag in ("", TIMESTAMP_TAG) and _TIMESTAMP.match(s):
            return TIMESTAMP_TAG, s
        plain = s.replace("_", "")
        iv = _go_parse_int(plain)
        if iv is not None:
            return INT_TAG, iv
        if _YAML_FLOAT.match(plain):
            return FLOAT_TAG, float(plain)
        for prefix, sign in (("0b", 1), ("-0b", -1)):
            if plain.startswith(prefix) and plain[len(prefix):] and set(plain[len(prefix):]) <= {"0", "1"}:
                return INT_TAG, sign * int(plain[len(prefix):], 2)
    return STR_TAG, s


_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")


def plain_safe(s: str) -> bool:
    """go-yaml's encoder test: may `s` be written unquoted without changing its type?"""
    try:
        rtag, _ = resolve("", s)
    except ConfigError:
        return False
    if rtag != STR_TAG:
        return False
    return not (s and (s[0] in "+-0123456789") and ":" in s and _BASE60.match(s))
