"""Rule evaluation: evaluations per CPU-second (= per second on one core) of amclone's evaluator
and of the real Prometheus 2.42, fed the same data in the same run, and the CPU that 10,000 rules
on a 15 s interval cost amclone.

    .venv/bin/python bench/rules.py [--rules 500] [--measure 20]

Data: 100 counters ``bench_requests_total{job,instance}`` and 100 gauges ``bench_gauge`` (value =
instance index), 10 minutes of history at 5 s, then a live sample every 5 s, remote-written to
Prometheus and appended to amclone's head. Rules (alerting, no alert fires unless said): threshold
``bench_gauge > N`` and ``rate(bench_requests_total[1m]) > N``, each in two forms: every rule with
its own selector (nothing to share), and the same left side with per-rule thresholds (amclone
evaluates that side once per group evaluation). Prometheus runs 2 groups x ``--rules`` at a 2 s
interval; its figure is d(prometheus_rule_evaluations_total) / d(process_cpu_seconds_total).
amclone evaluates the same rule file's groups back to back in this process for 3 CPU-seconds.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from _common import ratio_line, workdir

from amclone.ingest.codec import compress
from amclone.promql import Engine
from amclone.proto import prometheus_remote_pb2 as pb1
from amclone.rules import files
from amclone.rules.datasource import LocalSource
from amclone.rules.group import HeadWriter, RuleGroup
from amclone.rules.manager import ManagerOptions, RuleManager
from amclone.rules.metrics import RuleMetrics
from amclone.testing.procs import Managed, free_port, reference_binary, wait_http
from amclone.tsdb import Head

SERIES = 100
HEADERS = {"Content-Encoding": "snappy", "Content-Type": "application/x-protobuf",
           "X-Prometheus-Remote-Write-Version": "0.1.0"}

KINDS = {
    "threshold, distinct selectors": lambda k: f'bench_gauge{{instance!="none{k}"}} > 1000000000',
    "rate(), distinct selectors": lambda k: f'rate(bench_requests_total{{instance!="none{k}"}}[1m]) > 1000000000',
    "threshold, shared left side": lambda k: f"bench_gauge > {1_000_000_000 + k}",
    "rate(), shared left side": lambda k: f"rate(bench_requests_total[1m]) > {1_000_000_000 + k}",
    "threshold, 10 firing alerts/rule": lambda k: f'bench_gauge{{instance!="none{k}"}} > 89.5',
}


def samples(t_ms: int, step: int) -> list[tuple[tuple[tuple[str, str], ...], float]]:
    out = []
    for i in range(SERIES):
        inst = f"10.0.0.{i}:9100"
        out.append(((("__name__", "bench_requests_total"), ("instance", inst), ("job", "api")), float(step * (i + 1))))
        out.append(((("__name__", "bench_gauge"), ("instance", inst), ("job", "api")), float(i)))
    return out


def encode(t_ms: int, step: int) -> bytes:
    req = pb1.WriteRequest()
    for labels, v in samples(t_ms, step):
        ts = req.timeseries.add()
        for n, val in labels:
            ts.labels.add(name=n, value=val)
        ts.samples.add(timestamp=t_ms, value=v)
    return compress(req.SerializeToString())


class Feeder:
    """The same samples to both: history first, then live every 5 s until stopped."""

    def __init__(self, head: Head, url: str) -> None:
        self.head, self.url = head, url
        self.stop = threading.Event()
        self.step = 0

    def push(self, t_ms: int) -> None:
        with self.head.write_lock:
            for labels, v in samples(t_ms, self.step):
                self.head.append(labels, t_ms, v)
        body = encode(t_ms, self.step)
        self.step += 1
        for attempt in range(10):  # Prometheus answers 503 while its storage is still opening
            try:
                req = urllib.request.Request(self.url, data=body, headers=HEADERS, method="POST")
                urllib.request.urlopen(req, timeout=10).read()
                return
            except urllib.error.HTTPError as e:
                if e.code != 503 or attempt == 9:
                    raise
                time.sleep(0.5)

    def history(self) -> None:
        now = int(time.time() * 1000)
        for t in range(now - 600_000, now, 5000):
            self.push(t)

    def run(self) -> None:
        while not self.stop.wait(5):
            self.push(int(time.time() * 1000))


def rule_file(path: Path, kind: str, groups: int, per_group: int, interval: str) -> None:
    lines = ["groups:"]
    for g in range(groups):
        lines += [f"  - name: g{g}", f"    interval: {interval}", "    rules:"]
        for k in range(per_group):
            expr = KINDS[kind](g * per_group + k)
            lines += [f"      - alert: A{g}_{k}", f"        expr: '{expr}'",
                      "        annotations: {summary: '{{ $labels.instance }} is {{ $value }}'}"]
    path.write_text("\n".join(lines) + "\n")


def metric(base: str, name: str) -> float:
    text = urllib.request.urlopen(f"{base}/metrics", timeout=10).read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith(name) and not line.startswith("#"))


def prometheus_rate(base: str, measure: float) -> float:
    urllib.request.urlopen(urllib.request.Request(f"{base}/-/reload", method="POST"), timeout=30).read()
    time.sleep(6)
    e0, c0 = metric(base, "prometheus_rule_evaluations_total"), metric(base, "process_cpu_seconds_total")
    time.sleep(measure)
    e1, c1 = metric(base, "prometheus_rule_evaluations_total"), metric(base, "process_cpu_seconds_total")
    return (e1 - e0) / max(c1 - c0, 1e-9)


def amclone_rate(head: Head, path: Path, seconds: float = 3.0) -> float:
    source = LocalSource(Engine(head))
    groups = [RuleGroup(g, source, HeadWriter(head), restored=True) for g in files.load_files([str(path)])]
    n, c0 = 0, time.process_time()
    while time.process_time() - c0 < seconds:
        ts = time.time_ns()
        for g in groups:
            g.eval(ts)
            n += len(g.rules)
    return n / (time.process_time() - c0)


def cpu_share_10k(head: Head, wd: Path, seconds: float) -> float:
    """10,000 rules (half threshold, half rate, distinct selectors) in 20 groups at 15 s, run by
    the real manager on the system clock: CPU-seconds used per second."""
    import asyncio

    from prometheus_client import CollectorRegistry

    half = {"a": "threshold, distinct selectors", "b": "rate(), distinct selectors"}
    paths = []
    for key, kind in half.items():
        p = wd / f"10k-{key}.yml"
        rule_file(p, kind, 10, 500, "15s")
        paths.append(str(p))
    specs = files.load_files(paths)
    specs = [files.Group(f"{g.file}", g.name, g.interval, g.rules) for g in specs]

    async def go() -> float:
        m = RuleManager(__import__("amclone.timeutil", fromlist=["SystemClock"]).SystemClock(),
                        LocalSource(Engine(head)), HeadWriter(head), [], RuleMetrics(CollectorRegistry()),
                        ManagerOptions())
        m.apply(specs)
        await m.start()
        await asyncio.sleep(16)  # every group has started
        c0, t0 = time.process_time(), time.monotonic()
        await asyncio.sleep(seconds)
        used = (time.process_time() - c0) / (time.monotonic() - t0)
        await m.stop()
        return used
    return asyncio.run(go())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rules", type=int, default=500, help="rules per group for Prometheus (2 groups, 2 s)")
    p.add_argument("--measure", type=float, default=20.0)
    p.add_argument("--cpu-window", type=float, default=30.0)
    args = p.parse_args()
    wd = workdir("bench-rules-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    rules = wd / "rules.yml"
    rule_file(rules, "threshold, distinct selectors", 1, 1, "2s")
    (wd / "p.yml").write_text("global: {evaluation_interval: 2s}\nrule_files: [rules.yml]\n")
    prom = Managed([reference_binary("prometheus"), f"--config.file={wd / 'p.yml'}",
                    f"--storage.tsdb.path={wd / 'data'}", f"--web.listen-address=127.0.0.1:{port}",
                    "--web.enable-remote-write-receiver", "--web.enable-lifecycle"], log=wd / "prometheus.log")
    head = Head()
    try:
        wait_http(f"{base}/-/ready", 30, prom.proc)
        feeder = Feeder(head, f"{base}/api/v1/write")
        feeder.history()
        thread = threading.Thread(target=feeder.run, daemon=True)
        thread.start()
        for kind in KINDS:
            per_group = args.rules // 10 if "firing" in kind else args.rules
            rule_file(rules, kind, 2, per_group, "2s")
            theirs = prometheus_rate(base, args.measure)
            ours = amclone_rate(head, rules)
            print(ratio_line(f"rule evaluations ({kind})", ours, theirs, "evals/CPU-s"), flush=True)
        rule_file(rules, "threshold, distinct selectors", 1, 1, "2s")
        share = cpu_share_10k(head, wd, args.cpu_window)
        print(f"10,000 rules (5,000 threshold + 5,000 rate(), distinct selectors) every 15 s: amclone uses "
              f"{share * 100:.1f}% of one core (target < 25%)", flush=True)
        feeder.stop.set()
    finally:
        prom.stop()
    print(end_to_end_latency(), flush=True)


def end_to_end_latency() -> str:
    """The end-to-end compat test's scenario (Prometheus scraping every 1 s and remote-writing to
    an amclone process, group_wait 1 s), once on the 1 s grid and once event-driven."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "compat-tests" / "rules" / "test_rules_end_to_end.py"
    spec = importlib.util.spec_from_file_location("rules_e2e_bench", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = []
    for evaluation, budget in (("interval", 4.0), ("on_write", 2.5)):
        latency = mod.run_scenario(workdir("bench-e2e-"), reference_binary("prometheus"), evaluation)
        out.append(f"detection latency ({evaluation}): {latency:.2f} s (target < {budget} s)")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
