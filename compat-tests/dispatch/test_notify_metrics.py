"""The dispatch, notification and nflog metrics on /metrics, beside Alertmanager 0.25 after the same
notifications (one success, one retried 500, one refused with a 400): names, types, help texts,
label sets including the pre-initialised integrations, and the counter values.

One difference is deliberate and checked as such (`EXPECTED_DIFFERENCES`): the failed counter has
newer releases' ``reason`` label, so each 0.25 series is split over the reasons and its values
summed over them are 0.25's."""

from __future__ import annotations

import sys
import time
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from amclone.testing.procs import start_alertmanager
from amclone.testing.timeline import firing, post_alerts
from amclone.testing.webhook import Reply, WebhookCollector

sys.path.insert(0, str(Path(__file__).parent))
from test_dispatch_diff import EXTERNAL, start_amclone_dispatching

CONFIG = """
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  routes:
    - receiver: refused
      matchers: [alertname="C"]
receivers:
  - name: hook
    webhook_configs:
      - url: {hook}/hook
  - name: refused
    webhook_configs:
      - url: {hook}/refused
"""

FAMILIES = (
    "alertmanager_notifications", "alertmanager_notifications_failed", "alertmanager_notification_requests",
    "alertmanager_notification_requests_failed", "alertmanager_notification_latency_seconds",
    "alertmanager_dispatcher_aggregation_groups", "alertmanager_dispatcher_alert_processing_duration_seconds",
    "alertmanager_nflog_gc_duration_seconds", "alertmanager_nflog_snapshot_duration_seconds",
    "alertmanager_nflog_snapshot_size_bytes", "alertmanager_nflog_queries", "alertmanager_nflog_query_errors",
    "alertmanager_nflog_query_duration_seconds", "alertmanager_nflog_gossip_messages_propagated",
)
# values that depend on timing rather than on what happened
TIMING = ("_seconds", "_bucket")

REASONS = ("other", "clientError", "serverError", "contextCanceled", "contextDeadlineExceeded", "authError",
           "rateLimited")
# family -> (extra label, its values, why): amclone's series are 0.25's times these values
EXPECTED_DIFFERENCES = {
    "alertmanager_notifications_failed": (
        "reason", REASONS,
        ("newer Alertmanager releases label failures with why they failed (notify/util.go's Reason) and "
         "pre-initialise every reason; queries summing by integration see 0.25's values")),
}

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def without(samples: Samples, label: str, values: tuple[str, ...]) -> Samples:
    """Samples summed over `label`, after checking every series has it with one of `values` and
    each 0.25 series is split over all of them."""
    out: Samples = {}
    split: dict[tuple[str, tuple[tuple[str, str], ...]], set[str]] = {}
    for (name, labels), value in samples.items():
        got = dict(labels)
        assert got.get(label) in values, (name, labels)
        key = (name, tuple((k, v) for k, v in labels if k != label))
        out[key] = out.get(key, 0.0) + value
        split.setdefault(key, set()).add(got[label])
    assert all(s == set(values) for s in split.values()), split
    return out


def scrape(url: str) -> dict[str, tuple[str, str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]]:
    text = urllib.request.urlopen(url + "/metrics", timeout=10).read().decode()
    out = {}
    for fam in text_string_to_metric_families(text):
        if fam.name in FAMILIES:
            # bucket bounds compared as numbers: client_golang prints le="1", prometheus_client "1.0"
            samples = {(s.name, tuple(sorted((k, str(float(v)) if k == "le" else v) for k, v in s.labels.items()))):
                       s.value for s in fam.samples}
            out[fam.name] = (fam.type, fam.documentation, samples)
    return out


def run(start: object, workdir: Path) -> dict[str, tuple[str, str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]]:
    with WebhookCollector() as hook:
        hook.script("/hook", Reply(500))
        hook.script("/refused", Reply(400))
        cfg = workdir / "alertmanager.yml"
        cfg.write_text(CONFIG.replace("{hook}", hook.url))
        proc, url = start(cfg, workdir)  # type: ignore[operator]
        try:
            post_alerts(url, [firing("A"), firing("B"), firing("C")])
            assert hook.wait_for(4, 10)
            time.sleep(0.5)
            return scrape(url)
        finally:
            proc.stop()


def test_notification_metrics_match(tmp_path: Path) -> None:
    (tmp_path / "am").mkdir()
    (tmp_path / "amc").mkdir()
    ref = run(lambda c, w: start_alertmanager(c, w, extra=[f"--web.external-url={EXTERNAL}"]), tmp_path / "am")
    got = run(start_amclone_dispatching, tmp_path / "amc")
    assert sorted(ref) == sorted(FAMILIES)
    assert sorted(got) == sorted(ref)
    for name, (typ, doc, samples) in ref.items():
        gtyp, gdoc, gsamples = got[name]
        assert (gtyp, gdoc) == (typ, doc), name
        if name in EXPECTED_DIFFERENCES:
            label, values, _why = EXPECTED_DIFFERENCES[name]
            assert all(label not in dict(k[1]) for k in samples), (name, "0.25 has no such label")
            gsamples = without(gsamples, label, values)
        assert sorted(gsamples) == sorted(samples), name
        for key, value in samples.items():
            if not any(t in key[0] for t in TIMING) and not key[0].endswith(("_sum", "_count")):
                assert gsamples[key] == value, (name, key, gsamples[key], value)
    webhook = (("integration", "webhook"),)
    assert got["alertmanager_notification_requests"][2][("alertmanager_notification_requests_total", webhook)] == 4
    failed = got["alertmanager_notifications_failed"][2]
    assert failed[("alertmanager_notifications_failed_total", (("integration", "webhook"), ("reason", "clientError")))] \
        == 1
    assert sum(v for (n, labels), v in failed.items() if n.endswith("_total") and ("integration", "webhook") in labels) \
        == 1
