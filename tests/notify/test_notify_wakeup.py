"""Exact wake-ups for the groups' timers on the real clock (amclone.notify.wakeup): on time and
never early, in order, cancellable, finished entries dropped; a group's first flush lands at
group_wait, not up to a millisecond either side."""

from __future__ import annotations

import asyncio
import sys

import pytest

from amclone.alerts import Alert
from amclone.notify import wakeup
from amclone.timeutil import NS_PER_SECOND, SystemClock
from tests.dispatch.harness import Core

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="timerfd is Linux's")


async def test_fires_at_its_instant_never_before() -> None:
    loop = asyncio.get_running_loop()
    assert wakeup.early(loop) == 0.0  # the timerfd is in use
    late: list[float] = []
    for i in range(30):
        when = loop.time() + 0.002 + i * 0.0001
        fut = loop.create_future()
        wakeup.call_at(loop, when, lambda f=fut: f.set_result(loop.time()))
        late.append(await fut - when)
    assert min(late) >= 0
    late.sort()
    assert late[len(late) // 2] < 0.0005  # the loop timer would be off by up to 1 ms


async def test_order_and_cancel() -> None:
    loop = asyncio.get_running_loop()
    got: list[int] = []
    done = loop.create_future()
    t0 = loop.time()
    handles = [wakeup.call_at(loop, t0 + 0.001 * (5 - i), lambda i=i: got.append(i)) for i in range(5)]
    handles[2].cancel()
    handles[2].cancel()
    wakeup.call_at(loop, t0 + 0.01, lambda: done.set_result(None))
    await asyncio.wait_for(done, 2)
    assert got == [4, 3, 1, 0]
    handles[0].cancel()  # after it ran: nothing happens


async def test_cancelled_entries_do_not_pile_up() -> None:
    loop = asyncio.get_running_loop()
    for _ in range(1000):
        wakeup.call_at(loop, loop.time() + 300, lambda: None).cancel()
    t = wakeup._timerfd(loop)
    assert t is not None and len(t.heap) <= 2 * wakeup._COMPACT_MIN + 2


async def test_failing_callback_does_not_stop_the_others() -> None:
    loop = asyncio.get_running_loop()
    errors: list[object] = []
    loop.set_exception_handler(lambda lp, ctx: errors.append(ctx.get("exception")))
    done = loop.create_future()
    when = loop.time() + 0.002

    def boom() -> None:
        raise ValueError("boom")

    wakeup.call_at(loop, when, boom)
    wakeup.call_at(loop, when, lambda: done.set_result(None))
    await asyncio.wait_for(done, 2)
    assert len(errors) == 1 and isinstance(errors[0], ValueError)


async def test_group_flushes_at_group_wait_on_the_real_clock() -> None:
    clock = SystemClock()
    core = Core("""
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 200ms
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:1/hook
""", clock=clock)  # type: ignore[arg-type]
    await core.store.start()
    core.system.apply(core.cfg)
    disp = core.system.dispatcher
    assert disp is not None
    for name in ("A", "B", "C"):
        now = clock.now()
        await core.store.put([Alert({"alertname": name}, {}, now, now + 300 * NS_PER_SECOND, now, "", True)])
        await asyncio.sleep(0.01)
    due = {ag.labels["alertname"]: ag._next_at for ag in disp.aggregation_groups()}
    assert len(due) == 3
    await asyncio.sleep(0.3)
    late = sorted((s.at - due[s.names()[0]]) / NS_PER_SECOND for s in core.sent)
    assert len(late) == 3 and late[0] >= 0 and late[1] < 0.005, late
    await core.system.close()
    await core.store.stop()


async def test_without_a_timerfd_loop_timers_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    loop = asyncio.get_running_loop()
    monkeypatch.setattr(wakeup, "_timerfd", lambda lp: None)
    assert wakeup.early(loop) == wakeup._EARLY_S
    when = loop.time() + 0.005
    centred, exact = loop.create_future(), loop.create_future()
    wakeup.call_at(loop, when, lambda: centred.set_result(loop.time()))
    wakeup.call_at(loop, when, lambda: exact.set_result(loop.time()), centred=False)
    ran: list[str] = []
    wakeup.call_at(loop, when, lambda: ran.append("cancelled one")).cancel()
    assert await exact >= when and await centred >= when - wakeup._EARLY_S
    await asyncio.sleep(0.01)
    assert ran == []
