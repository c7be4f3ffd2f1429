"""The same sequence of silence edits, sent to the real Alertmanager 0.25 and applied to
amclone's `Silences`, gives the same decisions: which edits keep the ID and which make a new
silence, which old silences end up expired, and the same error texts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from silence_am_client import call, from_postable, now_ns, postable, write_config

from amclone.silence import NotFoundError, SilenceError, Silences
from amclone.silence.api import api_state, to_api
from amclone.testing.procs import start_alertmanager
from amclone.timeutil import SystemClock

H = 3600 * 10**9
A1 = [("alertname", "=", "A")]
A2 = [("alertname", "=", "B")]

# (step name, silence it edits or None, body builder given (now, the edited silence as the API
# shows it, or {})); every body passes the API's own time checks, so only `Set` decides.
Step = tuple[str, "str | None", Callable[[int, dict[str, Any]], dict[str, Any]]]


def keep(prev: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {k: prev[k] for k in ("id", "matchers", "startsAt", "endsAt", "createdBy", "comment")}
    body.update(changes)
    return body


STEPS: list[Step] = [
    ("active", None, lambda now, p: postable(A1, now - H, now + H)),
    ("extend", "active", lambda now, p: keep(p, endsAt=postable([], 0, now + 2 * H)["endsAt"])),
    ("comment", "active", lambda now, p: keep(p, comment="new words", createdBy="someone else")),
    ("rematch", "active", lambda now, p: keep(p, matchers=postable(A2, 0, 0)["matchers"])),
    ("revive", "active", lambda now, p: keep(p, endsAt=postable([], 0, now + 3 * H)["endsAt"])),
    ("pending", None, lambda now, p: postable(A1, now + H, now + 2 * H)),
    ("postpone", "pending", lambda now, p: postable(A1, now + 2 * H, now + 3 * H, id=p["id"])),
    ("prepone", "pending", lambda now, p: postable(A1, now - H, now + 3 * H, id=p["id"])),
    ("active2", None, lambda now, p: postable(A2, now, now + H)),
    ("restart", "active2", lambda now, p: postable(A2, now + H, now + 2 * H, id=p["id"])),
    (
        "bad-edit",
        "restart",
        lambda now, p: keep(p, matchers=[{"name": "a b", "value": "1", "isRegex": False}]),
    ),
    ("bad-regex", None, lambda now, p: postable([("a", "=~", "(")], now, now + H)),
    ("empty", None, lambda now, p: postable([("a", "=~", ".*"), ("b", "=", "")], now, now + H)),
    ("colon", None, lambda now, p: postable([("a:b", "=", "1")], now, now + H)),
    ("unknown", None, lambda now, p: postable(A1, now, now + H, id="4fdd1f56-1c06-4c9e-b8d6-4a0b6e2c7a11")),
]


def run(
    post: Callable[[dict[str, Any]], tuple[int, Any]],
    get: Callable[[str], dict[str, Any]],
    now: Callable[[], int],
) -> tuple[list[tuple[str, Any]], dict[str, str]]:
    """Apply STEPS; returns each step's outcome (status and, for errors, the text; for edits,
    whether the ID was kept) and the ID each named step produced."""
    ids: dict[str, str] = {}
    outcomes: list[tuple[str, Any]] = []
    for name, target, build in STEPS:
        prev = get(ids[target]) if target else {}
        status, body = post(build(now(), prev))
        if status != 200:
            outcomes.append((name, (status, body)))
            continue
        ids[name] = body["silenceID"]
        outcomes.append((name, (status, "kept id" if target and ids[name] == ids[target] else "new id")))
    return outcomes, ids


def final_states(get: Callable[[str], dict[str, Any]], ids: dict[str, str]) -> dict[str, Any]:
    out = {}
    for name, sid in ids.items():
        s = get(sid)
        out[name] = (s["status"]["state"], [(m["name"], m["value"]) for m in s["matchers"]], s["comment"])
    return out


@pytest.fixture
def alertmanager(tmp_path: Path):  # type: ignore[no-untyped-def]
    am, url = start_alertmanager(write_config(tmp_path), tmp_path)
    yield url
    am.stop()


def test_the_same_edits_make_the_same_decisions(alertmanager: str) -> None:
    url = alertmanager
    am_outcomes, am_ids = run(
        lambda b: call(url, "POST", "/api/v2/silences", b),
        lambda sid: call(url, "GET", f"/api/v2/silence/{sid}")[1],
        now_ns,
    )

    store = Silences(SystemClock(), registry=CollectorRegistry())

    def post(body: dict[str, Any]) -> tuple[int, Any]:
        try:
            return 200, {"silenceID": store.set(from_postable(body))}
        except NotFoundError as e:
            return 404, str(e)
        except SilenceError as e:
            return 400, str(e)

    def get(sid: str) -> dict[str, Any]:
        return to_api(store.get(sid), store.now())

    our_outcomes, our_ids = run(post, get, store.now)
    assert our_outcomes == am_outcomes, am_outcomes
    assert final_states(get, our_ids) == final_states(
        lambda sid: call(url, "GET", f"/api/v2/silence/{sid}")[1], am_ids
    )
    assert dict(am_outcomes)["bad-edit"][0] == 400
    assert api_state(store.get(our_ids["restart"]), store.now()).value == "expired"


def test_expiring_follows_alertmanager(alertmanager: str) -> None:
    url = alertmanager
    store = Silences(SystemClock(), registry=CollectorRegistry())
    now = now_ns()
    for start in (now - H, now + H):  # active, then pending
        body = postable(A1, start, now + 2 * H)
        status, res = call(url, "POST", "/api/v2/silences", body)
        am_id, our_id = res["silenceID"], store.set(from_postable(body))
        am_start = call(url, "GET", f"/api/v2/silence/{am_id}")[1]["startsAt"]
        our_start = store.get(our_id).starts_at
        for _ in range(2):  # the second time the silence is already expired: no error
            assert call(url, "DELETE", f"/api/v2/silence/{am_id}") == (200, None)
            store.expire(our_id)
        theirs = call(url, "GET", f"/api/v2/silence/{am_id}")[1]
        ours = store.get(our_id)
        assert theirs["status"] == {"state": "expired"}
        assert to_api(ours, store.now())["status"] == theirs["status"]
        # Both end when expired; a pending one also starts then, an active one keeps its start.
        assert theirs["endsAt"] == theirs["updatedAt"] and ours.ends_at == ours.updated_at
        if start > now:
            assert theirs["startsAt"] == theirs["endsAt"] and ours.starts_at == ours.ends_at
        else:
            assert theirs["startsAt"] == am_start and ours.starts_at == our_start
    status, text = call(url, "DELETE", "/api/v2/silence/4fdd1f56-1c06-4c9e-b8d6-4a0b6e2c7a11")
    with pytest.raises(NotFoundError) as e:
        store.expire("4fdd1f56-1c06-4c9e-b8d6-4a0b6e2c7a11")
    assert (status, text) == (500, str(e.value))
