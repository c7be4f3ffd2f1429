"""Template rendering throughput: the default Slack title and text, the whole default Slack message
(every field a 0.25 slack_config renders), and the default e-mail HTML, for 1, 10 and 100 alerts.

Run: .venv/bin/python bench/templates.py [--seconds S] [--profile]
The target is a 10-alert default Slack message in under 1 ms on one core.

Beside each figure stands the real Go engine's, measured in the same run: Alertmanager 0.25's
`amtool template render` with Alertmanager's own default.tmpl and email.tmpl, on the same data.
One amtool run costs a process start, so each text is rendered K times inside one run and
once inside another; the difference divided by K-1 is the cost of one render (user+system CPU
of the child, so other load on the machine does not count). amtool's figure includes parsing each
copy of the text, which the server would do once; amclone's figure reuses the parsed text, as its
server does.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from amclone.compat.timefmt import format_rfc3339nano
from amclone.template import from_globs
from amclone.template.data import Data, from_json
from amclone.testing.procs import reference_binary

UPSTREAM_TEMPLATES = ("/usr/share/prometheus/alertmanager/default.tmpl",
                      "/usr/share/prometheus/alertmanager/email.tmpl")

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


def make_json(n: int) -> str:
    """The template data both engines render, as amtool's --template.data JSON."""
    alerts = []
    for i in range(n):
        status = "firing" if i % 4 else "resolved"
        alerts.append({
            "status": status,
            "labels": {"alertname": "HighLatency", "instance": f"web-{i}:8080", "job": "api",
                       "severity": "warning" if i % 3 else "critical", "team": "payments"},
            "annotations": {"summary": f"p99 latency above 2s on web-{i}", "description": f"Latency is 2.{i}s.",
                            "runbook_url": "https://runbooks.example/latency"},
            "startsAt": format_rfc3339nano(1_796_365_010_000_000_000 + i),
            "endsAt": "0001-01-01T00:00:00Z" if status == "firing" else format_rfc3339nano(1_796_368_610_000_000_000),
            "generatorURL": f"http://prometheus:9090/graph?g0.expr=latency&i={i}",
            "fingerprint": f"{i:016x}",
        })
    firing = any(a["status"] == "firing" for a in alerts)
    return json.dumps({
        "receiver": "slack-payments", "status": "firing" if firing else "resolved", "alerts": alerts,
        "groupLabels": {"alertname": "HighLatency", "job": "api"},
        "commonLabels": {"alertname": "HighLatency", "job": "api", "team": "payments"},
        "commonAnnotations": {}, "externalURL": "http://alertmanager.example.com:9093",
    })


def make_data(n: int) -> Data:
    return from_json(make_json(n))


def _amtool_cpu(amtool: str, kind: str, text: str, data_file: str) -> float:
    """CPU seconds (user+system) of one amtool template render run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    args = [amtool, "template", "render", f"--template.type={kind}", f"--template.text={text}",
            f"--template.data={data_file}"]
    args += [f"--template.glob={g}" for g in UPSTREAM_TEMPLATES]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "TZ": "UTC"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def amtool_ms(amtool: str, texts: list[tuple[str, str]], n: int, repeats: int = 400) -> float:
    """CPU milliseconds the real Go engine spends on one render of `texts` for `n` alerts."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(make_json(n))
    try:
        total = 0.0
        for kind, text in texts:
            k = max(20, repeats // max(1, n // 10))
            many = min(_amtool_cpu(amtool, kind, text * k, f.name) for _ in range(3))
            one = min(_amtool_cpu(amtool, kind, text, f.name) for _ in range(3))
            total += max(0.0, many - one) / (k - 1)
        return 1000 * total
    finally:
        os.unlink(f.name)


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
    ap.add_argument("--no-reference", action="store_true", help="skip the amtool measurement")
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
    amtool = None if args.no_reference else reference_binary("amtool")
    cases: list[tuple[str, Callable[[Data], Callable[[], Any]], list[tuple[str, str]]]] = [
        ("slack title+text", slack_title_text, [("text", t) for t in TITLE_TEXT]),
        ("slack message (11 fields)", slack_message, [("text", t) for t in SLACK_FIELDS.values()]),
        ("slack title+__text_alert_list", slack_title_list, [("text", t) for t in TITLE_LIST]),
        ("email subject+html", email, [("text", EMAIL_SUBJECT), ("html", EMAIL)]),
    ]
    print(f"{'benchmark':<32}{'alerts':>7}{'renders/s':>11}{'ms/render':>11}{'amtool ms':>11}{'ratio':>8}")
    for label, make, texts in cases:
        for n in (1, 10, 100):
            r, ms = rate(make(make_data(n)), args.seconds)
            if amtool is None:
                print(f"{label:<32}{n:>7}{r:>11.0f}{ms:>11.3f}")
                continue
            ref = amtool_ms(amtool, texts, n)
            ratio = ref / ms if ms else float("inf")
            print(f"{label:<32}{n:>7}{r:>11.0f}{ms:>11.3f}{ref:>11.3f}{ratio:>7.2f}x")
    print("ratio = amtool's CPU time per render / amclone's (above 1 means amclone is faster)")


if __name__ == "__main__":
    main()
