"""`webhook_configs`, `wechat_configs`, `pushover_configs` and `victorops_configs`."""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from amclone.compat.goquote import quote
from amclone.config.errors import ConfigError
from amclone.config.globalconf import GlobalConfig
from amclone.config.godecode import Bool
from amclone.config.gostruct import Ptr, gofield
from amclone.config.httpconfig import HTTPClientConfig
from amclone.config.receivers.base import Integration, http_config_field, integration_list, tmpl
from amclone.config.types import AM_URL, SECRET, STRING, STRING_MAP, TEXT_DURATION, UINT64, URL, Secret
from amclone.timeutil import NS_PER_SECOND


@dataclass(frozen=True)
class WebhookConfig(Integration):
    KIND: ClassVar[str] = "webhook"
    http_config: HTTPClientConfig | None = http_config_field()
    url: URL | None = gofield("url", Ptr(AM_URL), omitempty=False)
    max_alerts: int = gofield("max_alerts", UINT64, omitempty=False)


def _webhook_validate(c: dict[str, Any]) -> None:
    if c["url"] is None:
        raise ConfigError("missing URL in webhook config")
    if c["url"].url.scheme not in ("https", "http"):
        raise ConfigError("scheme required for webhook url")


WEBHOOK_CONFIGS = integration_list(WebhookConfig, "WebhookConfig", lambda: WebhookConfig(send_resolved=True),
                                   _webhook_validate)


@dataclass(frozen=True)
class WechatConfig(Integration):
    KIND: ClassVar[str] = "wechat"
    http_config: HTTPClientConfig | None = http_config_field()
    api_secret: Secret = gofield("api_secret", SECRET, factory=Secret)
    corp_id: str = gofield("corp_id", STRING)
    message: str = gofield("message", STRING)
    api_url: URL | None = gofield("api_url", Ptr(AM_URL))
    to_user: str = gofield("to_user", STRING)
    to_party: str = gofield("to_party", STRING)
    to_tag: str = gofield("to_tag", STRING)
    agent_id: str = gofield("agent_id", STRING)
    message_type: str = gofield("message_type", STRING)


def wechat_validate(c: dict[str, Any]) -> None:
    if c["message_type"] == "":
        c["message_type"] = "text"
    if c["message_type"] not in ("text", "markdown"):
        raise ConfigError(f"weChat message type {quote(c['message_type'])} does not match valid options "
                          "^(text|markdown)$")


WECHAT_CONFIGS = integration_list(WechatConfig, "WechatConfig", lambda: WechatConfig(
    send_resolved=False, message=tmpl("wechat.default.message"), to_user=tmpl("wechat.default.to_user"),
    to_party=tmpl("wechat.default.to_party"), to_tag=tmpl("wechat.default.to_tag"),
    agent_id=tmpl("wechat.default.agent_id")), wechat_validate)


def finalize_wechat(c: WechatConfig, g: GlobalConfig) -> WechatConfig:
    api_url = c.api_url
    if api_url is None:
        if g.wechat_api_url is None:
            raise ConfigError("no global Wechat URL set")
        api_url = g.wechat_api_url
    api_secret, corp_id = c.api_secret, c.corp_id
    if not api_secret.value and not getattr(c, "api_secret_file", ""):  # the file: extended schema
        if not g.wechat_api_secret.value:
            raise ConfigError("no global Wechat ApiSecret set")
        api_secret = g.wechat_api_secret
    if corp_id == "":
        if g.wechat_api_corp_id == "":
            raise ConfigError("no global Wechat CorpID set")
        corp_id = g.wechat_api_corp_id
    return replace(c, api_url=api_url.with_trailing_slash(), api_secret=api_secret, corp_id=corp_id)


@dataclass(frozen=True)
class PushoverConfig(Integration):
    KIND: ClassVar[str] = "pushover"
    http_config: HTTPClientConfig | None = http_config_field()
    user_key: Secret = gofield("user_key", SECRET, factory=Secret)
    token: Secret = gofield("token", SECRET, factory=Secret)
    title: str = gofield("title", STRING)
    message: str = gofield("message", STRING)
    url: str = gofield("url", STRING)
    url_title: str = gofield("url_title", STRING)
    sound: str = gofield("sound", STRING)
    priority: str = gofield("priority", STRING)
    retry: int = gofield("retry", TEXT_DURATION, 0)
    expire: int = gofield("expire", TEXT_DURATION, 0)
    html: bool = gofield("html", Bool(), omitempty=False)


def _pushover_validate(c: dict[str, Any]) -> None:
    if not c["user_key"].value:
        raise ConfigError("missing user key in Pushover config")
    if not c["token"].value:
        raise ConfigError("missing token in Pushover config")


PUSHOVER_CONFIGS = integration_list(PushoverConfig, "PushoverConfig", lambda: PushoverConfig(
    send_resolved=True, title=tmpl("pushover.default.title"), message=tmpl("pushover.default.message"),
    url=tmpl("pushover.default.url"), priority='{{ if eq .Status "firing" }}2{{ else }}0{{ end }}',
    retry=60 * NS_PER_SECOND, expire=3600 * NS_PER_SECOND, html=False), _pushover_validate)


@dataclass(frozen=True)
class VictorOpsConfig(Integration):
    KIND: ClassVar[str] = "victorops"
    http_config: HTTPClientConfig | None = http_config_field()
    api_key: Secret = gofield("api_key", SECRET, factory=Secret)
    api_key_file: str = gofield("api_key_file", STRING)
    api_url: URL | None = gofield("api_url", Ptr(AM_URL), omitempty=False)
    routing_key: str = gofield("routing_key", STRING, omitempty=False)
    message_type: str = gofield("message_type", STRING, omitempty=False)
    state_message: str = gofield("state_message", STRING, omitempty=False)
    entity_display_name: str = gofield("entity_display_name", STRING, omitempty=False)
    monitoring_tool: str = gofield("monitoring_tool", STRING, omitempty=False)
    custom_fields: Mapping[str, str] = gofield("custom_fields", STRING_MAP)


_VICTOROPS_RESERVED = ("routing_key", "message_type", "state_message", "entity_display_name", "monitoring_tool",
                       "entity_id", "entity_state")


def _victorops_validate(c: dict[str, Any]) -> None:
    if c["routing_key"] == "":
        raise ConfigError("missing Routing key in VictorOps config")
    if c["api_key"].value and c["api_key_file"]:
        raise ConfigError("at most one of api_key & api_key_file must be configured")
    for v in _VICTOROPS_RESERVED:
        if v in c["custom_fields"]:
            raise ConfigError(f"victorOps config contains custom field {v} which cannot be used as it conflicts "
                              "with the fixed/static fields")


VICTOROPS_CONFIGS = integration_list(VictorOpsConfig, "VictorOpsConfig", lambda: VictorOpsConfig(
    send_resolved=True, message_type="CRITICAL", state_message=tmpl("victorops.default.state_message"),
    entity_display_name=tmpl("victorops.default.entity_display_name"),
    monitoring_tool=tmpl("victorops.default.monitoring_tool")), _victorops_validate)


def finalize_victorops(c: VictorOpsConfig, g: GlobalConfig) -> VictorOpsConfig:
    api_url = c.api_url
    if api_url is None:
        if g.victorops_api_url is None:
            raise ConfigError("no global VictorOps URL set")
        api_url = g.victorops_api_url
    c = replace(c, api_url=api_url.with_trailing_slash())
    if not c.api_key.value and not c.api_key_file:
        if not g.victorops_api_key.value and not g.victorops_api_key_file:
            raise ConfigError("no global VictorOps API Key set")
        c = replace(c, api_key=g.victorops_api_key, api_key_file=g.victorops_api_key_file)
    return c
