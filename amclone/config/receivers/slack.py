"""`slack_configs`: attachments, fields and actions with 0.25's per-part checks."""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from amclone.config.errors import ConfigError
from amclone.config.globalconf import GlobalConfig
from amclone.config.godecode import Bool, Seq
from amclone.config.gostruct import Ptr, Struct, gofield
from amclone.config.httpconfig import HTTPClientConfig
from amclone.config.receivers.base import Integration, http_config_field, integration_list, tmpl
from amclone.config.types import SECRET_URL, STRING, STRINGS, SecretURL


@dataclass(frozen=True)
class SlackConfirmationField:
    text: str = gofield("text", STRING)
    title: str = gofield("title", STRING)
    ok_text: str = gofield("ok_text", STRING)
    dismiss_text: str = gofield("dismiss_text", STRING)


def _confirm_validate(c: dict[str, Any]) -> None:
    if c["text"] == "":
        raise ConfigError("missing text in Slack confirmation configuration")


@dataclass(frozen=True)
class SlackAction:
    type: str = gofield("type", STRING)
    text: str = gofield("text", STRING)
    url: str = gofield("url", STRING)
    style: str = gofield("style", STRING)
    name: str = gofield("name", STRING)
    value: str = gofield("value", STRING)
    confirm: SlackConfirmationField | None = gofield(
        "confirm", Ptr(Struct(SlackConfirmationField, "config.plain", custom=True, validate=_confirm_validate,
                              type_name="config.SlackConfirmationField")))


def _action_validate(c: dict[str, Any]) -> None:
    if c["type"] == "":
        raise ConfigError("missing type in Slack action configuration")
    if c["text"] == "":
        raise ConfigError("missing text in Slack action configuration")
    if c["url"] != "":
        c.update(name="", value="", confirm=None)
    elif c["name"] == "":
        raise ConfigError("missing name or url in Slack action configuration")


@dataclass(frozen=True)
class SlackField:
    title: str = gofield("title", STRING)
    value: str = gofield("value", STRING)
    short: bool | None = gofield("short", Ptr(Bool()))


def _field_validate(c: dict[str, Any]) -> None:
    if c["title"] == "":
        raise ConfigError("missing title in Slack field configuration")
    if c["value"] == "":
        raise ConfigError("missing value in Slack field configuration")


@dataclass(frozen=True)
class SlackConfig(Integration):
    KIND: ClassVar[str] = "slack"
    http_config: HTTPClientConfig | None = http_config_field()
    api_url: SecretURL | None = gofield("api_url", Ptr(SECRET_URL))
    api_url_file: str = gofield("api_url_file", STRING)
    channel: str = gofield("channel", STRING)
    username: str = gofield("username", STRING)
    color: str = gofield("color", STRING)
    title: str = gofield("title", STRING)
    title_link: str = gofield("title_link", STRING)
    pretext: str = gofield("pretext", STRING)
    text: str = gofield("text", STRING)
    fields: tuple[SlackField, ...] = gofield("fields", Seq(Ptr(Struct(
        SlackField, "config.plain", custom=True, validate=_field_validate, type_name="config.SlackField")),
        "[]*config.SlackField"))
    short_fields: bool = gofield("short_fields", Bool(), omitempty=False)
    footer: str = gofield("footer", STRING)
    fallback: str = gofield("fallback", STRING)
    callback_id: str = gofield("callback_id", STRING)
    icon_emoji: str = gofield("icon_emoji", STRING)
    icon_url: str = gofield("icon_url", STRING)
    image_url: str = gofield("image_url", STRING)
    thumb_url: str = gofield("thumb_url", STRING)
    link_names: bool = gofield("link_names", Bool(), omitempty=False)
    mrkdwn_in: tuple[str, ...] = gofield("mrkdwn_in", STRINGS)
    actions: tuple[SlackAction, ...] = gofield("actions", Seq(Ptr(Struct(
        SlackAction, "config.plain", custom=True, validate=_action_validate, type_name="config.SlackAction")),
        "[]*config.SlackAction"))


def _defaults() -> SlackConfig:
    return SlackConfig(
        send_resolved=False,
        color='{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}',
        username=tmpl("slack.default.username"), title=tmpl("slack.default.title"),
        title_link=tmpl("slack.default.titlelink"), icon_emoji=tmpl("slack.default.iconemoji"),
        icon_url=tmpl("slack.default.iconurl"), pretext=tmpl("slack.default.pretext"),
        text=tmpl("slack.default.text"), fallback=tmpl("slack.default.fallback"),
        callback_id=tmpl("slack.default.callbackid"), footer=tmpl("slack.default.footer"))


def _validate(c: dict[str, Any]) -> None:
    if c["api_url"] is not None and c["api_url_file"]:
        raise ConfigError("at most one of api_url & api_url_file must be configured")


SLACK_CONFIGS = integration_list(SlackConfig, "SlackConfig", _defaults, _validate)


def finalize(c: SlackConfig, g: GlobalConfig) -> SlackConfig:
    if c.api_url is None and not c.api_url_file:
        if g.slack_api_url is None and not g.slack_api_url_file:
            raise ConfigError("no global Slack API URL set either inline or in a file")
        c = replace(c, api_url=g.slack_api_url, api_url_file=g.slack_api_url_file)
    return c
