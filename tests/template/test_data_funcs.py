"""Alertmanager's data model and function map."""

from __future__ import annotations

import pytest

from amclone.labels.regex import quote_meta
from amclone.template import from_globs
from amclone.template.data import KV, Alert, build, from_json
from amclone.template.funcs import re_replace_all, title, to_upper
from amclone.template.gotime import GoTime, zero_time
from amclone.template.gotmpl.values import GoError


def _alert(status: str, **labels: str) -> Alert:
    return Alert(status, KV(labels), KV({"summary": "s"}), GoTime(0), zero_time(), "", "fp")


def test_sorted_pairs_alertname_first() -> None:
    kv = KV({"b": "2", "alertname": "A", "a": "1"})
    assert [p.Name for p in kv.sorted_pairs()] == ["alertname", "a", "b"]
    assert list(kv.remove(["a"]).label_names()) == ["alertname", "b"]


def test_build_common_and_status() -> None:
    d = build("team.a", {"alertname": "X"}, [_alert("resolved", alertname="X", a="1", b="2"),
                                            _alert("firing", alertname="X", a="1", b="3")], "http://am")
    assert d.Status == "firing"
    assert dict(d.CommonLabels) == {"alertname": "X", "a": "1"}
    assert d.Receiver == "team\\.a"
    assert quote_meta("a.b*c") == "a\\.b\\*c"


def test_from_json_times() -> None:
    d = from_json('{"alerts":[{"startsAt":"2026-12-04T06:00:00.5+02:00","labels":{"a":"b"}}]}')
    assert d.Alerts[0].StartsAt.go_string() == "2026-12-04 06:00:00.5 +0200 +0200"
    assert d.Alerts[0].EndsAt.go_string() == "0001-01-01 00:00:00 +0000 UTC"
    with pytest.raises(GoError):
        from_json('{"alerts":[{"labels":{"a":1}}]}')


def test_funcs() -> None:
    assert to_upper("abc ß") == "ABC ß"
    assert title("hello wORLD foo-bar it's a_b x.y 3rd") == "Hello World Foo-Bar It's A_b X.y 3Rd"
    assert re_replace_all("a*", "-", "baaac") == "-b-c-"
    assert re_replace_all(r"(\w+):(\d+)", "$2 on $1", "db1:9100") == "9100 on db1"
    with pytest.raises(GoError, match=r"regexp: Compile\(`\(`\): error parsing regexp"):
        re_replace_all("(", "", "")


def test_defaults_and_html() -> None:
    t = from_globs()
    d = build("r", {"alertname": "X"}, [_alert("firing", alertname="X", job="<j>")], "http://am")
    assert t.execute_text('{{ template "__subject" . }}', d) == "[FIRING:1] X (<j>)"
    assert t.execute_html('<b>{{ template "__subject" . }}</b>', d) == "<b>[FIRING:1] X (&lt;j&gt;)</b>"
    assert "email.default.html" in t.names()
