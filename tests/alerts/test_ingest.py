"""Ingest rules of 0.25's postAlertsHandler / insertAlerts and model.Alert.Validate.

The texts were checked against the real binary (compat-tests/alerts/test_post_alerts.py)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from amclone.alerts import IngestMetrics, PostedAlert, prepare, validate
from amclone.timeutil import NS_PER_SECOND, ZERO_TIME

S = NS_PER_SECOND
NOW = 1_700_000_000 * S
RT = 300 * S


def run(*posted: PostedAlert, metrics: IngestMetrics | None = None, version: str = "v2"):  # type: ignore[no-untyped-def]
    return prepare(posted, now=NOW, resolve_timeout=RT, version=version, metrics=metrics)


def test_defaults_without_times() -> None:
    (a,) = run(PostedAlert({"alertname": "A"}, {})).alerts
    assert (a.starts_at, a.ends_at, a.updated_at, a.timeout) == (NOW, NOW + RT, NOW, True)


def test_start_defaults_to_end_when_only_end_given() -> None:
    (a,) = run(PostedAlert({"alertname": "A"}, {}, ends_at=NOW - 5 * S)).alerts
    assert (a.starts_at, a.ends_at, a.timeout) == (NOW - 5 * S, NOW - 5 * S, False)


def test_explicit_times_are_kept_and_updated_at_is_now() -> None:
    (a,) = run(PostedAlert({"a": "1"}, {}, NOW - 9 * S, NOW + 9 * S, "http://x")).alerts
    assert (a.starts_at, a.ends_at, a.updated_at, a.generator_url, a.timeout) == (
        NOW - 9 * S, NOW + 9 * S, NOW, "http://x", False)


def test_v1_timeout_flag_survives_with_an_end_time() -> None:
    (a,) = run(PostedAlert({"a": "1"}, {}, ends_at=NOW + S, timeout=True), version="v1").alerts
    assert a.timeout


def test_empty_label_values_are_removed() -> None:
    (a,) = run(PostedAlert({"a": "1", "b": ""}, {"c": ""})).alerts
    assert dict(a.labels) == {"a": "1"}
    assert dict(a.annotations) == {"c": ""}  # annotations keep empty values


def test_validation_messages() -> None:
    cases = {
        "start time must be before end time": PostedAlert({"a": "1"}, {}, NOW, NOW - 1),
        'invalid label set: invalid name "a-b"': PostedAlert({"a-b": "1"}, {}),
        'invalid label set: invalid name "0a"': PostedAlert({"0a": "1"}, {}),
        'invalid label set: invalid name ""': PostedAlert({"": "1"}, {}),
        'invalid label set: invalid value "\\xff"': PostedAlert({"a": "\udcff"}, {}),
        "at least one label pair required": PostedAlert({"x": ""}, {}),
        'invalid annotations: invalid name "b-c"': PostedAlert({"a": "1"}, {"b-c": "x"}),
        'invalid annotations: invalid value "\\ud800"': PostedAlert({"a": "1"}, {"b": "\ud800"}),
    }
    for text, p in cases.items():
        res = run(p)
        assert res.errors == [text] and res.alerts == []


def test_equal_start_and_end_is_valid() -> None:
    assert run(PostedAlert({"a": "1"}, {}, NOW, NOW)).errors == []


def test_validate_start_missing() -> None:
    assert validate({"a": "1"}, {}, ZERO_TIME, ZERO_TIME) == "start time missing"


def test_best_effort_batch_joins_errors() -> None:
    res = run(PostedAlert({"b-c": "1"}, {}), PostedAlert({}, {}), PostedAlert({"ok": "1"}, {}))
    assert [dict(a.labels) for a in res.alerts] == [{"ok": "1"}]
    assert res.error_text == 'invalid label set: invalid name "b-c"; at least one label pair required'


def value(reg: CollectorRegistry, name: str, **labels: str) -> float:
    v = reg.get_sample_value(name, labels)
    assert v is not None, (name, labels)
    return v


def test_counters_count_before_validation() -> None:
    reg = CollectorRegistry()
    m = IngestMetrics(reg)
    for v in ("v1", "v2"):
        assert value(reg, "alertmanager_alerts_received_total", status="firing", version=v) == 0
        assert value(reg, "alertmanager_alerts_invalid_total", version=v) == 0
    run(PostedAlert({"a": "1"}, {}), PostedAlert({"a-b": "1"}, {}),
        PostedAlert({"a": "2"}, {}, ends_at=NOW - S), PostedAlert({"x": ""}, {}, ends_at=NOW), metrics=m)
    assert value(reg, "alertmanager_alerts_received_total", status="firing", version="v2") == 2
    assert value(reg, "alertmanager_alerts_received_total", status="resolved", version="v2") == 2
    assert value(reg, "alertmanager_alerts_invalid_total", version="v2") == 2
    assert value(reg, "alertmanager_alerts_invalid_total", version="v1") == 0


def test_zero_resolve_timeout_counts_as_resolved() -> None:
    reg = CollectorRegistry()
    m = IngestMetrics(reg)
    prepare([PostedAlert({"a": "1"}, {})], now=NOW, resolve_timeout=0, metrics=m)
    assert value(reg, "alertmanager_alerts_received_total", status="resolved", version="v2") == 1


def test_v1_decode_time_label_name_error() -> None:
    from amclone.alerts import v1_labelset_error

    assert v1_labelset_error({"a": "1", "b": ""}) is None
    assert v1_labelset_error({"a": "1", "a-b": "1"}) == '"a-b" is not a valid label name'
    assert v1_labelset_error({"": "x"}) == '"" is not a valid label name'
