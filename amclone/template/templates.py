"""Alertmanager's ``template.Template``: the default templates plus users' globs, parsed into a text
set and an HTML set, and the two render entry points notifiers use.

The defaults (``templates/default.tmpl`` and ``email.tmpl`` at the repository root, our own text)
are parsed once per process; each ``from_globs`` puts the user's files in an overlay in front of
them, so a config reload re-reads only user files. A glob that matches nothing is not an error (the
files may appear later), as in Alertmanager.
"""

from __future__ import annotations

import glob as _glob
import os
import threading
from pathlib import Path
from typing import Any

from amclone.template.funcs import FUNCS
from amclone.template.gotmpl.parser import TemplateError
from amclone.template.gotmpl.template import TemplateSet
from amclone.template.gotmpl.values import Func

DEFAULTS_DIR = Path(__file__).resolve().parents[2] / "templates"
DEFAULT_FILES = ("default.tmpl", "email.tmpl")

__all__ = ["DEFAULTS_DIR", "Template", "TemplateError", "from_globs"]

_lock = threading.Lock()
_defaults: dict[bool, TemplateSet] = {}


def _default_set(html: bool, funcs: dict[str, Func]) -> TemplateSet:
    with _lock:
        ts = _defaults.get(html)
        if ts is None:
            ts = TemplateSet(funcs, html=html)
            for name in DEFAULT_FILES:
                # Alertmanager parses its embedded defaults into the "" template, so errors
                # inside them would name no file.
                ts.parse("", (DEFAULTS_DIR / name).read_text())
            _defaults[html] = ts
        return ts


def _check_pattern(pattern: str) -> None:
    """Go's filepath.Glob rejects malformed patterns (an unclosed '[' or a trailing '\\')."""
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                raise TemplateError("syntax error in pattern")
            i += 2
            continue
        if c == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                raise TemplateError("syntax error in pattern")
            while j < n and pattern[j] != "]":
                if pattern[j] == "\\":
                    j += 1
                j += 1
            if j >= n:
                raise TemplateError("syntax error in pattern")
            i = j + 1
            continue
        i += 1


def glob_files(pattern: str) -> list[str]:
    _check_pattern(pattern)
    return sorted(_glob.glob(pattern))


class Template:
    """A text set and an HTML set over the same files (Alertmanager's Template)."""

    def __init__(self, text: TemplateSet, html: TemplateSet, external_url: str = "") -> None:
        self.text = text
        self.html = html
        self.external_url = external_url

    def execute_text(self, text: str, data: Any) -> str:
        """ExecuteTextString: raises TemplateError with Go's message."""
        return self.text.execute_text(text, data)

    def execute_html(self, text: str, data: Any) -> str:
        """ExecuteHTMLString, with html/template's contextual escaping."""
        return self.html.execute_text(text, data)

    def names(self) -> list[str]:
        return [n for n in self.text.names() if n]


def from_globs(*patterns: str, funcs: dict[str, Func] | None = None, later_funcs: bool = False) -> Template:
    """Load the defaults, then every file each glob matches, in order; raises TemplateError.
    `later_funcs` adds the functions of Alertmanager releases after 0.25 (trimSpace, date, tz...)."""
    fmap = dict(FUNCS)
    if later_funcs:
        from amclone.template.funcs_later import LATER_FUNCS

        fmap.update(LATER_FUNCS)
        funcs = {**(funcs or {}), **LATER_FUNCS}
    if funcs:
        fmap.update(funcs)
    sets = []
    for html in (False, True):
        base = _default_set(html, fmap) if funcs is None else TemplateSet(fmap, html=html)
        if funcs is not None:
            for name in DEFAULT_FILES:
                base.parse("", (DEFAULTS_DIR / name).read_text())
        sets.append(base.overlay())
    text_set, html_set = sets
    for pattern in patterns:
        for path in glob_files(pattern):
            try:
                content = Path(path).read_text(errors="surrogateescape")
            except IsADirectoryError:
                raise TemplateError(f"read {path}: is a directory") from None  # os.ReadFile's wording
            except OSError as e:
                raise TemplateError(f"open {path}: {os.strerror(e.errno or 0).lower()}") from None
            name = os.path.basename(path)
            text_set.parse(name, content)
            html_set.parse(name, content)
    return Template(text_set, html_set)
