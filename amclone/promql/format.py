"""Go-style quoting for label values in error messages and ``String()`` forms."""

from __future__ import annotations


def quote(s: str) -> str:
    """Go's ``strconv.Quote``, via the shared implementation when present."""
    try:
        from amclone.compat.goquote import quote as goquote

        return goquote(s)
    except ImportError:  # pragma: no cover
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
