"""Starting real programs for tests: amclone itself, and the reference Alertmanager, Prometheus,
amtool and promtool, on loopback ports chosen at run time."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parents[2]
# ../shared beside the checkout: research, corpus and conformance data (read-only).
SHARED = REPO.parent / "shared"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 20.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll `url` until it answers (any HTTP status), the process dies, or `timeout` passes."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except OSError as e:
            last = e
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {timeout}s: {last}")


def reference_binary(name: str) -> str:
    """Path of a reference program (prometheus-alertmanager, amtool, prometheus, promtool).

    Installs the Debian packages when the program is missing (scripts/install-reference); a
    program that is still missing is an error, never a reason to skip.
    """
    path = shutil.which(name)
    if path is None:
        subprocess.run([str(REPO / "scripts" / "install-reference")], check=False)
        path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"reference program {name!r} is not installed and could not be installed")
    return path


class Managed:
    """A child process that is killed (whole process group) when the test is done with it."""

    def __init__(self, argv: Sequence[str], cwd: str | os.PathLike[str] | None = None,
                 env: dict[str, str] | None = None, log: Path | None = None) -> None:
        self.argv = list(argv)
        self.log = log
        out = open(log, "ab") if log else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            self.argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return self.proc.returncode

    def kill9(self) -> None:
        self.stop(signal.SIGKILL)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log else ""


def start_alertmanager(config: Path, workdir: Path, port: int | None = None,
                       extra: Sequence[str] = ()) -> tuple[Managed, str]:
    """The real Alertmanager 0.25 on loopback, clustering off. Returns it and its base URL."""
    port = port or free_port()
    storage = workdir / "am-data"
    storage.mkdir(parents=True, exist_ok=True)
    argv = [
        reference_binary("prometheus-alertmanager"),
        f"--config.file={config}",
        f"--storage.path={storage}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
        *extra,
    ]
    m = Managed(argv, cwd=workdir, log=workdir / f"alertmanager-{port}.log")
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/-/ready", proc=m.proc)
    return m, url


def start_amclone(config: Path, workdir: Path, port: int | None = None,
                  extra: Sequence[str] = ()) -> tuple[Managed, str]:
    """amclone itself, as a separate process, the way scripts/run starts it."""
    port = port or free_port()
    storage = workdir / "amclone-data"
    storage.mkdir(parents=True, exist_ok=True)
    argv = [
        sys.executable, "-m", "amclone",
        f"--config.file={config}",
        f"--storage.path={storage}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
        *extra,
    ]
    m = Managed(argv, cwd=workdir, log=workdir / f"amclone-{port}.log")
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/-/ready", proc=m.proc)
    return m, url
