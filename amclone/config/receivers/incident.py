"""`pagerduty_configs` and `opsgenie_configs`: the incident-management integrations."""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from amclone.config.errors import ConfigError
from amclone.config.globalconf import GlobalConfig
from amclone.config.godecode import Bool, Seq
from amclone.config.gostruct import Ptr, Struct, gofield
from amclone.config.httpconfig import HTTPClientConfig
from amclone.config.receivers.base import Integration, http_config_field, integration_list, tmpl
from amclone.config.types import AM_URL, SECRET, STRING, STRING_MAP, URL, Secret

PAGERDUTY_DEFAULT_DETAILS = {
    "firing": '{{ template "pagerduty.default.instances" .Alerts.Firing }}',
    "resolved": '{{ template "pagerduty.default.instances" .Alerts.Resolved }}',
    "num_firing": "{{ .Alerts.Firing | len }}",
    "num_resolved": "{{ .Alerts.Resolved | len }}",
}


@dataclass(frozen=True)
class PagerdutyLink:
    href: str = gofield("href", STRING)
    text: str = gofield("text", STRING)


@dataclass(frozen=True)
class PagerdutyImage:
    src: str = gofield("src", STRING)
    alt: str = gofield("alt", STRING)
    href: str = gofield("href", STRING)


@dataclass(frozen=True)
class PagerdutyConfig(Integration):
    KIND: ClassVar[str] = "pagerduty"
    http_config: HTTPClientConfig | None = http_config_field()
    service_key: Secret = gofield("service_key", SECRET, factory=Secret)
    service_key_file: str = gofield("service_key_file", STRING)
    routing_key: Secret = gofield("routing_key", SECRET, factory=Secret)
    routing_key_file: str = gofield("routing_key_file", STRING)
    url: URL | None = gofield("url", Ptr(AM_URL))
    client: str = gofield("client", STRING)
    client_url: str = gofield("client_url", STRING)
    description: str = gofield("description", STRING)
    details: Mapping[str, str] = gofield("details", STRING_MAP)
    images: tuple[PagerdutyImage, ...] = gofield("images", Seq(Struct(PagerdutyImage, "config.PagerdutyImage")))
    links: tuple[PagerdutyLink, ...] = gofield("links", Seq(Struct(PagerdutyLink, "config.PagerdutyLink")))
    source: str = gofield("source", STRING)
    severity: str = gofield("severity", STRING)
    class_: str = gofield("class", STRING)
    component: str = gofield("component", STRING)
    group: str = gofield("group", STRING)


def _pd_defaults() -> PagerdutyConfig:
    return PagerdutyConfig(send_resolved=True, description='{{ template "pagerduty.default.description" .}}',
                           client=tmpl("pagerduty.default.client"), client_url=tmpl("pagerduty.default.clientURL"))


def pd_validate(c: dict[str, Any]) -> None:
    if not (c["routing_key"].value or c["service_key"].value or c["routing_key_file"] or c["service_key_file"]):
        raise ConfigError("missing service or routing key in PagerDuty config")
    if c["routing_key"].value and c["routing_key_file"]:
        raise ConfigError("at most one of routing_key & routing_key_file must be configured")
    if c["service_key"].value and c["service_key_file"]:
        raise ConfigError("at most one of service_key & service_key_file must be configured")
    if c["source"] == "":
        c["source"] = c["client"]
    details = dict(c["details"])
    for k, v in PAGERDUTY_DEFAULT_DETAILS.items():
        details.setdefault(k, v)
    c["details"] = details


PAGERDUTY_CONFIGS = integration_list(PagerdutyConfig, "PagerdutyConfig", _pd_defaults, pd_validate)


def finalize_pagerduty(c: PagerdutyConfig, g: GlobalConfig) -> PagerdutyConfig:
    if c.url is None:
        if g.pagerduty_url is None:
            raise ConfigError("no global PagerDuty URL set")
        c = replace(c, url=g.pagerduty_url)
    return c


@dataclass(frozen=True)
class OpsGenieConfigResponder:
    id: str = gofield("id", STRING)
    name: str = gofield("name", STRING)
    username: str = gofield("username", STRING)
    type: str = gofield("type", STRING)

    def go_repr(self) -> str:
        """`%v` of the struct, as 0.25's responder errors print it."""
        return f"{{{self.id} {self.name} {self.username} {self.type}}}"


@dataclass(frozen=True)
class OpsGenieConfig(Integration):
    KIND: ClassVar[str] = "opsgenie"
    http_config: HTTPClientConfig | None = http_config_field()
    api_key: Secret = gofield("api_key", SECRET, factory=Secret)
    api_key_file: str = gofield("api_key_file", STRING)
    api_url: URL | None = gofield("api_url", Ptr(AM_URL))
    message: str = gofield("message", STRING)
    description: str = gofield("description", STRING)
    source: str = gofield("source", STRING)
    details: Mapping[str, str] = gofield("details", STRING_MAP)
    entity: str = gofield("entity", STRING)
    responders: tuple[OpsGenieConfigResponder, ...] = gofield(
        "responders", Seq(Struct(OpsGenieConfigResponder, "config.OpsGenieConfigResponder")))
    actions: str = gofield("actions", STRING)
    tags: str = gofield("tags", STRING)
    note: str = gofield("note", STRING)
    priority: str = gofield("priority", STRING)
    update_alerts: bool = gofield("update_alerts", Bool())


_OPSGENIE_TYPES = ("team", "teams", "user", "escalation", "schedule")


def _og_defaults() -> OpsGenieConfig:
    return OpsGenieConfig(send_resolved=True, message=tmpl("opsgenie.default.message"),
                          description=tmpl("opsgenie.default.description"), source=tmpl("opsgenie.default.source"))


def _og_validate(c: dict[str, Any]) -> None:
    if c["api_key"].value and c["api_key_file"]:
        raise ConfigError("at most one of api_key & api_key_file must be configured")
    for r in c["responders"]:
        if not (r.id or r.username or r.name):
            raise ConfigError(f"opsGenieConfig responder {r.go_repr()} has to have at least one of id, "
                              "username or name specified")
        if "{{" in r.type:
            from amclone.config.templatecheck import check_template
            err = check_template(r.type)
            if err:
                raise ConfigError(f"opsGenieConfig responder {r.go_repr()} type is not a valid template: {err}")
        elif r.type.lower() not in _OPSGENIE_TYPES:
            # 0.25 lower-cases a copy of the responder: the config keeps the type as written.
            low = replace(r, type=r.type.lower())
            raise ConfigError(f"opsGenieConfig responder {low.go_repr()} type does not match valid options "
                              "^(team|teams|user|escalation|schedule)$")


OPSGENIE_CONFIGS = integration_list(OpsGenieConfig, "OpsGenieConfig", _og_defaults, _og_validate)


def finalize_opsgenie(c: OpsGenieConfig, g: GlobalConfig) -> OpsGenieConfig:
    api_url = c.api_url
    if api_url is None:
        if g.opsgenie_api_url is None:
            raise ConfigError("no global OpsGenie URL set")
        api_url = g.opsgenie_api_url
    c = replace(c, api_url=api_url.with_trailing_slash())
    if not c.api_key.value and not c.api_key_file:
        if not g.opsgenie_api_key.value and not g.opsgenie_api_key_file:
            raise ConfigError("no global OpsGenie API Key set either inline or in a file")
        c = replace(c, api_key=g.opsgenie_api_key, api_key_file=g.opsgenie_api_key_file)
    return c
