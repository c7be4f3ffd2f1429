"""Prometheus's rule-template functions: promtool 2.42 evaluates an alerting rule whose annotations
use them, and must find exactly the annotations amclone's expander computes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from amclone.template.promfuncs import expand
from amclone.testing.procs import reference_binary

ANNOTATIONS = {
    "humanize": '{{ humanize 1234567.0 }} {{ humanize 0.000123 }} {{ humanize 0 }} {{ humanize $value }} '
                '{{ humanize "2048" }} {{ humanize -1500 }}',
    "humanize1024": "{{ humanize1024 1048576.0 }} {{ humanize1024 1.0 }} {{ humanize1024 5000 }}",
    "duration": "{{ humanizeDuration 93784.0 }}|{{ humanizeDuration 3700 }}|{{ humanizeDuration 61.5 }}|"
                "{{ humanizeDuration 1.5 }}|{{ humanizeDuration 0.0015 }}|{{ humanizeDuration 0 }}|"
                "{{ humanizeDuration -90 }}",
    "percent_ts": "{{ humanizePercentage 0.12345 }} {{ humanizeTimestamp 1435065584.128 }} "
                  "{{ humanizeTimestamp 0 }} {{ (toTime 1700000000.5).Unix }}",
    "vars": "{{ $labels.instance }} {{ $value }} {{ .Labels.job }} [{{ $labels.nope }}] [{{ $externalURL }}]",
    "strings": '{{ title "hello wORLD foo-bar" }} {{ toUpper "x" }} {{ toLower "Y" }} '
               '{{ reReplaceAll "(.*):.*" "$1" $labels.instance }} {{ match "^a" "abc" }}',
    "links": '{{ graphLink "up == 0" }} {{ tableLink "rate(x[5m])" }} {{ parseDuration "1h30m" }}',
    "misc": '{{ printf "%.2f" $value }} {{ with args 1 "a" }}{{ .arg0 }}-{{ .arg1 }}{{ end }} '
            '{{ safeHtml "<b>" }} {{ range $k, $v := $labels }}{{ $k }},{{ end }}',
}


def test_rule_annotations_match_promtool(tmp_path: Path) -> None:
    rules = {"groups": [{"name": "g", "rules": [{"alert": "TestAlert", "expr": "up == 1",
                                                 "labels": {"severity": "page"}, "annotations": ANNOTATIONS}]}]}
    (tmp_path / "rules.yml").write_text(yaml.safe_dump(rules))
    # The template sees the series labels of the sample (here __name__ survives the filter).
    labels = {"__name__": "up", "instance": "db1:9100", "job": "node"}
    expected = {k: expand("__alert_TestAlert", v, labels, 1.0) for k, v in ANNOTATIONS.items()}
    assert all("error" not in v for v in expected.values()), expected
    test = {"rule_files": ["rules.yml"], "evaluation_interval": "1m", "tests": [{
        "interval": "1m",
        "input_series": [{"series": 'up{instance="db1:9100",job="node"}', "values": "1 1 1"}],
        "alert_rule_test": [{"eval_time": "1m", "alertname": "TestAlert", "exp_alerts": [{
            "exp_labels": {"instance": "db1:9100", "job": "node", "severity": "page"},
            "exp_annotations": expected}]}]}]}
    (tmp_path / "test.yml").write_text(yaml.safe_dump(test, allow_unicode=True))
    p = subprocess.run([reference_binary("promtool"), "test", "rules", "test.yml"], cwd=tmp_path,
                       capture_output=True, text=True, check=False)
    assert p.returncode == 0, p.stdout + p.stderr
