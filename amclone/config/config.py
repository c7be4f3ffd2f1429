"""The whole alertmanager.yml: decoding, cross-checks and path resolution (0.25 `config.Load`).

`load` follows Go's sequence exactly: strict YAML decode (collecting type errors), then
Config.UnmarshalYAML's cross-checks in its order (global exclusions, per-receiver fallbacks and
duplicate names, root route rules, receiver and time interval references), then Load's own
"no route provided" and root `continue` checks. The first failure is the message amtool prints.

`extended=True` selects the schema of newer Alertmanager releases (msteams, jira, ... and the
newer global keys); the default is 0.25's, which rejects those keys as 0.25 does.
"""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
from __future__ import annotations

import glob as _glob
import os
from dataclasses import dataclass, field, replace
from typing import Any

from amclone.compat.goquote import quote
from amclone.config.errors import ConfigError, DecodeAbort, GoPanic
from amclone.config.globalconf import GLOBAL, GlobalConfig, check_global, default_global
from amclone.config.godecode import Decoder, TypeErrors, recursion_headroom
from amclone.config.gostruct import Struct, gofield
from amclone.config.httpconfig import join_dir
from amclone.config.receivers import RECEIVERS, Receiver, finalize_receiver
from amclone.config.route import INHIBIT_RULES, ROUTE_PTR, InhibitRule, Route
from amclone.config.timeintervals import MUTE_TIME_INTERVALS, TIME_INTERVALS, NamedTimeInterval
from amclone.config.types import STRINGS
from amclone.config.yamlnode import parse


@dataclass(frozen=True)
class Config:
    global_: GlobalConfig | None = gofield("global", GLOBAL)
    route: Route | None = gofield("route", ROUTE_PTR)
    inhibit_rules: tuple[InhibitRule, ...] = gofield("inhibit_rules", INHIBIT_RULES)
    receivers: tuple[Receiver, ...] = gofield("receivers", RECEIVERS)
    templates: tuple[str, ...] = gofield("templates", STRINGS, omitempty=False)
    mute_time_intervals: tuple[NamedTimeInterval, ...] = gofield("mute_time_intervals", MUTE_TIME_INTERVALS)
    time_intervals: tuple[NamedTimeInterval, ...] = gofield("time_intervals", TIME_INTERVALS)
    original: str = field(default="", compare=False, repr=False)
    extended: bool = field(default=False, compare=False, repr=False)

    @property
    def global_config(self) -> GlobalConfig:
        return self.global_ if self.global_ is not None else default_global(self.extended)

    def receiver(self, name: str) -> Receiver | None:
        for r in self.receivers:
            if r.name == name:
                return r
        return None

    def named_intervals(self) -> dict[str, NamedTimeInterval]:
        """time_intervals and mute_time_intervals share one namespace."""
        return {ti.name: ti for ti in (*self.mute_time_intervals, *self.time_intervals)}


def _check_receivers(r: Route, names: set[str]) -> None:
    for sub in r.routes:
        if sub is None:  # a null child route: 0.25 dereferences it and panics
            raise GoPanic()
        _check_receivers(sub, names)
    if r.receiver and r.receiver not in names:
        raise ConfigError(f"undefined receiver {quote(r.receiver)} used in route")


def _check_intervals(r: Route, names: set[str]) -> None:
    for sub in r.routes:
        _check_intervals(sub, names)
    for ti in (*r.active_time_intervals, *r.mute_time_intervals):
        if ti not in names:
            raise ConfigError(f"undefined time interval {quote(ti)} used in route")


def _validate(c: dict[str, Any], extended: bool) -> None:
    """Config.UnmarshalYAML after the plain decode."""
    if c["global_"] is None:
        c["global_"] = default_global(extended)
    g: GlobalConfig = c["global_"]
    check_global(g)
    names: set[str] = set()
    receivers = []
    for rcv in c["receivers"]:
        if rcv is None:
            raise GoPanic()
        if rcv.name in names:
            raise ConfigError(f"notification config name {quote(rcv.name)} is not unique")
        receivers.append(finalize_receiver(rcv, g))
        names.add(rcv.name)
    c["global_"] = _aliased_global_urls(g, [r for r in c["receivers"] if r is not None])
    c["receivers"] = tuple(receivers)
    route: Route | None = c["route"]
    if route is None:
        raise ConfigError("no routes provided")
    if not route.receiver:
        raise ConfigError("root route must specify a default receiver")
    if route.match or route.match_re or route.matchers:
        raise ConfigError("root route must not have any matchers")
    if route.mute_time_intervals:
        raise ConfigError("root route must not have any mute time intervals")
    if route.active_time_intervals:
        raise ConfigError("root route must not have any active time intervals")
    _check_receivers(route, names)
    ti_names: set[str] = set()
    for mt in c["mute_time_intervals"]:
        if mt.name in ti_names:
            raise ConfigError(f"mute time interval {quote(mt.name)} is not unique")
        ti_names.add(mt.name)
    for ti in c["time_intervals"]:
        if ti.name in ti_names:
            raise ConfigError(f"time interval {quote(ti.name)} is not unique")
        ti_names.add(ti.name)
    _check_intervals(route, ti_names)


def _aliased_global_urls(g: GlobalConfig, raw: list[Receiver]) -> GlobalConfig:
    """0.25 appends "/" to an inherited OpsGenie/WeChat/VictorOps URL *through the shared pointer*,
    so the global URL itself changes (and `/api/v2/status` shows it) once any receiver inherits it."""
    changes = {}
    for attr, kind in (("opsgenie_api_url", "opsgenie_configs"), ("wechat_api_url", "wechat_configs"),
                       ("victorops_api_url", "victorops_configs")):
        url = getattr(g, attr)
        if url is not None and any(c.api_url is None for r in raw for c in getattr(r, kind)):
            changes[attr] = url.with_trailing_slash()
    return replace(g, **changes) if changes else g


def _config_type(extended: bool) -> Struct[Any]:
    if not extended:
        return _PLAIN
    from amclone.config.extended import EXTENDED_CONFIG
    return EXTENDED_CONFIG


_PLAIN: Struct[Config] = Struct(Config, "config.plain", custom=True, validate=lambda c: _validate(c, False),
                                type_name="config.Config")


def load(text: str | bytes, filename: str = "", *, extended: bool = False) -> Config:
    """Parse and validate config text; raises ConfigError with Alertmanager's message."""
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    original = data.decode("utf-8", "surrogateescape")
    try:
        cfg = _decode(data, extended)
        if cfg.route is None:
            raise ConfigError("no route provided in config")
        if cfg.route.continue_:
            raise ConfigError("cannot have continue in root route")
    except GoPanic:
        raise
    except ConfigError as e:
        raise ConfigError(e.message, file=filename, line=e.line) from None
    return replace(cfg, original=original, extended=extended)


def _decode(data: bytes, extended: bool) -> Config:
    try:
        with recursion_headroom():
            return _decode_deep(data, extended)
    except RecursionError:
        raise ConfigError("config nests too deeply") from None


def _decode_deep(data: bytes, extended: bool) -> Config:
    root = parse(data)
    typ = _config_type(extended)
    if root is None:
        return typ.zero()  # type: ignore[no-any-return]
    d = Decoder()
    try:
        _, cfg = d.decode(root, typ, typ.zero())
    except GoPanic:
        raise
    except DecodeAbort as e:
        raise ConfigError(e.message, line=e.line) from None
    if d.terrors:
        raise ConfigError(str(TypeErrors(d.terrors)), line=_first_line(d.terrors))
    return cfg  # type: ignore[no-any-return]


def _first_line(issues: list[str]) -> int | None:
    head = issues[0]
    if head.startswith("line "):
        num = head[5:].split(":", 1)[0]
        if num.isdigit():
            return int(num)
    return None


def load_file(path: str, *, extended: bool = False) -> Config:
    """config.LoadFile: read, load, then make relative paths relative to the file's directory."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ConfigError(f"open {path}: {_os_reason(e)}", file=path) from None
    cfg = load(data, path, extended=extended)
    return resolve_filepaths(os.path.dirname(path) or ".", cfg)


def _os_reason(e: OSError) -> str:
    reasons = {2: "no such file or directory", 13: "permission denied", 21: "is a directory"}
    return reasons.get(e.errno or 0, (e.strerror or str(e)).lower())


def resolve_filepaths(base: str, cfg: Config) -> Config:
    """resolveFilepaths: template globs and every http_config's files (not receivers' *_file keys).

    Receivers without their own http_config share the global one (a Go pointer), and 0.25 calls
    SetDirectory on it once for the global block and once more per sharing integration; with a
    relative config directory the paths really are joined that many times, so we do the same.
    """
    templates = tuple(join_dir(base, t) if t else t for t in cfg.templates)
    g = cfg.global_
    shared = g.http_config if g is not None else None
    uses = 1 + sum(1 for rcv in cfg.receivers for _, c in _http_integrations(rcv) if c.http_config is shared)
    resolved_shared = shared
    if shared is not None:
        for _ in range(uses):
            resolved_shared = resolved_shared.with_directory(base)  # type: ignore[union-attr]
    receivers = []
    for rcv in cfg.receivers:
        changes: dict[str, list[Any]] = {}
        for attr, c in _http_integrations(rcv):
            if c.http_config is None:
                new = c
            elif c.http_config is shared:
                new = replace(c, http_config=resolved_shared)
            else:
                new = replace(c, http_config=c.http_config.with_directory(base))
            changes.setdefault(attr, []).append(new)
        receivers.append(replace(rcv, **{k: tuple(v) for k, v in changes.items()})  # type: ignore[arg-type]
                         if changes else rcv)
    if g is not None:
        g = replace(g, http_config=resolved_shared)
    return replace(cfg, templates=templates, global_=g, receivers=tuple(receivers))


def _http_integrations(rcv: Receiver) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for attr in rcv.__dataclass_fields__:
        if attr.endswith("_configs") and attr != "email_configs":
            out.extend((attr, c) for c in getattr(rcv, attr) if hasattr(c, "http_config"))
    return out


def template_files(cfg: Config) -> list[str]:
    """The files the `templates` globs match now (missing ones are not an error)."""
    out: list[str] = []
    for pattern in cfg.templates:
        out.extend(sorted(_glob.glob(pattern)))
    return out
