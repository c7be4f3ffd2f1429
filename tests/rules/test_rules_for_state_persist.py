"""ALERTS_FOR_STATE kept under --storage.path: what the file gives back (newest sample per series,
stale and too-old series left out, a torn tail skipped, compaction), and a restart on a FakeClock
whose restore from the reloaded file equals the restore from the old head itself."""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry

from amclone.promql import Engine
from amclone.rules import files
from amclone.rules.datasource import LocalSource
from amclone.rules.for_state_store import ForStateLog, PersistingAppender, load_into
from amclone.rules.group import HeadWriter
from amclone.rules.manager import ManagerOptions, RuleManager
from amclone.rules.metrics import RuleMetrics
from amclone.rules.restore import HeadForState
from amclone.testing.procs import start_amclone
from amclone.timeutil import FakeClock
from amclone.tsdb import STALE_NAN, Head, is_stale
from amclone.tsdb.series import Labels
from tests.rules.test_rules_server import get_json, remote_write, wait_until

S = 1_000_000_000
MS = 1_000_000
START = 1_700_000_000 * S


def parse_rfc3339(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def fs(alertname: str, **labels: str) -> Labels:
    return tuple(sorted({"__name__": "ALERTS_FOR_STATE", "alertname": alertname, **labels}.items()))


def alerts_series(alertname: str) -> Labels:
    return (("__name__", "ALERTS"), ("alertname", alertname), ("alertstate", "pending"))


def test_newest_sample_per_series_comes_back_other_series_ignored(tmp_path: Path) -> None:
    path = tmp_path / "rules" / "for_state"
    log = ForStateLog(path)
    t0 = START // MS
    for k in range(5):
        log.record([(fs("A"), 1000.0), (alerts_series("A"), 1.0), (fs("B", i="1"), 2000.0)], t0 + k * 1000)
    log.record([(fs("A"), 999.0)], t0 - 5000)  # older than what is kept: ignored
    # no close(): as after kill -9, the write(2)s are what there is
    got = ForStateLog(path).load(START + 10 * S)
    assert sorted(got) == [(fs("A"), t0 + 4000, 1000.0), (fs("B", i="1"), t0 + 4000, 2000.0)]


def test_stale_and_too_old_series_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "for_state"
    log = ForStateLog(path, outage_tolerance=3600 * S)
    t0 = START // MS
    log.record([(fs("Old"), 1.0)], t0)
    log.record([(fs("Gone"), 5.0)], t0 + 7200_000)
    log.record([(fs("Gone"), STALE_NAN)], t0 + 7201_000)
    log.record([(fs("Kept"), 7.0)], t0 + 7202_000)
    got = ForStateLog(path, outage_tolerance=3600 * S).load(START + 7300 * S)
    assert got == [(fs("Kept"), t0 + 7202_000, 7.0)]


def test_stale_marker_is_kept_while_running(tmp_path: Path) -> None:
    log = ForStateLog(tmp_path / "for_state")
    log.record([(fs("A"), 3.0)], 1000)
    log.record([(fs("A"), STALE_NAN)], 2000)
    t, v = log.snapshot()[fs("A")]
    assert t == 2000 and is_stale(v)


def test_torn_tail_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "for_state"
    log = ForStateLog(path)
    log.record([(fs("A"), 1.0)], START // MS)
    log.record([(fs("B"), 2.0)], START // MS)
    data = path.read_bytes()
    path.write_bytes(data[:-3])  # a crash in the middle of the last write
    again = ForStateLog(path)
    assert again.load(START) == [(fs("A"), START // MS, 1.0)]
    assert again.torn == 1
    # the load rewrote the file cleanly: appending after it reads back whole
    again.record([(fs("C"), 3.0)], START // MS + 1)
    assert {k[1][1] for k, _, _ in ForStateLog(path).load(START)} == {"A", "C"}


def test_missing_file_gives_nothing_and_creates_nothing(tmp_path: Path) -> None:
    assert ForStateLog(tmp_path / "rules" / "for_state").load(START) == []
    assert not (tmp_path / "rules").exists()


def test_file_stays_small_by_compaction(tmp_path: Path) -> None:
    path = tmp_path / "for_state"
    log = ForStateLog(path, compact_bytes=4096)
    series = [fs("A", i=str(i)) for i in range(10)]
    for k in range(2000):
        log.record([(s, 100.0) for s in series], START // MS + k * 1000)
    assert os.path.getsize(path) <= 4096 + 1024
    got = ForStateLog(path).load(START + 2000 * S)
    assert sorted(got) == sorted((s, START // MS + 1999_000, 100.0) for s in series)


def test_unwritable_directory_does_not_break_evaluation(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    head = Head()
    app = PersistingAppender(HeadWriter(head), ForStateLog(blocker / "rules" / "for_state"))
    assert app.append_rows([(fs("A"), 1.0)], 1000) == 0
    assert head.num_series == 1


# -- a restart on a FakeClock ------------------------------------------------------------------


def manager(clock: FakeClock, head: Head, log: ForStateLog) -> RuleManager:
    return RuleManager(clock, LocalSource(Engine(head)), PersistingAppender(HeadWriter(head), log), [],
                       RuleMetrics(CollectorRegistry()), ManagerOptions(threaded=False),
                       for_state=HeadForState(head), head=head)


def spec(for_: int) -> list[files.Group]:
    rule = files.Rule(files.ALERT, "Long", "x > 0", for_, 0, {"severity": "page"}, {})
    return [files.Group("/r.yml", "g", 10 * S, (rule,), 0, 0, {}, files.INTERVAL)]


def feed(head: Head, start: int, end: int) -> None:
    for t in range(start, end, 5 * S):
        head.append((("__name__", "x"), ("i", "1")), t // MS, 1.0)


async def restored_active_at(head: Head, log: ForStateLog, clock: FakeClock, up_at: int) -> int:
    feed(head, up_at - 300 * S, up_at + 200 * S)
    m = manager(clock, head, log)
    m.apply(spec(30 * 60 * S))
    await m.start()
    await clock.advance(30)
    rule = m.groups()[0].alerting_rules()[0]
    assert rule.restored
    (alert,) = rule.active.values()
    await m.stop()
    return alert.active_at


async def test_restart_restores_from_the_file_as_from_the_old_head(tmp_path: Path) -> None:
    path = tmp_path / "rules" / "for_state"
    clock = FakeClock(START)
    head = Head()
    feed(head, START - 60 * S, START + 900 * S)
    m = manager(clock, head, ForStateLog(path))
    m.apply(spec(30 * 60 * S))
    await m.start()
    await clock.advance(600)  # pending ~10 minutes of its 30
    (first,) = m.groups()[0].alerting_rules()[0].active.values()
    assert first.state == 1
    await m.stop()  # the process dies here (the log is not closed)

    up_at = START + 900 * S  # five minutes down
    from_file = Head()
    fresh = ForStateLog(path)
    assert load_into(from_file, fresh.load(up_at)) == 1
    got = await restored_active_at(from_file, fresh, FakeClock(up_at), up_at)

    # the old head itself (what Prometheus's on-disk TSDB would give) restores the same
    same = await restored_active_at(head, ForStateLog(tmp_path / "other"), FakeClock(up_at), up_at)
    assert got == same
    # time down does not count: about 20 of the 30 minutes are still to wait after the restart
    assert first.active_at < got
    restore_at = up_at + 30 * S
    assert 19 * 60 * S <= got + 30 * 60 * S - restore_at <= 21 * 60 * S


async def test_without_the_file_for_starts_again(tmp_path: Path) -> None:
    up_at = START + 900 * S
    head = Head()
    got = await restored_active_at(head, ForStateLog(tmp_path / "for_state"), FakeClock(up_at), up_at)
    assert got > up_at


# -- the real process, killed with SIGKILL -------------------------------------------------------

PROM_YML = """
global: {evaluation_interval: 1s}
rule_files: ["rules.yml"]
"""
RULES_YML = """
groups:
  - name: waits
    rules:
      - alert: Slow
        expr: load > 1
        for: 30s
"""
AM_YML = "route: {receiver: none}\nreceivers: [{name: none}]\n"


def slow_alert(base: str) -> dict[str, Any] | None:
    alerts = get_json(base + "/prometheus/api/v1/alerts")["data"]["alerts"]
    return alerts[0] if alerts else None


def test_kill9_keeps_for_state(tmp_path: Path) -> None:
    """``for: 30s``, pending ~10 s, kill -9, restart: it fires about 20 s after the restart (plus
    the two evaluations restore waits for), not 30 s. The grace period is lowered to 5 s: with
    Prometheus's 10m, a 30s ``for`` is never restored (in Prometheus either)."""
    (tmp_path / "am.yml").write_text(AM_YML)
    (tmp_path / "prometheus.yml").write_text(PROM_YML)
    (tmp_path / "rules.yml").write_text(RULES_YML)
    extra = [f"--rules.config={tmp_path / 'prometheus.yml'}", "--rules.alert.for-grace-period=5s"]
    stop = threading.Event()
    target: list[str] = []

    def writer() -> None:
        while not stop.is_set():
            try:
                remote_write(target[0], [({"__name__": "load", "host": "h"}, 5.0)])
            except OSError:
                pass  # down between the kill and the restart
            stop.wait(0.5)

    proc, base = start_amclone(tmp_path / "am.yml", tmp_path, extra=extra)
    target.append(base)
    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        first = wait_until("a pending alert", lambda: slow_alert(base), timeout=15)
        assert first["state"] == "pending"
        active_at = parse_rfc3339(first["activeAt"])
        while time.time() < active_at + 10:
            time.sleep(0.2)
        assert slow_alert(base)["state"] == "pending"  # type: ignore[index]
        assert (tmp_path / "amclone-data" / "rules" / "for_state").stat().st_size > 0
        proc.kill9()
        down_at = time.time()
        time.sleep(2)
        proc, base = start_amclone(tmp_path / "am.yml", tmp_path, extra=extra)
        target[0] = base
        up_at = time.time()

        def firing() -> dict[str, Any] | None:
            a = slow_alert(base)
            return a if a is not None and a["state"] == "firing" else None
        fired = wait_until("the alert firing after the restart", firing, timeout=40)
        waited = time.time() - up_at
        # 20 s left, plus the restore's two evaluations (1-2 s), not 30 s again
        assert 16 <= waited <= 26, waited
        # ActiveAt moved by the time spent down (kill to restore), as Prometheus moves it
        shift = parse_rfc3339(fired["activeAt"]) - active_at
        assert up_at - down_at <= shift + 1.5 and shift <= up_at - down_at + 6, (shift, up_at - down_at)
    finally:
        stop.set()
        thread.join(5)
        proc.stop()
