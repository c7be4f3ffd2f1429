"""The match index finds exactly the silences a full scan would, through creates, edits and GC."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry
from silence_builders import HOUR, T0, m, sil

from amclone.silence import Silence, SilenceError, SilenceMatcher, Silences
from amclone.timeutil import FakeClock

NAMES = ["alertname", "job", "env"]
VALUES = ["", "a", "b", "web"]
matchers = st.builds(
    lambda n, op, v: m(n, op, v),
    st.sampled_from(NAMES),
    st.sampled_from(["=", "!=", "=~", "!~"]),
    st.sampled_from([*VALUES, "a|b", ".+", "w.*"]),
)
label_sets = st.dictionaries(st.sampled_from(NAMES), st.sampled_from(VALUES[1:]))


def scan(silences: list[Silence], labels: dict[str, str]) -> set[str]:
    return {s.id for s in silences if all(x.compile().matches(labels.get(x.name, "")) for x in s.matchers)}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(matchers, min_size=1, max_size=3), min_size=1, max_size=12),
    st.lists(label_sets, min_size=1, max_size=8),
)
def test_the_index_agrees_with_a_full_scan(
    specs: list[list[SilenceMatcher]], labels: list[dict[str, str]]
) -> None:
    store = Silences(FakeClock(T0), registry=CollectorRegistry())
    for ms in specs:
        try:
            store.set(sil(*ms, start=T0, end=T0 + HOUR))
        except SilenceError:
            pass  # all matchers match the empty string: refused
    everything = store.query()[0]
    for ls in labels:
        assert {s.id for s in store.query(matches=ls)[0]} == scan(everything, ls)


async def test_edits_and_garbage_collection_reach_the_index(clock: FakeClock) -> None:
    store = Silences(clock, retention_ns=0, registry=CollectorRegistry())
    a = store.set(sil(m("alertname", "=", "A"), start=T0, end=T0 + HOUR))
    assert [s.id for s in store.query(matches={"alertname": "A"})[0]] == [a]
    b = store.set(Silence(a, (m("alertname", "=", "B"),), T0, T0 + HOUR))
    assert {s.id for s in store.query(matches={"alertname": "B"})[0]} == {b}
    await clock.advance(2 * 3600)
    store.gc()
    assert store.query(matches={"alertname": "A"})[0] == []
    assert store.query(matches={"alertname": "B"})[0] == []
