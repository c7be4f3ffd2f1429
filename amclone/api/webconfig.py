"""``--web.config.file``: the Prometheus exporter-toolkit web configuration (v0.8.2, the one
Alertmanager 0.25 links), so the same file secures amclone the same way.

* ``tls_server_config``: cert_file/key_file (relative to the file), client_auth_type,
  client_ca_file, min_version/max_version (TLS10..TLS13, default TLS12..TLS13), cipher_suites
  (Go names), curve_preferences; errors are exporter-toolkit's (``missing cert_file``,
  ``Invalid ClientAuth: x``, ``unknown TLS version: x``...). Python's ssl cannot ask for a client
  certificate without verifying it, so RequestClientCert and RequireAnyClientCert verify against
  client_ca_file when one is given.
* ``basic_auth_users``: bcrypt hashes; every request must authenticate (401 with
  ``WWW-Authenticate: Basic`` otherwise); results are cached per (user, hash, password).
* ``http_server_config.headers``: only the five headers exporter-toolkit allows.

As in exporter-toolkit, the file is read again while serving (here: whenever it changes), and a
file that became unreadable makes requests fail with 500 rather than silently dropping auth.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bcrypt
import yaml

_TLS_VERSIONS = {"TLS10": ssl.TLSVersion.TLSv1, "TLS11": ssl.TLSVersion.TLSv1_1,
                 "TLS12": ssl.TLSVersion.TLSv1_2, "TLS13": ssl.TLSVersion.TLSv1_3}
_CIPHERS = {
    "TLS_RSA_WITH_AES_128_CBC_SHA": "AES128-SHA",
    "TLS_RSA_WITH_AES_256_CBC_SHA": "AES256-SHA",
    "TLS_RSA_WITH_AES_128_GCM_SHA256": "AES128-GCM-SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384": "AES256-GCM-SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA": "ECDHE-ECDSA-AES128-SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA": "ECDHE-ECDSA-AES256-SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA": "ECDHE-RSA-AES128-SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA": "ECDHE-RSA-AES256-SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256": "ECDHE-ECDSA-AES128-GCM-SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384": "ECDHE-ECDSA-AES256-GCM-SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": "ECDHE-RSA-AES128-GCM-SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384": "ECDHE-RSA-AES256-GCM-SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305": "ECDHE-RSA-CHACHA20-POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305": "ECDHE-ECDSA-CHACHA20-POLY1305",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256": "ECDHE-RSA-CHACHA20-POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256": "ECDHE-ECDSA-CHACHA20-POLY1305",
}
_CURVES = {"CurveP256": "prime256v1", "CurveP384": "secp384r1", "CurveP521": "secp521r1",
           "X25519": "X25519"}
_CLIENT_AUTH = ("", "NoClientCert", "RequestClientCert", "RequireAnyClientCert", "RequireClientCert",
                "VerifyClientCertIfGiven", "RequireAndVerifyClientCert")
_HEADERS: dict[str, tuple[str, ...]] = {
    "Strict-Transport-Security": (), "X-Content-Type-Options": ("nosniff",),
    "X-Frame-Options": ("deny", "sameorigin"), "X-XSS-Protection": (), "Content-Security-Policy": (),
}
_KEYS = {
    "web.Config": ("tls_server_config", "http_server_config", "basic_auth_users"),
    "web.TLSConfig": ("cert_file", "key_file", "client_auth_type", "client_ca_file", "cipher_suites",
                      "curve_preferences", "min_version", "max_version", "prefer_server_cipher_suites"),
    "web.HTTPConfig": ("http2", "headers"),
}


class WebConfigError(Exception):
    pass


@dataclass(frozen=True)
class WebConfig:
    cert_file: str = ""
    key_file: str = ""
    client_auth: str = ""
    client_ca_file: str = ""
    cipher_suites: tuple[str, ...] = ()
    curves: tuple[str, ...] = ()
    min_version: str = "TLS12"
    max_version: str = "TLS13"
    users: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def tls_enabled(self) -> bool:
        return bool(self.cert_file or self.key_file or self.client_auth or self.client_ca_file)


def _strict(node: Any, type_name: str, lines: dict[str, int]) -> None:
    if not isinstance(node, dict):
        return
    bad = [k for k in node if k not in _KEYS[type_name]]
    if bad:
        msgs = "\n".join(f"  line {lines.get(str(k), 0)}: field {k} not found in type {type_name}" for k in bad)
        raise WebConfigError("yaml: unmarshal errors:\n" + msgs)


def _key_lines(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        for tok in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(tok, yaml.ScalarToken) and tok.plain is not None:
                out.setdefault(tok.value, tok.start_mark.line + 1)
    except yaml.YAMLError:
        pass
    return out


def _join(d: Path, p: str) -> str:
    return p if p == "" or os.path.isabs(p) else str(d / p)


def load(path: str) -> WebConfig:
    """Read and check the file as exporter-toolkit's getConfig + ConfigToTLSConfig do."""
    try:
        text = Path(path).read_text()
    except OSError as e:
        raise WebConfigError(f"open {path}: {_reason(e)}") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise WebConfigError(f"yaml: {e}") from None
    lines = _key_lines(text)
    _strict(data, "web.Config", lines)
    tls = data.get("tls_server_config") or {}
    httpc = data.get("http_server_config") or {}
    _strict(tls, "web.TLSConfig", lines)
    _strict(httpc, "web.HTTPConfig", lines)
    headers = {str(k): str(v) for k, v in (httpc.get("headers") or {}).items()}
    for k, v in headers.items():
        if k not in _HEADERS:
            raise WebConfigError(f'HTTP header "{k}" can not be configured')
        if _HEADERS[k] and v not in _HEADERS[k]:
            allowed = "[" + " ".join(f'"{a}"' for a in _HEADERS[k]) + "]"
            raise WebConfigError(f'invalid value for {k}. Expected one of: {allowed}, but got: "{v}"')
    for key in ("min_version", "max_version"):
        if key in tls and str(tls[key]) not in _TLS_VERSIONS:
            raise WebConfigError(f"unknown TLS version: {tls[key]}")
    for c in tls.get("cipher_suites") or []:
        if c not in _CIPHERS:
            raise WebConfigError(f"unknown cipher: {c}")
    for c in tls.get("curve_preferences") or []:
        if c not in _CURVES:
            raise WebConfigError(f"unknown curve: {c}")
    d = Path(path).parent
    users = {str(k): str(v) for k, v in (data.get("basic_auth_users") or {}).items()}
    for h in users.values():
        if len(h) < 59:
            raise WebConfigError("crypto/bcrypt: hashedSecret too short to be a bcrypted password")
        if not h.startswith("$"):
            raise WebConfigError("crypto/bcrypt: bcrypt hashes must start with '$', but hashedSecret "
                                 f"started with '{h[0]}'")
    return WebConfig(
        cert_file=_join(d, str(tls.get("cert_file") or "")), key_file=_join(d, str(tls.get("key_file") or "")),
        client_auth=str(tls.get("client_auth_type") or ""),
        client_ca_file=_join(d, str(tls.get("client_ca_file") or "")),
        cipher_suites=tuple(tls.get("cipher_suites") or ()), curves=tuple(tls.get("curve_preferences") or ()),
        min_version=str(tls.get("min_version", "TLS12")), max_version=str(tls.get("max_version", "TLS13")),
        users=users, headers=headers)


def _reason(e: OSError) -> str:
    reasons = {2: "no such file or directory", 13: "permission denied", 21: "is a directory"}
    return reasons.get(e.errno or 0, (e.strerror or str(e)).lower())


def ssl_context(c: WebConfig) -> ssl.SSLContext | None:
    """ConfigToTLSConfig; None when the file configures no TLS."""
    if not c.tls_enabled:
        return None
    if not c.cert_file:
        raise WebConfigError("missing cert_file")
    if not c.key_file:
        raise WebConfigError("missing key_file")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    for f in (c.cert_file, c.key_file):
        try:
            with open(f, "rb"):
                pass
        except OSError as e:
            raise WebConfigError(f"failed to load X509KeyPair: open {f}: {_reason(e)}") from None
    try:
        ctx.load_cert_chain(c.cert_file, c.key_file)
    except (OSError, ssl.SSLError) as e:
        raise WebConfigError(f"failed to load X509KeyPair: tls: {e}") from None
    ctx.minimum_version = _TLS_VERSIONS[c.min_version]
    ctx.maximum_version = _TLS_VERSIONS[c.max_version]
    if c.cipher_suites:
        ctx.set_ciphers(":".join(_CIPHERS[s] for s in c.cipher_suites))
    if c.curves:
        ctx.set_ecdh_curve(_CURVES[c.curves[0]])
    if c.client_ca_file:
        try:
            ctx.load_verify_locations(c.client_ca_file)
        except (OSError, ssl.SSLError) as e:
            raise WebConfigError(f"open {c.client_ca_file}: {e}") from None
    if c.client_auth not in _CLIENT_AUTH:
        raise WebConfigError("Invalid ClientAuth: " + c.client_auth)
    if c.client_auth in ("RequireAndVerifyClientCert", "RequireAnyClientCert", "RequireClientCert"):
        ctx.verify_mode = ssl.CERT_REQUIRED
    elif c.client_auth in ("VerifyClientCertIfGiven", "RequestClientCert"):
        ctx.verify_mode = ssl.CERT_OPTIONAL
    if c.client_ca_file and c.client_auth in ("", "NoClientCert"):
        raise WebConfigError("Client CA's have been configured without a Client Auth Policy")
    return ctx


class Authenticator:
    """basic_auth_users checks with exporter-toolkit's cache and constant-time fake hash."""

    _FAKE = b"$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi"

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, str], bool] = {}

    def check(self, users: dict[str, str], user: str, password: str) -> bool:
        hashed = users.get(user)
        key = (user, hashed or "", password)
        got = self._cache.get(key)
        if got is None:
            h = hashed.encode() if hashed else self._FAKE
            try:
                ok = bcrypt.checkpw(password.encode(), h.replace(b"$2y$", b"$2b$", 1))
            except ValueError:
                ok = False
            got = ok and hashed is not None
            if len(self._cache) > 100:
                self._cache.clear()
            self._cache[key] = got
        return got


class LiveWebConfig:
    """The file, re-read when it changes (exporter-toolkit reads it on every request)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._stamp: tuple[float, int] | None = None
        self._config: WebConfig | None = None
        self.auth = Authenticator()

    def get(self) -> WebConfig:
        st = os.stat(self.path)
        stamp = (st.st_mtime, st.st_size)
        if stamp != self._stamp or self._config is None:
            self._config = load(self.path)
            self._stamp = stamp
        return self._config
