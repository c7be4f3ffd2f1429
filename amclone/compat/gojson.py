"""JSON as Go's ``encoding/json`` writes it (Go 1.19, which Alertmanager 0.25 is built with).

The differences from Python's ``json`` that clients can see: ``<``, ``>``, ``&``, U+2028 and U+2029
are escaped as ``\\u003c`` and so on; control characters other than ``\\n``, ``\\r``, ``\\t`` are
``\\u00XX`` (Python writes ``\\b`` and ``\\f``); non-ASCII text is kept as UTF-8; there is no space
after separators. Go sorts map keys, while structs keep field order: callers build dicts in the
order they want (``sorted_map`` for Go maps).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from amclone.compat.goquote import quote

_FIXUPS = re.compile(r'\\\\|\\b|\\f|[<>&\u2028\u2029]')
_REPL = {
    "\\\\": "\\\\",
    "\\b": "\\u0008",
    "\\f": "\\u000c",
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _fix(m: re.Match[str]) -> str:
    return _REPL[m.group(0)]


# json.dumps with these options builds a new encoder per call; the encoder keeps no state between
# calls, so one serves every caller.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps(obj: Any) -> str:
    """Encode `obj` as Go would; dict order is kept as given."""
    out = _ENCODER.encode(obj)
    # Most output needs no fix-up; these scans are far cheaper than the substitution.
    if ("<" not in out and ">" not in out and "&" not in out and "\\b" not in out and "\\f" not in out
            and "\u2028" not in out and "\u2029" not in out):
        return out
    return _FIXUPS.sub(_fix, out)


def encoder_line(obj: Any) -> bytes:
    """What Go's ``json.NewEncoder(w).Encode(v)`` writes: the JSON plus a trailing newline."""
    return (dumps(obj) + "\n").encode()


def json_kind(v: Any) -> str:
    """The JSON kind of a decoded value as encoding/json's UnmarshalTypeError names it
    (``json: cannot unmarshal <kind> into ...``)."""
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "null"


def quote_char(c: str) -> str:
    """encoding/json's quoteChar: how its syntax errors show the offending character."""
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    return "'" + quote(c)[1:-1] + "'"


def sorted_map(m: Mapping[str, Any]) -> dict[str, Any]:
    """A Go map[string]T: keys in byte order of their UTF-8 encoding."""
    return {k: m[k] for k in sorted(m, key=lambda k: k.encode())}
