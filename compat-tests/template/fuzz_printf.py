"""Differential fuzzing of printf verbs, flags, widths and precisions against amtool 0.25.

Run by hand: .venv/bin/python compat-tests/template/fuzz_printf.py SEED COUNT
"""
import concurrent.futures as cf
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.chdir(HERE)
from template_harness import amctl_inproc, amtool

R = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
VALUES = ["0", "1", "-1", "42", "255", "-255", "1.5", "-0.5", "3.14159", "1e21", "1e-7", "123456789.0", "0.0",
          '"abc"', '"é東"', '""', '"a\\tb"', "true", "false", "'x'", ".Status", ".CommonLabels", ".Alerts.Resolved",
          ".CommonLabels.SortedPairs.Values", "(index .Alerts 0).StartsAt", "nil", "(len .Alerts)", "1e100",
          "9223372036854775807", "-9223372036854775808", "0x7f", "2.5e-300"]
VERBS = "vdsqxXobcUeEfFgGtT%p"


def spec() -> str:
    s = "%"
    for f in "-+# 0":
        if R.random() < 0.15:
            s += f
    if R.random() < 0.4:
        s += str(R.randint(0, 12))
    if R.random() < 0.4:
        s += "." + str(R.randint(0, 8))
    return s + R.choice(VERBS)


cases = []
for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 200):
    n = R.randint(1, 3)
    fmt = "|".join(spec() for _ in range(n))
    args = " ".join(R.choice(VALUES) for _ in range(n + (R.random() < 0.1) - (R.random() < 0.1)))
    cases.append('{{ printf "' + fmt + '" ' + args + " }}")
with cf.ThreadPoolExecutor(2) as ex:
    refs = list(ex.map(amtool, cases))
bad = 0
for t, w in zip(cases, refs):
    try:
        g = amctl_inproc(t)
        same = (g.rc, g.out, g.err) == (w.rc, w.out, w.err)
        got = g.out + g.err
    except Exception as e:  # noqa: BLE001 - report, keep going
        same, got = False, repr(e)
    if not same:
        bad += 1
        print("=== DIFF", t)
        print("  want", repr(w.out + w.err)[:300])
        print("  got ", repr(got)[:300])
print(f"{len(cases) - bad}/{len(cases)} identical")
