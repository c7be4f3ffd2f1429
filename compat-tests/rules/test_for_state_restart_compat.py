"""``for`` state across kill -9, amclone beside Prometheus 2.42 in the same run: the same rule
(``for: 30s``, grace period 5s), the same remote-written samples, both killed with SIGKILL after
~10 s pending and restarted on their storage. Prometheus restores from its TSDB (WAL replay),
amclone from ``<storage.path>/rules/for_state``; both must fire at about the same moment, some
20 s after the restart rather than 30 s."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from amclone.testing.procs import Managed, free_port, start_amclone, wait_http
from tests.rules.test_rules_server import get_json, remote_write

PROM_YML = "global: {evaluation_interval: 1s}\nrule_files: [\"%s\"]\n"
RULES_YML = """
groups:
  - name: waits
    rules:
      - alert: Slow
        expr: load > 1
        for: 30s
"""
AM_YML = "route: {receiver: none}\nreceivers: [{name: none}]\n"
GRACE = "--rules.alert.for-grace-period=5s"


class Node:
    """One of the two programs: how to (re)start it and where its alerts are."""

    def __init__(self, start: Callable[[], tuple[Managed, str]], alerts_path: str) -> None:
        self._start = start
        self.alerts_path = alerts_path
        self.proc, self.base = start()

    def restart(self) -> None:
        self.proc, self.base = self._start()

    def alert(self) -> dict[str, Any] | None:
        try:
            alerts = get_json(self.base + self.alerts_path)["data"]["alerts"]
        except OSError:
            return None
        return alerts[0] if alerts else None


def at(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def wait_state(nodes: list[Node], state: str, timeout: float) -> dict[int, tuple[float, dict[str, Any]]]:
    """When each node first shows the alert in `state` (wall time), and the alert then."""
    seen: dict[int, tuple[float, dict[str, Any]]] = {}
    deadline = time.monotonic() + timeout
    while len(seen) < len(nodes) and time.monotonic() < deadline:
        for i, n in enumerate(nodes):
            a = n.alert()
            if i not in seen and a is not None and a["state"] == state:
                seen[i] = (time.time(), a)
        time.sleep(0.1)
    assert len(seen) == len(nodes), f"not all {state}: {seen}"
    return seen


def test_kill9_restore_matches_prometheus(prometheus_bin: str, tmp_path: Path) -> None:
    (tmp_path / "rules.yml").write_text(RULES_YML)
    (tmp_path / "p.yml").write_text(PROM_YML % (tmp_path / "rules.yml"))
    (tmp_path / "am.yml").write_text(AM_YML)

    def prometheus() -> tuple[Managed, str]:
        port = free_port()
        m = Managed([prometheus_bin, f"--config.file={tmp_path / 'p.yml'}", f"--storage.tsdb.path={tmp_path / 'd'}",
                     f"--web.listen-address=127.0.0.1:{port}", "--web.enable-remote-write-receiver", GRACE],
                    log=tmp_path / "prometheus.log")
        wait_http(f"http://127.0.0.1:{port}/-/ready", 30, m.proc)
        return m, f"http://127.0.0.1:{port}"

    def amclone() -> tuple[Managed, str]:
        return start_amclone(tmp_path / "am.yml", tmp_path, extra=[f"--rules.config={tmp_path / 'p.yml'}", GRACE])

    nodes = [Node(amclone, "/prometheus/api/v1/alerts"), Node(prometheus, "/api/v1/alerts")]
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            for n in nodes:
                try:
                    remote_write(n.base, [({"__name__": "load", "host": "h"}, 5.0)])
                except OSError:
                    pass  # down between the kill and the restart
            stop.wait(0.5)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        pending = wait_state(nodes, "pending", 20)
        since = max(at(a["activeAt"]) for _, a in pending.values())
        while time.time() < since + 10:
            time.sleep(0.2)
        for n in nodes:
            n.proc.kill9()
        time.sleep(2)
        up_at = time.time()
        for n in nodes:
            n.restart()
        fired = wait_state(nodes, "firing", 40)
    finally:
        stop.set()
        thread.join(5)
        for n in nodes:
            n.proc.stop()
    ours, theirs = fired[0][0] - up_at, fired[1][0] - up_at
    print(f"fired after the restart: amclone {ours:.1f} s, Prometheus {theirs:.1f} s")
    assert 14 <= theirs <= 27, theirs  # Prometheus: the 10 s before the kill counted
    assert abs(ours - theirs) <= 3, (ours, theirs)
    # both moved ActiveAt by the time they were down
    shift = [at(fired[i][1]["activeAt"]) - at(pending[i][1]["activeAt"]) for i in (0, 1)]
    assert abs(shift[0] - shift[1]) <= 3, shift
