"""Shared pieces of the benchmarks: starting the real tool and amclone side by side, and reading
a process's resident memory and CPU time (children included)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_bytes(pid: int) -> int:
    """Resident set size of `pid` and its children (amclone may run helpers), from /proc."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU time `pid` and its live children have used so far (amclone's intake
    worker counts as amclone), from /proc."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            kids = Path(f"/proc/{pid}/task/{t}/children").read_text().split()
            for k in kids:
                out.append(int(k))
                out.extend(_children(int(k)))
    except OSError:
        pass
    return out


def workdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


def ratio_line(name: str, ours: float, theirs: float, unit: str, higher_is_better: bool = True) -> str:
    r = ours / theirs if theirs else float("inf")
    better = "higher" if higher_is_better else "lower"
    return f"{name}: amclone {ours:,.1f} {unit}, reference {theirs:,.1f} {unit}, ratio {r:.2f}x ({better} is better)"
