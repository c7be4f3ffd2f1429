"""kill -9 loses nothing that was acknowledged: a real child process writes through the store,
prints after each acknowledged put, and is killed with SIGKILL mid-stream (several times, on
the same storage, so recovery also runs on top of recovered state)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from amclone.alerts import AlertStore, AlertWAL, Marker
from amclone.testing.procs import REPO
from amclone.timeutil import SystemClock

CHILD = Path(__file__).with_name("durability_child.py")


def run_and_kill(storage: Path, min_acks: int, mode: str) -> tuple[dict[int, int], int]:
    """Start the child, wait for `min_acks` acknowledgements, SIGKILL it; acked count per worker
    and the number of compactions the child had finished."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, str(CHILD), str(storage), mode], stdout=subprocess.PIPE, env=env,
                            start_new_session=True)
    assert proc.stdout is not None
    acked: dict[int, int] = {}
    acks = 0
    compactions = 0
    buf = b""
    deadline = time.monotonic() + 30
    try:
        while acks < min_acks and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 1.0)
            if not ready:
                assert proc.poll() is None, "child died"
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                parts = line.split()
                if parts and parts[0] == b"ok":
                    acked[int(parts[1])] = int(parts[2])
                    compactions = int(parts[3])
                    acks += 1
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    # Lines already in the pipe were acknowledged before the kill: count them too.
    rest = buf + proc.stdout.read()
    for line in rest.split(b"\n"):
        parts = line.split()
        if len(parts) == 4 and parts[0] == b"ok":
            acked[int(parts[1])] = int(parts[2])
    proc.stdout.close()
    assert acks >= min_acks, f"only {acks} acknowledgements"
    return acked, compactions


@pytest.mark.parametrize("mode", ["fsync", "write"])
async def test_kill_9_loses_no_acknowledged_alert(tmp_path: Path, mode: str) -> None:
    storage = tmp_path / "alerts"
    max_compactions = 0
    for round_ in range(3):
        acked, compactions = run_and_kill(storage, min_acks=150 + 100 * round_, mode=mode)
        max_compactions = max(max_compactions, compactions)
        wal = AlertWAL(storage)
        store = AlertStore(SystemClock(), Marker(), wal=wal)
        await store.start()
        have: dict[str, set[int]] = {}
        for a in store.list():
            have.setdefault(a.labels["alertname"], set()).add(int(a.labels["n"]))
        await store.stop()
        for w, n in acked.items():
            missing = set(range(n)) - have.get(f"W{w}", set())
            assert not missing, f"round {round_}: worker {w} lost {len(missing)} of {n} acknowledged alerts"
    assert max_compactions > 0, "the child never compacted: the kill could not land in a compaction"
