"""What every integration config shares, and the pieces that build one.

Each integration module declares a frozen dataclass in Go field order, its Go defaults (the
`Default<X>Config` values, including template defaults referencing default.tmpl), the checks its
UnmarshalYAML makes, and `finalize(cfg, global)`: the fallbacks to `global` that 0.25 applies in
Config.UnmarshalYAML once the whole file is read.
"""


from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from amclone.config.godecode import Bool, Seq
from amclone.config.gostruct import Ptr, Struct, gofield
from amclone.config.httpconfig import HTTP_CONFIG_PTR, HTTPClientConfig

C = TypeVar("C")


def tmpl(name: str) -> str:
    """`{{ template "name" . }}`: how 0.25 spells its template defaults."""
    return '{{ template "' + name + '" . }}'


def send_resolved_field() -> Any:
    return gofield("send_resolved", Bool(), False, omitempty=False)


def http_config_field() -> Any:
    return gofield("http_config", HTTP_CONFIG_PTR)


@dataclass(frozen=True)
class Integration:
    """Base: every integration embeds Go's NotifierConfig (`send_resolved`) first."""

    send_resolved: bool = send_resolved_field()

    @property
    def kind(self) -> str:
        """The integration name as notify metrics label it (webhook, email, ...)."""
        return getattr(self, "KIND", "")


def integration_list(cls: type[C], go_type: str, defaults: Callable[[], C],
                     validate: Callable[[dict[str, Any]], None] | None = None) -> Seq[C]:
    """`[]*XConfig`: a list of pointers to a struct with a defaulting UnmarshalYAML."""
    struct = Struct(cls, "config.plain", custom=True, defaults=defaults, validate=validate,
                    type_name="config." + go_type)
    return Seq(Ptr(struct), "[]*config." + go_type)  # type: ignore[arg-type]


def with_global_http(cfg: Any, http: HTTPClientConfig | None) -> Any:
    """`if c.HTTPConfig == nil { c.HTTPConfig = global.HTTPConfig }` (the same object: a Go pointer)."""
    if cfg.http_config is None:
        return replace(cfg, http_config=http)
    return cfg
