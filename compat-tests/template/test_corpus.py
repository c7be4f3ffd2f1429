"""Every define in the 12 real-world templates of ../shared/corpus/templates, rendered by amtool and
by amctl on each data file (text, and HTML for the e-mail ones); files that do not parse must fail
with the same message."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from template_harness import DATA, amctl, amctl_inproc, amtool

from amclone.testing.procs import SHARED

CORPUS = SHARED / "corpus" / "templates"
FILES = sorted(CORPUS.glob("*.tmpl"))
DATA_FILES = sorted(p.name for p in DATA.glob("*.json"))


def _defines(path: Path) -> list[str]:
    return re.findall(r'{{-?\s*define\s+"([^"]+)"', path.read_text())


CASES = [(f.name, d) for f in FILES for d in _defines(f)]


def test_corpus_present() -> None:
    assert len(FILES) == 12


@pytest.mark.parametrize("data", DATA_FILES)
@pytest.mark.parametrize("file,name", CASES, ids=[f"{f}:{d}" for f, d in CASES])
def test_corpus_define(file: str, name: str, data: str) -> None:
    glob = [str(CORPUS / file)]
    text = f'{{{{ template "{name}" . }}}}'
    kinds = ["text", "html"] if ("html" in name or "email" in name or "mail" in name) else ["text"]
    for kind in kinds:
        want = amtool(text, glob, kind=kind, data=data)
        got = amctl_inproc(text, glob, kind=kind, data=data)
        assert (got.rc, got.out, got.err) == (want.rc, want.out, want.err), kind


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_corpus_file_through_amctl_cli(path: Path) -> None:
    """The real amctl command line (a separate process) on each whole file."""
    names = _defines(path)
    text = "".join(f'[{{{{ template "{n}" . }}}}]' for n in names) or "x"
    want = amtool(text, [str(path)], data="mixed.json")
    got = amctl(text, [str(path)], data="mixed.json")
    assert (got.rc, got.out, got.err) == (want.rc, want.out, want.err)
