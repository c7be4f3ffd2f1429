"""The one place that assembles the notification pipeline (0.25 ``PipelineBuilder.New`` and
main.go's ``buildReceiverIntegrations``).

Per receiver, in 0.25's order: gossip settle, inhibition, active time, mute time, silences, then
for each integration concurrently: peer wait, dedup, retry, set-notifies. Integrations are built
in 0.25's order (webhook, email, pagerduty, opsgenie, wechat, slack, victorops, pushover, sns,
telegram, discord, webex) with their index within their kind, which names their nflog entries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from amclone.alerts import Alert, Muter
from amclone.nflog.codec import Receiver
from amclone.notify.dedup import DedupStage, NotificationLog, NotifiedHook, SetNotifiesStage
from amclone.notify.retry import Integration, NotifyMetrics, RetryStage
from amclone.notify.stage import (
    FanoutStage,
    GossipSettleStage,
    Intervals,
    MultiStage,
    MuteStage,
    NotifyContext,
    Peer,
    RoutingStage,
    Stage,
    TimeActiveStage,
    TimeMuteStage,
    WaitStage,
)
from amclone.notify.webhook import WebhookNotifier
from amclone.timeutil import Clock

__all__ = ["INTEGRATION_ORDER", "UnsupportedNotifier", "build_integrations", "build_pipeline"]

log = logging.getLogger("amclone.notify")

# (receiver attribute, integration name) in buildReceiverIntegrations' order.
INTEGRATION_ORDER = (
    ("webhook_configs", "webhook"), ("email_configs", "email"), ("pagerduty_configs", "pagerduty"),
    ("opsgenie_configs", "opsgenie"), ("wechat_configs", "wechat"), ("slack_configs", "slack"),
    ("victorops_configs", "victorops"), ("pushover_configs", "pushover"), ("sns_configs", "sns"),
    ("telegram_configs", "telegram"), ("discord_configs", "discord"), ("webex_configs", "webex"),
    # added after 0.25 (extended schema only), in newer Alertmanager's order
    ("msteams_configs", "msteams"), ("msteamsv2_configs", "msteamsv2"), ("jira_configs", "jira"),
    ("incidentio_configs", "incidentio"), ("rocketchat_configs", "rocketchat"),
    ("mattermost_configs", "mattermost"),
)


class UnsupportedNotifier:
    """Stands in for an integration amclone cannot send yet: every attempt fails permanently, so
    the failure shows in the metrics and the log instead of passing silently."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]:
        return False, RuntimeError(f"integration {self.name} is not supported by amclone yet")


NotifierFactory = Callable[[str, Any], Any]


def build_integrations(receiver: Any, external_url: str, clock: Clock,
                       factories: Mapping[str, NotifierFactory] | None = None) -> list[Integration]:
    """The integrations of one receiver config. `factories` maps an integration name to
    ``(name, config) -> Notifier`` for kinds other packages implement (templated ones)."""
    out: list[Integration] = []
    for attr, name in INTEGRATION_ORDER:
        for idx, conf in enumerate(getattr(receiver, attr, ()) or ()):
            notifier: Any
            if factories and name in factories:
                notifier = factories[name](name, conf)
            elif name == "webhook":
                notifier = WebhookNotifier(conf, external_url, clock)
            else:
                notifier = UnsupportedNotifier(name)
            out.append(Integration(notifier, bool(getattr(conf, "send_resolved", False)), name, idx))
    return out


def build_pipeline(receivers: Mapping[str, Sequence[Integration]], *, clock: Clock, nflog: NotificationLog,
                   metrics: NotifyMetrics, inhibitor: Muter, silencer: Muter, intervals: Intervals,
                   wait: Callable[[], float] = lambda: 0.0, peer: Peer | None = None,
                   hooks: Iterable[NotifiedHook] = ()) -> RoutingStage:
    """``PipelineBuilder.New``: the routing stage over every active receiver."""
    hooks = tuple(hooks)
    settle, inhibit = GossipSettleStage(peer), MuteStage(inhibitor)
    active, mute, silence = TimeActiveStage(intervals), TimeMuteStage(intervals), MuteStage(silencer)
    stages: dict[str, Stage] = {}
    for name, integrations in receivers.items():
        per: list[Stage] = []
        for integ in integrations:
            recv = Receiver(name, integ.name, integ.idx)
            per.append(MultiStage([
                WaitStage(wait, clock),
                DedupStage(integ.send_resolved, nflog, recv, clock),
                RetryStage(integ, name, metrics, clock),
                SetNotifiesStage(nflog, recv, hooks),
            ]))
        stages[name] = MultiStage([settle, inhibit, active, mute, silence, FanoutStage(per)])
    return RoutingStage(stages)


async def close_integrations(receivers: Mapping[str, Sequence[Integration]]) -> None:
    """Release HTTP sessions of a pipeline that a reload replaced."""
    for integrations in receivers.values():
        for integ in integrations:
            close = getattr(integ.notifier, "close", None)
            if close is not None:
                try:
                    await close()
                except Exception:
                    log.exception("closing integration %s", integ)
