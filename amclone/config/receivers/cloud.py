"""`sns_configs`, `telegram_configs`, `discord_configs` and `webex_configs`."""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from amclone.config.errors import ConfigError
from amclone.config.globalconf import GlobalConfig
from amclone.config.godecode import Bool
from amclone.config.gostruct import Ptr, Struct, gofield
from amclone.config.httpconfig import HTTPClientConfig
from amclone.config.receivers.base import Integration, http_config_field, integration_list, tmpl
from amclone.config.types import AM_URL, INT64, SECRET, SECRET_URL, STRING, STRING_MAP, URL, Secret, SecretURL


@dataclass(frozen=True)
class SigV4Config:
    region: str = gofield("region", STRING)
    access_key: str = gofield("access_key", STRING)
    secret_key: Secret = gofield("secret_key", SECRET, factory=Secret)
    profile: str = gofield("profile", STRING)
    role_arn: str = gofield("role_arn", STRING)


def _sigv4_validate(c: dict[str, Any]) -> None:
    if (c["access_key"] == "") != (not c["secret_key"].value):
        raise ConfigError("must provide a AWS SigV4 Access key and Secret Key if credentials are specified "
                          "in the SigV4 config")


_SIGV4 = Struct(SigV4Config, "sigv4.plain", custom=True, defaults=SigV4Config, validate=_sigv4_validate,
                type_name="sigv4.SigV4Config")


@dataclass(frozen=True)
class SNSConfig(Integration):
    KIND: ClassVar[str] = "sns"
    http_config: HTTPClientConfig | None = http_config_field()
    api_url: str = gofield("api_url", STRING)
    sigv4: SigV4Config = gofield("sigv4", _SIGV4, omitempty=False, factory=SigV4Config)
    topic_arn: str = gofield("topic_arn", STRING)
    phone_number: str = gofield("phone_number", STRING)
    target_arn: str = gofield("target_arn", STRING)
    subject: str = gofield("subject", STRING)
    message: str = gofield("message", STRING)
    attributes: Mapping[str, str] = gofield("attributes", STRING_MAP)


def _sns_validate(c: dict[str, Any]) -> None:
    # 0.25's odd chained inequality, kept as is: exactly one *or all three* pass.
    if ((c["target_arn"] == "") != (c["topic_arn"] == "")) != (c["phone_number"] == ""):
        raise ConfigError("must provide either a Target ARN, Topic ARN, or Phone Number for SNS config")


SNS_CONFIGS = integration_list(SNSConfig, "SNSConfig", lambda: SNSConfig(
    send_resolved=True, subject=tmpl("sns.default.subject"), message=tmpl("sns.default.message")), _sns_validate)


@dataclass(frozen=True)
class TelegramConfig(Integration):
    KIND: ClassVar[str] = "telegram"
    http_config: HTTPClientConfig | None = http_config_field()
    api_url: URL | None = gofield("api_url", Ptr(AM_URL), omitempty=False)
    bot_token: Secret = gofield("bot_token", SECRET, factory=Secret)
    chat_id: int = gofield("chat_id", INT64)
    message: str = gofield("message", STRING)
    disable_notifications: bool = gofield("disable_notifications", Bool())
    parse_mode: str = gofield("parse_mode", STRING)


def _telegram_validate(c: dict[str, Any]) -> None:
    if not c["bot_token"].value:
        raise ConfigError("missing bot_token on telegram_config")
    if c["chat_id"] == 0:
        raise ConfigError("missing chat_id on telegram_config")
    check_telegram_parse_mode(c)


def check_telegram_parse_mode(c: dict[str, Any]) -> None:
    """The last check of TelegramConfig.UnmarshalYAML (0.25 and newer releases alike)."""
    if c["parse_mode"] not in ("", "Markdown", "MarkdownV2", "HTML"):
        raise ConfigError("unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string")


TELEGRAM_CONFIGS = integration_list(TelegramConfig, "TelegramConfig", lambda: TelegramConfig(
    send_resolved=True, message=tmpl("telegram.default.message"), parse_mode="HTML"), _telegram_validate)


def finalize_telegram(c: TelegramConfig, g: GlobalConfig) -> TelegramConfig:
    return replace(c, api_url=g.telegram_api_url) if c.api_url is None else c


@dataclass(frozen=True)
class DiscordConfig(Integration):
    KIND: ClassVar[str] = "discord"
    http_config: HTTPClientConfig | None = http_config_field()
    webhook_url: SecretURL | None = gofield("webhook_url", Ptr(SECRET_URL))
    title: str = gofield("title", STRING)
    message: str = gofield("message", STRING)


DISCORD_CONFIGS = integration_list(DiscordConfig, "DiscordConfig", lambda: DiscordConfig(
    send_resolved=True, title=tmpl("discord.default.title"), message=tmpl("discord.default.message")))


def finalize_discord(c: DiscordConfig, g: GlobalConfig) -> DiscordConfig:
    if c.webhook_url is None:
        raise ConfigError("no discord webhook URL provided")
    return c


@dataclass(frozen=True)
class WebexConfig(Integration):
    KIND: ClassVar[str] = "webex"
    http_config: HTTPClientConfig | None = http_config_field()
    api_url: URL | None = gofield("api_url", Ptr(AM_URL))
    message: str = gofield("message", STRING)
    room_id: str = gofield("room_id", STRING, omitempty=False)


def _webex_validate(c: dict[str, Any]) -> None:
    if c["room_id"] == "":
        raise ConfigError("missing room_id on webex_config")
    if c["http_config"] is None or c["http_config"].authorization is None:
        raise ConfigError("missing webex_configs.http_config.authorization")


WEBEX_CONFIGS = integration_list(WebexConfig, "WebexConfig", lambda: WebexConfig(
    send_resolved=True, message=tmpl("webex.default.message")), _webex_validate)


def finalize_webex(c: WebexConfig, g: GlobalConfig) -> WebexConfig:
    if c.api_url is None:
        if g.webex_api_url is None:
            raise ConfigError("no global Webex URL set")
        c = replace(c, api_url=g.webex_api_url)
    return c
