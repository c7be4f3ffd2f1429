"""The one-pass reading of POST /api/v2/alerts bodies agrees with the generic route (decode into
models.PostableAlerts, Validate, build PostedAlert) whenever it answers at all."""

from __future__ import annotations

import json
import random
from typing import Any

from amclone.alerts import PostedAlert
from amclone.api import swagger
from amclone.api.fastalerts import posted_alerts
from amclone.api.v2 import posted_from_decoded


def _generic(body: bytes) -> list[PostedAlert] | str:
    try:
        value = swagger.decode_body(body, "alerts", swagger.POSTABLE_ALERTS)
        swagger.validate_alerts(value)
    except swagger.ApiError as e:
        return f"{e.code} {e.message}"
    if value and any(a is None for a in value):
        return "drop"
    return posted_from_decoded(value)


_VALUES: list[Any] = ["x", "", "é☃", 1, 1.5, None, True, [], {}, {"a": "b"}, {"a": 1}, {"a": None},
                      "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123+02:00", "2024-13-02T03:04:05Z",
                      "2024-01-02T03:04:05.123456-0530", "2024-01-02T03:04:05+00:00", "2024-01-02T03:04",
                      "2024-01-02T03:04:05", "2024-01-02 03:04:05.5",
                      "yesterday", "http://p:9090/graph?g0.expr=up", "/relative", "not a url", "ftp://h/x%zz",
                      12345678901234567890123]
_KEYS = ["labels", "annotations", "startsAt", "endsAt", "generatorURL", "Labels", "STARTSAT", "other"]


def _alert(rng: random.Random) -> Any:
    if rng.random() < 0.05:
        return rng.choice([None, 1, "x", []])
    a: dict[str, Any] = {"labels": {"alertname": "A", "i": str(rng.randint(0, 9))}}
    if rng.random() < 0.3:
        a["annotations"] = {"summary": "s"}
    for _ in range(rng.randint(0, 3)):
        a[rng.choice(_KEYS)] = rng.choice(_VALUES)
    return a


def test_fast_path_agrees_with_the_generic_route() -> None:
    rng = random.Random(11)
    answered = 0
    for _ in range(3000):
        value: Any = [_alert(rng) for _ in range(rng.randint(0, 4))]
        if rng.random() < 0.05:
            value = rng.choice([None, {}, "x", 3])
        body = json.dumps(value).encode()
        if rng.random() < 0.05:
            body = rng.choice([b" ", b"\xef\xbb\xbf", b"\n"]) + body + rng.choice([b"", b" x", b"]"])
        fast = posted_alerts(body)
        if fast is not None:
            answered += 1
            assert fast == _generic(body), body
    assert answered > 500


def test_prometheus_shaped_body_takes_the_fast_path() -> None:
    body = json.dumps([{"labels": {"alertname": "A"}, "annotations": {"s": "x"},
                        "startsAt": "2024-01-02T03:04:05.123Z", "endsAt": "2024-01-02T04:04:05Z",
                        "generatorURL": "http://prometheus:9090/graph?g0.expr=up%7Bjob%3D%22x%22%7D"}]).encode()
    got = posted_alerts(body)
    assert got is not None and got == _generic(body)


def test_unusual_bodies_are_left_to_the_generic_route() -> None:
    for body in [b"", b"null", b"[null]", b'[{"labels": {"a": null}}]', b'[{"Labels": {"a": "b"}}]',
                 b'[{"labels": {"a": "\\ud800"}}]', b'[{}]', b'[{"labels": {}, "startsAt": 5}]',
                 b'[{"labels": {}}] trailing', b'[{"labels": {"a": "\xff"}}]']:
        assert posted_alerts(body) is None, body
