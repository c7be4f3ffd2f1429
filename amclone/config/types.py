"""Leaf value types of alertmanager.yml and the Go decoders that build them.

Each type keeps what Alertmanager keeps (a URL's parts, a regex's original text, a duration in
nanoseconds) and validates with Alertmanager's wording; secrets hide themselves so that no log
line or repr leaks them.
"""

from __future__ import annotations

from dataclasses import dataclass

from amclone.compat.duration import (
    DurationError,
    format_go_duration,
    format_model_duration,
    parse_go_duration,
    parse_model_duration,
)
from amclone.compat.goquote import quote
from amclone.config import gourl
from amclone.config.errors import ConfigError
from amclone.config.godecode import Int, Map, Seq, Str
from amclone.config.gostruct import Custom
from amclone.config.yamlnode import Node
from amclone.labels import labelset
from amclone.labels import parse as matcher_parse
from amclone.labels.matcher import Matcher, sort_key
from amclone.labels.regex import Regex, RegexError, compile_anchored

SECRET_TOKEN = "<secret>"


@dataclass(frozen=True, slots=True)
class Secret:
    """A string that never prints itself: `str()` is ``<secret>`` (empty when unset)."""

    value: str = ""

    def __str__(self) -> str:
        return SECRET_TOKEN if self.value else ""

    def __repr__(self) -> str:
        return "Secret('<secret>')" if self.value else "Secret('')"

    def __bool__(self) -> bool:
        return bool(self.value)

    def reveal(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class URL:
    """Alertmanager's config.URL: an http(s) URL with a host."""

    url: gourl.GoURL

    def __str__(self) -> str:
        return self.url.string()

    def with_trailing_slash(self) -> URL:
        """What 0.25 does to OpsGenie, WeChat and VictorOps API URLs."""
        return self if self.url.path.endswith("/") else URL(self.url.with_path(self.url.path + "/"))


@dataclass(frozen=True, slots=True)
class SecretURL:
    """A URL that marshals as ``<secret>``; `url` is None when the file said ``<secret>``."""

    url: gourl.GoURL | None

    def __str__(self) -> str:
        return SECRET_TOKEN

    def __repr__(self) -> str:
        return "SecretURL('<secret>')"

    def reveal(self) -> str:
        return self.url.string() if self.url is not None else ""


@dataclass(frozen=True, slots=True)
class CommonURL:
    """prometheus/common's config.URL (proxy_url): any parsable URL; prints its password as xxxxx."""

    url: gourl.GoURL | None = None

    def __str__(self) -> str:
        return self.url.string(redact_password=True) if self.url is not None else ""


@dataclass(frozen=True, slots=True)
class HostPort:
    """``host:port`` (smarthost); printed back as Go does, without IPv6 brackets."""

    host: str = ""
    port: str = ""

    def __str__(self) -> str:
        return "" if not self.host and not self.port else f"{self.host}:{self.port}"

    def __bool__(self) -> bool:
        return bool(str(self))


@dataclass(frozen=True, slots=True)
class Regexp:
    """A `match_re` value: the anchored compiled regex plus the text the user wrote."""

    original: str
    regex: Regex | None

    def matches(self, value: str) -> bool:
        return self.regex is not None and self.regex.match_string(value)


# --- parsing helpers with Alertmanager's error texts --------------------------------------

def parse_am_url(s: str) -> gourl.GoURL:
    """config.parseURL: Go's url.Parse plus the http(s) and host checks."""
    try:
        u = gourl.parse(s)
    except gourl.URLError as e:
        raise ConfigError(str(e)) from None
    if u.scheme not in ("http", "https"):
        raise ConfigError(f"unsupported scheme {quote(u.scheme)} for URL")
    if not u.host:
        raise ConfigError("missing host for URL")
    return u


def split_host_port(s: str) -> HostPort:
    """net.SplitHostPort with Go's AddrError texts, then Alertmanager's empty-port check."""
    def err(why: str) -> ConfigError:
        return ConfigError(f"address {s}: {why}")
    i = s.rfind(":")
    if i < 0:
        raise err("missing port in address")
    j = k = 0
    if s.startswith("["):
        end = s.find("]")
        if end < 0:
            raise err("missing ']' in address")
        if end + 1 == len(s):
            raise err("missing port in address")
        if end + 1 != i:
            raise err("too many colons in address" if s[end + 1] == ":" else "missing port in address")
        host = s[1:end]
        j, k = 1, end + 1
    else:
        host = s[:i]
        if ":" in host:
            raise err("too many colons in address")
    if "[" in s[j:]:
        raise err("unexpected '[' in address")
    if "]" in s[k:]:
        raise err("unexpected ']' in address")
    port = s[i + 1:]
    if port == "":
        raise ConfigError(f"address {quote(s)}: port cannot be empty")
    return HostPort(host, port)


def parse_duration(s: str) -> int:
    """model.ParseDuration (prometheus/common 0.41 as built into Debian's 0.25)."""
    try:
        return parse_model_duration(s)
    except DurationError as e:
        raise ConfigError(str(e)) from None


def compile_regexp(s: str) -> Regexp:
    try:
        return Regexp(s, compile_anchored(s))
    except RegexError as e:
        raise ConfigError(str(e)) from None


def parse_matcher_lines(lines: tuple[str, ...]) -> tuple[Matcher, ...]:
    """config.Matchers: every line may hold several matchers; the result is sorted (0.25)."""
    out: list[Matcher] = []
    for line in lines:
        try:
            out.extend(matcher_parse.parse_matchers(line))
        except ValueError as e:
            raise ConfigError(str(e)) from None
    out.sort(key=sort_key)
    return tuple(out)


def _label_name(s: str, node: Node) -> str:
    if not labelset.is_valid_name(s):
        raise ConfigError(f"{quote(s)} is not a valid label name")
    return s


def _match_regexps(raw: dict[str, Regexp | None], node: Node) -> dict[str, Regexp | None]:
    for k, v in raw.items():
        if not labelset.is_valid_name(k):
            raise ConfigError(f"invalid label name {quote(k)}")
        if v is None or v.regex is None:
            raise ConfigError(f"invalid regexp value for {quote(k)}")
    return raw


def _am_url(s: str, node: Node) -> URL:
    return URL(parse_am_url(s))


def _secret_url(s: str, node: Node) -> SecretURL:
    if s == SECRET_TOKEN:
        return SecretURL(None)
    return SecretURL(parse_am_url(s))


def _common_url(s: str, node: Node) -> CommonURL:
    try:
        return CommonURL(gourl.parse(s))
    except gourl.URLError as e:
        raise ConfigError(str(e)) from None


def parse_text_duration(s: str) -> int:
    """Go's time.ParseDuration (Pushover's `duration` via encoding.TextUnmarshaler, `timeout`s)."""
    try:
        return parse_go_duration(s)
    except DurationError as e:
        raise ConfigError(str(e)) from None


def _text_duration(s: str, node: Node) -> int:
    return parse_text_duration(s)


# --- Go types (shared instances) ---------------------------------------------------------

STRING = Str()
STRINGS = Seq(STRING)
STRING_MAP = Map(STRING)
SECRET = Custom(Str("config.plain"), lambda s, n: Secret(s), Secret, "config.Secret", from_string=Secret)
AM_URL: Custom[URL | None] = Custom(STRING, _am_url, lambda: None, "config.URL")
SECRET_URL: Custom[SecretURL | None] = Custom(STRING, _secret_url, lambda: None, "config.SecretURL")
COMMON_URL = Custom(STRING, _common_url, CommonURL, "config.URL")
HOST_PORT = Custom(STRING, lambda s, n: split_host_port(s) if s else HostPort(), HostPort, "config.HostPort")
# model.Duration is also an encoding.TextUnmarshaler (common 0.39+): a quoted "null" still parses.
DURATION = Custom(STRING, lambda s, n: parse_duration(s), int, "model.Duration", marshal=format_model_duration,
                  from_string=parse_duration)
REGEXP: Custom[Regexp | None] = Custom(STRING, lambda s, n: compile_regexp(s), lambda: None, "config.Regexp")
MATCH_REGEXPS = Custom(Map(REGEXP, "config.plain"), _match_regexps, dict, "config.MatchRegexps")
MATCHERS = Custom(STRINGS, lambda lines, n: parse_matcher_lines(lines), tuple, "config.Matchers")
LABEL_NAME = Custom(STRING, _label_name, str, "model.LabelName", from_string=str)
LABEL_NAMES = Seq(LABEL_NAME, "model.LabelNames")
INT64 = Int("int64")
UINT64 = Int("uint64", unsigned=True)
# Pushover's retry/expire: a Go time.Duration read through encoding.TextUnmarshaler.
TEXT_DURATION = Custom(Str("config.duration"), _text_duration, int, "config.duration",
                       marshal=format_go_duration, from_string=parse_text_duration)


def format_duration(ns: int) -> str:
    return format_model_duration(ns)
