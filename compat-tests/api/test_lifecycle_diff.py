"""Reload (POST /-/reload and SIGHUP), route prefixes and graceful shutdown, on Alertmanager 0.25
and amclone side by side."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from api_harness import Server, compare, explain

from amclone.testing.procs import start_alertmanager, start_amclone

GOOD = """\
route:
  receiver: a
receivers:
  - name: a
  - name: b
"""
BROKEN = GOOD.replace("receiver: a", "receiver: nope")
CHANGED = GOOD + "  - name: c\n"


def _same(am: Server, ours: Server, method: str, path: str, ignore: tuple[str, ...] = ()) -> None:
    theirs, mine = compare(am, ours, method, path, ignore=ignore)
    assert mine == theirs, f"{method} {path}\n" + explain(theirs, mine)


def _wait_for(server: Server, path: str, needle: bytes, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle in server.request("GET", path).body:
            return
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} never appeared at {server.url}{path}")


def test_reload_and_shutdown(tmp_path: Path) -> None:
    cfg_am, cfg_ours = tmp_path / "am.yml", tmp_path / "ours.yml"
    for c in (cfg_am, cfg_ours):
        c.write_text(GOOD)
    (tmp_path / "am").mkdir()
    (tmp_path / "ours").mkdir()
    am_proc, am_url = start_alertmanager(cfg_am, tmp_path / "am")
    try:
        our_proc, our_url = start_amclone(cfg_ours, tmp_path / "ours")
    except BaseException:
        am_proc.stop()
        raise
    am, ours = Server(am_url), Server(our_url)
    try:
        _same(am, ours, "POST", "/-/reload")
        for c in (cfg_am, cfg_ours):
            c.write_text(BROKEN)
        _same(am, ours, "POST", "/-/reload")  # 500 failed to reload config: undefined receiver ...
        _same(am, ours, "GET", "/api/v2/receivers")  # the old config is still in force
        _same(am, ours, "GET", "/api/v2/status", ignore=("uptime", "versionInfo"))
        for c in (cfg_am, cfg_ours):
            c.write_text(CHANGED)
        os.kill(am_proc.proc.pid, signal.SIGHUP)
        os.kill(our_proc.proc.pid, signal.SIGHUP)
        for s in (am, ours):
            _wait_for(s, "/api/v2/receivers", b'"c"')
        _same(am, ours, "GET", "/api/v2/receivers")
        metrics = ours.request("GET", "/metrics").body.decode()
        assert "alertmanager_receivers 1.0" in metrics and "alertmanager_cluster_enabled 0.0" in metrics
        # a silence, so that shutdown has a snapshot to write
        body = ('{"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"2020-01-01T00:00:00Z",'
                '"endsAt":"2099-01-01T00:00:00Z","createdBy":"t","comment":"c"}')
        for s in (am, ours):
            assert s.request("POST", "/api/v2/silences", body, {"Content-Type": "application/json"}).status == 200
    finally:
        rc_ours = our_proc.stop(signal.SIGTERM)
        rc_am = am_proc.stop(signal.SIGTERM)
    assert rc_ours == rc_am == 0, our_proc.output()[-2000:]
    assert "Received SIGTERM, exiting gracefully..." in our_proc.output()
    assert (tmp_path / "ours" / "amclone-data" / "silences").stat().st_size > 0


PREFIX_PATHS = [
    ("GET", "/"), ("GET", "/am"), ("GET", "/am/"), ("GET", "/am/-/healthy"), ("GET", "/-/healthy"),
    ("GET", "/api/v2/receivers"), ("GET", "/am/api/v2/receivers"), ("GET", "/am/api/v2"),
    ("GET", "/am/api/v2/nothing"), ("GET", "/am/api/v1/receivers"), ("GET", "/api/v1/receivers"),
    ("POST", "/am/-/reload"), ("GET", "/am/favicon.ico"), ("GET", "/am//api/v2/receivers"),
]


def test_route_prefix(tmp_path: Path) -> None:
    cfg = tmp_path / "am.yml"
    cfg.write_text(GOOD)
    servers = []
    procs = []
    try:
        for name, start, extra in (("am", start_alertmanager, ["--web.external-url=http://example.com/am/"]),
                                   ("ours", start_amclone, ["--web.external-url=http://example.com/am/"]),
                                   ("am2", start_alertmanager, ["--web.route-prefix=/am/"]),
                                   ("ours2", start_amclone, ["--web.route-prefix=am"])):
            (tmp_path / name).mkdir()
            proc, url = start(cfg, tmp_path / name, extra=extra)
            procs.append(proc)
            servers.append(Server(url))
        for pair in ((servers[0], servers[1]), (servers[2], servers[3])):
            for method, path in PREFIX_PATHS:
                _same(*pair, method, path)
    finally:
        for p in procs:
            p.stop()


def test_reload_with_broken_template(tmp_path: Path) -> None:
    """A config whose templates do not parse is refused as a whole (0.25 parses them first)."""
    (tmp_path / "bad.tmpl").write_text('{{ define "x" }}{{ .Foo \n')
    cfg = tmp_path / "am.yml"
    cfg.write_text(GOOD)
    procs, servers = [], []
    try:
        for name, start in (("am", start_alertmanager), ("ours", start_amclone)):
            (tmp_path / name).mkdir()
            proc, url = start(cfg, tmp_path / name)
            procs.append(proc)
            servers.append(Server(url))
        cfg.write_text("templates: [bad.tmpl]\n" + CHANGED)
        _same(servers[0], servers[1], "POST", "/-/reload")
        _same(servers[0], servers[1], "GET", "/api/v2/receivers")
    finally:
        for p in procs:
            p.stop()
