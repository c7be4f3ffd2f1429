"""Seeded random requests (paths, methods, query strings, JSON bodies) against Alertmanager 0.25
and amclone: whatever Go's router, go-swagger and the handlers answer, amclone must answer the
same. Deterministic, so a failure reproduces; every case runs, none is skipped."""

from __future__ import annotations

import json
import random

from api_harness import Server, compare, explain

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
    for i in range(1000):
        method = rng.choice(METHODS)
        path = _path(rng) + rng.choice(QUERIES)
        if path.rstrip("?").endswith("/-/reload") or "reload" in path:
            continue  # a reload changes state; covered elsewhere
        body = None
        headers = None
        if method in ("POST", "PUT") and rng.random() < 0.8:
            body = json.dumps(_value(rng))
            headers = {"Content-Type": rng.choice(["application/json", "application/json", "text/plain"])}
        ignore = ("uptime", "versionInfo", "data.uptime", "data.versionInfo")
        theirs, mine = compare(am, ours, method, path, body, headers, ignore if "status" in path else ())
        if path.startswith("/metrics") and theirs["status"] == 200:
            theirs["body"] = mine["body"] = "<metrics: compared by test_metrics>"
        if mine != theirs:
            failures.append(f"#{i} {method} {path} body={body!r}\n" + explain(theirs, mine))
    assert not failures, f"{len(failures)} differences:\n" + "\n".join(failures[:15])


def _labels(rng: random.Random) -> dict[str, object]:
    # At most one invalid name: Go reports the first it meets in map order, which is random.
    names = rng.sample(["alertname", "a", "b"], rng.randint(0, 3))
    bad = rng.choice([None, None, "0x", "", "a b"])
    if bad is not None:
        names.insert(rng.randint(0, len(names)), bad)
    return {n: rng.choice(["x", "x", "", 1]) for n in names}


def _alert_like(rng: random.Random) -> object:
    if rng.random() < 0.1:
        return _value(rng)
    a: dict[str, object] = {}
    for key, gen in (("labels", lambda: _labels(rng)),
                     ("annotations", lambda: rng.choice([{}, {"s": "x"}, {"b c": "d"}, [], None, 1])),
                     ("startsAt", lambda: rng.choice(["2020-01-01T00:00:00Z", "2099-01-01T00:00:00.123+01:00",
                                                      "2020-01-01 00:00:00", "x", 1, None, ""])),
                     ("endsAt", lambda: rng.choice(["2021-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "", None])),
                     ("generatorURL", lambda: rng.choice(["http://x/y", "", "::", "/rel", 5]))):
        if rng.random() < 0.6:
            a[key] = gen()
    return a


def _silence_like(rng: random.Random) -> object:
    s: dict[str, object] = {}
    for key, gen in (("comment", lambda: rng.choice(["c", "", 1, None])),
                     ("createdBy", lambda: rng.choice(["me", "", None])),
                     ("startsAt", lambda: rng.choice(["2020-01-01T00:00:00Z", "2098-01-01T00:00:00Z", "bad", None])),
                     ("endsAt", lambda: rng.choice(["2099-01-01T00:00:00Z", "2010-01-01T00:00:00Z", "", None])),
                     ("id", lambda: rng.choice(["", "nope", 3])),
                     ("matchers", lambda: [{k: v for k, v in (("name", rng.choice(["a", "", "a b", 1])),
                                                               ("value", rng.choice(["b", "", "(", ".*"])),
                                                               ("isRegex", rng.choice([True, False, "x"])),
                                                               ("isEqual", rng.choice([True, False])))
                                            if rng.random() < 0.8} for _ in range(rng.randint(0, 2))])):
        if rng.random() < 0.8:
            s[key] = gen()
    return s


def test_random_bodies(pair: tuple[Server, Server]) -> None:
    am, ours = pair
    rng = random.Random(SEED + 1)
    failures = []
    for i in range(600):
        if i % 2:
            path, body = "/api/v2/alerts", json.dumps([_alert_like(rng) for _ in range(rng.randint(1, 3))])
        else:
            path, body = "/api/v2/silences", json.dumps(_silence_like(rng))
        if rng.random() < 0.1:
            path = path.replace("v2", "v1")
        theirs, mine = compare(am, ours, "POST", path, body, {"Content-Type": "application/json"})
        if mine != theirs:
            failures.append(f"#{i} POST {path} body={body}\n" + explain(theirs, mine))
    for path in ("/api/v2/alerts", "/api/v2/silences", "/api/v1/alerts", "/api/v1/silences"):
        theirs, mine = compare(am, ours, "GET", path)
        if mine != theirs:
            failures.append(f"GET {path}\n" + explain(theirs, mine))
    assert not failures, f"{len(failures)} differences:\n" + "\n".join(failures[:12])


def test_random_filters(pair: tuple[Server, Server]) -> None:
    """Matcher strings as API filters: the parser's verdicts and texts, and the filter semantics."""
    from urllib.parse import quote

    am, ours = pair
    rng = random.Random(SEED + 2)
    alphabet = ['a', 'b', 'alertname', '=', '=~', '!=', '!~', '"', '\\', '{', '}', ',', ' ', '.', '*', '(', ')',
                'é', 'x', '"x"', '""', '\n', '|', ':']
    failures = []
    for i in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7)))
        path = rng.choice(["/api/v2/alerts?filter=", "/api/v2/silences?filter=", "/api/v1/alerts?filter=",
                           "/api/v1/silences?filter=", "/api/v2/alerts/groups?filter="])
        theirs, mine = compare(am, ours, "GET", path + quote(text, safe=""))
        if mine != theirs:
            failures.append(f"#{i} GET {path}{text!r}\n" + explain(theirs, mine))
    assert not failures, f"{len(failures)} differences:\n" + "\n".join(failures[:12])
