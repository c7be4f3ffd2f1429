"""Inhibitor: equal labels (missing on both sides counts as equal), the self-inhibition guard,
resolved sources, source cache fed by the store subscription, marker bookkeeping."""

from __future__ import annotations

from amclone import config as amconfig
from amclone.alerts import Alert, AlertStore, Marker
from amclone.inhibit import Inhibitor
from amclone.timeutil import NS_PER_SECOND, FakeClock

S = NS_PER_SECOND


def rules(text: str) -> tuple:  # type: ignore[type-arg]
    return amconfig.load("route: {receiver: r}\nreceivers: [{name: r}]\ninhibit_rules:" + text).inhibit_rules


async def setup(text: str, *alerts: dict[str, str]) -> tuple[Inhibitor, Marker, FakeClock, AlertStore, list[Alert]]:
    clock = FakeClock()
    marker = Marker()
    store = AlertStore(clock, marker)
    now = clock.now()
    made = [Alert(a, {}, now, now + 300 * S, now) for a in alerts]
    await store.put(made)
    ih = Inhibitor(rules(text), store, marker, clock)
    ih.start()
    return ih, marker, clock, store, made


RULE = """
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [instance, cluster]
"""


async def test_equal_labels_and_missing_on_both_sides() -> None:
    ih, marker, *_ , made = await setup(RULE, {"a": "src", "severity": "critical", "instance": "1"})
    assert ih.mutes({"a": "t", "severity": "warning", "instance": "1"})  # cluster missing on both
    assert not ih.mutes({"a": "t", "severity": "warning", "instance": "2"})
    assert not ih.mutes({"a": "t", "severity": "warning", "instance": "1", "cluster": "x"})
    assert not ih.mutes({"a": "t", "severity": "info", "instance": "1"})
    from amclone.labels.labelset import fingerprint

    fp = fingerprint({"a": "t", "severity": "warning", "instance": "1"})
    ih.mutes({"a": "t", "severity": "warning", "instance": "1"})
    assert marker.status(fp).inhibited_by == (made[0].fingerprint_hex,)
    await ih.stop()


async def test_self_inhibition_guard() -> None:
    text = """
  - source_match: {kind: x}
    target_match_re: {kind: "x|y"}
"""
    ih, *_ = await setup(text, {"n": "1", "kind": "x"}, {"n": "2", "kind": "x"})
    assert not ih.mutes({"n": "1", "kind": "x"})  # both sides: other both-sided sources are skipped
    assert ih.mutes({"n": "3", "kind": "y"})
    await ih.stop()


async def test_resolved_source_does_not_inhibit_and_new_puts_are_seen() -> None:
    ih, marker, clock, store, _ = await setup(RULE)
    target = {"severity": "warning"}
    assert not ih.mutes(target)
    now = clock.now()
    src = Alert({"severity": "critical"}, {}, now, now + 10 * S, now)
    await store.put([src])
    assert ih.mutes(target)  # seen without waiting for the subscription task
    await clock.advance(11)
    assert not ih.mutes(target)
    from amclone.labels.labelset import fingerprint

    assert marker.status(fingerprint(target)).inhibited_by == ()
    await clock.advance(15 * 60)
    assert len(ih.rules[0]) == 0  # GC dropped the resolved source
    await ih.stop()


async def test_regex_and_legacy_match_fields() -> None:
    text = """
  - source_match: {alertname: NodeDown}
    source_match_re: {dc: "eu-.*"}
    target_matchers: ['alertname=~"Disk.*"']
    equal: [node]
"""
    ih, *_ = await setup(text, {"alertname": "NodeDown", "dc": "eu-1", "node": "n1"},
                         {"alertname": "NodeDown", "dc": "us-1", "node": "n2"})
    assert ih.mutes({"alertname": "DiskFull", "node": "n1"})
    assert not ih.mutes({"alertname": "DiskFull", "node": "n2"})
    await ih.stop()


async def test_no_rules_clears_marker() -> None:
    ih, marker, *_ = await setup(" []")
    from amclone.labels.labelset import fingerprint

    marker.set_inhibited(fingerprint({"a": "b"}), ("x",))
    assert not ih.mutes({"a": "b"})
    assert marker.status(fingerprint({"a": "b"})).inhibited_by == ()
    await ih.stop()
