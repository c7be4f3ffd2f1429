"""HTTP for integrations: a client built from an ``http_config`` block (prometheus/common's
``NewClientFromConfig``) and 0.25's request and status rules (``notify.PostJSON``, ``Retrier``).

What is honoured: basic_auth (password or password_file), authorization (type + credentials or
credentials_file), bearer_token(_file) (the config layer already turned it into authorization),
oauth2 client credentials (token fetched and cached until it expires, sent as Bearer), tls_config
(ca_file, cert_file/key_file, server_name, insecure_skip_verify, min/max_version), proxy_url and
proxy_connect_header, follow_redirects. Secret files are read on every request, as common does,
so rotating a file needs no reload. HTTP/2 (enable_http2) is not offered: aiohttp speaks HTTP/1.1.
"""

from __future__ import annotations

import base64
import functools
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode, urljoin, urlsplit

import aiohttp
import yarl

from amclone._version import COMPAT_VERSION
from amclone.notify import wire
from amclone.notify.reason import StatusError

__all__ = ["USER_AGENT", "HttpClient", "HttpResult", "check_status"]

USER_AGENT = f"Alertmanager/{COMPAT_VERSION}"

# Concurrent connections per receiver host. Go opens one per in-flight request (no limit); a
# burst of thousands of groups then hits the receiver with thousands of connects at once, which
# costs an event loop far more than reusing a pool of kept-alive connections.
MAX_CONNS_PER_HOST = 64
MAX_REDIRECTS = 10  # Go's client gives up after 10
_REDIRECTS = frozenset((301, 302, 303, 307, 308))

_TLS_VERSIONS = {0x0301: ssl.TLSVersion.TLSv1, 0x0302: ssl.TLSVersion.TLSv1_1, 0x0303: ssl.TLSVersion.TLSv1_2,
                 0x0304: ssl.TLSVersion.TLSv1_3}


def _secret(v: Any) -> str:
    if v is None:
        return ""
    reveal = getattr(v, "reveal", None)
    return str(reveal()) if reveal is not None else str(v)


def _read_file(path: str) -> str:
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()


def ssl_context(tls: Any) -> ssl.SSLContext | bool:
    """An SSLContext for a ``tls_config`` (True: the system defaults)."""
    if tls is None:
        return True
    ca, cert, key = getattr(tls, "ca_file", ""), getattr(tls, "cert_file", ""), getattr(tls, "key_file", "")
    skip = bool(getattr(tls, "insecure_skip_verify", False))
    lo, hi = getattr(tls, "min_version", 0), getattr(tls, "max_version", 0)
    if not (ca or cert or skip or lo or hi):
        return True
    ctx = ssl.create_default_context(cafile=ca or None)
    if cert:
        ctx.load_cert_chain(cert, key or None)
    if skip:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = _TLS_VERSIONS.get(lo, ssl.TLSVersion.TLSv1_2)  # common's default MinVersion
    if hi in _TLS_VERSIONS:
        ctx.maximum_version = _TLS_VERSIONS[hi]
    return ctx


@dataclass(frozen=True)
class HttpResult:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-cased names


class HttpClient:
    """One integration's client: a pooled aiohttp session made on first use (it needs the loop)."""

    def __init__(self, http_config: Any) -> None:
        self.cfg = http_config
        self._session: aiohttp.ClientSession | None = None
        self._ssl = ssl_context(getattr(http_config, "tls_config", None))
        tls = getattr(http_config, "tls_config", None)
        self._server_name = getattr(tls, "server_name", "") or None
        proxy = getattr(http_config, "proxy_url", None)
        url = getattr(proxy, "url", None)
        self._proxy = url.string() if url is not None else None
        headers = getattr(http_config, "proxy_connect_header", None) or {}
        self._proxy_headers = {k: ", ".join(_secret(s) for s in v) for k, v in headers.items()} or None
        self._follow = bool(getattr(http_config, "follow_redirects", True)) if http_config is not None else True
        self._token: tuple[str, float] | None = None
        self._pool: wire.Pool | None = None
        self._oauth_style = ""

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            conn = aiohttp.TCPConnector(ssl=self._ssl, limit=0, limit_per_host=MAX_CONNS_PER_HOST)
            # No total timeout: as in Go, the flush's deadline bounds every request.
            self._session = aiohttp.ClientSession(connector=conn, timeout=aiohttp.ClientTimeout(total=None),
                                                  auto_decompress=False)
        return self._session

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _auth_header(self) -> str | None:
        c = self.cfg
        if c is None:
            return None
        ba = getattr(c, "basic_auth", None)
        if ba is not None:
            password = _read_file(ba.password_file).strip() if ba.password_file else _secret(ba.password)
            raw = f"{ba.username}:{password}".encode()
            return "Basic " + base64.b64encode(raw).decode()
        au = getattr(c, "authorization", None)
        if au is not None:
            cred = _read_file(au.credentials_file).strip() if au.credentials_file else _secret(au.credentials)
            return f"{au.type or 'Bearer'} {cred}"
        oa = getattr(c, "oauth2", None)
        if oa is not None:
            return "Bearer " + await self._oauth2_token(oa)
        return None

    async def _oauth2_token(self, oa: Any) -> str:
        """Client-credentials grant (golang.org/x/oauth2/clientcredentials), cached until expiry.
        As x/oauth2's auto-detection, the credentials go in a basic-auth header first and, if
        the server refuses that, in the form; the style that worked is kept."""
        if self._token is not None and self._token[1] > time.monotonic():
            return self._token[0]
        secret = _read_file(oa.client_secret_file).strip() if oa.client_secret_file else _secret(oa.client_secret)
        form: dict[str, str] = {"grant_type": "client_credentials"}
        if oa.scopes:
            form["scope"] = " ".join(oa.scopes)
        form.update(dict(oa.endpoint_params or {}))
        styles = [self._oauth_style] if self._oauth_style else ["header", "params"]
        err: Exception | None = None
        for style in styles:
            try:
                data = await self._token_request(oa, form, secret, style)
            except aiohttp.ClientResponseError as e:
                err = e
                continue
            self._oauth_style = style
            break
        else:
            raise aiohttp.ClientError(str(err))
        token = str(data.get("access_token", ""))
        expires = float(data.get("expires_in") or 0)
        # x/oauth2 treats a token as expired 10 s early; no expires_in means it never expires.
        until = time.monotonic() + (expires - 10 if expires else 365 * 86400)
        self._token = (token, until)
        return token

    async def _token_request(self, oa: Any, form: dict[str, str], secret: str, style: str) -> Any:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if style == "header":
            basic = base64.b64encode(f"{_q(oa.client_id)}:{_q(secret)}".encode()).decode()
            headers["Authorization"] = "Basic " + basic
        else:
            form = {**form, "client_id": oa.client_id, "client_secret": secret}
        proxy_url = getattr(getattr(oa, "proxy_url", None), "url", None)
        async with self._get_session().post(oa.token_url, data=urlencode(form), headers=headers,
                                            proxy=proxy_url.string() if proxy_url is not None else self._proxy,
                                            ssl=ssl_context(getattr(oa, "tls_config", None))) as resp:
            body = await resp.read()
            if resp.status // 100 != 2:
                raise aiohttp.ClientResponseError(
                    resp.request_info, (), status=resp.status,
                    message=f"oauth2: cannot fetch token: {resp.status}\nResponse: {body.decode(errors='replace')}")
            return await resp.json(content_type=None)

    async def post(self, url: str, body: bytes, content_type: str = "application/json",
                   headers: Mapping[str, str] | None = None) -> HttpResult:
        """POST with 0.25's User-Agent, following redirects as Go's client does when asked;
        transport errors raise (``aiohttp.ClientError``, OSError)."""
        return await self.request("POST", url, body, content_type, headers)

    async def request(self, method: str, url: str, body: bytes, content_type: str | None = "application/json",
                      headers: Mapping[str, str] | None = None) -> HttpResult:
        """Any method (opsgenie PUTs, wechat GETs its token); no Content-Type when None."""
        h = {"User-Agent": USER_AGENT}
        if content_type is not None:
            h["Content-Type"] = content_type
        if self.cfg is not None:
            auth = await self._auth_header()
            if auth is not None:
                h["Authorization"] = auth
        if headers:
            h.update(headers)
        if "Authorization" not in h:
            userinfo = _url_basic_auth(url)
            if userinfo is not None:
                h["Authorization"] = userinfo
        if self._proxy is not None:
            return await self._post_aiohttp(method, url, body, h)
        if self._pool is None:
            self._pool = wire.Pool(self._ssl, self._server_name, MAX_CONNS_PER_HOST)
        host = _hostname(url)
        for _ in range(MAX_REDIRECTS + 1):
            resp = await self._pool.request(method, url, h, body)
            location = resp.headers.get("location")
            if not self._follow or resp.status not in _REDIRECTS or not location:
                return HttpResult(resp.status, resp.body, resp.headers)
            url = urljoin(url, location)
            if resp.status in (301, 302, 303):
                method, body = "GET", b""
                h.pop("Content-Type", None)
            if _hostname(url) != host:
                h.pop("Authorization", None)  # Go drops credentials for another host
        raise OSError(f"stopped after {MAX_REDIRECTS} redirects")

    async def _post_aiohttp(self, method: str, url: str, body: bytes, h: dict[str, str]) -> HttpResult:
        sess = self._get_session()
        kwargs: dict[str, Any] = {}
        if self._server_name:
            kwargs["server_hostname"] = self._server_name
        # encoded=True: send the URL as built (yarl would re-quote the query, e.g. %3A -> ':')
        async with sess.request(method, yarl.URL(url, encoded=True), data=body, headers=h, allow_redirects=self._follow,
                                proxy=self._proxy, proxy_headers=self._proxy_headers, **kwargs) as resp:
            return HttpResult(resp.status, await resp.read(), {k.lower(): v for k, v in resp.headers.items()})


@functools.lru_cache(maxsize=256)  # a notifier's URL is the same every time
def _hostname(url: str) -> str | None:
    return urlsplit(url).hostname


@functools.lru_cache(maxsize=256)
def _url_basic_auth(url: str) -> str | None:
    """Go's client turns credentials in the URL (``http://user:pass@host/``) into basic auth."""
    u = urlsplit(url)
    if u.username is None:
        return None
    raw = f"{unquote(u.username)}:{unquote(u.password or '')}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def _q(s: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(s)


def check_status(status: int, details: str) -> tuple[bool, Exception | None]:
    """0.25 ``Retrier.Check`` (no extra retry codes): 2xx ok, 5xx retried, the rest permanent."""
    if status // 100 == 2:
        return False, None
    s = f"unexpected status code {status}"
    if details:
        s = f"{s}: {details}"
    return status // 100 == 5, StatusError(s, status)
