"""Seeded random requests (paths, methods, query strings, JSON bodies) against Alertmanager 0.25
and amclone: whatever Go's router, go-swagger and the handlers answer, amclone must answer the
same. Deterministic, so a failure reproduces; every case runs, none is skipped."""

from __future__ import annotations

import json
import random

from harness import Server, compare, explain

SEGMENTS = ["api", "v1", "v2", "alerts", "groups", "silence", "silences", "status", "receivers", "-",
            "healthy", "ready", "reload", "metrics", "lib", "x", "", "Alerts", ".", "..", "%41",
            "2c2b6a2e-1111-4111-8111-111111111111", "favicon.ico", "debug2"]
SEED = 20250
METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"]
QUERIES = ["", "?active=false", "?filter=a%3Db", "?filter=", "?receiver=.*", "?x", "?silenced=0&inhibited=1",
           "?filter=a%3D~%22(%22", "?filter={a=\"b\"}"]


def _path(rng: random.Random) -> str:
    n = rng.randint(0, 5)
    if rng.random() < 0.6:
        base = rng.choice(["/api/v2/", "/api/v1/", "/-/", "/"])
    else:
        base = "/"
    return base + "/".join(rng.choice(SEGMENTS) for _ in range(n))


def _value(rng: random.Random, depth: int = 0) -> object:
    kinds = ["str", "num", "bool", "null", "obj", "arr"] if depth < 3 else ["str", "num", "null"]
    k = rng.choice(kinds)
    if k == "str":
        return rng.choice(["", "a", "b c", "2020-01-01T00:00:00Z", "x=y", "é", "<>"])
    if k == "num":
        return rng.choice([0, 1, -1, 1.5, 10**20])
    if k == "bool":
        return rng.random() < 0.5
    if k == "null":
        return None
    if k == "obj":
        keys = ["labels", "annotations", "startsAt", "endsAt", "generatorURL", "matchers", "name", "value",
                "isRegex", "comment", "createdBy", "id", "alertname"]
        return {rng.choice(keys): _value(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]


def test_random_requests(pair: tuple[Server, Server]) -> None:
    am, ours = pair
    rng = random.Random(SEED)
    failures = []
    for i in range(400):
        method = rng.choice(METHODS)
        path = _path(rng) + rng.choice(QUERIES)
        if path.rstrip("?").endswith("/-/reload") or "reload" in path:
            continue  # a reload changes state; covered elsewhere
        body = None
        headers = None
        if method in ("POST", "PUT") and rng.random() < 0.8:
            body = json.dumps(_value(rng))
            headers = {"Content-Type": rng.choice(["application/json", "application/json", "text/plain"])}
        ignore = ("uptime", "versionInfo", "data.uptime", "data.versionInfo", "data.configJSON")
        theirs, mine = compare(am, ours, method, path, body, headers, ignore if "status" in path else ())
        if path.startswith("/metrics") and theirs["status"] == 200:
            theirs["body"] = mine["body"] = "<metrics: compared by test_metrics>"
        if mine != theirs:
            failures.append(f"#{i} {method} {path} body={body!r}\n" + explain(theirs, mine))
    assert not failures, f"{len(failures)} differences:\n" + "\n".join(failures[:15])
