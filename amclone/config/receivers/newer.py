"""Integrations added after 0.25 (extended schema only): msteams (0.26), msteamsv2, jira and
rocketchat (0.28), incidentio (0.29), mattermost (0.30). Fields, defaults and checks follow
upstream's notify/<name>/config.go at the newest release."""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from amclone.compat.duration import format_go_duration
from amclone.config.errors import ConfigError
from amclone.config.globalconf import GlobalConfig
from amclone.config.godecode import Bool, Seq
from amclone.config.gostruct import AnyValue, Custom, Ptr, Struct, gofield
from amclone.config.httpconfig import HTTPClientConfig
from amclone.config.receivers.base import Integration, http_config_field, integration_list, tmpl
from amclone.config.types import (
    AM_URL,
    DURATION,
    SECRET,
    SECRET_URL,
    STRING,
    STRINGS,
    UINT64,
    URL,
    Secret,
    SecretURL,
    parse_text_duration,
)


def _go_duration(s: str, node: Any) -> int:
    return parse_text_duration(s) if s else 0


GO_DURATION = Custom(STRING, _go_duration, int, "time.Duration", marshal=format_go_duration)


def _one_of(c: dict[str, Any], inline: str, file: str, *, required: bool = True) -> None:
    has_inline = bool(c[inline]) if not isinstance(c[inline], Secret) else bool(c[inline].value)
    if required and not has_inline and not c[file]:
        raise ConfigError(f"one of {inline} or {file} must be configured")
    if has_inline and c[file]:
        raise ConfigError(f"at most one of {inline} & {file} must be configured")


@dataclass(frozen=True)
class MSTeamsConfig(Integration):
    KIND: ClassVar[str] = "msteams"
    http_config: HTTPClientConfig | None = http_config_field()
    webhook_url: SecretURL | None = gofield("webhook_url", Ptr(SECRET_URL))
    webhook_url_file: str = gofield("webhook_url_file", STRING)
    title: str = gofield("title", STRING)
    summary: str = gofield("summary", STRING)
    text: str = gofield("text", STRING)


MSTEAMS_CONFIGS = integration_list(MSTeamsConfig, "MSTeamsConfig", lambda: MSTeamsConfig(
    send_resolved=True, title=tmpl("msteams.default.title"), summary=tmpl("msteams.default.summary"),
    text=tmpl("msteams.default.text")), lambda c: _one_of(c, "webhook_url", "webhook_url_file"))


@dataclass(frozen=True)
class MSTeamsV2Config(Integration):
    KIND: ClassVar[str] = "msteamsv2"
    http_config: HTTPClientConfig | None = http_config_field()
    webhook_url: SecretURL | None = gofield("webhook_url", Ptr(SECRET_URL))
    webhook_url_file: str = gofield("webhook_url_file", STRING)
    title: str = gofield("title", STRING)
    text: str = gofield("text", STRING)


MSTEAMSV2_CONFIGS = integration_list(MSTeamsV2Config, "MSTeamsV2Config", lambda: MSTeamsV2Config(
    send_resolved=True, title=tmpl("msteamsv2.default.title"), text=tmpl("msteamsv2.default.text")),
    lambda c: _one_of(c, "webhook_url", "webhook_url_file"))


@dataclass(frozen=True)
class JiraFieldConfig:
    template: str = gofield("template", STRING)
    enable_update: bool | None = gofield("enable_update", Ptr(Bool()))


_JIRA_FIELD = Struct(JiraFieldConfig, "jira.plain", custom=True, type_name="jira.JiraFieldConfig")


@dataclass(frozen=True)
class JiraConfig(Integration):
    KIND: ClassVar[str] = "jira"
    http_config: HTTPClientConfig | None = http_config_field()
    api_url: URL | None = gofield("api_url", Ptr(AM_URL))
    api_type: str = gofield("api_type", STRING)
    project: str = gofield("project", STRING)
    summary: JiraFieldConfig = gofield("summary", _JIRA_FIELD, factory=JiraFieldConfig)
    description: JiraFieldConfig = gofield("description", _JIRA_FIELD, factory=JiraFieldConfig)
    labels: tuple[str, ...] = gofield("labels", STRINGS)
    priority: str = gofield("priority", STRING)
    issue_type: str = gofield("issue_type", STRING)
    reopen_transition: str = gofield("reopen_transition", STRING)
    resolve_transition: str = gofield("resolve_transition", STRING)
    wont_fix_resolution: str = gofield("wont_fix_resolution", STRING)
    reopen_duration: int = gofield("reopen_duration", DURATION, 0)
    fields: Mapping[str, Any] = gofield("fields", AnyValue(), factory=dict)


def _jira_validate(c: dict[str, Any]) -> None:
    if c["project"] == "":
        raise ConfigError("missing project in jira_config")
    if c["issue_type"] == "":
        raise ConfigError("missing issue_type in jira_config")
    if c["api_type"] == "":
        c["api_type"] = "auto"
    if c["api_type"] not in ("auto", "cloud", "datacenter"):
        raise ConfigError("unknown api_type on jira_config, must be auto, cloud or datacenter")
    if c["fields"] is None:
        c["fields"] = {}


JIRA_CONFIGS = integration_list(JiraConfig, "JiraConfig", lambda: JiraConfig(
    send_resolved=True, summary=JiraFieldConfig(template=tmpl("jira.default.summary")),
    description=JiraFieldConfig(template=tmpl("jira.default.description")),
    priority=tmpl("jira.default.priority")), _jira_validate)


@dataclass(frozen=True)
class RocketchatAttachmentField:
    short: bool | None = gofield("short", Ptr(Bool()))
    title: str = gofield("title", STRING)
    value: str = gofield("value", STRING)


@dataclass(frozen=True)
class RocketchatAttachmentAction:
    type: str = gofield("type", STRING)
    text: str = gofield("text", STRING)
    url: str = gofield("url", STRING)
    msg: str = gofield("msg", STRING)


@dataclass(frozen=True)
class RocketchatConfig(Integration):
    KIND: ClassVar[str] = "rocketchat"
    http_config: HTTPClientConfig | None = http_config_field()
    api_url: URL | None = gofield("api_url", Ptr(AM_URL))
    token_id: Secret | None = gofield("token_id", Ptr(SECRET))
    token_id_file: str = gofield("token_id_file", STRING)
    token: Secret | None = gofield("token", Ptr(SECRET))
    token_file: str = gofield("token_file", STRING)
    channel: str = gofield("channel", STRING)
    color: str = gofield("color", STRING)
    title: str = gofield("title", STRING)
    title_link: str = gofield("title_link", STRING)
    text: str = gofield("text", STRING)
    fields: tuple[RocketchatAttachmentField, ...] = gofield("fields", Seq(Ptr(Struct(
        RocketchatAttachmentField, "config.RocketchatAttachmentField"))))
    short_fields: bool = gofield("short_fields", Bool(), omitempty=False)
    emoji: str = gofield("emoji", STRING)
    icon_url: str = gofield("icon_url", STRING)
    image_url: str = gofield("image_url", STRING)
    thumb_url: str = gofield("thumb_url", STRING)
    link_names: bool = gofield("link_names", Bool(), omitempty=False)
    actions: tuple[RocketchatAttachmentAction, ...] = gofield("actions", Seq(Ptr(Struct(
        RocketchatAttachmentAction, "config.RocketchatAttachmentAction"))))


def _rocketchat_validate(c: dict[str, Any]) -> None:
    if c["token"] is not None and c["token_file"]:
        raise ConfigError("at most one of token & token_file must be configured")
    if c["token_id"] is not None and c["token_id_file"]:
        raise ConfigError("at most one of token_id & token_id_file must be configured")


ROCKETCHAT_CONFIGS = integration_list(RocketchatConfig, "RocketchatConfig", lambda: RocketchatConfig(
    send_resolved=False, color='{{ if eq .Status "firing" }}red{{ else }}green{{ end }}',
    emoji=tmpl("rocketchat.default.emoji"), icon_url=tmpl("rocketchat.default.iconurl"),
    text=tmpl("rocketchat.default.text"), title=tmpl("rocketchat.default.title"),
    title_link=tmpl("rocketchat.default.titlelink")), _rocketchat_validate)


def finalize_rocketchat(c: RocketchatConfig, g: GlobalConfig) -> RocketchatConfig:
    from dataclasses import replace
    changes: dict[str, Any] = {}
    if c.api_url is None:
        changes["api_url"] = getattr(g, "rocketchat_api_url", None)
    if c.token is None and not c.token_file:
        tok, tok_file = getattr(g, "rocketchat_token", Secret()), getattr(g, "rocketchat_token_file", "")
        if not tok.value and not tok_file:
            raise ConfigError("no global Rocketchat Token set either inline or in a file")
        changes.update(token=tok if tok.value else None, token_file=tok_file)
    if c.token_id is None and not c.token_id_file:
        tid, tid_file = getattr(g, "rocketchat_token_id", Secret()), getattr(g, "rocketchat_token_id_file", "")
        if not tid.value and not tid_file:
            raise ConfigError("no global Rocketchat TokenID set either inline or in a file")
        changes.update(token_id=tid if tid.value else None, token_id_file=tid_file)
    return replace(c, **changes) if changes else c


@dataclass(frozen=True)
class IncidentioConfig(Integration):
    KIND: ClassVar[str] = "incidentio"
    http_config: HTTPClientConfig | None = http_config_field()
    url: URL | None = gofield("url", Ptr(AM_URL), omitempty=False)
    url_file: str = gofield("url_file", STRING, omitempty=False)
    alert_source_token: Secret = gofield("alert_source_token", SECRET, factory=Secret)
    alert_source_token_file: str = gofield("alert_source_token_file", STRING)
    max_alerts: int = gofield("max_alerts", UINT64, omitempty=False)
    timeout: int = gofield("timeout", GO_DURATION, 0, omitempty=False)


def _incidentio_validate(c: dict[str, Any]) -> None:
    _one_of(c, "url", "url_file")
    _one_of(c, "alert_source_token", "alert_source_token_file", required=False)
    has_token = c["alert_source_token"].value or c["alert_source_token_file"]
    has_authz = c["http_config"] is not None and c["http_config"].authorization is not None
    if has_token and has_authz:
        raise ConfigError("cannot specify alert_source_token or alert_source_token_file when using "
                          "http_config.authorization")
    if not has_token and not has_authz:
        raise ConfigError("at least one of alert_source_token, alert_source_token_file or "
                          "http_config.authorization must be configured")


INCIDENTIO_CONFIGS = integration_list(IncidentioConfig, "IncidentioConfig",
                                      lambda: IncidentioConfig(send_resolved=True), _incidentio_validate)


@dataclass(frozen=True)
class MattermostConfig(Integration):
    KIND: ClassVar[str] = "mattermost"
    http_config: HTTPClientConfig | None = http_config_field()
    webhook_url: SecretURL | None = gofield("webhook_url", Ptr(SECRET_URL))
    webhook_url_file: str = gofield("webhook_url_file", STRING)
    channel: str = gofield("channel", STRING)
    username: str = gofield("username", STRING)
    text: str = gofield("text", STRING)
    fallback: str = gofield("fallback", STRING)
    color: str = gofield("color", STRING)
    pretext: str = gofield("pretext", STRING)
    title: str = gofield("title", STRING)
    title_link: str = gofield("title_link", STRING)
    footer: str = gofield("footer", STRING)
    icon_url: str = gofield("icon_url", STRING)
    icon_emoji: str = gofield("icon_emoji", STRING)
    attachments: Any = gofield("attachments", AnyValue())
    type: str = gofield("type", STRING)
    props: Any = gofield("props", AnyValue())
    priority: Any = gofield("priority", AnyValue())


MATTERMOST_CONFIGS = integration_list(MattermostConfig, "MattermostConfig", lambda: MattermostConfig(
    send_resolved=True, username=tmpl("mattermost.default.username"), color=tmpl("mattermost.default.color"),
    text=tmpl("mattermost.default.text"), title=tmpl("mattermost.default.title"),
    title_link=tmpl("mattermost.default.titlelink"), fallback=tmpl("mattermost.default.fallback")),
    lambda c: _one_of(c, "webhook_url", "webhook_url_file", required=False))


def finalize_webhook_url(c: Any, g: GlobalConfig) -> Any:
    """msteams/msteamsv2/mattermost need a URL; mattermost may take the global one."""
    from dataclasses import replace
    if c.webhook_url is None and not c.webhook_url_file:
        gu = getattr(g, "mattermost_webhook_url", None)
        gf = getattr(g, "mattermost_webhook_url_file", "")
        if isinstance(c, MattermostConfig) and (gu is not None or gf):
            return replace(c, webhook_url=gu, webhook_url_file=gf)
        if isinstance(c, MattermostConfig):
            raise ConfigError("missing webhook_url or webhook_url_file on mattermost_config")
    return c
