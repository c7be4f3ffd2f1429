"""The `amclone` entry point: kingpin-style parsing, values and defaults, external URL and route
prefix derivation, feature flags, and a real process through SIGHUP and SIGTERM."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from amclone.cli import flags
from amclone.cli.kingpin import UsageError
from amclone.cli.server import build_options, external_url, route_prefix
from amclone.testing.procs import free_port, wait_http


def parse(*args: str) -> dict[str, object]:
    return flags.build("amclone").parse(list(args), out=io.StringIO()).values


def test_defaults_are_the_debian_builds() -> None:
    v = parse()
    assert v["config.file"] == "/etc/prometheus/alertmanager.yml"
    assert v["storage.path"] == "/var/lib/prometheus/alertmanager/"
    assert v["data.retention"] == 120 * 3600 * 10**9
    assert v["web.listen-address"] == [":9093"]
    assert v["cluster.listen-address"] == "0.0.0.0:9094"
    assert v["cluster.pushpull-interval"] == 60 * 10**9
    assert v["web.get-concurrency"] == 0 and v["web.systemd-socket"] is False


def test_repeatable_flags_replace_their_default() -> None:
    v = parse("--web.listen-address=:1", "--web.listen-address", ":2", "--cluster.peer=a:1")
    assert v["web.listen-address"] == [":1", ":2"] and v["cluster.peer"] == ["a:1"]


def test_bool_negation_and_values() -> None:
    assert parse("--web.systemd-socket")["web.systemd-socket"] is True
    assert parse("--no-web.systemd-socket")["web.systemd-socket"] is False
    assert parse("--web.get-concurrency=1.9")["web.get-concurrency"] == 1


@pytest.mark.parametrize("args,err", [
    (["--foo"], "unknown long flag '--foo'"), (["-x"], "unknown short flag '-x'"),
    (["--web.timeout=5"], 'time: missing unit in duration "5"'),
    (["--web.get-concurrency=x"], 'strconv.ParseFloat: parsing "x": invalid syntax'),
    (["--log.level=x"], 'unrecognized log level "x"'), (["a"], "unexpected a"),
    (["--config.file"], "expected argument for flag '--config.file'"),
    (["--config.file=a", "--config.file=b"], "flag 'config.file' cannot be repeated"),
])
def test_errors(args: list[str], err: str) -> None:
    with pytest.raises(UsageError) as e:
        parse(*args)
    assert str(e.value) == err


def test_version_and_help_exit_zero() -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as e:
        flags.build("amclone").parse(["--data.retention=bad", "--version"], out=out)
    assert e.value.code == 0 and out.getvalue().startswith("alertmanager, version 0.25.0 ")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        flags.build("amclone").parse(["--help"], out=out)
    assert out.getvalue().startswith("usage: amclone [<flags>]\n\nFlags:\n  -h, --help ")


def test_features() -> None:
    assert flags.parse_features("utf8-strict-mode") == {"utf8-strict-mode"}
    with pytest.raises(ValueError, match="unknown option 'x' for --enable-feature"):
        flags.parse_features("x")
    with pytest.raises(ValueError, match="cannot have both classic and UTF-8 modes enabled"):
        flags.parse_features("classic-mode,utf8-strict-mode")


def test_external_url_and_prefix() -> None:
    assert external_url("127.0.0.1:9093", "http://example.com/am/") == "http://example.com/am"
    assert external_url(":9093", "").endswith(":9093")
    with pytest.raises(ValueError, match="invalid \"ftp\" scheme"):
        external_url(":9093", "ftp://x")
    assert route_prefix("", "http://example.com/am") == "/am"
    assert route_prefix("x/y/", "http://example.com/am") == "/x/y"
    assert route_prefix("", "http://example.com") == "/"
    opts = build_options(parse("--web.route-prefix=/p", "--web.timeout=2s"))
    assert opts.route_prefix == "/p" and opts.timeout_ns == 2 * 10**9


def test_rule_flags() -> None:
    r = build_options(parse()).rules
    assert (r.config_file, r.datasource_url, r.evaluation) == ("", "", "interval")
    assert (r.on_write_min_interval_ns, r.resend_delay_ns, r.head_retention_ns) == (10**9, 60 * 10**9, 3 * 3600 * 10**9)
    assert (r.outage_tolerance_ns, r.grace_period_ns) == (3600 * 10**9, 600 * 10**9)
    r = build_options(parse("--rules.config=p.yml", "--rules.datasource.url=http://p:9090", "--rules.evaluation=on_write",
                            "--rules.on-write-min-interval=250ms", "--rules.alert.resend-delay=2m",
                            "--storage.tsdb.retention.time=1d")).rules
    assert (r.config_file, r.datasource_url, r.evaluation) == ("p.yml", "http://p:9090", "on_write")
    assert (r.on_write_min_interval_ns, r.resend_delay_ns, r.head_retention_ns) == (
        250 * 10**6, 120 * 10**9, 86400 * 10**9)


@pytest.mark.parametrize("args,err", [
    (["--rules.evaluation=grid"], "enum value must be one of interval,on_write, got 'grid'"),
    (["--rules.alert.resend-delay=1x"], 'not a valid duration string: "1x"'),
    (["--rules.on-write-min-interval=1d"], 'time: unknown unit "d" in duration "1d"'),
])
def test_rule_flag_errors(args: list[str], err: str) -> None:
    with pytest.raises(UsageError) as e:
        parse(*args)
    assert str(e.value) == err


def test_process_reloads_on_sighup_and_exits_zero_on_sigterm(tmp_path: Path) -> None:
    cfg = tmp_path / "am.yml"
    cfg.write_text("route:\n  receiver: a\nreceivers:\n  - name: a\n")
    port = free_port()
    p = subprocess.Popen([sys.executable, "-m", "amclone", f"--config.file={cfg}",
                          f"--storage.path={tmp_path}/data", f"--web.listen-address=127.0.0.1:{port}",
                          "--cluster.listen-address=", "--log.format=json"],
                         stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/-/ready", proc=p)  # type: ignore[arg-type]
        cfg.write_text("route:\n  receiver: a\nreceivers:\n  - name: a\n  - name: b\n")
        os.kill(p.pid, signal.SIGHUP)
        deadline = time.monotonic() + 10
        while b'"b"' not in urllib.request.urlopen(url + "/api/v2/receivers").read():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(p.pid, signal.SIGTERM)
        assert p.wait(10) == 0
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    err = p.stderr.read() if p.stderr else ""
    assert '"msg": "Received SIGTERM, exiting gracefully..."' in err
    assert (tmp_path / "data" / "silences").exists()


def test_systemd_socket_activation(tmp_path: Path) -> None:
    import socket

    cfg = tmp_path / "am.yml"
    cfg.write_text("route:\n  receiver: a\nreceivers:\n  - name: a\n")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    port = sock.getsockname()[1]
    # As systemd does: the socket is fd 3 and LISTEN_PID names the exec'd process itself.
    launcher = ("import os, sys; os.dup2(int(sys.argv[1]), 3); os.environ['LISTEN_PID'] = str(os.getpid()); "
                "os.environ['LISTEN_FDS'] = '1'; os.execv(sys.executable, [sys.executable, '-m', 'amclone'] + sys.argv[2:])")
    p = subprocess.Popen([sys.executable, "-c", launcher, str(sock.fileno()), f"--config.file={cfg}",
                          f"--storage.path={tmp_path}/data", "--web.systemd-socket", "--cluster.listen-address="],
                         pass_fds=(sock.fileno(),), stderr=subprocess.DEVNULL)
    sock.close()
    try:
        wait_http(f"http://127.0.0.1:{port}/-/ready", proc=p)
    finally:
        p.send_signal(signal.SIGTERM)
        assert p.wait(10) == 0


def test_systemd_socket_without_sockets_fails(tmp_path: Path) -> None:
    cfg = tmp_path / "am.yml"
    cfg.write_text("route:\n  receiver: a\nreceivers:\n  - name: a\n")
    p = subprocess.run([sys.executable, "-m", "amclone", f"--config.file={cfg}", f"--storage.path={tmp_path}/d",
                        "--web.systemd-socket", "--cluster.listen-address="], capture_output=True, text=True,
                       timeout=20, check=False)
    assert p.returncode == 1
    assert 'msg="Listen error" err="no socket activation file descriptors found"' in p.stderr
