"""`receivers`: a name plus lists of integration configs, in 0.25's Receiver field order.

`finalize_receiver` applies, per integration, the global fallbacks of Config.UnmarshalYAML in the
same order 0.25 walks them, so the first failing fallback is the one Alertmanager names.
"""


from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from amclone.config.errors import ConfigError, GoPanic
from amclone.config.globalconf import GlobalConfig
from amclone.config.godecode import Seq
from amclone.config.gostruct import Ptr, Struct, gofield
from amclone.config.receivers import cloud, email, incident, simple, slack
from amclone.config.receivers.base import Integration, with_global_http
from amclone.config.receivers.cloud import DiscordConfig, SNSConfig, TelegramConfig, WebexConfig
from amclone.config.receivers.email import EmailConfig
from amclone.config.receivers.incident import OpsGenieConfig, PagerdutyConfig
from amclone.config.receivers.simple import PushoverConfig, VictorOpsConfig, WebhookConfig, WechatConfig
from amclone.config.receivers.slack import SlackConfig
from amclone.config.types import STRING


@dataclass(frozen=True)
class Receiver:
    name: str = gofield("name", STRING, omitempty=False)
    discord_configs: tuple[DiscordConfig, ...] = gofield("discord_configs", cloud.DISCORD_CONFIGS)
    email_configs: tuple[EmailConfig, ...] = gofield("email_configs", email.EMAIL_CONFIGS)
    pagerduty_configs: tuple[PagerdutyConfig, ...] = gofield("pagerduty_configs", incident.PAGERDUTY_CONFIGS)
    slack_configs: tuple[SlackConfig, ...] = gofield("slack_configs", slack.SLACK_CONFIGS)
    webhook_configs: tuple[WebhookConfig, ...] = gofield("webhook_configs", simple.WEBHOOK_CONFIGS)
    opsgenie_configs: tuple[OpsGenieConfig, ...] = gofield("opsgenie_configs", incident.OPSGENIE_CONFIGS)
    wechat_configs: tuple[WechatConfig, ...] = gofield("wechat_configs", simple.WECHAT_CONFIGS)
    pushover_configs: tuple[PushoverConfig, ...] = gofield("pushover_configs", simple.PUSHOVER_CONFIGS)
    victorops_configs: tuple[VictorOpsConfig, ...] = gofield("victorops_configs", simple.VICTOROPS_CONFIGS)
    sns_configs: tuple[SNSConfig, ...] = gofield("sns_configs", cloud.SNS_CONFIGS)
    telegram_configs: tuple[TelegramConfig, ...] = gofield("telegram_configs", cloud.TELEGRAM_CONFIGS)
    webex_configs: tuple[WebexConfig, ...] = gofield("webex_configs", cloud.WEBEX_CONFIGS)

    def integrations(self) -> list[tuple[str, int, Integration]]:
        """(kind, index within its kind, config) for every configured integration."""
        out: list[tuple[str, int, Integration]] = []
        for attr, _ in _LIST_FIELDS.get(type(self), ()):
            for i, cfg in enumerate(getattr(self, attr)):
                out.append((cfg.kind, i, cfg))
        return out


def need_name(c: dict[str, Any]) -> None:
    """A receiver without a name is refused (0.25's Receiver.UnmarshalYAML)."""
    if c["name"] == "":
        raise ConfigError("missing name in receiver")


RECEIVERS = Seq(Ptr(Struct(Receiver, "config.plain", custom=True, validate=need_name,
                           type_name="config.Receiver")), "[]*config.Receiver")

Finalizer = Callable[[Any, GlobalConfig], Any]
_NO_FINALIZE: Finalizer = lambda c, g: c

# Config.UnmarshalYAML's walk order (webhook, email, slack, pushover, pagerduty, opsgenie, wechat,
# victorops, sns, telegram, discord, webex) with whether each kind defaults http_config.
FINALIZE_ORDER: list[tuple[str, bool, Finalizer]] = [
    ("webhook_configs", True, _NO_FINALIZE),
    ("email_configs", False, email.finalize),
    ("slack_configs", True, slack.finalize),
    ("pushover_configs", True, _NO_FINALIZE),
    ("pagerduty_configs", True, incident.finalize_pagerduty),
    ("opsgenie_configs", True, incident.finalize_opsgenie),
    ("wechat_configs", True, simple.finalize_wechat),
    ("victorops_configs", True, simple.finalize_victorops),
    ("sns_configs", True, _NO_FINALIZE),
    ("telegram_configs", True, cloud.finalize_telegram),
    ("discord_configs", True, cloud.finalize_discord),
    ("webex_configs", True, cloud.finalize_webex),
]

_LIST_FIELDS: dict[type, list[tuple[str, bool]]] = {
    Receiver: [(name, True) for name in Receiver.__dataclass_fields__ if name.endswith("_configs")],
}


class ReceiverSchema:
    """How the extended schema's Receiver finalizes: more lists, replaced fallbacks, and newer
    Alertmanager's `missing <kind> config` error instead of 0.25's panic on null items."""

    def __init__(self, extra: list[tuple[str, bool, Finalizer]], overrides: Mapping[str, Finalizer]) -> None:
        self.order = [(a, h, overrides.get(a, f)) for a, h, f in FINALIZE_ORDER] + extra


_SCHEMAS: dict[type, ReceiverSchema] = {}


def register_receiver_type(cls: type, extra: list[tuple[str, bool, Finalizer]],
                           overrides: Mapping[str, Finalizer] | None = None) -> None:
    _LIST_FIELDS[cls] = [(f.name, True) for f in dataclasses.fields(cls) if f.name.endswith("_configs")]
    _SCHEMAS[cls] = ReceiverSchema(extra, overrides or {})


def finalize_receiver(rcv: Receiver, g: GlobalConfig) -> Receiver:
    """Global fallbacks for every integration of one receiver (may raise ConfigError)."""
    schema = _SCHEMAS.get(type(rcv))
    changes: dict[str, tuple[Any, ...]] = {}
    for attr, http_default, fin in (schema.order if schema is not None else FINALIZE_ORDER):
        items = getattr(rcv, attr)
        if not items:
            continue
        out = []
        for cfg in items:
            if cfg is None:  # a null list item: 0.25 dereferences it and panics
                if schema is not None:
                    raise ConfigError(f"missing {attr[:-len('_configs')]} config")
                raise GoPanic()
            if http_default:
                cfg = with_global_http(cfg, g.http_config)
            out.append(fin(cfg, g))
        changes[attr] = tuple(out)
    return replace(rcv, **changes) if changes else rcv  # type: ignore[arg-type]
