"""The newer integrations' default templates (``newer.tmpl``) added to a loaded Template.

Our templates/default.tmpl holds 0.25's names only (a 0.25 user may define e.g.
``msteams.default.text`` themselves). So the newer names are parsed into a Template, once, and
only those it does not already define: users' definitions and the 0.25 defaults win, as with
newer Alertmanager, which parses its defaults first and users' files over them.
"""

from __future__ import annotations

import re
import weakref
from pathlib import Path

from amclone.template import Template

__all__ = ["with_newer_defaults"]

_FILE = Path(__file__).with_name("newer.tmpl")
_DEFINE = re.compile(r'\{\{-?\s*define\s+"([^"]+)"')
_done: weakref.WeakSet[Template] = weakref.WeakSet()


def _blocks() -> list[tuple[str, str]]:
    """(name, source) of each top-level define in newer.tmpl."""
    text = _FILE.read_text()
    starts = [(m.start(), m.group(1)) for m in _DEFINE.finditer(text)]
    out = []
    for i, (pos, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        out.append((name, text[pos:end]))
    return out


def with_newer_defaults(t: Template) -> Template:
    if t in _done:
        return t
    have = set(t.text.names())
    for name, src in _blocks():
        if name not in have:
            t.text.parse("", src)
            t.html.parse("", src)
    _done.add(t)
    return t
