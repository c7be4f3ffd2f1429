"""Does a text parse as a Go text/template? (OpsGenie responder types may be templates.)

0.25 checks them with a bare `template.New("").Parse(...)`: only text/template's builtin
functions exist there. The parser is the template package's (same layer); if it cannot be
imported the text is accepted.
"""

from __future__ import annotations

_GO_BUILTINS = frozenset({
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println",
    "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
})


def check_template(text: str) -> str:
    """'' when `text` parses, else Go's parse error text (``template: :1: ...``)."""
    try:
        from amclone.template.gotmpl.parser import TemplateError, parse
    except ImportError:
        return ""
    try:
        parse("", text, lambda name: name in _GO_BUILTINS)
    except TemplateError as e:
        return str(e)
    return ""
