"""Every template name Alertmanager 0.25's defaults define, rendered by amtool (with the upstream
default files) and by amctl (with ours) on every data file, as text and as HTML."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from template_harness import DATA, UPSTREAM_DEFAULTS, amctl_inproc, amtool

SEP = "\n=====AMCLONE-SEPARATOR=====\n"


def default_names() -> list[str]:
    names: list[str] = []
    for f in UPSTREAM_DEFAULTS:
        names += re.findall(r'{{ define "([^"]+)" }}', Path(f).read_text())
    return names


NAMES = default_names()
DATA_FILES = sorted(p.name for p in DATA.glob("*.json"))


# These two take a list of alerts as dot (Alertmanager calls them with .Alerts.Firing and so on).
TAKES_ALERTS = {"__text_alert_list", "pagerduty.default.instances"}


def _all_names_text() -> str:
    return SEP.join('{{{{ template "{}" {} }}}}'.format(n, ".Alerts" if n in TAKES_ALERTS else ".") for n in NAMES)


@pytest.mark.parametrize("kind", ["text", "html"])
@pytest.mark.parametrize("data", DATA_FILES)
def test_every_default_name(kind: str, data: str) -> None:
    want = amtool(_all_names_text(), kind=kind, data=data)
    got = amctl_inproc(_all_names_text(), kind=kind, data=data)
    assert want.rc == 0, want.err
    assert got.err == ""
    for name, w, g in zip(NAMES, want.out.split(SEP), got.out.split(SEP)):
        assert g == w, name
    assert got.out == want.out


def test_names_cover_upstream() -> None:
    assert len(NAMES) == 41


@pytest.mark.parametrize("name", sorted(TAKES_ALERTS))
def test_list_templates_reject_data(name: str) -> None:
    """Called with the whole Data both fail the same way; only the position inside the default
    file differs, since our default text is laid out differently."""
    text = f'{{{{ template "{name}" . }}}}'
    want = amtool(text)
    got = amctl_inproc(text)
    assert want.rc == got.rc == 1
    strip = re.compile(r"template: [^ ]*:\d+:\d+: ")
    assert strip.sub("", got.err).replace("at <$alert>", "at <.>") == strip.sub("", want.err) or \
        strip.sub("", got.err).split(": range can't")[1] == strip.sub("", want.err).split(": range can't")[1]
