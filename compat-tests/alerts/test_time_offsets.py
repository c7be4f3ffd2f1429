"""UTC offsets beside the real Alertmanager 0.25: Go's time.Time keeps the zone a client posted
(``+01:00``) and prints in it (API v2 millis, API v1 and webhook RFC 3339 nanos, templates'
``.StartsAt``); times it makes from ``time.Now()`` are in Local (``TZ``); silences keep posted
offsets too, while their start-now and updatedAt are UTC. The same bodies go to both servers;
answers are compared byte for byte, only times made from ``now`` (which differ between two
processes) reduced to their zone."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from amclone.testing.procs import Managed, start_alertmanager, start_amclone
from amclone.testing.webhook import Delivery, WebhookCollector

ALERTS = [
    {"labels": {"alertname": "A", "i": "plus1"}, "startsAt": "2026-12-04T10:00:00.123+01:00",
     "endsAt": "2036-12-04T10:00:00+01:00"},
    {"labels": {"alertname": "A", "i": "minus530"}, "startsAt": "2026-12-04T04:00:00.123456789-05:30",
     "endsAt": "2036-12-04T04:00:00.000-0530"},
    {"labels": {"alertname": "A", "i": "plus0"}, "startsAt": "2026-12-04T09:00:00+00:00",
     "endsAt": "2036-12-04T09:00:00+00:00"},
    {"labels": {"alertname": "A", "i": "z"}, "startsAt": "2026-12-04T09:00:00Z", "endsAt": "2036-12-04T09:00:00Z"},
    {"labels": {"alertname": "A", "i": "resolved"}, "startsAt": "2026-12-04T04:00:00-05:30",
     "endsAt": "2026-12-04T10:30:00.5+01:00"},
]
V1_ALERTS = [{"labels": {"alertname": "B", "i": "v1"}, "startsAt": "2026-12-04T10:00:00.5+01:00",
              "endsAt": "2036-12-04T10:00:00.25-05:30"}]
DEFAULTED = [{"labels": {"alertname": "C"}}]
SILENCE = {"matchers": [{"name": "i", "value": "none", "isRegex": False}], "createdBy": "x", "comment": "c",
           "startsAt": "2035-12-04T10:00:00.123+01:00", "endsAt": "2036-12-04T10:00:00-05:30"}
PAST_START = {**SILENCE, "startsAt": "2026-01-01T10:00:00+01:00"}
TEMPLATE = "{{ range .Alerts }}{{ .Labels.i }} S={{ .StartsAt }} E={{ .EndsAt }};{{ end }}"


def _config(hook: str) -> str:
    return f"""\
route:
  receiver: r
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1h
receivers:
- name: r
  webhook_configs:
  - url: {hook}/hook
  slack_configs:
  - api_url: {hook}/slack
    channel: c
    text: '{TEMPLATE}'
"""


def _request(url: str, method: str = "GET", body: Any = None) -> bytes:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return bytes(r.read())


class Side:
    """One server with its own collector, fed the same requests as the other."""

    def __init__(self, start: Any, wd: Path) -> None:
        self.hook = WebhookCollector().start()
        wd.mkdir()
        cfg = wd / "am.yml"
        cfg.write_text(_config(self.hook.url))
        self.proc: Managed
        self.proc, self.url = start(cfg, wd, extra=["--web.external-url=http://am.test"])

    def close(self) -> None:
        self.proc.stop()
        self.hook.stop()

    def deliveries(self, count: int) -> dict[tuple[str, str], bytes]:
        assert self.hook.wait_for(count, 15)
        return {(d.path, _group(d)): d.body for d in self.hook.snapshot()}


def _group(d: Delivery) -> str:
    body = json.loads(d.body)
    return str(body["groupKey"] if "groupKey" in body else body["attachments"][0]["title"])


_NOW_KEYS = re.compile(r'"(updatedAt|silenceID|id)":"[^"]*"')
_ANY_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?")


def _now_free(body: bytes) -> str:
    """`body` without what differs between two processes: ids and updatedAt values (kept:
    their zone suffix, ``Z`` or ``+05:30``)."""
    return _NOW_KEYS.sub(lambda m: f'"{m.group(1)}":"' + _zone(m.group(0)) + '"', body.decode())


def _zone(text: str) -> str:
    m = re.search(r'(Z|[+-]\d\d:\d\d)"$', text)
    return m.group(1) if m else "-"


def _exchange(side: Side) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out["post v2"] = _request(side.url + "/api/v2/alerts", "POST", ALERTS)
    out["post v1"] = _request(side.url + "/api/v1/alerts", "POST", V1_ALERTS)
    out["silence"] = _now_free(_request(side.url + "/api/v2/silences", "POST", SILENCE))
    out["silence past"] = _now_free(_request(side.url + "/api/v2/silences", "POST", PAST_START))
    out["get v2"] = _now_free(_request(side.url + "/api/v2/alerts"))
    out["groups"] = _now_free(_request(side.url + "/api/v2/alerts/groups"))
    out["get v1"] = _request(side.url + "/api/v1/alerts")
    sils = json.loads(_request(side.url + "/api/v2/silences"))
    out["silences"] = sorted((s["startsAt"], s["endsAt"], s["updatedAt"][-1]) for s in sils)
    v1 = json.loads(_request(side.url + "/api/v1/silences"))["data"]
    out["v1 silences"] = sorted((s["startsAt"], s["endsAt"], s["updatedAt"][-1]) for s in v1)
    out["deliveries"] = side.deliveries(4)
    return out


@pytest.fixture()
def sides(tmp_path: Path) -> Iterator[tuple[Side, Side]]:
    am = Side(start_alertmanager, tmp_path / "am")
    try:
        amc = Side(start_amclone, tmp_path / "amc")
    except BaseException:
        am.close()
        raise
    try:
        yield am, amc
    finally:
        am.close()
        amc.close()


def _now_times(silences: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """A silence's start clamped to now is a `now` time: its zone stays, the instant goes."""
    return [(_ANY_TIME.sub("<t>", a) if a.startswith("2026") else a, b, c) for a, b, c in silences]


def test_posted_offsets_are_echoed_like_alertmanager(sides: tuple[Side, Side]) -> None:
    am, amc = sides
    want, got = _exchange(am), _exchange(amc)
    for key in ("silences", "v1 silences"):
        want[key], got[key] = _now_times(want[key]), _now_times(got[key])
    want_hooks = want["deliveries"]
    assert sorted(want["deliveries"]) == sorted(got["deliveries"])
    for k in want["deliveries"]:
        assert want["deliveries"][k] == got["deliveries"][k], k
    del want["deliveries"], got["deliveries"]
    for k in want:
        assert want[k] == got[k], k
    # the cases are live: posted offsets in v1, and a resolved alert's end in the webhook
    assert b"+01:00" in want["get v1"] and b"-05:30" in want["get v1"]
    assert any(b'"endsAt":"2026-12-04T10:30:00.5+01:00"' in v for v in want_hooks.values())


def test_now_times_are_local_like_alertmanager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TZ=Asia/Kolkata: defaulted startsAt/endsAt and updatedAt print +05:30 (both servers
    inherit TZ); posted offsets and silence times are as without it."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    shapes = []
    for start, name in ((start_alertmanager, "am"), (start_amclone, "amc")):
        side = Side(start, tmp_path / name)
        try:
            _request(side.url + "/api/v2/alerts", "POST", DEFAULTED + ALERTS[:2])
            _request(side.url + "/api/v2/silences", "POST", PAST_START)
            body = (_request(side.url + "/api/v2/alerts") + _request(side.url + "/api/v1/alerts")
                    + _request(side.url + "/api/v2/silences"))
            hooks = side.deliveries(4)
            hook = b"".join(v for (path, _), v in sorted(hooks.items()) if path == "/hook")
            text = [json.loads(v)["attachments"][0]["text"] for (path, _), v in sorted(hooks.items())
                    if path == "/slack"]
        finally:
            side.close()
        # Go's template prints a monotonic clock reading after a time.Now() (m=+0.1...): not
        # reproducible, and not compared.
        text = [re.sub(r" m=[+-][\d.]+", "", t) for t in text]
        shapes.append((_ANY_TIME.sub("<t>", body.decode()).replace(_fp(body), ""),
                       _ANY_TIME.sub("<t>", hook.decode()), [_ANY_TIME.sub("<t>", t) for t in text]))
    assert shapes[0] == shapes[1]
    assert "<t>+05:30" in shapes[0][0] and "<t> +0530 IST" in shapes[0][2][0]


def _fp(body: bytes) -> str:
    m = re.search(rb'"id":"([^"]*)"', body)
    return m.group(1).decode() if m else "\0"
