"""Go templates for notifications: the text/template and html/template engine (``gotmpl``),
Alertmanager's data and functions, and the default templates.

Other packages use ``from_globs(*patterns) -> Template`` (``execute_text`` / ``execute_html``),
``data.build(...)`` for the data, and ``TemplateError`` whose ``str()`` is Go's message.
"""

from __future__ import annotations

from amclone.template.gotmpl.parser import TemplateError
from amclone.template.templates import Template, from_globs


def check_globs(patterns: list[str]) -> str:
    """Parse the defaults and `patterns` as Alertmanager would at config load; '' when fine,
    else Go's error text."""
    try:
        from_globs(*patterns)
    except TemplateError as e:
        return str(e)
    return ""


__all__ = ["Template", "TemplateError", "check_globs", "from_globs"]
