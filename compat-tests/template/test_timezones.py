"""Times printed in the process's local zone (``.StartsAt.Local``, and zones from the data file)
match amtool under several TZ settings, through the real amctl command line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from template_harness import amctl, amtool

TEXT = ('{{ range .Alerts }}{{ .StartsAt }}|{{ .StartsAt.Local }}|{{ .EndsAt.Local }}|'
        '{{ .StartsAt.Local.Format "Mon Jan 2 15:04:05 MST 2006 -07:00" }}|{{ .EndsAt.UTC }}\n{{ end }}')


@pytest.mark.parametrize("tz", ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"])
def test_local_times(tz: str) -> None:
    want = amtool(TEXT, tz=tz)
    got = amctl(TEXT, tz=tz)
    assert (got.rc, got.out, got.err) == (want.rc, want.out, want.err)
