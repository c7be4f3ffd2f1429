"""`http_config` blocks: prometheus/common's HTTPClientConfig as Debian's 0.25 build has it.

Debian built Alertmanager 0.25 against prometheus/common 0.41 rather than the 0.38 of upstream's
go.mod, so `proxy_connect_header` exists (no `no_proxy` yet) and durations reject "" with
``empty duration string``. Validation (and its rewriting of `bearer_token` into `authorization`)
happens at decode time, as common's UnmarshalYAML does, so errors come out in Go's order.
"""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from amclone.config.errors import ConfigError
from amclone.config.godecode import Bool, Map, Seq, Str
from amclone.config.gostruct import Custom, Ptr, Struct, gofield
from amclone.config.types import COMMON_URL, SECRET, STRING, STRING_MAP, STRINGS, CommonURL, Secret

TLS_VERSIONS = {"TLS13": 0x0304, "TLS12": 0x0303, "TLS11": 0x0302, "TLS10": 0x0301}
TLS_VERSION_NAMES = {v: k for k, v in TLS_VERSIONS.items()}


def _tls_version(s: str, node: Any) -> int:
    if s in TLS_VERSIONS:
        return TLS_VERSIONS[s]
    raise ConfigError(f"unknown TLS version: {s}")


TLS_VERSION = Custom(STRING, _tls_version, int, "config.TLSVersion")


def join_dir(directory: str, path: str) -> str:
    """common's JoinDir: relative, non-empty paths are taken relative to the config file."""
    if not path or os.path.isabs(path):
        return path
    return os.path.normpath(os.path.join(directory, path))


@dataclass(frozen=True)
class TLSConfig:
    ca_file: str = gofield("ca_file", STRING)
    cert_file: str = gofield("cert_file", STRING)
    key_file: str = gofield("key_file", STRING)
    server_name: str = gofield("server_name", STRING)
    insecure_skip_verify: bool = gofield("insecure_skip_verify", Bool(), omitempty=False)
    min_version: int = gofield("min_version", TLS_VERSION)
    max_version: int = gofield("max_version", TLS_VERSION)

    def with_directory(self, d: str) -> TLSConfig:
        return replace(self, ca_file=join_dir(d, self.ca_file), cert_file=join_dir(d, self.cert_file),
                       key_file=join_dir(d, self.key_file))


TLS_CONFIG = Struct(TLSConfig, "config.plain", custom=True, type_name="config.TLSConfig")


@dataclass(frozen=True)
class BasicAuth:
    username: str = gofield("username", STRING, omitempty=False)
    password: Secret = gofield("password", SECRET, factory=Secret)
    password_file: str = gofield("password_file", STRING)


@dataclass(frozen=True)
class Authorization:
    type: str = gofield("type", STRING)
    credentials: Secret = gofield("credentials", SECRET, factory=Secret)
    credentials_file: str = gofield("credentials_file", STRING)


@dataclass(frozen=True)
class OAuth2:
    client_id: str = gofield("client_id", STRING, omitempty=False)
    client_secret: Secret = gofield("client_secret", SECRET, omitempty=False, factory=Secret)
    client_secret_file: str = gofield("client_secret_file", STRING, omitempty=False)
    scopes: tuple[str, ...] = gofield("scopes", STRINGS)
    token_url: str = gofield("token_url", STRING, omitempty=False)
    endpoint_params: Mapping[str, str] = gofield("endpoint_params", STRING_MAP)
    proxy_url: CommonURL = gofield("proxy_url", COMMON_URL, factory=CommonURL)
    tls_config: TLSConfig = gofield("tls_config", TLS_CONFIG, factory=TLSConfig)


HEADER = Map(Seq(SECRET), "config.Header")


@dataclass(frozen=True)
class HTTPClientConfig:
    basic_auth: BasicAuth | None = gofield(
        "basic_auth", Ptr(Struct(BasicAuth, "config.plain", custom=True, type_name="config.BasicAuth")))
    authorization: Authorization | None = gofield(
        "authorization", Ptr(Struct(Authorization, "config.Authorization")))
    oauth2: OAuth2 | None = gofield("oauth2", Ptr(Struct(OAuth2, "config.OAuth2")))
    bearer_token: Secret = gofield("bearer_token", SECRET, factory=Secret)
    bearer_token_file: str = gofield("bearer_token_file", STRING)
    proxy_url: CommonURL = gofield("proxy_url", COMMON_URL, factory=CommonURL)
    proxy_connect_header: Mapping[str, tuple[Secret, ...]] = gofield("proxy_connect_header", HEADER)
    tls_config: TLSConfig = gofield("tls_config", TLS_CONFIG, factory=TLSConfig)
    follow_redirects: bool = gofield("follow_redirects", Bool(), omitempty=False)
    enable_http2: bool = gofield("enable_http2", Bool(), omitempty=False)

    def with_directory(self, d: str) -> HTTPClientConfig:
        """SetDirectory: file paths in the block become relative to the config file."""
        ba = self.basic_auth and replace(self.basic_auth, password_file=join_dir(d, self.basic_auth.password_file))
        au = self.authorization and replace(
            self.authorization, credentials_file=join_dir(d, self.authorization.credentials_file))
        oa = self.oauth2 and replace(self.oauth2, client_secret_file=join_dir(d, self.oauth2.client_secret_file),
                                     tls_config=self.oauth2.tls_config.with_directory(d))
        return replace(self, basic_auth=ba, authorization=au, oauth2=oa,
                       bearer_token_file=join_dir(d, self.bearer_token_file),
                       tls_config=self.tls_config.with_directory(d))


def default_http_config() -> HTTPClientConfig:
    """common.DefaultHTTPClientConfig."""
    return HTTPClientConfig(follow_redirects=True, enable_http2=True)


def _validate(c: dict[str, Any]) -> None:
    """HTTPClientConfig.Validate, in common's order and wording."""
    ba: BasicAuth | None = c["basic_auth"]
    au: Authorization | None = c["authorization"]
    oa: OAuth2 | None = c["oauth2"]
    bearer, bearer_file = c["bearer_token"].value, c["bearer_token_file"]
    if bearer and bearer_file:
        raise ConfigError("at most one of bearer_token & bearer_token_file must be configured")
    if (ba is not None or oa is not None) and (bearer or bearer_file):
        raise ConfigError("at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured")
    if ba is not None and ba.password.value and ba.password_file:
        raise ConfigError("at most one of basic_auth password & password_file must be configured")
    if au is not None:
        if bearer or bearer_file:
            raise ConfigError("authorization is not compatible with bearer_token & bearer_token_file")
        if au.credentials.value and au.credentials_file:
            raise ConfigError("at most one of authorization credentials & credentials_file must be configured")
        au = replace(au, type=au.type.strip(" \t\n\r\v\f") or "Bearer")
        c["authorization"] = au
        if au.type.lower() == "basic":
            raise ConfigError('authorization type cannot be set to "basic", use "basic_auth" instead')
        if ba is not None or oa is not None:
            raise ConfigError("at most one of basic_auth, oauth2 & authorization must be configured")
    else:
        if bearer:
            c["authorization"] = Authorization(type="Bearer", credentials=Secret(bearer))
            c["bearer_token"] = Secret()
        if bearer_file:
            c["authorization"] = Authorization(type="Bearer", credentials_file=bearer_file)
            c["bearer_token_file"] = ""
    if oa is not None:
        if ba is not None:
            raise ConfigError("at most one of basic_auth, oauth2 & authorization must be configured")
        if not oa.client_id:
            raise ConfigError("oauth2 client_id must be configured")
        if not oa.client_secret.value and not oa.client_secret_file:
            raise ConfigError("either oauth2 client_secret or client_secret_file must be configured")
        if not oa.token_url:
            raise ConfigError("oauth2 token_url must be configured")
        if oa.client_secret.value and oa.client_secret_file:
            raise ConfigError("at most one of oauth2 client_secret & client_secret_file must be configured")
    if c["proxy_connect_header"] and (c["proxy_url"].url is None or str(c["proxy_url"]) == ""):
        raise ConfigError("if proxy_connect_header is configured proxy_url must also be configured")


HTTP_CONFIG = Struct(HTTPClientConfig, "config.plain", custom=True, defaults=default_http_config,
                     validate=_validate, type_name="config.HTTPClientConfig")
HTTP_CONFIG_PTR = Ptr(HTTP_CONFIG)

__all__ = [
    "HTTP_CONFIG",
    "HTTP_CONFIG_PTR",
    "TLS_CONFIG",
    "Authorization",
    "BasicAuth",
    "HTTPClientConfig",
    "OAuth2",
    "Str",
    "TLSConfig",
    "default_http_config",
    "join_dir",
]
