"""Go's net/url Parse and URL.String, as far as Alertmanager's config relies on them.

Config files are judged by Go's parser: ``${SLACK_URL}`` parses (as a relative path, then fails
Alertmanager's scheme check), ``{{ op://x }}`` fails with ``first path segment in URL cannot
contain colon``, and the marshalled config prints URLs the way Go re-assembles them. Python's
urllib splits differently and has no such errors, hence this port (Go 1.19 semantics).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from amclone.compat.goquote import quote

_UPPERHEX = "0123456789ABCDEF"
HOST, PATH, USER, QUERY_COMPONENT, FRAGMENT, ZONE = "host", "path", "user", "query", "fragment", "zone"


class URLError(ValueError):
    """`parse "<url>": <reason>` (Go's *url.Error)."""


@dataclass(frozen=True, slots=True)
class GoURL:
    scheme: str = ""
    opaque: str = ""
    user: tuple[str, str | None] | None = None
    host: str = ""
    path: str = ""
    raw_path: str = ""
    force_query: bool = False
    raw_query: str = ""
    fragment: str = ""
    raw_fragment: str = ""

    def __str__(self) -> str:
        return self.string()

    def string(self, redact_password: bool = False) -> str:
        out = []
        if self.scheme:
            out.append(self.scheme + ":")
        if self.opaque:
            out.append(self.opaque)
        else:
            if self.scheme or self.host or self.user is not None:
                if self.host or self.path or self.user is not None:
                    out.append("//")
                if self.user is not None:
                    name, pw = self.user
                    s = escape(name, USER)
                    if pw is not None:
                        s += ":" + ("xxxxx" if redact_password else escape(pw, USER))
                    out.append(s + "@")
                if self.host:
                    out.append(escape(self.host, HOST))
            path = self.escaped_path()
            if path and path[0] != "/" and self.host:
                out.append("/")
            if not out and ":" in path.split("/", 1)[0]:
                out.append("./")
            out.append(path)
        if self.force_query or self.raw_query:
            out.append("?" + self.raw_query)
        if self.fragment:
            out.append("#" + self.escaped_fragment())
        return "".join(out)

    def escaped_path(self) -> str:
        if self.raw_path and _valid_encoded(self.raw_path, PATH):
            try:
                if unescape(self.raw_path, PATH) == self.path:
                    return self.raw_path
            except URLError:
                pass
        if self.path == "*":
            return "*"
        return escape(self.path, PATH)

    def escaped_fragment(self) -> str:
        if self.raw_fragment and _valid_encoded(self.raw_fragment, FRAGMENT):
            try:
                if unescape(self.raw_fragment, FRAGMENT) == self.fragment:
                    return self.raw_fragment
            except URLError:
                pass
        return escape(self.fragment, FRAGMENT)

    def with_path(self, path: str) -> GoURL:
        return replace(self, path=path, raw_path="")


def parse(raw: str) -> GoURL:
    """url.Parse: raises URLError with Go's text."""
    u, sep, frag = raw.partition("#")
    try:
        url = _parse(u)
    except URLError as e:
        raise URLError(f"parse {quote(u)}: {e}") from None
    if not sep or frag == "":
        return url
    try:
        f = unescape(frag, FRAGMENT)
    except URLError as e:
        raise URLError(f"parse {quote(raw)}: {e}") from None
    return replace(url, fragment=f, raw_fragment="" if escape(f, FRAGMENT) == frag else frag)


def _parse(raw: str) -> GoURL:
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise URLError("net/url: invalid control character in URL")
    if raw == "*":
        return GoURL(path="*")
    scheme, rest = _get_scheme(raw)
    scheme = scheme.lower()
    force_query, raw_query = False, ""
    if rest.endswith("?") and rest.count("?") == 1:
        force_query, rest = True, rest[:-1]
    else:
        rest, _, raw_query = rest.partition("?")
    if not rest.startswith("/"):
        if scheme:
            return GoURL(scheme=scheme, opaque=rest, force_query=force_query, raw_query=raw_query)
        if ":" in rest.split("/", 1)[0]:
            raise URLError("first path segment in URL cannot contain colon")
    user: tuple[str, str | None] | None = None
    host = ""
    if (scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority, rest = rest[2:], ""
        i = authority.find("/")
        if i >= 0:
            authority, rest = authority[:i], authority[i:]
        user, host = _parse_authority(authority)
    path = unescape(rest, PATH)
    raw_path = "" if escape(path, PATH) == rest else rest
    return GoURL(scheme=scheme, user=user, host=host, path=path, raw_path=raw_path,
                 force_query=force_query, raw_query=raw_query)


def _get_scheme(raw: str) -> tuple[str, str]:
    for i, c in enumerate(raw):
        if c.isascii() and c.isalpha():
            continue
        if c.isascii() and (c.isdigit() or c in "+-."):
            if i == 0:
                return "", raw
            continue
        if c == ":":
            if i == 0:
                raise URLError("missing protocol scheme")
            return raw[:i], raw[i + 1:]
        return "", raw
    return "", raw


def _parse_authority(authority: str) -> tuple[tuple[str, str | None] | None, str]:
    i = authority.rfind("@")
    host = _parse_host(authority[i + 1:] if i >= 0 else authority)
    if i < 0:
        return None, host
    userinfo = authority[:i]
    if not all(_valid_userinfo_char(c) for c in userinfo):
        raise URLError("net/url: invalid userinfo")
    if ":" not in userinfo:
        return (unescape(userinfo, USER), None), host
    name, _, pw = userinfo.partition(":")
    return (unescape(name, USER), unescape(pw, USER)), host


def _valid_userinfo_char(c: str) -> bool:
    return (c.isascii() and c.isalnum()) or c in "-._:~!$&'()*+,;=%@" or not c.isascii()


def _valid_port(port: str) -> bool:
    return port == "" or (port[0] == ":" and all(c in "0123456789" for c in port[1:]))


def _parse_host(host: str) -> str:
    if host.startswith("["):
        i = host.rfind("]")
        if i < 0:
            raise URLError("missing ']' in host")
        colon_port = host[i + 1:]
        if not _valid_port(colon_port):
            raise URLError(f"invalid port {quote(colon_port)} after host")
        zone = host[:i].find("%25")
        if zone >= 0:
            return unescape(host[:zone], HOST) + unescape(host[zone:i], ZONE) + unescape(host[i:], HOST)
    else:
        i = host.rfind(":")
        if i != -1 and not _valid_port(host[i:]):
            raise URLError(f"invalid port {quote(host[i:])} after host")
    return unescape(host, HOST)


def _is_hex(c: str) -> bool:
    return c in "0123456789abcdefABCDEF" and c != ""


def unescape(s: str, mode: str) -> str:
    raw = s.encode("utf-8", "surrogateescape")
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == 0x25:  # %
            if i + 2 >= len(raw) or not _is_hex(chr(raw[i + 1])) or not _is_hex(chr(raw[i + 2])):
                bad = raw[i:i + 3].decode("utf-8", "surrogateescape")
                raise URLError(f"invalid URL escape {quote(bad)}")
            seq = raw[i:i + 3].decode()
            v = int(seq[1:], 16)
            if mode == HOST and int(seq[1], 16) < 8 and seq != "%25":
                raise URLError(f"invalid URL escape {quote(seq)}")
            if mode == ZONE and v < 0x80 and seq != "%25" and _should_escape(chr(v), HOST):
                raise URLError(f"invalid URL escape {quote(seq)}")
            out.append(v)
            i += 3
            continue
        if mode in (HOST, ZONE) and c < 0x80 and _should_escape(chr(c), mode):
            raise URLError(f"invalid character {quote(chr(c))} in host name")
        out.append(0x20 if c == 0x2B and mode == QUERY_COMPONENT else c)
        i += 1
    return out.decode("utf-8", "surrogateescape")


def _should_escape(c: str, mode: str) -> bool:
    if c.isascii() and c.isalnum():
        return False
    if mode in (HOST, ZONE) and c in "!$&'()*+,;=:[]<>\"":
        return False
    if c in "-_.~":
        return False
    if c in "$&+,/:;=?@":
        if mode == PATH:
            return c == "?"
        if mode == USER:
            return c in "@/?:"
        if mode == QUERY_COMPONENT:
            return True
        if mode == FRAGMENT:
            return False
    return not (mode == FRAGMENT and c in "!()*")


def escape(s: str, mode: str) -> str:
    out = []
    for b in s.encode("utf-8", "surrogateescape"):
        c = chr(b)
        if b < 0x80 and not _should_escape(c, mode):
            out.append(c)
        elif c == " " and mode == QUERY_COMPONENT:
            out.append("+")
        else:
            out.append("%" + _UPPERHEX[b >> 4] + _UPPERHEX[b & 15])
    return "".join(out)


def _valid_encoded(s: str, mode: str) -> bool:
    for c in s:
        if c in "!$&'()*+,;=:@[]":
            continue
        if c == "%":
            continue
        if not c.isascii() or _should_escape(c, mode):
            return False
    return True
