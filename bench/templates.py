"""Template rendering throughput: the default Slack title and text, the whole default Slack message
(every field a 0.25 slack_config renders), and the default e-mail HTML, for 1, 10 and 100 alerts.

Run: .venv/bin/python bench/templates.py [--seconds S] [--profile]
The target is a 10-alert default Slack message in under 1 ms on one core.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable
from typing import Any

from amclone.template import from_globs
from amclone.template.data import KV, Alert, Data, build
from amclone.template.gotime import GoTime, zero_time

# The texts a default 0.25 slack_config renders for one notification.
SLACK_FIELDS = {
    "username": '{{ template "slack.default.username" . }}',
    "color": '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}',
    "title": '{{ template "slack.default.title" . }}',
    "title_link": '{{ template "slack.default.titlelink" . }}',
    "pretext": '{{ template "slack.default.pretext" . }}',
    "text": '{{ template "slack.default.text" . }}',
    "fallback": '{{ template "slack.default.fallback" . }}',
    "callback_id": '{{ template "slack.default.callbackid" . }}',
    "footer": '{{ template "slack.default.footer" . }}',
    "icon_emoji": '{{ template "slack.default.iconemoji" . }}',
    "icon_url": '{{ template "slack.default.iconurl" . }}',
}
TITLE_TEXT = (SLACK_FIELDS["title"], SLACK_FIELDS["text"])
# A common user choice for the text: every alert's labels and annotations.
TITLE_LIST = (SLACK_FIELDS["title"], '{{ template "__text_alert_list" .Alerts }}')
EMAIL = '{{ template "email.default.html" . }}'
EMAIL_SUBJECT = '{{ template "email.default.subject" . }}'


def make_data(n: int) -> Data:
    alerts = []
    for i in range(n):
        labels = KV({"alertname": "HighLatency", "instance": f"web-{i}:8080", "job": "api",
                     "severity": "warning" if i % 3 else "critical", "team": "payments"})
        ann = KV({"summary": f"p99 latency above 2s on web-{i}", "description": f"Latency is 2.{i}s.",
                  "runbook_url": "https://runbooks.example/latency"})
        status = "firing" if i % 4 else "resolved"
        alerts.append(Alert(status, labels, ann, GoTime(1_796_365_010_000_000_000 + i),
                            zero_time() if status == "firing" else GoTime(1_796_368_610_000_000_000),
                            f"http://prometheus:9090/graph?g0.expr=latency&i={i}", f"{i:016x}"))
    return build("slack-payments", {"alertname": "HighLatency", "job": "api"}, alerts,
                 "http://alertmanager.example.com:9093")


def rate(fn: Callable[[], Any], seconds: float) -> tuple[float, float]:
    """(renders per CPU second, CPU milliseconds per render) over about `seconds` of this process's
    CPU time, so that other load on the machine does not count."""
    fn()
    n = 0
    start = time.process_time()
    deadline = start + seconds
    while True:
        fn()
        n += 1
        now = time.process_time()
        if now >= deadline:
            break
    el = now - start
    return n / el, 1000 * el / n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    tmpl = from_globs()

    def slack_title_text(d: Data) -> Callable[[], Any]:
        return lambda: [tmpl.execute_text(t, d) for t in TITLE_TEXT]

    def slack_title_list(d: Data) -> Callable[[], Any]:
        return lambda: [tmpl.execute_text(t, d) for t in TITLE_LIST]

    def slack_message(d: Data) -> Callable[[], Any]:
        return lambda: [tmpl.execute_text(t, d) for t in SLACK_FIELDS.values()]

    def email(d: Data) -> Callable[[], Any]:
        return lambda: (tmpl.execute_text(EMAIL_SUBJECT, d), tmpl.execute_html(EMAIL, d))

    if args.profile:
        d = make_data(10)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(2000):
            slack_message(d)()
        for _ in range(100):
            email(d)()
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(18)
        return
    print(f"{'benchmark':<34}{'alerts':>7}{'renders/s':>12}{'ms/render':>11}")
    for label, make in (("slack title+text", slack_title_text), ("slack message (11 fields)", slack_message),
                        ("slack title+__text_alert_list", slack_title_list),
                        ("email subject+html", email)):
        for n in (1, 10, 100):
            r, ms = rate(make(make_data(n)), args.seconds)
            print(f"{label:<34}{n:>7}{r:>12.0f}{ms:>11.3f}")


if __name__ == "__main__":
    main()
