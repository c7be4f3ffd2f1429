"""Differential scenarios: a config plus a timeline of actions (post alerts, create or expire
silences, reload the config, look at the API), played in real time against Alertmanager 0.25 and
amclone side by side, each delivering to its own `WebhookCollector`.

Both targets get every action at the same moment with the same absolute timestamps, so webhook
bodies can be compared byte for byte and arrival times directly. Times in a scenario are seconds
relative to the scenario's start (``t0``); `A(...)` describes an alert with relative
``starts``/``ends`` (None: leave the field out, Alertmanager fills it in).
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amclone.compat.timefmt import format_rfc3339nano
from amclone.testing.webhook import Reply, WebhookCollector

__all__ = ["A", "Expire", "Post", "Reload", "Scenario", "Silence", "Snapshot", "Target", "firing", "play",
           "post_alerts"]


@dataclass(frozen=True)
class A:
    labels: dict[str, str]
    starts: float | None = 0.0
    ends: float | None = None
    annotations: dict[str, str] = field(default_factory=dict)
    generator_url: str = ""

    def to_json(self, t0: float) -> dict[str, Any]:
        out: dict[str, Any] = {"labels": self.labels, "annotations": self.annotations}
        if self.starts is not None:
            out["startsAt"] = format_rfc3339nano(int((t0 + self.starts) * 1e9))
        if self.ends is not None:
            out["endsAt"] = format_rfc3339nano(int((t0 + self.ends) * 1e9))
        if self.generator_url:
            out["generatorURL"] = self.generator_url
        return out


@dataclass(frozen=True)
class Post:
    at: float
    alerts: tuple[A, ...]


@dataclass(frozen=True)
class Silence:
    at: float
    ref: str
    matchers: tuple[tuple[str, str, bool, bool], ...]  # name, value, isRegex, isEqual
    ends: float = 3600.0
    starts: float | None = None  # None: from the step's moment; later: a pending silence


@dataclass(frozen=True)
class Expire:
    at: float
    ref: str


@dataclass(frozen=True)
class Reload:
    at: float
    config: str


@dataclass(frozen=True)
class Snapshot:
    at: float
    name: str


Step = Post | Silence | Expire | Reload | Snapshot


@dataclass(frozen=True)
class Scenario:
    name: str
    config: str  # ``{hook}`` stands for the collector's base URL
    steps: tuple[Step, ...]
    duration: float
    scripts: dict[str, tuple[Reply, ...]] = field(default_factory=dict)


@dataclass
class Target:
    """One server under test: its base URL, config file and collector."""

    name: str
    url: str
    config_path: Path
    collector: WebhookCollector
    silence_ids: dict[str, str] = field(default_factory=dict)
    snapshots: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def write_config(self, text: str) -> None:
        self.config_path.write_text(text.replace("{hook}", self.collector.url))

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            self.errors.append(f"{method} {path}: {e.code} {e.read()!r}")
            return None
        return json.loads(raw) if raw.strip() else None

    def act(self, step: Step, t0: float) -> None:
        if isinstance(step, Post):
            self._request("POST", "/api/v2/alerts", [a.to_json(t0) for a in step.alerts])
        elif isinstance(step, Silence):
            body = {"matchers": [{"name": n, "value": v, "isRegex": r, "isEqual": e} for n, v, r, e in step.matchers],
                    "startsAt": format_rfc3339nano(int((t0 + (step.at if step.starts is None else step.starts)) * 1e9)),
                    "endsAt": format_rfc3339nano(int((t0 + step.ends) * 1e9)),
                    "createdBy": "harness", "comment": step.ref}
            got = self._request("POST", "/api/v2/silences", body)
            if got is not None:
                self.silence_ids[step.ref] = got["silenceID"]
        elif isinstance(step, Expire):
            self._request("DELETE", f"/api/v2/silence/{self.silence_ids.get(step.ref, '')}")
        elif isinstance(step, Reload):
            self.write_config(step.config)
            self._request("POST", "/-/reload")
        elif isinstance(step, Snapshot):
            self.snapshots[step.name] = {
                "groups": self._request("GET", "/api/v2/alerts/groups"),
                "alerts": self._request("GET", "/api/v2/alerts"),
            }


def post_alerts(url: str, alerts: list[dict[str, Any]]) -> None:
    """POST /api/v2/alerts; raises on an error status."""
    req = urllib.request.Request(url + "/api/v2/alerts", data=json.dumps(alerts).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        resp.read()


def firing(name: str, starts_ns: int | None = None, **labels: str) -> dict[str, Any]:
    """A postable alert named `name` that started at `starts_ns` (default: now)."""
    starts = time.time_ns() if starts_ns is None else starts_ns
    return {"labels": {"alertname": name, **labels}, "startsAt": format_rfc3339nano(starts)}


def play(scenario: Scenario, targets: Sequence[Target], t0: float | None = None) -> float:
    """Run the timeline against every target in lockstep; returns ``t0`` (epoch seconds)."""
    t0 = time.time() + 0.5 if t0 is None else t0
    for tgt in targets:
        for path, replies in scenario.scripts.items():
            tgt.collector.script(path, *replies)
    for step in sorted(scenario.steps, key=lambda s: s.at):
        _sleep_until(t0 + step.at)
        for tgt in targets:
            tgt.act(step, t0)
    _sleep_until(t0 + scenario.duration)
    return t0


def _sleep_until(t: float) -> None:
    d = t - time.time()
    if d > 0:
        time.sleep(d)
