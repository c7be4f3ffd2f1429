"""The extended schema: 0.25's config plus what newer Alertmanager releases accept.

A drop-in for 0.25 must reject these keys, so they are opt-in (`load(..., extended=True)`,
`Coordinator(..., extended=True)`). Decoding, error order and marshalling work as for the 0.25
schema; the newer types only add fields and lists.
"""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from amclone.config.config import Config, _validate
from amclone.config.globalconf import EXTENDED_GLOBAL, GlobalConfig
from amclone.config.godecode import GoType, Seq
from amclone.config.gostruct import AnyValue, FieldSpec, Ptr, Struct, gofield
from amclone.config.receivers import Receiver, need_name, newer, newer_keys, register_receiver_type
from amclone.config.receivers.newer import (
    IncidentioConfig,
    JiraConfig,
    MattermostConfig,
    MSTeamsConfig,
    MSTeamsV2Config,
    RocketchatConfig,
)
from amclone.config.route import EXTENDED_INHIBIT_RULES, InhibitRule


@dataclass(frozen=True)
class ExtendedReceiver(Receiver):
    msteams_configs: tuple[MSTeamsConfig, ...] = gofield("msteams_configs", newer.MSTEAMS_CONFIGS)
    msteamsv2_configs: tuple[MSTeamsV2Config, ...] = gofield("msteamsv2_configs", newer.MSTEAMSV2_CONFIGS)
    jira_configs: tuple[JiraConfig, ...] = gofield("jira_configs", newer.JIRA_CONFIGS)
    rocketchat_configs: tuple[RocketchatConfig, ...] = gofield("rocketchat_configs", newer.ROCKETCHAT_CONFIGS)
    incidentio_configs: tuple[IncidentioConfig, ...] = gofield("incidentio_configs", newer.INCIDENTIO_CONFIGS)
    mattermost_configs: tuple[MattermostConfig, ...] = gofield("mattermost_configs", newer.MATTERMOST_CONFIGS)


register_receiver_type(ExtendedReceiver, [
    ("msteams_configs", True, newer.finalize_webhook_url),
    ("msteamsv2_configs", True, newer.finalize_webhook_url),
    ("jira_configs", True, lambda c, g: c if c.api_url is not None else _jira_url(c, g)),
    ("rocketchat_configs", True, newer.finalize_rocketchat),
    ("incidentio_configs", True, lambda c, g: c),
    ("mattermost_configs", True, newer.finalize_webhook_url),
], newer_keys.FINALIZERS)


def _jira_url(c: JiraConfig, g: GlobalConfig) -> JiraConfig:
    from dataclasses import replace

    from amclone.config.errors import ConfigError
    url = getattr(g, "jira_api_url", None)
    if url is None:
        raise ConfigError("no global Jira Cloud URL set")
    return replace(c, api_url=url)


def _receiver_struct() -> Struct[Any]:
    s: Struct[Any] = Struct(ExtendedReceiver, "config.plain", custom=True, validate=need_name,
                            type_name="config.Receiver")
    for key, typ in newer_keys.OVERRIDES.items():
        name, spec = s.by_key[key]
        s.by_key[key] = (name, FieldSpec(spec.key, typ, spec.omitempty, spec.flow))
    return s


EXTENDED_RECEIVERS = Seq(Ptr(_receiver_struct()), "[]*config.Receiver")


@dataclass(frozen=True)
class ExtendedConfig(Config):
    """Config with the newer sections; `tracing` and `event_recorder` are kept as plain data."""

    tracing: Any = gofield("tracing", AnyValue())
    event_recorder: Any = gofield("event_recorder", AnyValue())


def _extended_struct() -> Struct[Any]:
    s: Struct[Any] = Struct(ExtendedConfig, "config.plain", custom=True, validate=lambda c: _validate(c, True),
                            type_name="config.Config")
    overrides: dict[str, GoType[Any]] = {"global": EXTENDED_GLOBAL, "receivers": EXTENDED_RECEIVERS,
                                         "inhibit_rules": EXTENDED_INHIBIT_RULES}
    for key, typ in overrides.items():
        name, spec = s.by_key[key]
        s.by_key[key] = (name, FieldSpec(spec.key, typ, spec.omitempty, spec.flow))
    return s


EXTENDED_CONFIG = _extended_struct()

__all__ = ["EXTENDED_CONFIG", "ExtendedConfig", "ExtendedReceiver", "InhibitRule"]
