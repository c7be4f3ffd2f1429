"""`Silences`: creating, updating, expiring, querying and forgetting silences with Alertmanager
0.25's rules, on a fake clock."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from prometheus_client import CollectorRegistry
from silence_builders import HOUR, MINUTE, T0, m, sil

from amclone.silence import NotFoundError, SilenceError, Silences, SilenceState
from amclone.silence.snapshot import Entry, encode_entry
from amclone.timeutil import NS_PER_SECOND, FakeClock

ACTIVE, PENDING, EXPIRED = SilenceState.ACTIVE, SilenceState.PENDING, SilenceState.EXPIRED


async def later(clock: FakeClock, ns: int) -> None:
    await clock.advance(ns / NS_PER_SECOND)


class TestCreate:
    def test_a_new_silence_gets_a_random_uuid4(self, store: Silences) -> None:
        a = store.set(sil(start=T0, end=T0 + HOUR))
        b = store.set(sil(start=T0, end=T0 + HOUR))
        assert a != b
        assert uuid.UUID(a).version == 4 and str(uuid.UUID(a)) == a

    def test_a_start_in_the_past_becomes_now(self, store: Silences) -> None:
        sid = store.set(sil(start=T0 - HOUR, end=T0 + HOUR))
        s = store.get(sid)
        assert (s.starts_at, s.ends_at, s.updated_at) == (T0, T0 + HOUR, T0)
        assert s.state(T0) is ACTIVE

    def test_a_start_in_the_future_is_kept(self, store: Silences) -> None:
        sid = store.set(sil(start=T0 + HOUR, end=T0 + 2 * HOUR))
        assert store.get(sid).starts_at == T0 + HOUR
        assert store.get(sid).state(T0) is PENDING

    def test_an_unknown_id_is_not_found(self, store: Silences) -> None:
        with pytest.raises(NotFoundError) as e:
            store.set(sil(id="nope", start=T0, end=T0 + HOUR))
        assert str(e.value) == "silence not found"

    def test_an_invalid_silence_is_not_stored(self, store: Silences) -> None:
        with pytest.raises(SilenceError) as e:
            store.set(sil(m("a", "=~", ".*"), start=T0, end=T0 + HOUR))
        assert str(e.value) == "silence invalid: at least one matcher must not match the empty string"
        assert store.query() == ([], 0)

    def test_every_change_bumps_the_version(self, store: Silences) -> None:
        v = store.version
        sid = store.set(sil(start=T0, end=T0 + HOUR))
        assert store.version == v + 1
        store.expire(sid)
        assert store.version == v + 2


class TestUpdate:
    async def test_extending_an_active_silence_keeps_its_id(self, store: Silences, clock: FakeClock) -> None:
        sid = store.set(sil(start=T0, end=T0 + HOUR))
        await later(clock, MINUTE)
        prev = store.get(sid)
        assert store.set(replace(prev, ends_at=T0 + 2 * HOUR, comment="more")) == sid
        s = store.get(sid)
        assert (s.ends_at, s.comment, s.updated_at) == (T0 + 2 * HOUR, "more", T0 + MINUTE)
        assert len(store.query()[0]) == 1

    async def test_new_matchers_expire_the_old_silence_and_make_a_new_one(
        self, store: Silences, clock: FakeClock
    ) -> None:
        sid = store.set(sil(m("a", "=", "1"), start=T0, end=T0 + HOUR))
        await later(clock, MINUTE)
        new_id = store.set(replace(store.get(sid), matchers=(m("a", "=", "2"),)))
        assert new_id != sid
        old, new = store.get(sid), store.get(new_id)
        assert old.ends_at == T0 + MINUTE and old.updated_at == T0 + MINUTE
        assert new.starts_at == T0 + MINUTE and new.ends_at == T0 + HOUR
        await later(clock, 1)
        assert old.state(clock.now()) is EXPIRED and new.state(clock.now()) is ACTIVE

    async def test_moving_an_active_silences_start_makes_a_new_one(
        self, store: Silences, clock: FakeClock
    ) -> None:
        sid = store.set(sil(start=T0, end=T0 + HOUR))
        await later(clock, MINUTE)
        assert store.set(replace(store.get(sid), starts_at=T0 + 2 * MINUTE)) != sid

    async def test_a_pending_silence_replaced_starts_and_ends_now(
        self, store: Silences, clock: FakeClock
    ) -> None:
        sid = store.set(sil(m("a", "=", "1"), start=T0 + HOUR, end=T0 + 2 * HOUR))
        store.set(replace(store.get(sid), matchers=(m("a", "=", "2"),)))
        old = store.get(sid)
        assert (old.starts_at, old.ends_at) == (T0, T0)

    def test_a_pending_silence_may_be_rescheduled_in_place(self, store: Silences) -> None:
        sid = store.set(sil(start=T0 + HOUR, end=T0 + 2 * HOUR))
        assert store.set(replace(store.get(sid), starts_at=T0 + 3 * HOUR, ends_at=T0 + 4 * HOUR)) == sid

    async def test_editing_an_expired_silence_makes_a_new_one_and_leaves_the_old(
        self, store: Silences, clock: FakeClock
    ) -> None:
        sid = store.set(sil(start=T0, end=T0 + HOUR))
        await later(clock, 2 * HOUR)
        before = store.get(sid)
        new_id = store.set(replace(before, ends_at=T0 + 5 * HOUR))
        assert new_id != sid and store.get(sid) == before

    async def test_an_invalid_edit_still_expires_the_old_silence_as_0_25_does(
        self, store: Silences, clock: FakeClock
    ) -> None:
        sid = store.set(sil(m("a", "=", "1"), start=T0, end=T0 + HOUR))
        await later(clock, MINUTE)
        with pytest.raises(SilenceError, match="^silence invalid: invalid label matcher 0"):
            store.set(replace(store.get(sid), matchers=(m("a b", "=", "1"),)))
        assert store.get(sid).ends_at == T0 + MINUTE
        assert len(store.query()[0]) == 1

    def test_two_changes_in_one_clock_tick_both_take_effect(self, store: Silences) -> None:
        sid = store.set(sil(start=T0 + HOUR, end=T0 + 2 * HOUR))
        store.expire(sid)
        assert store.get(sid).ends_at == T0


class TestExpire:
    async def test_an_active_silence_ends_now(self, store: Silences, clock: FakeClock) -> None:
        sid = store.set(sil(start=T0, end=T0 + HOUR))
        await later(clock, MINUTE)
        store.expire(sid)
        s = store.get(sid)
        assert (s.starts_at, s.ends_at, s.updated_at) == (T0, T0 + MINUTE, T0 + MINUTE)

    async def test_a_pending_silence_starts_and_ends_now(self, store: Silences, clock: FakeClock) -> None:
        sid = store.set(sil(start=T0 + HOUR, end=T0 + 2 * HOUR))
        await later(clock, MINUTE)
        store.expire(sid)
        assert (store.get(sid).starts_at, store.get(sid).ends_at) == (T0 + MINUTE, T0 + MINUTE)

    async def test_expiring_an_expired_silence_is_a_no_op_without_error(
        self, store: Silences, clock: FakeClock
    ) -> None:
        sid = store.set(sil(start=T0, end=T0 + HOUR))
        await later(clock, MINUTE)
        store.expire(sid)
        await later(clock, 1)
        before, version = store.get(sid), store.version
        store.expire(sid)
        assert store.get(sid) == before and store.version == version

    def test_an_unknown_id_is_not_found(self, store: Silences) -> None:
        with pytest.raises(NotFoundError, match="^silence not found$"):
            store.expire("6923c3b5-9ab2-4756-8947-f0ffef3b7c60")


class TestQuery:
    @pytest.fixture
    def ids(self, store: Silences) -> dict[str, str]:
        return {
            "web": store.set(sil(m("job", "=", "web"), start=T0, end=T0 + HOUR)),
            "notdb": store.set(
                sil(m("job", "!=", "db"), m("env", "=~", "prod|stage"), start=T0, end=T0 + HOUR)
            ),
            "later": store.set(sil(m("job", "=~", "w.b"), start=T0 + HOUR, end=T0 + 2 * HOUR)),
        }

    def found(self, store: Silences, **kw: object) -> set[str]:
        return {s.id for s in store.query(**kw)[0]}  # type: ignore[arg-type]

    def test_everything_without_parameters(self, store: Silences, ids: dict[str, str]) -> None:
        assert self.found(store) == set(ids.values())

    def test_by_ids_skips_unknown_ones(self, store: Silences, ids: dict[str, str]) -> None:
        assert self.found(store, ids=[ids["web"], "nope"]) == {ids["web"]}

    def test_by_state(self, store: Silences, ids: dict[str, str]) -> None:
        assert self.found(store, states=[PENDING]) == {ids["later"]}
        assert self.found(store, states=[ACTIVE, PENDING]) == set(ids.values())

    def test_by_labels_all_matchers_must_hold_and_regexes_are_anchored(
        self, store: Silences, ids: dict[str, str]
    ) -> None:
        assert self.found(store, matches={"job": "web", "env": "prod"}) == {
            ids["web"],
            ids["notdb"],
            ids["later"],
        }
        assert self.found(store, matches={"job": "web", "env": "production"}) == {ids["web"], ids["later"]}
        assert self.found(store, matches={"job": "xweb"}) == set()

    def test_an_absent_label_matches_as_the_empty_string(self, store: Silences, ids: dict[str, str]) -> None:
        sid = store.set(sil(m("team", "=", ""), m("severity", "=", "page"), start=T0, end=T0 + HOUR))
        assert self.found(store, matches={"severity": "page"}) == {sid}
        assert self.found(store, matches={"severity": "page", "team": "a"}) == set()

    def test_states_and_labels_combine(self, store: Silences, ids: dict[str, str]) -> None:
        assert self.found(store, states=[ACTIVE], matches={"job": "web"}) == {ids["web"]}

    def test_the_result_carries_the_version(self, store: Silences, ids: dict[str, str]) -> None:
        assert store.query()[1] == store.version


class TestGarbageCollection:
    async def test_silences_are_forgotten_retention_after_they_end(self, clock: FakeClock) -> None:
        store = Silences(clock, retention_ns=HOUR, registry=CollectorRegistry())
        sid = store.set(sil(start=T0, end=T0 + HOUR))
        await later(clock, 2 * HOUR - 1)
        assert store.gc() == 0
        await later(clock, 1)
        version = store.version
        assert store.gc() == 1
        assert store.query()[0] == [] and store.version == version
        with pytest.raises(NotFoundError):
            store.expire(sid)

    def test_the_default_retention_is_120h(self, store: Silences) -> None:
        sid = store.set(sil(start=T0, end=T0 + HOUR))
        assert store._st[sid].expires_at == T0 + HOUR + 120 * HOUR


class TestFromPeers:
    def record(self, s: object, expires: int) -> bytes:
        return encode_entry(Entry(s, expires))  # type: ignore[arg-type]

    def test_newer_records_win_and_are_gossiped_on(self, store: Silences) -> None:
        sent: list[bytes] = []
        store.set_broadcast(sent.append)
        peer = sil(id="p1", start=T0, end=T0 + HOUR)
        store.merge(self.record(replace(peer, updated_at=T0), T0 + 2 * HOUR))
        store.merge(self.record(replace(peer, updated_at=T0, comment="same time"), T0 + 2 * HOUR))
        assert store.get("p1").comment == "c" and len(sent) == 1
        store.merge(self.record(replace(peer, updated_at=T0 + 1, comment="newer"), T0 + 2 * HOUR))
        assert store.get("p1").comment == "newer" and len(sent) == 2

    def test_records_past_their_expiry_are_dropped(self, store: Silences) -> None:
        store.merge(
            self.record(replace(sil(id="p1", start=T0 - 2 * HOUR, end=T0 - HOUR), updated_at=T0), T0 - 1)
        )
        assert store.query()[0] == []

    def test_local_changes_are_broadcast(self, store: Silences) -> None:
        sent: list[bytes] = []
        store.set_broadcast(sent.append)
        sid = store.set(sil(start=T0, end=T0 + HOUR))
        store.merge(b"".join(sent))  # our own record coming back changes nothing
        assert len(sent) == 1 and store.get(sid).id == sid


def test_text_that_is_not_valid_utf8_is_stored_as_go_would_decode_it(store: Silences) -> None:
    sid = store.set(sil(m("alertname", "=~", "a\ud800"), start=T0, end=T0 + HOUR, comment="x\udfff"))
    s = store.get(sid)
    assert (s.matchers[0].value, s.comment) == ("a\ufffd", "x\ufffd")
