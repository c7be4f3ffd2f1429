"""Differential fuzzing: random templates (actions, pipelines, control structures, HTML
fragments) rendered by amtool 0.25 and by amctl; prints every difference.

Run by hand: .venv/bin/python compat-tests/template/fuzz_vs_amtool.py SEED COUNT
(not collected by pytest; the cases it found are in cases.py).
"""
import concurrent.futures as cf
import os
import random
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.chdir(HERE)
from template_harness import amctl_inproc, amtool

R = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
ATOMS = ['.', '.Status', '.Alerts', '.CommonLabels', '.CommonLabels.job', '.Alerts.Firing', '$', '$x', '1', '2.5', '"s"',
         '`r`', 'true', 'nil', '(len .Alerts)', '.GroupLabels.SortedPairs', '(index .Alerts 0)', "'c'", '-1', '.Receiver',
         '.CommonLabels.SortedPairs.Values', '(index .Alerts 0).Labels', '.ExternalURL', '.Alerts.Resolved']
FUNCS = ['len', 'index', 'slice', 'eq', 'ne', 'lt', 'gt', 'and', 'or', 'not', 'print', 'printf', 'println', 'html', 'js',
         'urlquery', 'toUpper', 'join', 'match', 'reReplaceAll', 'stringSlice', 'title', 'safeHtml', 'call']
FMTS = ['"%d"', '"%s"', '"%v"', '"%q"', '"%x"', '"%5.2f"', '"%T"', '"%+v"', '"%-4s|"', '"%t"']
def expr(d=0):
    r = R.random()
    if r < 0.4 or d > 2:
        return R.choice(ATOMS)
    if r < 0.8:
        f = R.choice(FUNCS)
        args = [R.choice(FMTS)] if f == 'printf' else []
        args += [expr(d + 1) for _ in range(R.randint(0, 3))]
        return '(' + ' '.join([f] + args) + ')' if d else ' '.join([f] + args)
    return expr(d + 1) + ' | ' + R.choice(FUNCS)
def action(d=0):
    r = R.random()
    if r < 0.5 or d > 1:
        return '{{ ' + expr() + ' }}'
    if r < 0.6:
        return '{{ $x := ' + expr() + ' }}'
    kw = R.choice(['if', 'with', 'range'])
    body = ''.join(piece(d + 1) for _ in range(R.randint(0, 2)))
    els = ('{{ else }}' + piece(d + 1)) if R.random() < 0.4 else ''
    return '{{ ' + kw + ' ' + expr() + ' }}' + body + els + '{{ end }}'
TEXTS = ['a', ' ', '\n', '<b>', '"', '&', '<a href="', '">', "<p title='", "'>", '<p style="color: ', '<script>',
         '</script>', '<a href=', '>', '?q=', '#f', '<!--', '-->', '<title>', '</title>', "<a onclick='", ' x=',
         '<textarea>', '</textarea>', '<img src="', 'javascript:', '/path/', '<', '=', '{{- " " -}}', '{{/* c */}}',
         '{{ $y := 1 }}', '{{ range $i, $e := .Alerts }}{{ $i }}{{ end }}', '{{ if $ }}{{ else if 1 }}{{ end }}',
         '{{ define "d" }}<i>{{ . }}</i>{{ end }}{{ template "d" .Status }}', '{{ block "b" . }}{{ len . }}{{ end }}']


def piece(d=0):
    r = R.randrange(len(TEXTS) + 6)
    if r >= len(TEXTS):
        return action(d)
    return TEXTS[r]
cases = []
for i in range(int(sys.argv[2]) if len(sys.argv) > 2 else 150):
    t = ''.join(piece() for _ in range(R.randint(1, 4)))
    if R.random() < 0.1:  # mutilate
        k = R.randrange(len(t)); t = t[:k] + t[k + 1:]
    cases.append((t, 'html' if R.random() < 0.5 else 'text'))
def ref(c):
    return amtool(c[0], kind=c[1])
with cf.ThreadPoolExecutor(2) as ex:
    refs = list(ex.map(ref, cases))
bad = 0
for (t, k), w in zip(cases, refs):
    try:
        g = amctl_inproc(t, kind=k)
        same = (g.rc, g.out, g.err) == (w.rc, w.out, w.err)
    except Exception:  # noqa: BLE001 - a crash is a finding; report it and go on
        g, same, err = None, False, traceback.format_exc()[-600:]
    if not same:
        bad += 1
        print('=== DIFF', k, repr(t))
        print('  want', repr(w.out + w.err)[:400])
        print('  got ', repr((g.out + g.err) if g else err)[:600])
print(f'{len(cases) - bad}/{len(cases)} identical')
