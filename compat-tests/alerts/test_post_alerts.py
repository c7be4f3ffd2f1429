"""amclone's ingest rules beside the real Alertmanager 0.25: the same POST bodies go to the
binary and through `amclone.alerts.prepare` + `AlertStore`, and status codes, error texts,
counters and the resulting stored spans (merge vs replace) must agree."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from amclone.alerts import AlertStore, Marker, PostedAlert, prepare
from amclone.compat import gojson
from amclone.compat.timefmt import format_millis, parse_rfc3339
from amclone.testing.procs import Managed, start_alertmanager
from amclone.timeutil import NS_PER_MS, NS_PER_SECOND, ZERO_TIME, SystemClock

RESOLVE_TIMEOUT = 300 * NS_PER_SECOND
CONFIG = """\
global:
  resolve_timeout: 5m
route:
  receiver: blackhole
receivers:
  - name: blackhole
"""


@pytest.fixture(scope="module")
def am(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    wd = tmp_path_factory.mktemp("am")
    cfg = wd / "alertmanager.yml"
    cfg.write_text(CONFIG)
    proc: Managed
    proc, url = start_alertmanager(cfg, wd)
    try:
        yield url
    finally:
        proc.stop()


def post(url: str, body: Any) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def metrics(url: str) -> dict[str, float]:
    with urllib.request.urlopen(url + "/metrics", timeout=10) as r:
        text = r.read().decode()
    return {k: float(v) for k, v in (line.rsplit(" ", 1) for line in text.splitlines()
                                      if line.startswith("alertmanager_alerts_"))}


def decode(body: list[dict[str, Any]]) -> list[PostedAlert]:
    """What the API layer hands to `prepare` for these (schema-valid) bodies."""
    def t(v: str | None) -> int:
        return parse_rfc3339(v) if v else ZERO_TIME
    return [PostedAlert(a.get("labels") or {}, a.get("annotations") or {}, t(a.get("startsAt")),
                        t(a.get("endsAt")), a.get("generatorURL", ""), bool(a.get("timeout", False)))
            for a in body]


def iso(ns: int) -> str:
    return format_millis(ns)


FUTURE = (time.time_ns() // NS_PER_SECOND + 86400) * NS_PER_SECOND
PAST = FUTURE - 3 * 86400 * NS_PER_SECOND

BAD_BATCHES: list[list[dict[str, Any]]] = [
    [{"labels": {"a": "1"}}],
    [{"labels": {"a-b": "1"}}],
    [{"labels": {"0a": "1"}}],
    [{"labels": {"x": ""}}],
    [{"labels": {}}],
    [{"labels": {"a": "1"}, "annotations": {"b-c": "x"}}],
    [{"labels": {"a": "1"}, "annotations": {"": "x"}}],
    [{"labels": {"a": "1"}, "startsAt": iso(FUTURE), "endsAt": iso(FUTURE - NS_PER_MS)}],
    [{"labels": {"a": "1"}, "startsAt": iso(FUTURE), "endsAt": iso(FUTURE)}],
    [{"labels": {"a": "1"}, "endsAt": iso(PAST)}],
    [{"labels": {"b-c": "1"}}, {"labels": {}}, {"labels": {"ok": "1"}}, {"labels": {"z": "1", "y": ""}},
     {"labels": {"a": "1"}, "startsAt": iso(FUTURE), "endsAt": iso(PAST)}],
    [{"labels": {"a": "1", "empty": ""}, "annotations": {"e": ""}}],
    [{"labels": {"a": "1"}, "startsAt": iso(FUTURE)}],  # past the defaulted end (now + 5m)
    [{"labels": {"a": "1"}, "endsAt": iso(FUTURE)}],  # start defaults to the end: valid
    [{"labels": {"_": "1", "A_9": "2"}}],
    [{"labels": {"a": "1"}, "annotations": {"ü": "x"}}],
    [],
]


@pytest.mark.parametrize("body", BAD_BATCHES, ids=[str(i) for i in range(len(BAD_BATCHES))])
def test_v2_status_body_and_counters_match(am: str, body: list[dict[str, Any]]) -> None:
    before = metrics(am)
    status, out = post(am + "/api/v2/alerts", body)
    after = metrics(am)
    res = prepare(decode(body), now=time.time_ns(), resolve_timeout=RESOLVE_TIMEOUT, version="v2")
    if res.errors:
        assert (status, out) == (400, gojson.encoder_line(res.error_text))
    else:
        assert (status, out) == (200, b"")
    delta = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
    expected: dict[str, float] = {}
    n_resolved = sum(1 for p in decode(body) if p.ends_at != ZERO_TIME and p.ends_at <= time.time_ns())
    if len(body) - n_resolved:
        expected['alertmanager_alerts_received_total{status="firing",version="v2"}'] = len(body) - n_resolved
    if n_resolved:
        expected['alertmanager_alerts_received_total{status="resolved",version="v2"}'] = n_resolved
    if res.errors:
        expected['alertmanager_alerts_invalid_total{version="v2"}'] = len(res.errors)
    delta = {k: v for k, v in delta.items() if "received" in k or "invalid" in k}
    assert delta == expected


@pytest.mark.parametrize("body", [b for b in BAD_BATCHES if all(
    all(n.isidentifier() and n.isascii() for n in {**a.get("labels", {}), **a.get("annotations", {})})
    for a in b)], ids=lambda b: json.dumps(b)[:40])
def test_v1_validation_texts_match(am: str, body: list[dict[str, Any]]) -> None:
    """v1 shares the validation; its envelope is {"status":"error","errorType":"bad_data",...}.
    (Invalid label *names* fail v1's JSON decoding already: the API layer's decoder owns that.)"""
    status, out = post(am + "/api/v1/alerts", body)
    res = prepare(decode(body), now=time.time_ns(), resolve_timeout=RESOLVE_TIMEOUT, version="v1")
    if res.errors:
        assert status == 400
        assert json.loads(out) == {"status": "error", "errorType": "bad_data", "error": res.error_text}
    else:
        assert (status, json.loads(out)) == (200, {"status": "success"})


H = 3600 * NS_PER_SECOND
M = 60 * NS_PER_SECOND
T = FUTURE
# (name, [(api version, startsAt, endsAt, extra fields)...]): posted in order to both sides.
SEQUENCES: list[tuple[str, list[tuple[str, int, int, dict[str, Any]]]]] = [
    ("StartInside", [("v2", T, T + H, {}), ("v2", T + 10 * M, T + 2 * H, {})]),
    ("EndInsideOlderLater", [("v2", T, T + 2 * H, {}), ("v2", T + 10 * M, T + H, {})]),
    ("OlderTimeoutLoses", [("v1", T, T + 2 * H, {"timeout": True}), ("v2", T + 10 * M, T + H, {})]),
    ("DisjointReplaces", [("v2", T, T + H, {}), ("v2", T + 2 * H, T + 3 * H, {})]),
    ("TouchingReplaces", [("v2", T + H, T + 2 * H, {}), ("v2", T + 2 * H, T + 3 * H, {})]),
    ("SameStartReplaces", [("v2", T, T + H, {}), ("v2", T, T + 30 * M, {})]),
    ("EarlierStartEndInside", [("v2", T, T + 2 * H, {}), ("v2", T - H, T + H, {})]),
    ("AnnotationsFromNewer", [("v2", T, T + 2 * H, {"annotations": {"v": "1"}}),
                              ("v2", T + M, T + 3 * H, {"annotations": {"v": "2"}})]),
]


def test_repeated_posts_merge_like_alertmanager(am: str) -> None:
    store = AlertStore(SystemClock(), Marker())
    for name, posts in SEQUENCES:
        for version, starts, ends, extra in posts:
            body = [{"labels": {"alertname": name, "suite": "merge"}, "startsAt": iso(starts),
                     "endsAt": iso(ends), **extra}]
            status, out = post(am + f"/api/{version}/alerts", body)
            assert status == 200, out
            store.apply(prepare(decode(body), now=time.time_ns(), resolve_timeout=RESOLVE_TIMEOUT).alerts)
            time.sleep(0.002)  # distinct UpdatedAt on both sides
    theirs = {a["labels"]["alertname"]: (a["startsAt"], a["endsAt"], a["annotations"])
              for a in get_json(am + "/api/v2/alerts?filter=suite%3D%22merge%22")}
    ours = {a.name: (iso(a.starts_at), iso(a.ends_at), dict(a.annotations)) for a in store.list()}
    assert ours == theirs


@pytest.mark.parametrize("body", [
    [{"labels": {"a-b": "1"}}],
    [{"labels": {"0a": "1"}}],
    [{"labels": {"a": "1"}, "annotations": {"b-c": "x"}}],
    [{"labels": {"a": "1"}}, {"labels": {"": "1"}}],
    [{"labels": {"ok": "1"}}, {"labels": {"x.y": "1"}}],
    [{"labels": {"a\u0001": "1"}}],  # %q, not JSON, quoting: "a\x01"
    [{"labels": {"ü": "1"}}],
])
def test_v1_invalid_names_fail_the_whole_request(am: str, body: list[dict[str, Any]]) -> None:
    from amclone.alerts import v1_labelset_error

    before = metrics(am)
    status, out = post(am + "/api/v1/alerts", body)
    errors = [e for a in body for ls in (a.get("labels") or {}, a.get("annotations") or {})
              if (e := v1_labelset_error(ls)) is not None]
    assert status == 400
    assert json.loads(out) == {"status": "error", "errorType": "bad_data", "error": errors[0]}
    assert metrics(am) == before  # rejected while decoding: nothing counted, nothing stored


def test_random_post_sequences_end_in_the_same_state(am: str) -> None:
    """Differential check of overlap + Merge: random spans (some resolved, some via v1 with the
    Timeout flag) posted to both; the visible alerts and their spans must agree."""
    import random

    rng = random.Random(20250)
    store = AlertStore(SystemClock(), Marker())
    base = FUTURE + 10 * H
    steps = [-3 * H, -2 * H, -H, -30 * M, 0, 30 * M, H, 2 * H, 3 * H]
    for k in range(40):
        name = f"Rand{k}"
        for _ in range(rng.randint(2, 4)):
            starts = base + rng.choice(steps)
            ends = starts + rng.choice([M, 30 * M, H, 2 * H, 4 * H])
            if rng.random() < 0.2:  # resolved: its end lies in the past
                starts, ends = PAST - 2 * H + rng.choice(steps), PAST + rng.choice(steps)
                starts = min(starts, ends)
            version = rng.choice(["v1", "v2"])
            body: list[dict[str, Any]] = [{"labels": {"alertname": name, "suite": "random"}, "startsAt": iso(starts),
                     "endsAt": iso(ends)}]
            if version == "v1" and rng.random() < 0.5:
                body[0]["timeout"] = True
            status, out = post(am + f"/api/{version}/alerts", body)
            assert status == 200, out
            store.apply(prepare(decode(body), now=time.time_ns(), resolve_timeout=RESOLVE_TIMEOUT).alerts)
            time.sleep(0.002)
    theirs = {a["labels"]["alertname"]: (a["startsAt"], a["endsAt"])
              for a in get_json(am + "/api/v2/alerts?filter=suite%3D%22random%22")}
    now = time.time_ns()
    ours = {a.name: (iso(a.starts_at), iso(a.ends_at)) for a in store.list() if not a.resolved_at(now)}
    assert ours == theirs
    assert len(theirs) > 10
