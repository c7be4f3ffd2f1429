"""The opt-in functions of Alertmanager releases after 0.25, and Go layout parsing for toDate."""

from __future__ import annotations

import pytest

from amclone.template import TemplateError, from_globs
from amclone.template.data import KV, Alert, build
from amclone.template.golayout import parse_time
from amclone.template.gotime import GoTime, zero_time


def _data() -> object:
    a = Alert("firing", KV({"alertname": "X", "b": "2"}), KV(), GoTime(1_796_365_010_500_000_000), zero_time(),
              "http://g", "fp")
    return build("r", {}, [a], "http://am")


def test_not_in_0_25_by_default() -> None:
    with pytest.raises(TemplateError, match='function "trimSpace" not defined'):
        from_globs().execute_text("{{ trimSpace .Status }}", _data())


@pytest.mark.parametrize("text,want", [
    ('{{ trimSpace "  a b \\n" }}', "a b"),
    ('{{ date "2006-01-02 15:04:05.000" (index .Alerts 0).StartsAt }}', "2026-12-04 06:16:50.500"),
    ('{{ (index .Alerts 0).StartsAt | tz "Asia/Tokyo" }}', "2026-12-04 15:16:50.5 +0900 JST"),
    ("{{ toJson .CommonLabels }}", '{"alertname":"X","b":"2"}'),
    ("{{ humanizeDuration 90 }}", "1m 30s"),
    ('{{ (toDate "2006-01-02T15:04:05Z07:00" "2026-12-04T06:00:00+02:00").Unix }}', "1796356800"),
    ('{{ (toDate "2006-01-02" "nope").IsZero }}', "true"),
    ('{{ base64encode "a?b>" }}|{{ base64decode "YT9iPg==" }}', "YT9iPg==|a?b>"),
    ('{{ list 1 "a" }} {{ dict "k" 1 }} {{ append (list 1) 2 }}', "[1 a] map[k:1] [1 2]"),
    ('{{ urlUnescape "a%20b+c" }}', "a b c"),
])
def test_later_funcs(text: str, want: str) -> None:
    assert from_globs(later_funcs=True).execute_text(text, _data()) == want


def test_parse_time_errors() -> None:
    with pytest.raises(ValueError, match='cannot parse "x" as "2006"'):
        parse_time("2006-01-02", "x")
    assert parse_time("Jan _2 15:04:05.000", "Feb  3 04:05:06.789").ns % 1_000_000_000 == 789_000_000
