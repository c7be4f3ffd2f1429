"""--web.config.file (exporter-toolkit): TLS with a certificate made here, basic auth with bcrypt
hashes, response headers, and the start-up errors of bad files, on Alertmanager 0.25 and amclone."""

from __future__ import annotations

import re
import ssl
import subprocess
import sys
import time
from pathlib import Path

import bcrypt
from api_harness import Server, compare, explain

from amclone.testing.procs import Managed, free_port, reference_binary

CONFIG = "route:\n  receiver: a\nreceivers:\n  - name: a\n"


def make_cert(d: Path) -> tuple[Path, Path]:
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def start(kind: str, workdir: Path, cfg: Path, web_config: Path, ctx: ssl.SSLContext | None) -> tuple[Managed, str]:
    port = free_port()
    prog = [reference_binary("prometheus-alertmanager")] if kind == "am" else [sys.executable, "-m", "amclone"]
    workdir.mkdir(exist_ok=True)
    m = Managed([*prog, f"--config.file={cfg}", f"--storage.path={workdir}/data",
                 f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=",
                 f"--web.config.file={web_config}"], cwd=workdir, log=workdir / "log.txt")
    scheme = "https" if ctx else "http"
    url = f"{scheme}://127.0.0.1:{port}"
    probe = Server(url, ssl_context=ctx)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if m.proc.poll() is not None:
            break
        if probe.request("GET", "/-/ready").status > 0:
            return m, url
        time.sleep(0.1)
    m.stop()
    raise RuntimeError(f"{kind} did not start:\n{m.output()}")


def _same(am: Server, ours: Server, method: str, path: str, headers: dict[str, str] | None = None) -> None:
    theirs, mine = compare(am, ours, method, path, headers=headers)
    assert mine == theirs, f"{method} {path} {headers}\n" + explain(theirs, mine)


def test_tls_and_basic_auth(tmp_path: Path) -> None:
    cert, key = make_cert(tmp_path)
    hashed = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode()
    web = tmp_path / "web.yml"
    web.write_text(f"tls_server_config:\n  cert_file: cert.pem\n  key_file: {key}\n  min_version: TLS12\n"
                   f"basic_auth_users:\n  alice: {hashed}\n"
                   "http_server_config:\n  headers:\n    X-Frame-Options: deny\n")
    cfg = tmp_path / "am.yml"
    cfg.write_text(CONFIG)
    ctx = ssl.create_default_context(cafile=str(cert))
    am_proc, am_url = start("am", tmp_path / "am", cfg, web, ctx)
    try:
        our_proc, our_url = start("ours", tmp_path / "ours", cfg, web, ctx)
    except BaseException:
        am_proc.stop()
        raise
    try:
        for auth in (None, ("alice", "wrong"), ("bob", "s3cret"), ("alice", "s3cret")):
            am, ours = Server(am_url, ssl_context=ctx, auth=auth), Server(our_url, ssl_context=ctx, auth=auth)
            for path in ("/-/healthy", "/api/v2/receivers", "/api/v1/receivers", "/nope", "/api/v2/nope"):
                _same(am, ours, "GET", path)
        anon = Server(am_url, ssl_context=ctx), Server(our_url, ssl_context=ctx)
        _same(*anon, "GET", "/-/healthy", {"Authorization": "Basic !!!"})
        _same(*anon, "GET", "/-/healthy", {"Authorization": "Bearer x"})
        # An untrusting client fails the handshake on both.
        for url in (am_url, our_url):
            assert Server(url, ssl_context=ssl.create_default_context()).request("GET", "/-/healthy").status == -1
    finally:
        our_proc.stop()
        am_proc.stop()


BAD_FILES = [
    "tls_server_config:\n  cert_file: cert.pem\n",
    "tls_server_config:\n  key_file: key.pem\n",
    "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: Bogus\n",
    "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  min_version: TLS99\n",
    "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  cipher_suites: [NOPE]\n",
    "tls_server_config:\n  cert_file: missing.pem\n  key_file: key.pem\n",
    "http_server_config:\n  headers:\n    X-Custom: x\n",
    "http_server_config:\n  headers:\n    X-Frame-Options: allow\n",
    "basic_auth_users:\n  bob: notahash\n",
    "nonsense: 1\n",
]


def _listen_error(log: str) -> str:
    for line in log.splitlines():
        if "Listen error" in line:
            m = re.search(r' err=("(?:[^"\\]|\\.)*"|\S+)', line)
            return m.group(1) if m else ""
    raise AssertionError(f"no Listen error in:\n{log}")


def test_bad_web_config_files(tmp_path: Path) -> None:
    make_cert(tmp_path)
    cfg = tmp_path / "am.yml"
    cfg.write_text(CONFIG)
    for i, text in enumerate(BAD_FILES):
        web = tmp_path / f"web{i}.yml"
        web.write_text(text)
        results = []
        for prog in ([reference_binary("prometheus-alertmanager")], [sys.executable, "-m", "amclone"]):
            p = subprocess.run([*prog, f"--config.file={cfg}", f"--storage.path={tmp_path}/d{i}",
                                f"--web.listen-address=127.0.0.1:{free_port()}", "--cluster.listen-address=",
                                f"--web.config.file={web}"], capture_output=True, text=True, timeout=20, check=False)
            results.append((p.returncode, _listen_error(p.stderr).replace(str(tmp_path), "<dir>")))
        assert results[1] == results[0], text
