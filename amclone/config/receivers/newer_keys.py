# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
"""Keys that newer releases added to the 0.25 integrations (extended schema only).

The `*_file` variants (webhook `url_file`, pushover `user_key_file`/`token_file`, telegram
`bot_token_file`/`chat_id_file`, discord `webhook_url_file`, slack `app_token_file`, email
`auth_secret_file`, wechat `api_secret_file`) and a few plain additions, with newer
Alertmanager's checks and fallbacks. New fields are appended after the 0.25 ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from amclone.config.errors import ConfigError
from amclone.config.globalconf import GlobalConfig
from amclone.config.godecode import Bool, GoType, Int
from amclone.config.gostruct import AnyValue, Ptr, gofield
from amclone.config.receivers import cloud, email, incident, simple, slack
from amclone.config.receivers.base import integration_list

Finalizer = Callable[[Any, GlobalConfig], Any]
from amclone.config.receivers.newer import GO_DURATION
from amclone.config.types import AM_URL, SECRET, STRING, TEXT_DURATION, URL, Secret


def _set(v: Any) -> bool:
    return bool(v.value) if isinstance(v, Secret) else v is not None and v != "" and v != 0


def _exclusive(c: dict[str, Any], a: str, b: str) -> None:
    if _set(c[a]) and _set(c[b]):
        raise ConfigError(f"at most one of {a} & {b} must be configured")


def _one_of(c: dict[str, Any], a: str, b: str) -> None:
    if not _set(c[a]) and not _set(c[b]):
        raise ConfigError(f"one of {a} or {b} must be configured")
    _exclusive(c, a, b)


@dataclass(frozen=True)
class WebhookConfig(simple.WebhookConfig):
    url_file: str = gofield("url_file", STRING, omitempty=False)
    timeout: int = gofield("timeout", GO_DURATION, 0, omitempty=False)
    payload: Any = gofield("payload", AnyValue())


WEBHOOK_CONFIGS = integration_list(WebhookConfig, "WebhookConfig", lambda: WebhookConfig(send_resolved=True),
                                   lambda c: _one_of(c, "url", "url_file"))


@dataclass(frozen=True)
class DiscordConfig(cloud.DiscordConfig):
    webhook_url_file: str = gofield("webhook_url_file", STRING)
    content: str = gofield("content", STRING)
    username: str = gofield("username", STRING)
    avatar_url: str = gofield("avatar_url", STRING)


DISCORD_CONFIGS = integration_list(DiscordConfig, "DiscordConfig", lambda: DiscordConfig(
    **_fields(cloud.DISCORD_CONFIGS)), lambda c: _one_of(c, "webhook_url", "webhook_url_file"))


@dataclass(frozen=True)
class TelegramConfig(cloud.TelegramConfig):
    bot_token_file: str = gofield("bot_token_file", STRING)
    chat_id_file: str = gofield("chat_id_file", STRING)
    message_thread_id: int = gofield("message_thread_id", Int("int"))


def _telegram(c: dict[str, Any]) -> None:
    _exclusive(c, "bot_token", "bot_token_file")
    if not c["chat_id"] and not c["chat_id_file"]:
        raise ConfigError("missing chat_id or chat_id_file on telegram_config")
    _exclusive(c, "chat_id", "chat_id_file")
    cloud.check_telegram_parse_mode(c)


TELEGRAM_CONFIGS = integration_list(TelegramConfig, "TelegramConfig", lambda: TelegramConfig(
    **_fields(cloud.TELEGRAM_CONFIGS)), _telegram)


def finalize_telegram(c: TelegramConfig, g: GlobalConfig) -> TelegramConfig:
    if c.api_url is None:
        c = replace(c, api_url=g.telegram_api_url)
    if not c.bot_token.value and not c.bot_token_file:
        tok, tok_file = getattr(g, "telegram_bot_token", Secret()), getattr(g, "telegram_bot_token_file", "")
        if not tok.value and not tok_file:
            raise ConfigError("missing bot_token or bot_token_file on telegram_config")
        c = replace(c, bot_token=tok, bot_token_file=tok_file)
    return c


@dataclass(frozen=True)
class PushoverConfig(simple.PushoverConfig):
    user_key_file: str = gofield("user_key_file", STRING)
    token_file: str = gofield("token_file", STRING)
    device: str = gofield("device", STRING)
    ttl: int = gofield("ttl", TEXT_DURATION, 0)
    monospace: bool = gofield("monospace", Bool())


def _pushover(c: dict[str, Any]) -> None:
    _one_of(c, "user_key", "user_key_file")
    _one_of(c, "token", "token_file")
    if c["monospace"] and c["html"]:
        raise ConfigError("at most one of monospace & html must be configured")


PUSHOVER_CONFIGS = integration_list(PushoverConfig, "PushoverConfig", lambda: PushoverConfig(
    **_fields(simple.PUSHOVER_CONFIGS)), _pushover)


@dataclass(frozen=True)
class SlackConfig(slack.SlackConfig):
    app_token: Secret = gofield("app_token", SECRET, factory=Secret)
    app_token_file: str = gofield("app_token_file", STRING)
    app_url: URL | None = gofield("app_url", Ptr(AM_URL))
    message_text: str = gofield("message_text", STRING)
    update_message: bool = gofield("update_message", Bool())
    timeout: int = gofield("timeout", GO_DURATION, 0)


def _slack(c: dict[str, Any]) -> None:
    _exclusive(c, "api_url", "api_url_file")
    _exclusive(c, "app_token", "app_token_file")
    if (_set(c["api_url"]) or c["api_url_file"]) and (_set(c["app_token"]) or c["app_token_file"]):
        raise ConfigError("at most one of api_url/api_url_file & app_token/app_token_file must be configured")


SLACK_CONFIGS = integration_list(SlackConfig, "SlackConfig", lambda: SlackConfig(**_fields(slack.SLACK_CONFIGS)),
                                 _slack)


def finalize_slack(c: SlackConfig, g: GlobalConfig) -> SlackConfig:
    if c.api_url is not None or c.api_url_file or c.app_token.value or c.app_token_file:
        return c
    if g.slack_api_url is not None or g.slack_api_url_file:
        return replace(c, api_url=g.slack_api_url, api_url_file=g.slack_api_url_file)
    tok, tok_file = getattr(g, "slack_app_token", Secret()), getattr(g, "slack_app_token_file", "")
    if tok.value or tok_file:
        return replace(c, app_token=tok, app_token_file=tok_file, app_url=c.app_url or getattr(g, "slack_app_url", None))
    raise ConfigError("no Slack API URL nor App token set either inline or in a file")


@dataclass(frozen=True)
class EmailConfig(email.EmailConfig):
    auth_secret_file: str = gofield("auth_secret_file", STRING)
    force_implicit_tls: bool | None = gofield("force_implicit_tls", Ptr(Bool()))
    threading: Any = gofield("threading", AnyValue())


def _email(c: dict[str, Any]) -> None:
    email.validate(c)
    _exclusive(c, "auth_secret", "auth_secret_file")


EMAIL_CONFIGS = integration_list(EmailConfig, "EmailConfig", lambda: EmailConfig(**_fields(email.EMAIL_CONFIGS)),
                                 _email)


@dataclass(frozen=True)
class WechatConfig(simple.WechatConfig):
    api_secret_file: str = gofield("api_secret_file", STRING)


def _wechat(c: dict[str, Any]) -> None:
    simple.wechat_validate(c)
    _exclusive(c, "api_secret", "api_secret_file")


WECHAT_CONFIGS = integration_list(WechatConfig, "WechatConfig", lambda: WechatConfig(
    **_fields(simple.WECHAT_CONFIGS)), _wechat)


def finalize_wechat(c: WechatConfig, g: GlobalConfig) -> WechatConfig:
    if not c.api_secret.value and not c.api_secret_file:
        sec, sec_file = g.wechat_api_secret, getattr(g, "wechat_api_secret_file", "")
        if not sec.value and not sec_file:
            raise ConfigError("no global Wechat Api Secret set either inline or in a file")
        c = replace(c, api_secret=sec, api_secret_file=sec_file)
    out = simple.finalize_wechat(c, g)
    assert isinstance(out, WechatConfig)
    return out


@dataclass(frozen=True)
class PagerdutyConfig(incident.PagerdutyConfig):
    timeout: int = gofield("timeout", GO_DURATION, 0)


PAGERDUTY_CONFIGS = integration_list(PagerdutyConfig, "PagerdutyConfig", lambda: PagerdutyConfig(
    **_fields(incident.PAGERDUTY_CONFIGS)), incident.pd_validate)


def _fields(seq: Any) -> dict[str, Any]:
    """The 0.25 defaults of a list type's items, to start the extended defaults from."""
    base = seq.item.target.defaults()
    return {f.name: getattr(base, f.name) for f in dataclasses.fields(base)}


OVERRIDES: dict[str, GoType[Any]] = {
    "webhook_configs": WEBHOOK_CONFIGS, "discord_configs": DISCORD_CONFIGS, "telegram_configs": TELEGRAM_CONFIGS,
    "pushover_configs": PUSHOVER_CONFIGS, "slack_configs": SLACK_CONFIGS, "email_configs": EMAIL_CONFIGS,
    "wechat_configs": WECHAT_CONFIGS, "pagerduty_configs": PAGERDUTY_CONFIGS,
}
FINALIZERS: dict[str, Finalizer] = {
    "discord_configs": lambda c, g: c, "telegram_configs": finalize_telegram, "slack_configs": finalize_slack,
    "wechat_configs": finalize_wechat,
}
