"""The `nflog` file crosses between Alertmanager 0.25 and amclone's codec: the real
Alertmanager's notification log decodes and re-encodes byte for byte, and an entry amclone
writes is honoured by the real Alertmanager (it does not notify a group the log says was
already notified)."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import xxhash

from amclone.nflog.codec import Entry, Receiver, decode_state, encode_entry, encode_state
from amclone.proto import wire
from amclone.testing.procs import free_port, start_alertmanager

H = 3600 * 10**9


def hash_alert(labels: dict[str, str]) -> int:
    """0.25 notify `hashAlert`: xxhash64 of sorted ``name 0xff value 0xff`` (not the fingerprint)."""
    return xxhash.xxh64_intdigest(
        b"".join(n.encode() + b"\xff" + v.encode() + b"\xff" for n, v in sorted(labels.items()))
    )


class Hook:
    """A webhook receiver on loopback that remembers the alertnames it was sent."""

    def __init__(self) -> None:
        self.names: list[str] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                hook.names.append(body["groupLabels"]["alertname"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, name: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while name not in self.names:
            assert time.monotonic() < deadline, f"no notification for {name}: {self.names}"
            time.sleep(0.05)


@pytest.fixture
def hook() -> Iterator[Hook]:
    h = Hook()
    yield h
    h.server.shutdown()
    h.server.server_close()


def config(tmp_path: Path, hook: Hook) -> Path:
    p = tmp_path / "alertmanager.yml"
    p.write_text(f"""\
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: {hook.url}
""")
    return p


def post_alerts(url: str, *names: str) -> None:
    body = json.dumps([{"labels": {"alertname": n}} for n in names]).encode()
    req = urllib.request.Request(
        url + "/api/v2/alerts", data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    urllib.request.urlopen(req, timeout=10).close()


def test_alertmanagers_nflog_decodes_and_reencodes_byte_for_byte(tmp_path: Path, hook: Hook) -> None:
    am, url = start_alertmanager(config(tmp_path, hook), tmp_path)
    try:
        post_alerts(url, "HostDown", "DiskFull")
        hook.wait_for("HostDown")
        hook.wait_for("DiskFull")
        time.sleep(0.5)  # the log entry is written right after the webhook answers
    finally:
        assert am.stop() == 0
    data = (tmp_path / "am-data" / "nflog").read_bytes()
    state = decode_state(data)
    assert sorted(state) == [
        '{}:{alertname="DiskFull"}:hook/webhook/0',
        '{}:{alertname="HostDown"}:hook/webhook/0',
    ]
    e = state['{}:{alertname="HostDown"}:hook/webhook/0']
    assert e.firing_alerts == (hash_alert({"alertname": "HostDown"}),) and e.resolved_alerts == ()
    assert e.expires_at - e.timestamp == 2 * H  # 2 x repeat_interval
    assert {encode_entry(x) for x in state.values()} == {
        wire.encode_delimited(_Body(b)) for b in wire.split_delimited(data)
    }


class _Body:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def SerializeToString(self, *, deterministic: bool = False) -> bytes:
        return self.body


def test_alertmanager_honours_an_entry_amclone_wrote(tmp_path: Path, hook: Hook) -> None:
    now = time.time_ns()
    notified = Entry(
        group_key='{}:{alertname="Known"}',
        receiver=Receiver("hook", "webhook", 0),
        timestamp=now,
        expires_at=now + 2 * H,
        firing_alerts=(hash_alert({"alertname": "Known"}),),
    )
    (tmp_path / "am-data").mkdir()
    (tmp_path / "am-data" / "nflog").write_bytes(encode_state([notified]))
    am, url = start_alertmanager(config(tmp_path, hook), tmp_path)
    try:
        post_alerts(url, "Known", "Fresh")
        hook.wait_for("Fresh")
        time.sleep(2.5)  # past group_wait and two group_intervals: "Known" would have gone out
        assert hook.names == ["Fresh"]
    finally:
        am.stop()
