"""The `global` block: defaults every receiver falls back to.

Field order is Go's struct order (it is the marshalled order too). The keys Alertmanager added
after 0.25 (research 1.3) exist only in the extended schema: a 0.25 drop-in must reject them with
0.25's ``field ... not found`` error, so they are appended in a separate dataclass.
"""

# ruff: noqa: RUF009  (gofield() returns a dataclasses.field carrying the Go facts)
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from amclone.config.errors import ConfigError
from amclone.config.godecode import Bool
from amclone.config.gostruct import Ptr, Struct, gofield
from amclone.config.httpconfig import (
    HTTP_CONFIG_PTR,
    TLS_CONFIG,
    HTTPClientConfig,
    TLSConfig,
    default_http_config,
)
from amclone.config.types import (
    AM_URL,
    DURATION,
    HOST_PORT,
    SECRET,
    SECRET_URL,
    STRING,
    URL,
    HostPort,
    Secret,
    SecretURL,
    parse_am_url,
)

_MIN = 60 * 1_000_000_000


def _url(s: str) -> URL:
    return URL(parse_am_url(s))


@dataclass(frozen=True)
class GlobalConfig:
    resolve_timeout: int = gofield("resolve_timeout", DURATION, 0, omitempty=False)
    http_config: HTTPClientConfig | None = gofield("http_config", HTTP_CONFIG_PTR)
    smtp_from: str = gofield("smtp_from", STRING)
    smtp_hello: str = gofield("smtp_hello", STRING)
    smtp_smarthost: HostPort = gofield("smtp_smarthost", HOST_PORT, factory=HostPort)
    smtp_auth_username: str = gofield("smtp_auth_username", STRING)
    smtp_auth_password: Secret = gofield("smtp_auth_password", SECRET, factory=Secret)
    smtp_auth_password_file: str = gofield("smtp_auth_password_file", STRING)
    smtp_auth_secret: Secret = gofield("smtp_auth_secret", SECRET, factory=Secret)
    smtp_auth_identity: str = gofield("smtp_auth_identity", STRING)
    smtp_require_tls: bool = gofield("smtp_require_tls", Bool(), omitempty=False)
    slack_api_url: SecretURL | None = gofield("slack_api_url", Ptr(SECRET_URL))
    slack_api_url_file: str = gofield("slack_api_url_file", STRING)
    pagerduty_url: URL | None = gofield("pagerduty_url", Ptr(AM_URL))
    opsgenie_api_url: URL | None = gofield("opsgenie_api_url", Ptr(AM_URL))
    opsgenie_api_key: Secret = gofield("opsgenie_api_key", SECRET, factory=Secret)
    opsgenie_api_key_file: str = gofield("opsgenie_api_key_file", STRING)
    wechat_api_url: URL | None = gofield("wechat_api_url", Ptr(AM_URL))
    wechat_api_secret: Secret = gofield("wechat_api_secret", SECRET, factory=Secret)
    wechat_api_corp_id: str = gofield("wechat_api_corp_id", STRING)
    victorops_api_url: URL | None = gofield("victorops_api_url", Ptr(AM_URL))
    victorops_api_key: Secret = gofield("victorops_api_key", SECRET, factory=Secret)
    victorops_api_key_file: str = gofield("victorops_api_key_file", STRING)
    telegram_api_url: URL | None = gofield("telegram_api_url", Ptr(AM_URL))
    webex_api_url: URL | None = gofield("webex_api_url", Ptr(AM_URL))


@dataclass(frozen=True)
class ExtendedGlobalConfig(GlobalConfig):
    """GlobalConfig plus the keys of Alertmanager 0.26-0.30 (extended schema only)."""

    smtp_auth_secret_file: str = gofield("smtp_auth_secret_file", STRING)
    smtp_tls_config: TLSConfig = gofield("smtp_tls_config", TLS_CONFIG, factory=TLSConfig)
    smtp_force_implicit_tls: bool | None = gofield("smtp_force_implicit_tls", Ptr(Bool()))
    slack_app_token: Secret = gofield("slack_app_token", SECRET, factory=Secret)
    slack_app_token_file: str = gofield("slack_app_token_file", STRING)
    slack_app_url: URL | None = gofield("slack_app_url", Ptr(AM_URL))
    wechat_api_secret_file: str = gofield("wechat_api_secret_file", STRING)
    telegram_bot_token: Secret = gofield("telegram_bot_token", SECRET, factory=Secret)
    telegram_bot_token_file: str = gofield("telegram_bot_token_file", STRING)
    jira_api_url: URL | None = gofield("jira_api_url", Ptr(AM_URL))
    rocketchat_api_url: URL | None = gofield("rocketchat_api_url", Ptr(AM_URL))
    rocketchat_token: Secret = gofield("rocketchat_token", SECRET, factory=Secret)
    rocketchat_token_file: str = gofield("rocketchat_token_file", STRING)
    rocketchat_token_id: Secret = gofield("rocketchat_token_id", SECRET, factory=Secret)
    rocketchat_token_id_file: str = gofield("rocketchat_token_id_file", STRING)
    mattermost_webhook_url: SecretURL | None = gofield("mattermost_webhook_url", Ptr(SECRET_URL))
    mattermost_webhook_url_file: str = gofield("mattermost_webhook_url_file", STRING)


_DEFAULT_URLS = {
    "pagerduty_url": "https://events.pagerduty.com/v2/enqueue",
    "opsgenie_api_url": "https://api.opsgenie.com/",
    "wechat_api_url": "https://qyapi.weixin.qq.com/cgi-bin/",
    "victorops_api_url": "https://alert.victorops.com/integrations/generic/20131114/alert/",
    "telegram_api_url": "https://api.telegram.org",
    "webex_api_url": "https://webexapis.com/v1/messages",
}
_EXTENDED_DEFAULT_URLS = {
    "slack_app_url": "https://slack.com/api/chat.postMessage",
    "rocketchat_api_url": "https://open.rocket.chat/",
}


def default_global(extended: bool = False) -> GlobalConfig:
    """DefaultGlobalConfig(): restored whenever `global` is absent or null."""
    urls: dict[str, Any] = {k: _url(v) for k, v in _DEFAULT_URLS.items()}
    if extended:
        urls.update({k: _url(v) for k, v in _EXTENDED_DEFAULT_URLS.items()})
        return ExtendedGlobalConfig(resolve_timeout=5 * _MIN, http_config=default_http_config(),
                                    smtp_hello="localhost", smtp_require_tls=True, **urls)
    return GlobalConfig(resolve_timeout=5 * _MIN, http_config=default_http_config(), smtp_hello="localhost",
                        smtp_require_tls=True, **urls)


_EXCLUSIVE = (("slack_api_url", "slack_api_url_file"), ("opsgenie_api_key", "opsgenie_api_key_file"),
              ("victorops_api_key", "victorops_api_key_file"), ("smtp_auth_password", "smtp_auth_password_file"))
_EXTENDED_EXCLUSIVE = (("slack_app_token", "slack_app_token_file"), ("telegram_bot_token", "telegram_bot_token_file"),
                       ("rocketchat_token", "rocketchat_token_file"),
                       ("rocketchat_token_id", "rocketchat_token_id_file"),
                       ("smtp_auth_secret", "smtp_auth_secret_file"),
                       ("wechat_api_secret", "wechat_api_secret_file"),
                       ("mattermost_webhook_url", "mattermost_webhook_url_file"))


def check_global(g: GlobalConfig) -> None:
    """The mutual exclusions Config.UnmarshalYAML checks first."""
    pairs = _EXCLUSIVE + (_EXTENDED_EXCLUSIVE if isinstance(g, ExtendedGlobalConfig) else ())
    for inline, file in pairs:
        v = getattr(g, inline)
        if (v.value if isinstance(v, Secret) else v is not None) and getattr(g, file):
            raise ConfigError(f"at most one of {inline} & {file} must be configured")


GLOBAL = Ptr(Struct(GlobalConfig, "config.plain", custom=True, defaults=default_global,
                    type_name="config.GlobalConfig"))
def _extended_default() -> ExtendedGlobalConfig:
    g = default_global(True)
    assert isinstance(g, ExtendedGlobalConfig)
    return g


EXTENDED_GLOBAL = Ptr(Struct(ExtendedGlobalConfig, "config.plain", custom=True, defaults=_extended_default,
                             type_name="config.GlobalConfig"))
