"""Child process for test_durability: puts alerts into a durable store as fast as it can and
prints ``ok <worker> <n> <compactions so far>`` after each acknowledged put, until it is killed.

    python durability_child.py STORAGE_DIR [fsync|write|none]

Compaction is made almost continuous (a small threshold, no ratio), so the kill often lands
in the middle of writing a snapshot or deleting covered segments.
"""

from __future__ import annotations

import asyncio
import sys

from amclone.alerts import Alert, AlertStore, AlertWAL, Marker
from amclone.timeutil import NS_PER_SECOND, SystemClock

BATCH = 25


async def worker(store: AlertStore, wal: AlertWAL, clock: SystemClock, w: int) -> None:
    n = 0
    while True:
        now = clock.now()
        batch = [Alert({"alertname": f"W{w}", "n": str(n + i)}, {"summary": "durable"}, now,
                       now + 3600 * NS_PER_SECOND, now) for i in range(BATCH)]
        await store.put(batch)
        n += BATCH
        sys.stdout.write(f"ok {w} {n} {wal.stats['compactions']}\n")
        sys.stdout.flush()


async def main() -> None:
    clock = SystemClock()
    mode = sys.argv[2] if len(sys.argv) > 2 else "fsync"
    wal = AlertWAL(sys.argv[1], compact_bytes=64 << 10, compact_ratio=0, sync=mode)
    store = AlertStore(clock, Marker(), wal=wal)
    await store.start()
    sys.stdout.write("started\n")
    sys.stdout.flush()
    await asyncio.gather(*(worker(store, wal, clock, w) for w in range(4)))


if __name__ == "__main__":
    asyncio.run(main())
