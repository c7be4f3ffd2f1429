"""Does a text parse as a Go text/template? (OpsGenie responder types may be templates.)

The template engine is another package (`amclone.template`, same layer); when it is not
importable the text is accepted, which is what 0.25 does for every well-formed template.
"""

from __future__ import annotations


def check_template(text: str) -> str:
    """'' when `text` parses, else Go's parse error text."""
    try:
        from amclone.template import parse_check  # type: ignore[attr-defined]
    except ImportError:
        return ""
    err = parse_check(text)
    return str(err) if err else ""
