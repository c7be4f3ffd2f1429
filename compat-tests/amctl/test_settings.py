"""Where amtool takes its settings from besides flags: the config file under $HOME (the Debian
build's path, the reference binary), legacy keys, and --http.config.file."""

from __future__ import annotations

import pytest
from amctl_harness import Tools, normalise

CONFIG = "route:\n  receiver: default\nreceivers:\n- name: default\n"


def _write_settings(tools: Tools, text: str) -> None:
    path = tools.home / ".config" / "prometheus" / "amtool.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.mark.parametrize("settings, args", [
    ("output: json\n", ["config"]),
    ("output: extended\ndate.format: '2006'\n", ["silence", "query"]),
    ("output: yaml\n", ["config"]),
    ("require-comment: false\n", ["silence", "add", "foo"]),
    ("comment_required: false\n", ["silence", "add", "foo"]),
    ("comment_required: false\nrequire-comment: true\n", ["silence", "add", "foo"]),
    ("author: someone\n", ["help", "silence", "add"]),
    ("author: someone\nrequire-comment: false\n", ["silence", "add", "foo", "-o", "json"]),
    ("timeout: bad\n", ["config"]),
    ("unknown-key: 1\n", ["config", "show"]),
    ("[not, a, map]\n", ["config"]),
    ("output: [1, 2]\n", ["config"]),
])
def test_settings_file(served: Tools, settings: str, args: list[str]) -> None:
    _write_settings(served, settings)
    served.same(*args, norm=normalise)


def test_settings_url(served: Tools) -> None:
    _write_settings(served, f"alertmanager.url: {served.url}\n")
    url, served.url = served.url, ""
    served.same("config")
    served.same("config", "routes", "test", "a=b")
    served.url = url


def test_http_config_file(served: Tools) -> None:
    path = served.home / "http.yml"
    path.write_text("basic_auth:\n  username: u\n  password: p\nfollow_redirects: true\n")
    served.same(f"--http.config.file={path}", "config", "show")
    served.same(f"--http.config.file={path}", "silence", "query")


def test_basic_auth_and_http_config_exclusive(served: Tools) -> None:
    path = served.home / "http.yml"
    path.write_text("basic_auth:\n  username: u\n  password: p\n")
    url = served.url.replace("http://", "http://user:pw@")
    served.url = ""
    served.same(f"--alertmanager.url={url}", f"--http.config.file={path}", "config")
    served.same(f"--alertmanager.url={url}", "config")


def test_url_with_path_prefix(served: Tools) -> None:
    served.url = ""
    a, c = served.both("--alertmanager.url=http://127.0.0.1:1/prefix/", "config")
    assert (c.stdout, c.stderr, c.code) == (a.stdout, a.stderr, a.code)
