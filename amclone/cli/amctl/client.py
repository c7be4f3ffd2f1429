"""The Alertmanager API v2 client amtool is built on (go-swagger generated), as seen from outside.

What users see of that client is its error texts, so those are reproduced exactly:
``[POST /silences][400] postSilencesBadRequest  <message>`` for documented statuses,
the swagger "does not match any response statuses" text for the rest, and Go's
``Get "<url>": dial tcp <addr>: connect: connection refused`` for transport failures.
"""

from __future__ import annotations

import base64
import json
import posixpath
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from amclone.cli.amctl.cmdvalues import ParseError

# Operation, then for each documented status: (response name, whether it carries a payload).
_SPEC: dict[tuple[str, str], dict[int, tuple[str, bool]]] = {
    ("GET", "/status"): {200: ("getStatusOK", True)},
    ("GET", "/receivers"): {200: ("getReceiversOK", True)},
    ("GET", "/alerts"): {200: ("getAlertsOK", True), 400: ("getAlertsBadRequest", True),
                         500: ("getAlertsInternalServerError", True)},
    ("POST", "/alerts"): {200: ("postAlertsOK", False), 400: ("postAlertsBadRequest", True),
                          500: ("postAlertsInternalServerError", True)},
    ("GET", "/silences"): {200: ("getSilencesOK", True), 500: ("getSilencesInternalServerError", True)},
    ("POST", "/silences"): {200: ("postSilencesOK", True), 400: ("postSilencesBadRequest", True),
                            404: ("postSilencesNotFound", True)},
    ("GET", "/silence/{silenceID}"): {200: ("getSilenceOK", True), 404: ("getSilenceNotFound", False),
                                      500: ("getSilenceInternalServerError", True)},
    ("DELETE", "/silence/{silenceID}"): {200: ("deleteSilenceOK", False),
                                         500: ("deleteSilenceInternalServerError", True)},
}


class APIError(Exception):
    """An error amtool prints as is after ``amtool: error:``."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class URL:
    scheme: str
    user: str | None
    password: str | None
    host: str  # host[:port]
    path: str


def parse_url(raw: str) -> URL:
    """--alertmanager.url through Go's url.Parse (the config package's copy of it)."""
    from amclone.config import gourl

    try:
        u = gourl.parse(raw)
    except gourl.URLError as e:
        raise ParseError(f"invalid URL: {e}") from None
    user, password = u.user if u.user is not None else (None, None)
    return URL(u.scheme, user, password, u.host, u.path)


@dataclass
class HTTPOptions:
    """The parts of a Prometheus http_config file (--http.config.file) amctl honours."""

    headers: dict[str, str]
    context: ssl.SSLContext | None = None


def load_http_config(path: str) -> HTTPOptions:
    import yaml

    def secret(cfg: dict[str, Any], key: str) -> str:
        if cfg.get(key + "_file"):
            with open(cfg[key + "_file"], encoding="utf-8") as fh:
                return fh.read().strip()
        return str(cfg.get(key) or "")

    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    headers: dict[str, str] = {}
    if data.get("basic_auth"):
        ba = data["basic_auth"]
        token = f"{ba.get('username', '')}:{secret(ba, 'password')}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(token).decode()
    if data.get("authorization"):
        au = data["authorization"]
        headers["Authorization"] = f"{au.get('type') or 'Bearer'} {secret(au, 'credentials')}"
    if data.get("bearer_token") or data.get("bearer_token_file"):
        headers["Authorization"] = "Bearer " + secret(data, "bearer_token")
    context = None
    tls = data.get("tls_config") or {}
    if tls:
        context = ssl.create_default_context(cafile=tls.get("ca_file") or None)
        if tls.get("cert_file"):
            context.load_cert_chain(tls["cert_file"], tls.get("key_file"))
        if tls.get("insecure_skip_verify"):
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
    return HTTPOptions(headers, context)


class Client:
    def __init__(self, url: URL, timeout: float, http: HTTPOptions | None = None) -> None:
        self.scheme = url.scheme or "http"
        self.host = url.host or "localhost:9093"
        self.base = posixpath.join(url.path or "/", "api/v2") if url.path else "/api/v2"
        self.base = posixpath.normpath(self.base)
        self.timeout = timeout
        self.headers = dict(http.headers) if http else {}
        self.context = http.context if http else None
        if url.user is not None:
            token = f"{url.user}:{url.password or ''}"
            self.headers["Authorization"] = "Basic " + base64.b64encode(token.encode()).decode()

    def _url(self, path: str, query: list[tuple[str, str]]) -> str:
        q = ("?" + urllib.parse.urlencode(query)) if query else ""
        return f"{self.scheme}://{self.host}{self.base}{path}{q}"

    def call(self, method: str, template: str, path: str, query: list[tuple[str, str]] | None = None,
             body: Any = None, timeout: float | None = None) -> Any:
        """Run one operation; the decoded payload, or APIError with go-swagger's text."""
        url = self._url(path, query or [])
        if self.scheme not in ("http", "https"):
            raise APIError(f'{method.capitalize()} "{url}": unsupported protocol scheme "{self.scheme}"')
        data = None
        headers = {"Accept": "application/json", **self.headers}
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout, context=self.context) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        except (urllib.error.URLError, OSError) as e:
            raise APIError(f'{method.capitalize()} "{url}": {self._transport_error(e)}') from None
        spec = _SPEC[(method, template)]
        if status not in spec:
            raise APIError("response status code does not match any response statuses defined for "
                           f"this endpoint in the swagger spec (status {status}): {{}}", status)
        name, has_payload = spec[status]
        payload: Any = None
        if has_payload and raw.strip():
            try:
                payload = json.loads(raw)
            except ValueError as e:
                raise APIError(f"invalid character in response: {e}", status) from None
        if status // 100 == 2:
            return payload
        if not has_payload:
            raise APIError(f"[{method} {template}][{status}] {name} ", status)
        text = payload if isinstance(payload, str) else _go_value(payload)
        raise APIError(f"[{method} {template}][{status}] {name}  {text}", status)

    def _transport_error(self, e: Exception) -> str:
        reason = getattr(e, "reason", e)
        if isinstance(reason, socket.timeout) or "timed out" in str(reason):
            return "context deadline exceeded"
        host, _, port = self.host.rpartition(":") if ":" in self.host else (self.host, "", "")
        port = port or ("443" if self.scheme == "https" else "80")
        host = host.strip("[]")
        if isinstance(reason, ConnectionRefusedError):
            try:
                addr = socket.getaddrinfo(host, int(port), socket.AF_INET)[0][4][0]
            except (OSError, ValueError):
                addr = host
            return f"dial tcp {addr}:{port}: connect: connection refused"
        if isinstance(reason, ssl.SSLError):
            if "WRONG_VERSION_NUMBER" in str(reason):
                return "http: server gave HTTP response to HTTPS client"
            if "CERTIFICATE_VERIFY_FAILED" in str(reason):
                return "x509: certificate signed by unknown authority"
        if isinstance(reason, socket.gaierror):
            return f"dial tcp: lookup {host} on {_nameserver()}: no such host"
        return str(reason)


def _nameserver() -> str:
    """The resolver Go's pure-Go DNS client names in lookup errors: resolv.conf's first."""
    try:
        with open("/etc/resolv.conf", encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "nameserver":
                    return f"[{parts[1]}]:53" if ":" in parts[1] else f"{parts[1]}:53"
    except OSError:
        pass
    return "127.0.0.1:53"


def _go_value(v: Any) -> str:
    """``%+v`` of a decoded payload that is not a string (rare; only odd servers send one)."""
    return json.dumps(v)
