"""Which class sends which integration kind, and the factories the pipeline builder takes.

`factories(template, external_url, clock)` gives ``{kind: (kind, conf) -> Notifier}`` for
``notify.pipeline.build_integrations`` (which walks receivers in 0.25's order, then the newer
kinds in newer Alertmanager's order). `template` may be a callable returning the current
template, so one NotificationSystem can be built before the first config load and still hand
each reload's templates to the integrations it builds.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from prometheus_client.registry import CollectorRegistry

from amclone.notify.integrations.common import Truncations
from amclone.template import Template, from_globs
from amclone.timeutil import Clock

__all__ = ["KINDS", "NEWER_ORDER", "factories", "notifier_class"]

# kind -> "module:Class" (imported on first use: a config with only webhooks pays for nothing)
KINDS: dict[str, str] = {
    "email": "email:EmailNotifier",
    "pagerduty": "pagerduty:PagerDutyNotifier",
    "opsgenie": "opsgenie:OpsGenieNotifier",
    "wechat": "wechat:WechatNotifier",
    "slack": "slack:SlackNotifier",
    "victorops": "victorops:VictorOpsNotifier",
    "pushover": "pushover:PushoverNotifier",
    "sns": "sns:SNSNotifier",
    "telegram": "telegram:TelegramNotifier",
    "discord": "discord:DiscordNotifier",
    "webex": "webex:WebexNotifier",
    "msteams": "msteams:MSTeamsNotifier",
    "msteamsv2": "msteamsv2:MSTeamsV2Notifier",
    "jira": "jira:JiraNotifier",
    "incidentio": "incidentio:IncidentioNotifier",
    "rocketchat": "rocketchat:RocketchatNotifier",
    "mattermost": "mattermost:MattermostNotifier",
}

# (receiver attribute, kind) of the integrations added after 0.25, in buildReceiverIntegrations' order.
NEWER_ORDER = (
    ("msteams_configs", "msteams"), ("msteamsv2_configs", "msteamsv2"), ("jira_configs", "jira"),
    ("incidentio_configs", "incidentio"), ("rocketchat_configs", "rocketchat"),
    ("mattermost_configs", "mattermost"),
)


def notifier_class(kind: str) -> Any:
    mod, cls = KINDS[kind].split(":")
    return getattr(importlib.import_module(f"amclone.notify.integrations.{mod}"), cls)


TemplateSource = Template | Callable[[], Template | None] | None


def factories(template: TemplateSource, external_url: str, clock: Clock,
              registry: CollectorRegistry | None = None) -> dict[str, Callable[[str, Any], Any]]:
    """`registry` gets amclone's truncation counter (one per call: pass it once per registry)."""
    truncations = Truncations(registry)

    def current() -> Template:
        t = template() if callable(template) else template
        return t if t is not None else from_globs()

    def make(kind: str) -> Callable[[str, Any], Any]:
        def build(name: str, conf: Any) -> Any:
            return notifier_class(kind)(conf, current(), external_url, clock, truncations)
        return build

    return {kind: make(kind) for kind in KINDS}
