"""The `silences` file crosses between Alertmanager 0.25 and amclone in both directions: a data
directory written by the real Alertmanager loads into amclone with every silence intact and
byte-identical records, and the real Alertmanager loads what amclone writes, compacted or as
left by a crash (appended records)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from silence_am_client import call, from_postable, now_ns, postable, write_config

from amclone.labels.matcher import MatchType
from amclone.proto import wire
from amclone.silence import SilenceMatcher, Silences, SnapshotFile
from amclone.silence.api import sort_for_api, to_api
from amclone.silence.snapshot import encode_entry
from amclone.testing.procs import start_alertmanager
from amclone.timeutil import SystemClock

HOUR = 3600 * 10**9


def listing(store: Silences) -> list[dict[str, Any]]:
    now = store.now()
    return [to_api(s, now) for s in sort_for_api(store.query()[0], now)]


def test_alertmanager_data_loads_into_amclone(tmp_path: Path) -> None:
    am, url = start_alertmanager(write_config(tmp_path), tmp_path)
    try:
        now = now_ns()
        ids = {}
        for name, ms, start, end in [
            ("plain", [("alertname", "=", "HostDown")], now - HOUR, now + HOUR),
            (
                "mixed",
                [("job", "=~", "web|api"), ("env", "!=", "dev"), ("team", "!~", "x.*")],
                now,
                now + 2 * HOUR,
            ),
            ("pending", [("alertname", "=", "Later")], now + HOUR, now + 3 * HOUR),
            ("gone", [("alertname", "=", "Gone")], now, now + HOUR),
            ("edited", [("alertname", "=", "Edited")], now, now + HOUR),
            ("replaced", [("alertname", "=", "Old")], now, now + 3 * HOUR // 2),  # no ties in the order
        ]:
            status, body = call(
                url, "POST", "/api/v2/silences", postable(ms, start, end, comment=f'{name}: über ✓ "q"\n')
            )
            assert status == 200, body
            ids[name] = body["silenceID"]
        assert call(url, "DELETE", f"/api/v2/silence/{ids['gone']}")[0] == 200
        status, got = call(url, "GET", f"/api/v2/silence/{ids['edited']}")
        got["endsAt"] = postable([], 0, now + 5 * HOUR)["endsAt"]
        edit = {k: got[k] for k in ("id", "matchers", "startsAt", "endsAt", "createdBy", "comment")}
        assert call(url, "POST", "/api/v2/silences", edit) == (200, {"silenceID": ids["edited"]})
        status, got = call(url, "GET", f"/api/v2/silence/{ids['replaced']}")
        repl = {k: got[k] for k in ("id", "startsAt", "endsAt", "createdBy", "comment")}
        repl["matchers"] = [{"name": "alertname", "value": "New", "isRegex": False, "isEqual": True}]
        status, body = call(url, "POST", "/api/v2/silences", repl)
        assert status == 200 and body["silenceID"] != ids["replaced"]
        status, am_listing = call(url, "GET", "/api/v2/silences")
        assert status == 200 and len(am_listing) == 7
    finally:
        assert am.stop() == 0  # SIGTERM: Alertmanager writes its shutdown snapshot
    snapshot = tmp_path / "am-data" / "silences"
    data = snapshot.read_bytes()

    store = Silences(SystemClock(), snapshot=SnapshotFile(snapshot), registry=CollectorRegistry())
    assert listing(store) == am_listing
    # Re-encoding what we loaded gives Alertmanager's exact bytes, record for record.
    ours = {encode_entry(e) for e in store._st.values()}
    theirs = set()
    for body in wire.split_delimited(data):
        theirs.add(wire.encode_delimited(_raw(body)))
    assert ours == theirs
    assert store.get(ids["gone"]).comment == 'gone: über ✓ "q"\n'


class _raw:
    """An already-serialized message, to re-frame Alertmanager's record bodies unchanged."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def SerializeToString(self, *, deterministic: bool = False) -> bytes:
        return self.body


@pytest.mark.parametrize("how", ["compacted", "appended"])
def test_alertmanager_loads_what_amclone_writes(tmp_path: Path, how: str) -> None:
    data_dir = tmp_path / "am-data"
    store = Silences(SystemClock(), snapshot=SnapshotFile.in_dir(data_dir), registry=CollectorRegistry())
    now = store.now()
    plain = store.set(from_postable(postable([("alertname", "=", "HostDown")], now - HOUR, now + HOUR)))
    store.set(
        from_postable(
            postable(
                [("job", "=~", "web|api"), ("env", "!=", "dev"), ("x", "!~", "y+")],
                now + HOUR,
                now + 2 * HOUR,
                comment="pending ✓",
            )
        )
    )
    gone = store.set(from_postable(postable([("alertname", "=", "Gone")], now, now + HOUR)))
    store.expire(gone)
    old = store.get(plain)
    store.set(
        from_postable(
            postable(
                [("alertname", "=", "HostDown")], old.starts_at, now + 4 * HOUR, id=plain, comment="edited"
            )
        )
    )
    store.set(
        type(old)(
            id="",
            matchers=(SilenceMatcher("a", MatchType.EQUAL, "1"),),
            starts_at=now,
            ends_at=now + HOUR,
            created_by="x",
            comment="",
        )
    )
    expected = listing(store)
    if how == "compacted":
        store.close()
    # "appended": no close, as after kill -9; the file holds every change as an appended record.
    assert len(wire.split_delimited((data_dir / "silences").read_bytes())) == (4 if how == "compacted" else 6)

    am, url = start_alertmanager(write_config(tmp_path), tmp_path)
    try:
        status, am_listing = call(url, "GET", "/api/v2/silences")
        assert status == 200
        assert am_listing == expected
        # Alertmanager can keep editing amclone's silences under their IDs.
        got = next(s for s in am_listing if s["id"] == plain)
        edit = {k: got[k] for k in ("id", "matchers", "startsAt", "endsAt", "createdBy", "comment")}
        assert call(url, "POST", "/api/v2/silences", edit) == (200, {"silenceID": plain})
    finally:
        am.stop()
