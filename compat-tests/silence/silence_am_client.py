"""A few lines of HTTP for talking to the real Alertmanager's silence API in compat tests, and
the conversion of a postable silence body into an amclone `Silence` (what the API layer does)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from amclone.compat.timefmt import format_millis, parse_rfc3339
from amclone.labels.matcher import MatchType
from amclone.silence import Silence, SilenceMatcher

CONFIG = """\
route:
  receiver: r
receivers:
  - name: r
"""


def write_config(workdir: Path) -> Path:
    path = workdir / "alertmanager.yml"
    path.write_text(CONFIG)
    return path


def call(url: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:
        raw, status = e.read(), e.code
    return status, (json.loads(raw) if raw.strip() else None)


def ts(ns: int) -> str:
    return format_millis(ns)


def now_ns() -> int:
    return time.time_ns()


def postable(
    matchers: list[tuple[str, str, str]],
    start: int,
    end: int,
    *,
    id: str = "",
    created_by: str = "compat",
    comment: str = "c",
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "matchers": [
            {"name": n, "value": v, "isEqual": MatchType(op).is_equal, "isRegex": MatchType(op).is_regex}
            for n, op, v in matchers
        ],
        "startsAt": ts(start),
        "endsAt": ts(end),
        "createdBy": created_by,
        "comment": comment,
    }
    if id:
        body["id"] = id
    return body


def from_postable(body: dict[str, Any]) -> Silence:
    return Silence(
        id=body.get("id", ""),
        matchers=tuple(
            SilenceMatcher(
                x["name"], MatchType.from_flags(x.get("isEqual", True), x.get("isRegex", False)), x["value"]
            )
            for x in body["matchers"]
        ),
        starts_at=parse_rfc3339(body["startsAt"]),
        ends_at=parse_rfc3339(body["endsAt"]),
        created_by=body["createdBy"],
        comment=body["comment"],
    )
