"""The ``reason`` label on alertmanager_notifications_failed_total (newer Alertmanager releases):
the status table, which error decides, and each way the retry stage can fail, counted once under
its reason; every pre-initialised integration has a zero series for every reason."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from prometheus_client import CollectorRegistry

from amclone.alerts import Alert
from amclone.notify.http import check_status
from amclone.notify.integrations.common import NotifyFailure
from amclone.notify.reason import REASONS, StatusError, failure_reason, from_status
from amclone.notify.retry import PREINITIALISED, Integration, NotifyMetrics, RetryStage
from amclone.notify.stage import NotifyContext, NotifyError
from amclone.timeutil import NS_PER_SECOND, FakeClock

S = NS_PER_SECOND


@pytest.mark.parametrize(("status", "reason"), [
    (401, "authError"), (403, "authError"), (429, "rateLimited"), (400, "clientError"), (404, "clientError"),
    (413, "clientError"), (500, "serverError"), (503, "serverError"), (302, "other"), (0, "other"),
])
def test_status_table(status: int, reason: str) -> None:
    assert from_status(status) == reason
    assert failure_reason(StatusError("x", status)) == reason


def test_own_reason_beats_status_and_unknown_is_other() -> None:
    assert failure_reason(NotifyFailure("refused in a 200", status=200, reason="clientError")) == "clientError"
    assert failure_reason(NotifyFailure("templating error: x")) == "other"
    assert failure_reason(RuntimeError('Post "<redacted>": EOF')) == "other"
    assert failure_reason(None) == "other"
    bogus = NotifyFailure("x", status=500)
    bogus.reason = "made-up"  # not one of Go's values: the status decides
    assert failure_reason(bogus) == "serverError"


def test_webhook_status_error_carries_status() -> None:
    retry, err = check_status(404, "http://x: nope")
    assert not retry and str(err) == "unexpected status code 404: http://x: nope"
    assert failure_reason(err) == "clientError"


class Scripted:
    """A notifier answering from a list; None hangs until cancelled."""

    def __init__(self, answers: Sequence[tuple[bool, Exception | None] | None]) -> None:
        self.answers = list(answers)
        self.calls = 0

    async def notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]:
        self.calls += 1
        a = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if a is None:
            await asyncio.Event().wait()
            raise AssertionError("unreachable")
        return a


def counts(reg: CollectorRegistry, integration: str = "slack") -> dict[str, float]:
    return {r: reg.get_sample_value("alertmanager_notifications_failed_total",
                                    {"integration": integration, "reason": r}) or 0.0 for r in REASONS}


async def run(answers: Sequence[tuple[bool, Exception | None] | None], deadline_s: float = 10,
              advance_s: float = 15) -> tuple[CollectorRegistry, BaseException | None, Scripted]:
    reg = CollectorRegistry()
    clock = FakeClock()
    notifier = Scripted(answers)
    stage = RetryStage(Integration(notifier, True, "slack", 0), "recv", NotifyMetrics(reg), clock)
    ctx = NotifyContext("k", {}, "recv", 3600 * S, clock.now(), clock.now() + int(deadline_s * S))
    alert = Alert({"a": "1"}, {}, clock.now(), clock.now() + 300 * S, clock.now())
    task = asyncio.ensure_future(stage.exec(ctx, [alert]))
    await clock.advance(advance_s)
    assert task.done()
    return reg, task.exception(), notifier


def only(reg: CollectorRegistry, reason: str) -> None:
    got = counts(reg)
    assert got[reason] == 1 and sum(got.values()) == 1, got


@pytest.mark.parametrize(("status", "reason"), [(400, "clientError"), (401, "authError"), (403, "authError"),
                                                (429, "rateLimited"), (501, "serverError")])
async def test_unrecoverable_error_gives_its_reason(status: int, reason: str) -> None:
    reg, err, notifier = await run([(False, StatusError(f"unexpected status code {status}", status))])
    assert isinstance(err, NotifyError) and "unrecoverable error after 1 attempts" in str(err)
    assert notifier.calls == 1
    only(reg, reason)


async def test_unrecoverable_without_status_is_other() -> None:
    reg, err, _ = await run([(False, NotifyFailure("templating error: boom"))])
    assert str(err) == "recv/slack[0]: notify retry canceled due to unrecoverable error after 1 attempts: " \
                       "templating error: boom"
    only(reg, "other")


async def test_retried_until_deadline_keeps_last_reason() -> None:
    reg, err, notifier = await run([(True, StatusError("unexpected status code 503", 503))])
    assert notifier.calls > 3 and str(err).endswith("unexpected status code 503")
    only(reg, "serverError")


async def test_retried_transport_errors_are_other() -> None:
    reg, _, _ = await run([(True, StatusError("unexpected status code 429", 429)),
                           (True, RuntimeError('Post "<redacted>": EOF'))])
    only(reg, "other")  # the last error seen in time decides


async def test_no_answer_before_deadline_is_deadline_exceeded() -> None:
    reg, err, notifier = await run([None])
    assert notifier.calls == 1 and str(err).endswith("context deadline exceeded")
    only(reg, "contextDeadlineExceeded")


async def test_attempt_cut_by_deadline_keeps_earlier_reason() -> None:
    reg, _, notifier = await run([(True, StatusError("unexpected status code 401", 401)), None])
    assert notifier.calls == 2
    only(reg, "authError")  # newer releases drop the error of the attempt the deadline cut


async def test_cancelled_flush_is_context_canceled() -> None:
    reg = CollectorRegistry()
    clock = FakeClock()
    stage = RetryStage(Integration(Scripted([None]), True, "slack", 0), "recv", NotifyMetrics(reg), clock)
    ctx = NotifyContext("k", {}, "recv", 3600 * S, clock.now(), clock.now() + 10 * S)
    task = asyncio.ensure_future(stage.exec(ctx, [Alert({"a": "1"}, {}, clock.now(), clock.now() + S, clock.now())]))
    await clock.advance(1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    only(reg, "contextCanceled")


async def test_firing_alerts_missing_is_other() -> None:
    reg = CollectorRegistry()
    clock = FakeClock()
    stage = RetryStage(Integration(Scripted([(False, None)]), False, "slack", 0), "recv", NotifyMetrics(reg), clock)
    ctx = NotifyContext("k", {}, "recv", 3600 * S, clock.now(), clock.now() + 10 * S)
    with pytest.raises(NotifyError, match="^firing alerts missing$"):
        await stage.exec(ctx, [])
    only(reg, "other")


async def test_success_counts_nothing() -> None:
    reg, err, _ = await run([(True, StatusError("x", 500)), (False, None)])
    assert err is None and sum(counts(reg).values()) == 0


def test_every_preinitialised_integration_has_every_reason() -> None:
    reg = CollectorRegistry()
    NotifyMetrics(reg)
    fam = next(m for m in reg.collect() if m.name == "alertmanager_notifications_failed")
    got = {(s.labels["integration"], s.labels["reason"]) for s in fam.samples if s.name.endswith("_total")}
    assert got == {(i, r) for i in PREINITIALISED for r in REASONS}
    assert REASONS == ("other", "clientError", "serverError", "contextCanceled", "contextDeadlineExceeded",
                       "authError", "rateLimited")
