"""The differential harness: every scenario in `scenarios.py` runs through Alertmanager 0.25 and
amclone at once; the webhook deliveries (path, group key, alerts, body, arrival time within
+-0.5 s) and the API's view (alert groups, alerts with silenced/inhibited status, in the middle
and at the end of each scenario and at the scenario's own snapshot points) must agree."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from amclone.testing.diffcheck import compare_deliveries, compare_snapshots, normalize_snapshot
from amclone.testing.procs import Managed, start_alertmanager, start_amclone
from amclone.testing.timeline import Scenario, Snapshot, Target, play
from amclone.testing.webhook import WebhookCollector

sys.path.insert(0, str(Path(__file__).parent))
from scenarios import SCENARIOS

EXTERNAL = "http://am.test"


def start_amclone_dispatching(config: Path, workdir: Path) -> tuple[Managed, str]:
    """The amclone server process, as scripts/run starts it."""
    return start_amclone(config, workdir, extra=[f"--web.external-url={EXTERNAL}"])


def with_auto_snapshots(s: Scenario) -> Scenario:
    extra = (Snapshot(round(s.duration / 2, 2) + 0.05, "_middle"), Snapshot(s.duration - 0.25, "_end"))
    return Scenario(s.name, s.config, s.steps + extra, s.duration, s.scripts)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario: Scenario, tmp_path: Path) -> None:
    scenario = with_auto_snapshots(scenario)
    am_dir, amc_dir = tmp_path / "am", tmp_path / "amc"
    am_dir.mkdir()
    amc_dir.mkdir()
    with WebhookCollector() as am_hook, WebhookCollector() as amc_hook:
        am_t = Target("alertmanager", "", am_dir / "alertmanager.yml", am_hook)
        amc_t = Target("amclone", "", amc_dir / "alertmanager.yml", amc_hook)
        am_t.write_config(scenario.config)
        amc_t.write_config(scenario.config)
        am, am_t.url = start_alertmanager(am_t.config_path, am_dir, extra=[f"--web.external-url={EXTERNAL}"])
        try:
            amc, amc_t.url = start_amclone_dispatching(amc_t.config_path, amc_dir)
            try:
                t0 = play(scenario, [am_t, amc_t])
            finally:
                amc.stop()
        finally:
            am.stop()
        ref, got = am_hook.snapshot(), amc_hook.snapshot()
    report = compare_deliveries(ref, t0, got, t0)
    problems = list(report.problems)
    problems += [f"alertmanager: {e}" for e in am_t.errors] + [f"amclone: {e}" for e in amc_t.errors]
    for name, snap in am_t.snapshots.items():
        a = normalize_snapshot(snap, {v: k for k, v in am_t.silence_ids.items()})
        b = normalize_snapshot(amc_t.snapshots.get(name), {v: k for k, v in amc_t.silence_ids.items()})
        if not compare_snapshots(a, b):
            problems.append(f"API snapshot {name} differs:\n  am:  {json.dumps(a)}\n  amc: {json.dumps(b)}")
    assert not problems, "\n".join(problems)
    print(f"{scenario.name}: {report.matched} deliveries matched, {report.byte_identical} byte-identical")
