"""``silence import``: amtool reads its input with a streaming ``json.Decoder`` (one ``[`` token,
then one silence per ``Decode`` while ``More()``) and posts with N workers. Both shape what
users see, so both are reproduced: a truncated or trailing-garbage file is accepted as far as
the stream got, and element type errors carry Go's messages. amtool counts failed posts in a
goroutine it does not wait for, so whether it reports the last failures is a race; amctl
reports them all, which is what amtool means to do.
"""

from __future__ import annotations

import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from amclone.cli.amctl.client import APIError
from amclone.cli.amctl.env import ActionError, Env
from amclone.cli.amctl.golayout import SORTABLE, parse_rfc3339
from amclone.compat.gojson import json_kind

_PREFIX = "couldn't unmarshal input data, is it JSON?: "
_WS = " \t\r\n"
_ID_STRUCT = 'struct { ID string "json:\\"id,omitempty\\"" }'
_FIELDS = {"comment": "string", "createdBy": "string", "matchers": "models.Matchers",
           "startsAt": "strfmt.DateTime", "endsAt": "strfmt.DateTime"}


def _check(item: Any) -> dict[str, Any]:
    """models.PostableSilence.UnmarshalJSON's verdict on one decoded element."""
    if item is None:
        return {}
    if not isinstance(item, dict):
        raise ActionError(f"{_PREFIX}json: cannot unmarshal {json_kind(item)} into Go value of type {_ID_STRUCT}")
    if "id" in item and item["id"] is not None and not isinstance(item["id"], str):
        raise ActionError(f"{_PREFIX}json: cannot unmarshal {json_kind(item['id'])} into Go struct field "
                          f".id of type string")
    for name, go_type in _FIELDS.items():
        value = item.get(name)
        if value is None:
            continue
        wanted = list if name == "matchers" else str
        if not isinstance(value, wanted):
            raise ActionError(f"{_PREFIX}json: cannot unmarshal {json_kind(value)} into Go struct field "
                              f"Silence.{name} of type {go_type}")
        if isinstance(value, str) and go_type == "strfmt.DateTime":
            try:
                parse_rfc3339(value)
            except ValueError:
                try:
                    parse_rfc3339(value, SORTABLE)
                except ValueError as e:
                    raise ActionError(_PREFIX + str(e)) from None
    keys = ("id", "matchers", "startsAt", "endsAt", "createdBy", "comment")
    return {k: item[k] for k in keys if item.get(k) not in (None, "")}


def read_silences(text: str) -> list[dict[str, Any]]:
    """The silences amtool's decoder loop would hand to its workers, or its error."""
    decoder = json.JSONDecoder()
    i = len(text) - len(text.lstrip(_WS))
    if i == len(text):
        raise ActionError(_PREFIX + "EOF")
    first = text[i]
    if first == "{":
        rest = text[i + 1:].lstrip(_WS)
        if rest[:1] in ("}", ""):
            return []
        raise ActionError(_PREFIX + "not at beginning of value")
    if first != "[":
        try:
            decoder.raw_decode(text, i)
        except ValueError:
            raise ActionError(f"{_PREFIX}invalid character {_char(first)} looking for beginning of value") from None
        return []
    i += 1
    out: list[dict[str, Any]] = []
    while True:
        while i < len(text) and text[i] in _WS:
            i += 1
        if i >= len(text) or text[i] == "]":
            return out  # More() is false at ']' and at the end of the input
        if out:
            if text[i] != ",":
                raise ActionError(_PREFIX + "expected comma after array element")
            i += 1
            while i < len(text) and text[i] in _WS:
                i += 1
        try:
            item, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError as e:
            if e.pos >= len(text.rstrip(_WS)):
                raise ActionError(_PREFIX + "unexpected EOF") from None
            raise ActionError(f"{_PREFIX}invalid character {_char(text[e.pos])} looking for beginning "
                              "of value") from None
        out.append(_check(item))


def _char(c: str) -> str:
    return "'\\''" if c == "'" else f"'{c}'"


def bulk_import(env: Env) -> None:
    path = env.arg("input-file")
    try:
        if path:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        else:
            text = sys.stdin.read()
    except OSError as e:
        raise ActionError(str(e)) from None
    silences = read_silences(text)
    client = env.client()
    if env.value("force"):
        for s in silences:
            s.pop("id", None)
    lock = threading.Lock()
    outcomes: list[bool] = []

    def post(s: dict[str, Any]) -> None:
        sid = s.get("id", "")
        try:
            try:
                result = client.call("POST", "/silences", "/silences", body=s)
            except APIError as e:
                if e.status != 404:
                    raise
                result = client.call("POST", "/silences", "/silences", body={**s, "id": ""})
        except APIError as e:
            with lock:
                env.err.write(f"Error adding silence id='{sid}': {e}\n")
                outcomes.append(False)
            return
        with lock:
            env.out.write(f"{result['silenceID']}\n")
            outcomes.append(True)

    workers = int(env.value("worker") or 0)
    if workers <= 0:
        return  # amtool starts no worker and so posts nothing
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(post, silences))
    counted = outcomes.count(False)
    if counted:
        raise ActionError(f"couldn't import {counted} out of {len(silences)} silences")
