"""Every API endpoint, filter and bad input, sent to Alertmanager 0.25 and to amclone alike.

Tests run in file order against one pair of servers, so later ones see the alerts and silences
earlier ones created (on both sides identically)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from api_harness import Server, compare, explain

JSON = {"Content-Type": "application/json"}


def _iso(offset_s: float) -> str:
    t = time.time() + offset_s
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".000Z"


def check(pair: tuple[Server, Server], method: str, path: str, body: Any = None,
          headers: dict[str, str] | None = None, ignore: tuple[str, ...] = ()) -> dict[str, Any]:
    am, ours = pair
    raw = body if body is None or isinstance(body, (str, bytes)) else json.dumps(body)
    theirs, mine = compare(am, ours, method, path, raw, headers, ignore)
    if mine != theirs:
        FAILURES.append(f"{method} {path} body={raw!r}\n" + explain(theirs, mine))
    return theirs


FAILURES: list[str] = []


@pytest.fixture(autouse=True)
def _differences() -> Iterator[None]:
    """Each test sends many requests; all differences are reported together, as a failure."""
    FAILURES.clear()
    yield


def _report() -> None:
    failures = list(FAILURES)
    FAILURES.clear()
    assert not failures, f"{len(failures)} differences:\n" + "\n".join(failures)



# -- routing, lifecycle, static -------------------------------------------------------------------

ROUTING = [
    ("GET", "/-/healthy"), ("HEAD", "/-/healthy"), ("GET", "/-/ready"), ("HEAD", "/-/ready"),
    ("PUT", "/-/healthy"), ("POST", "/-/healthy"), ("OPTIONS", "/-/healthy"), ("GET", "/-/healthy/"),
    ("GET", "/-/HEALTHY"), ("GET", "/-/reload"), ("GET", "/nonexistent"), ("GET", "/api/v2"),
    ("GET", "/api/v2/"), ("GET", "/api/v2/foo"), ("PUT", "/api/v2/alerts"), ("OPTIONS", "/api/v2/alerts"),
    ("POST", "/api/v2/status"), ("DELETE", "/api/v2/silences"), ("GET", "/api/v2/swagger.json"),
    ("GET", "//api/v2/receivers"), ("GET", "/api/v2/./receivers"), ("GET", "/api/v2/receivers/"),
    ("GET", "/api/v1/foo"), ("PUT", "/api/v1/alerts"), ("OPTIONS", "/api/v1/alerts"),
    ("OPTIONS", "/api/v1/anything/at/all"), ("GET", "/api/v1/alerts/groups"), ("GET", "/favicon.ico"),
    ("GET", "/script.js"), ("GET", "/lib/x.js"), ("GET", "/"), ("GET", "/?x=1"),
    ("GET", "/api/v1/receivers"), ("GET", "/api/v2/receivers"), ("GET", "/api/v2/receivers?x=1"),
    ("HEAD", "/metrics"), ("HEAD", "/"), ("POST", "/"), ("OPTIONS", "/api/v1/status"), ("GET", "/API/v1/status"),
    ("GET", "/api/v1/status/"), ("GET", "/-/ready?x=1"), ("GET", "/-/healthy/?x=1"), ("DELETE", "/-/reload"),
    ("GET", "/api/v1/silence/"), ("GET", "/api/v1/silence"), ("GET", "/api/v2/alerts/groups/"),
    ("GET", "/api/v2/silence/2c2b6a2e-1111-4111-8111-111111111111/"), ("GET", "/api/v2/Status"),
    ("GET", "/a/../-/healthy"), ("GET", "/-/healthy%2F"),
]


def test_routing(pair: tuple[Server, Server]) -> None:
    for method, path in ROUTING:
        check(pair, method, path)
    _report()


def test_cors(pair: tuple[Server, Server]) -> None:
    origin = {"Origin": "http://example.com"}
    check(pair, "GET", "/api/v2/receivers", headers=origin)
    for method, extra in (("POST", {}), ("DELETE", {}), ("GET", {"Access-Control-Request-Headers": "content-type"}),
                          ("GET", {"Access-Control-Request-Headers": "X-Custom"})):
        check(pair, "OPTIONS", "/api/v2/alerts",
              headers={**origin, "Access-Control-Request-Method": method, **extra})
    check(pair, "OPTIONS", "/api/v2/alerts", headers={"Access-Control-Request-Method": "POST"})
    _report()


def test_reload(pair: tuple[Server, Server]) -> None:
    check(pair, "POST", "/-/reload")
    _report()


def test_status(pair: tuple[Server, Server]) -> None:
    check(pair, "GET", "/api/v2/status", ignore=("uptime", "versionInfo"))
    _report()


def test_v1_status(pair: tuple[Server, Server]) -> None:
    check(pair, "GET", "/api/v1/status", ignore=("data.uptime", "data.versionInfo"))
    _report()


# -- posting alerts -------------------------------------------------------------------------------

BAD_ALERT_BODIES: list[tuple[str, dict[str, str]]] = [
    ('[{"labels":{"alertname":"A"}}]', {}),  # curl's form content type
    ('[{"labels":{"alertname":"A"}}]', {"Content-Type": "text/plain"}),
    ('[{"labels":{"alertname":"A"}}]', {"Content-Type": ";;;"}),
    ('[{"labels":{"alertname":"A"}}]', {"Content-Type": "application/jsonx"}),
    ('[{"labels":{"alertname":"A"}}]', {"Content-Type": "text"}),
    ("{", JSON), ("", JSON), ("   ", JSON), ("{}", JSON), ("[{}]", JSON), ('[{"labels":{}}]', JSON),
    ('[{"labels":{"a b":"c"}}]', JSON), ('[{"labels":{"a":"c"},"generatorURL":"::"}]', JSON),
    ('[{"labels":{"a":"c"},"generatorURL":"foo"}]', JSON),
    ('[{"labels":{"a":"c"},"startsAt":"yesterday"}]', JSON), ('[{"labels":{"a":1}}]', JSON),
    ('[{"labels":{"a":"b"},"annotations":{"a":1}}]', JSON), ('[{"labels":{"a":"b"},"generatorURL":1}]', JSON),
    ('[{"labels":{"a":"b"},"startsAt":1}]', JSON), ('[{"labels":[1]}]', JSON), ('["x"]', JSON), ("5", JSON),
    ('[{"labels":{"a":"b"},}]', JSON), ('[{"labels":{"a":"b"} "x"}]', JSON), ("[1,]", JSON), ("[tru]", JSON),
    ('[{"labels":{"a":"\\x"}}]', JSON), ('[{"labels":{"a":"b"}},{}]', JSON), ('[{},{"labels":null}]', JSON),
    ('[{"labels":{"a":"b"},"startsAt":"2020-13-01 00:00:00"}]', JSON),
    ('[{"labels":{"a":"b"},"endsAt":"2020-01-01T00:00:00Z","startsAt":"2021-01-01T00:00:00Z"}]', JSON),
    ('[{"labels":{"a":"b","c":"\\u00ff\\ud800"}},{"labels":{"0x":"y"}}]', JSON),
    ('[{"labels":{"a":"b"}, "annotations":{"b c":"d"}}]', JSON),
    ("[null]", JSON),
]


def test_post_alert_errors(pair: tuple[Server, Server]) -> None:
    for body, headers in BAD_ALERT_BODIES:
        check(pair, "POST", "/api/v2/alerts", body, headers)
    _report()


def test_post_alerts(pair: tuple[Server, Server]) -> None:
    alerts = [
        {"labels": {"alertname": "DiskFull", "team": "db", "instance": "a"}},
        {"labels": {"alertname": "DiskFull", "team": "db", "instance": "b", "severity": "crit"},
         "annotations": {"summary": "<b>full</b> & more"}, "generatorURL": "http://prom/graph?g0=1"},
        {"labels": {"alertname": "HighLatency", "service": "web", "severity": "page"},
         "startsAt": _iso(-600)},
        {"labels": {"alertname": "Old", "x": ""}, "startsAt": _iso(-7200), "endsAt": _iso(-3600)},
        {"labels": {"alertname": "Later", "service": "api"}, "startsAt": _iso(-60), "endsAt": _iso(3600)},
        {"labels": {"alertname": "Unicode", "z": "\u2028é"}, "annotations": {"h": "<>&"}},
        {"labels": {"alertname": "DiskFull", "team": "db", "instance": "c", "severity": "warn"}},
        {"labels": {"alertname": "Other", "severity": "warn"}},
    ]
    check(pair, "POST", "/api/v2/alerts", alerts, JSON)
    check(pair, "POST", "/api/v1/alerts", [{"labels": {"alertname": "FromV1", "team": "db"}}], JSON)
    for body in ("{", "[]", '[{"labels":{"a b":"c"}}]', '[{"labels":{}}]', '{"labels":{}}', ""):
        check(pair, "POST", "/api/v1/alerts", body, JSON)
    _report()


# -- listing alerts -------------------------------------------------------------------------------

ALERT_QUERIES = [
    "", "?active=false", "?active=foo", "?active=0", "?active=", "?active=false&active=true",
    "?silenced=false", "?inhibited=false", "?unprocessed=false", "?filter=alertname%3DDiskFull",
    "?filter=alertname%3DDiskFull&filter=instance%3Db", "?filter=team%3D", "?filter=team!%3D",
    "?filter=team%3D~", "?filter=severity%3D~%22crit%7Cpage%22", "?filter=foo", "?filter=c%3D~(",
    "?filter=%7Balertname%3D%22DiskFull%22%7D", "?receiver=db", "?receiver=d.*", "?receiver=(",
    "?receiver=", "?receiver=pager&filter=team%3Ddb",
]


def test_get_alerts(pair: tuple[Server, Server]) -> None:
    for q in ALERT_QUERIES:
        check(pair, "GET", "/api/v2/alerts" + q)
    _report()


V1_ALERT_QUERIES = [
    "", "?active=false", "?active=foo", "?silenced=false", "?unprocessed=false", "?inhibited=true",
    "?filter=%7Balertname%3D%22DiskFull%22%7D", "?filter=%7Balertname%3D%22DiskFull%22,instance%3D%22b%22%7D",
    "?filter=%7Bteam%3D%22%22%7D", "?filter=bad", "?receiver=db", "?receiver=(",
]


def test_v1_get_alerts(pair: tuple[Server, Server]) -> None:
    for q in V1_ALERT_QUERIES:
        check(pair, "GET", "/api/v1/alerts" + q)
    _report()


# -- silences -------------------------------------------------------------------------------------


def _silence(**over: Any) -> dict[str, Any]:
    s: dict[str, Any] = {"comment": "c", "createdBy": "me", "startsAt": _iso(0), "endsAt": _iso(3600),
                         "matchers": [{"name": "alertname", "value": "DiskFull", "isRegex": False}]}
    s.update(over)
    return s


BAD_SILENCES: list[Any] = [
    '{"matchers":[{"name":1}]}', '{"matchers":[{"name":"a","isRegex":"x"}]}', '{"id":5}', '{"comment":5}',
    '{"endsAt":"x"}', "{}", "", "[]", "nul", _silence(matchers=[]), _silence(matchers=[{}]),
    _silence(id="nope"), _silence(endsAt=_iso(-7200), startsAt=_iso(-3600)),
    _silence(startsAt=_iso(-7200), endsAt=_iso(-3600)),
    _silence(matchers=[{"name": "a", "value": "", "isRegex": False}]),
    _silence(matchers=[{"name": "a b", "value": "x", "isRegex": False}]),
    _silence(matchers=[{"name": "a", "value": "(", "isRegex": True}]),
    _silence(comment=None), _silence(createdBy=None), _silence(startsAt=None),
    _silence(matchers=[None]),
]


def test_post_silence_errors(pair: tuple[Server, Server]) -> None:
    for body in BAD_SILENCES:
        check(pair, "POST", "/api/v2/silences", body, JSON)
    check(pair, "POST", "/api/v2/silences", json.dumps(_silence()), {"Content-Type": "text/plain"})
    _report()


def _create(pair: tuple[Server, Server], body: dict[str, Any], v1: bool = False) -> tuple[str, str]:
    got = check(pair, "POST", "/api/v1/silences" if v1 else "/api/v2/silences", body, JSON)
    assert got["status"] == 200, got
    am, ours = pair
    # The placeholders are shared; the raw IDs are each server's own.
    placeholder = json.loads(got["body"])["data" if v1 else "silenceID"]
    placeholder = placeholder["silenceId"] if v1 else placeholder
    return _raw(am, placeholder), _raw(ours, placeholder)


def _raw(s: Server, placeholder: str) -> str:
    return next(k for k, v in s.ids.items() if v == placeholder)


def check_id(pair: tuple[Server, Server], method: str, path: str, ids: tuple[str, str]) -> dict[str, Any]:
    am, ours = pair
    a = am.request(method, path.format(id=ids[0]))
    b = ours.request(method, path.format(id=ids[1]))
    from api_harness import view
    theirs, mine = view(am, a), view(ours, b)
    if mine != theirs:
        FAILURES.append(f"{method} {path}\n" + explain(theirs, mine))
    return theirs


def test_silences(pair: tuple[Server, Server]) -> None:
    # Distinct end times: 0.25 sorts with sort.Slice, so ties have no defined order.
    active = _create(pair, _silence(endsAt=_iso(3500)))
    regex = _create(pair, _silence(matchers=[{"name": "severity", "value": "crit|page", "isRegex": True},
                                             {"name": "team", "value": "db", "isRegex": False,
                                              "isEqual": False}]))
    pending = _create(pair, _silence(startsAt=_iso(1800), endsAt=_iso(7200),
                                     matchers=[{"name": "service", "value": "web", "isRegex": False}]))
    v1 = _create(pair, {"matchers": [{"name": "alertname", "value": "Later", "isRegex": False}],
                        "startsAt": _iso(0), "endsAt": _iso(600), "createdBy": "v1", "comment": "old api"},
                 v1=True)
    for q in ("", "?filter=alertname%3DDiskFull", "?filter=severity%3D~crit%7Cpage", "?filter=severity%3Dcrit",
              "?filter=team!%3Ddb", "?filter=bad", "?filter=x%3D~("):
        check(pair, "GET", "/api/v2/silences" + q)
    for q in ("", "?filter=%7Balertname%3D%22DiskFull%22%7D", "?filter=bad"):
        check(pair, "GET", "/api/v1/silences" + q)
    for ids in (active, regex, pending, v1):
        check_id(pair, "GET", "/api/v2/silence/{id}", ids)
        check_id(pair, "GET", "/api/v1/silence/{id}", ids)
    for q in ("", "?silenced=false", "?active=false", "?inhibited=false", "?inhibited=false&silenced=false"):
        check(pair, "GET", "/api/v2/alerts" + q)
    for q in ("", "?inhibited=false", "?silenced=false&inhibited=false&active=true"):
        check(pair, "GET", "/api/v1/alerts" + q)
    check(pair, "GET", "/api/v1/alerts")
    # Updating: same matchers keep the ID; changed matchers expire the old one.
    am_id, our_id = active
    am, ours = pair
    upd = {"comment": "updated", "endsAt": _iso(3400)}
    a = am.request("POST", "/api/v2/silences", json.dumps(_silence(id=am_id, **upd)), JSON)
    b = ours.request("POST", "/api/v2/silences", json.dumps(_silence(id=our_id, **upd)), JSON)
    from api_harness import view
    if view(ours, b) != view(am, a):
        FAILURES.append("silence update\n" + explain(view(am, a), view(ours, b)))
    check_id(pair, "DELETE", "/api/v2/silence/{id}", pending)
    check_id(pair, "DELETE", "/api/v2/silence/{id}", pending)
    check_id(pair, "DELETE", "/api/v1/silence/{id}", v1)
    check(pair, "GET", "/api/v2/silences")
    check(pair, "GET", "/api/v1/silences")
    _report()


def test_silence_by_id_errors(pair: tuple[Server, Server]) -> None:
    unknown = "2c2b6a2e-1111-4111-8111-111111111111"
    for method in ("GET", "DELETE"):
        check(pair, method, "/api/v2/silence/" + unknown)
        check(pair, method, "/api/v2/silence/abc")
        check(pair, method, "/api/v2/silence/" + unknown.upper())
        check(pair, method, "/api/v1/silence/" + unknown)
    check(pair, "GET", "/api/v2/silence/")
    check(pair, "PUT", "/api/v2/silence/" + unknown)
    _report()


def test_groups(pair: tuple[Server, Server]) -> None:
    for q in ("", "?filter=alertname%3DDiskFull", "?receiver=db", "?silenced=false", "?active=false",
              "?filter=bad", "?receiver=("):
        check(pair, "GET", "/api/v2/alerts/groups" + q)
    _report()


# -- metrics --------------------------------------------------------------------------------------

OWN_METRICS = (
    "alertmanager_build_info", "alertmanager_cluster_enabled", "alertmanager_receivers",
    "alertmanager_integrations", "alertmanager_http_request_duration_seconds",
    "alertmanager_http_response_size_bytes", "alertmanager_http_requests_in_flight",
    "alertmanager_http_concurrency_limit_exceeded_total", "alertmanager_config_hash",
    "alertmanager_config_last_reload_successful", "alertmanager_alerts_received_total",
)


def _families(text: str) -> dict[str, tuple[str, str]]:
    helps: dict[str, str] = {}
    types: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name, _, h = line[7:].partition(" ")
            helps[name] = h
        elif line.startswith("# TYPE "):
            name, _, t = line[7:].partition(" ")
            types[name] = t
    return {n: (helps.get(n, ""), types.get(n, "")) for n in types}


def _label_names(text: str, family: str) -> set[tuple[str, ...]]:
    import re
    out = set()
    for line in text.splitlines():
        if line.startswith(family) and not line.startswith("#"):
            labels = re.findall(r'([a-zA-Z_]+)="', line.split(" ")[0])
            out.add(tuple(sorted(set(labels) - {"le", "quantile"})))
    return out


# Label sets amclone adds on purpose, beside 0.25's: newer Alertmanager releases split the failure
# counter by `reason` (sums by integration stay 0.25's; compat-tests/dispatch checks the values).
EXTRA_LABELS = {"alertmanager_notifications_failed_total": {("integration", "reason")}}


def test_metrics(pair: tuple[Server, Server]) -> None:
    am, ours = pair
    theirs = am.request("GET", "/metrics").body.decode()
    mine = ours.request("GET", "/metrics").body.decode()
    fam_am, fam_ours = _families(theirs), _families(mine)
    for name in OWN_METRICS:
        assert name in fam_ours, name
    for name, desc in fam_ours.items():
        if name in fam_am:
            assert desc == fam_am[name], name
            allowed = _label_names(theirs, name) | {()} | EXTRA_LABELS.get(name, set())
            assert _label_names(mine, name) <= allowed, name


# -- more inputs ---------------------------------------------------------------------------------

V1_BAD = [
    ("/api/v1/alerts", '[{"labels":{"a b":"c"}}]'), ("/api/v1/alerts", '[{"labels":{"a":"b"},"annotations":{"c d":"e"}}]'),
    ("/api/v1/alerts", '[{"labels":{"a":1}}]'), ("/api/v1/alerts", '[{"labels":{"a":"b"},"startsAt":"x"}]'),
    ("/api/v1/alerts", '[{"labels":{"a":"b"},"startsAt":5}]'), ("/api/v1/alerts", '[{"labels":{"a":"b"}}] x'),
    ("/api/v1/alerts", "[null]"), ("/api/v1/alerts", '[{"labels":{"":"b"}}]'),
    ("/api/v1/silences", "{}"), ("/api/v1/silences", '{"matchers":[]}'), ("/api/v1/silences", "{"),
    ("/api/v1/silences", ('{"matchers":[{"name":"a","value":"b"}],"startsAt":"2030-01-01T00:00:00Z",'
                         '"endsAt":"2030-01-01T00:00:00Z"}')),
    ("/api/v1/silences", ('{"matchers":[{"name":"a","value":"b"}],"startsAt":"2020-01-01T00:00:00Z",'
                         '"endsAt":"2021-01-01T00:00:00Z"}')),
    ("/api/v1/silences", ('{"matchers":[{"name":"a","value":"(","isRegex":true}],"startsAt":"2020-01-01T00:00:00Z",'
                         '"endsAt":"2099-01-01T00:00:00Z"}')),
    ("/api/v1/silences", ('{"id":"2c2b6a2e-1111-4111-8111-111111111111","matchers":[{"name":"a","value":"b"}],'
                         '"startsAt":"2020-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z"}')),
    ("/api/v1/silences", ('{"matchers":[{"name":"a","value":""}],"startsAt":"2020-01-01T00:00:00Z",'
                         '"endsAt":"2099-01-01T00:00:00Z"}')),
]


def test_v1_bad_posts(pair: tuple[Server, Server]) -> None:
    for path, body in V1_BAD:
        check(pair, "POST", path, body, JSON)
    _report()


def test_transport_edges(pair: tuple[Server, Server]) -> None:
    check(pair, "GET", "/api/v2/alerts?filter=alertname%3DDiskFull;x")
    check(pair, "GET", "/api/v2/alerts?filter=%zz")
    check(pair, "GET", "/api/v2/receivers", "x", {"Content-Type": "text/plain"})
    check(pair, "GET", "/api/v2/receivers", "x", {"Content-Type": "application/json"})
    check(pair, "DELETE", "/api/v2/silence/2c2b6a2e-1111-4111-8111-111111111111", "x", {"Content-Type": "x/y"})
    check(pair, "POST", "/api/v2/alerts", "[]", {"Content-Type": "application/json", "Accept": "text/plain"})
    check(pair, "POST", "/api/v2/alerts", "[]", {"Content-Type": "application/json", "Accept": "*/*"})
    check(pair, "HEAD", "/api/v2/status")
    chunked = {"Transfer-Encoding": "chunked"}
    check(pair, "POST", "/api/v2/alerts", "", {**chunked, "Content-Type": "application/json"})
    check(pair, "POST", "/api/v2/alerts", "", {**chunked, "Content-Type": "text/plain"})
    check(pair, "POST", "/api/v2/alerts", '[{"labels":{"chunked":"yes"}}]', {**chunked, **JSON})
    check(pair, "GET", "/api/v2/receivers", "", {**chunked, "Content-Type": "text/plain"})
    check(pair, "POST", "/api/v2/alerts", '[{"labels":{"gz":"no"}}]', {**JSON, "Content-Encoding": "gzip"})
    check(pair, "GET", "/api/v2/alerts?" + "filter=a%3Db&" * 200)
    check(pair, "POST", "/api/v2/alerts", json.dumps([{"labels": {"alertname": f"Bulk{i}"}} for i in range(2000)]),
          JSON)
    check(pair, "GET", "/api/v2/alerts?filter=alertname%3D~Bulk1.*")
    _report()
