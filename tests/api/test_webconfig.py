"""exporter-toolkit web config files: parsing errors, TLS contexts, basic auth over real TLS."""

from __future__ import annotations

import base64
import ssl
import subprocess
from pathlib import Path

import aiohttp
import bcrypt
import pytest

from amclone.api.webconfig import Authenticator, WebConfigError, load, ssl_context

from .conftest import AppFactory


def _cert(d: Path) -> tuple[Path, Path]:
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


@pytest.mark.parametrize("text,err", [
    ("foo: 1\n", "yaml: unmarshal errors:\n  line 1: field foo not found in type web.Config"),
    ("tls_server_config:\n  cert: x\n", "yaml: unmarshal errors:\n  line 2: field cert not found in type web.TLSConfig"),
    ("http_server_config:\n  headers:\n    Server: x\n", 'HTTP header "Server" can not be configured'),
    ("http_server_config:\n  headers:\n    X-Content-Type-Options: x\n",
     'invalid value for X-Content-Type-Options. Expected one of: ["nosniff"], but got: "x"'),
    ("tls_server_config:\n  min_version: SSL3\n", "unknown TLS version: SSL3"),
    ("basic_auth_users:\n  u: short\n", "crypto/bcrypt: hashedSecret too short to be a bcrypted password"),
])
def test_load_errors(tmp_path: Path, text: str, err: str) -> None:
    f = tmp_path / "web.yml"
    f.write_text(text)
    with pytest.raises(WebConfigError) as e:
        load(str(f))
    assert str(e.value) == err


def test_tls_context_rules(tmp_path: Path) -> None:
    cert, _ = _cert(tmp_path)
    f = tmp_path / "web.yml"
    f.write_text("tls_server_config:\n  cert_file: cert.pem\n")
    with pytest.raises(WebConfigError, match="missing key_file"):
        ssl_context(load(str(f)))
    f.write_text(f"tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_ca_file: {cert}\n")
    with pytest.raises(WebConfigError, match="Client CA's have been configured without a Client Auth Policy"):
        ssl_context(load(str(f)))
    f.write_text("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                 "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: cert.pem\n  min_version: TLS13\n")
    ctx = ssl_context(load(str(f)))
    assert ctx is not None and ctx.verify_mode == ssl.CERT_REQUIRED
    assert ctx.minimum_version == ssl.TLSVersion.TLSv1_3
    f.write_text("basic_auth_users: {}\n")
    assert ssl_context(load(str(f))) is None


def test_authenticator_caches_and_rejects_unknown_users() -> None:
    h = bcrypt.hashpw(b"pw", bcrypt.gensalt(rounds=4)).decode().replace("$2b$", "$2y$")
    a = Authenticator()
    users = {"u": h}
    assert a.check(users, "u", "pw") and a.check(users, "u", "pw")
    assert not a.check(users, "u", "nope")
    assert not a.check(users, "x", "pw")


async def test_https_with_basic_auth(app_factory: AppFactory, tmp_path: Path) -> None:
    cert, _ = _cert(tmp_path)
    h = bcrypt.hashpw(b"pw", bcrypt.gensalt(rounds=4)).decode()
    web = tmp_path / "web.yml"
    web.write_text(f"tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  u: {h}\n"
                   "http_server_config:\n  headers:\n    X-Frame-Options: deny\n")
    _, url = await app_factory(web_config_file=str(web))
    url = url.replace("http://", "https://")
    ctx = ssl.create_default_context(cafile=str(cert))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ctx)) as s:
        async with s.get(url + "/prometheus/api/v1/query?query=up") as r:
            assert r.status == 401  # the mounted extras are behind the same auth
        async with s.get(url + "/-/healthy") as r:
            assert r.status == 401 and r.headers["WWW-Authenticate"] == "Basic"
            assert await r.text() == "Unauthorized\n" and r.headers["X-Frame-Options"] == "deny"
        token = base64.b64encode(b"u:pw").decode()
        async with s.get(url + "/-/healthy", headers={"Authorization": "Basic " + token}) as r:
            assert r.status == 200 and r.headers["X-Frame-Options"] == "deny"
    # the file is read again when it changes: removing the users lifts the requirement
    web.write_text("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n")
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ctx)) as s, \
            s.get(url + "/-/healthy") as r:
        assert r.status == 200
