"""The API client's error texts and auth, against a real loopback HTTP server."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from amclone.cli.amctl.client import APIError, Client, load_http_config, parse_url
from amclone.cli.amctl.cmdvalues import ParseError
from amclone.testing.procs import free_port

SEEN: list[dict[str, str]] = []


class Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        SEEN.append({"path": self.path, "auth": self.headers.get("Authorization", "")})
        status, body = {
            "/api/v2/silences": (400, json.dumps("Failed to create silence: bad")),
            "/api/v2/silence/x": (404, ""),
            "/api/v2/alerts": (422, json.dumps({"code": 601, "message": "nope"})),
            "/api/v2/status": (200, json.dumps({"versionInfo": {"version": "0.25.0"}})),
        }.get(self.path.split("?")[0], (500, json.dumps("boom")))
        raw = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    SEEN.clear()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


def _error(client: Client, *call: str) -> str:
    with pytest.raises(APIError) as e:
        client.call(*call)
    return str(e.value)


def test_documented_statuses(server: str) -> None:
    c = Client(parse_url(server), 5)
    assert _error(c, "POST", "/silences", "/silences") == \
        "[POST /silences][400] postSilencesBadRequest  Failed to create silence: bad"
    assert _error(c, "GET", "/silence/{silenceID}", "/silence/x") == \
        "[GET /silence/{silenceID}][404] getSilenceNotFound "
    assert _error(c, "DELETE", "/silence/{silenceID}", "/silence/y") == \
        "[DELETE /silence/{silenceID}][500] deleteSilenceInternalServerError  boom"
    assert _error(c, "GET", "/silences", "/silences").endswith("(status 400): {}")  # 400 undocumented


def test_undocumented_status(server: str) -> None:
    c = Client(parse_url(server), 5)
    assert _error(c, "POST", "/alerts", "/alerts") == (
        "response status code does not match any response statuses defined for this endpoint "
        "in the swagger spec (status 422): {}")


def test_transport_errors() -> None:
    port = free_port()
    c = Client(parse_url(f"http://127.0.0.1:{port}/"), 5)
    assert _error(c, "GET", "/status", "/status") == (
        f'Get "http://127.0.0.1:{port}/api/v2/status": dial tcp 127.0.0.1:{port}: connect: connection refused')
    c = Client(parse_url("ftp://x/"), 5)
    assert _error(c, "GET", "/status", "/status") == 'Get "ftp://x/api/v2/status": unsupported protocol scheme "ftp"'


def test_path_prefix_and_auth(server: str, tmp_path: Path) -> None:
    url = server.replace("http://", "http://us%3Aer:p%40ss@") + "/prefix/"
    c = Client(parse_url(url), 5)
    with pytest.raises(APIError):
        c.call("GET", "/status", "/status")
    assert SEEN[-1]["path"] == "/prefix/api/v2/status"
    assert SEEN[-1]["auth"] == "Basic dXM6ZXI6cEBzcw=="  # "us:er:p@ss"
    cfg = tmp_path / "http.yml"
    cfg.write_text("authorization:\n  credentials: tok\n")
    Client(parse_url(server), 5, load_http_config(str(cfg))).call("GET", "/status", "/status")
    assert SEEN[-1]["auth"] == "Bearer tok"


def test_bad_url() -> None:
    with pytest.raises(ParseError) as e:
        parse_url("::")
    assert str(e.value) == 'invalid URL: parse "::": missing protocol scheme'
