"""``--rules.config`` beside ``promtool check config`` 2.42: the prometheus.yml parts amclone reads
give Prometheus's verdict and words. (``global.rule_query_offset`` is left out: it is Prometheus
2.53's and amclone takes it on purpose.)"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from amclone.rules.config import RulesConfigError, load_file

CASES = {
    "unknown_global": "global:\n  evalution_interval: 1m\n",
    "bad_duration": "global:\n  evaluation_interval: 1x\n",
    "repeated_top_key": "global: {}\nglobal: {}\n",
    "repeated_label": "global:\n  external_labels: {a: x, a: y}\n",
    "bad_label_name": "global:\n  external_labels: {a-b: x}\n",
    "api_version": "alerting:\n  alertmanagers:\n    - api_version: v3\n",
    "bad_glob": "rule_files: ['a[']\n",
    "star_in_dir": "rule_files: ['a/*/b.yml']\n",
    "unknown_top": "nonsense: 1\n",
    "syntax": "global: [\n",
    "am_unknown_field": "alerting:\n  alertmanagers:\n    - foo: 1\n",
    "targets_not_a_list": "alerting:\n  alertmanagers:\n    - static_configs: [{targets: a}]\n",
    "timeout": "alerting:\n  alertmanagers:\n    - timeout: abc\n",
    "ok": "global:\n  evaluation_interval: 30s\n  external_labels: {a: ''}\nalerting:\n  alertmanagers:\n"
          "    - static_configs: [{targets: ['x:9093']}]\n      path_prefix: /am\n",
    "other_sections": "scrape_configs:\n  - job_name: x\n    static_configs: [{targets: [a]}]\n"
                      "remote_write: [{url: 'http://x'}]\nstorage: {tsdb: {out_of_order_time_window: 1m}}\n",
    "empty": "",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_config(name: str, tmp_path: Path, promtool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "p.yml").write_text(CASES[name])
    p = subprocess.run([promtool, "check", "config", "p.yml"], cwd=tmp_path, capture_output=True, text=True,
                       timeout=60, check=False)
    monkeypatch.chdir(tmp_path)
    try:
        load_file("p.yml").rule_file_paths()
    except RulesConfigError as e:
        assert p.returncode == 1
        assert p.stderr.startswith(f"  FAILED: {e}\n")
        return
    assert p.returncode == 0, p.stderr
