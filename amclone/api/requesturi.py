"""go-openapi's strfmt "uri" check (govalidator.IsRequestURI: Go's url.ParseRequestURI succeeds),
on its own so that the intake worker process can judge generatorURLs without the HTTP stack."""

from __future__ import annotations

import functools
import re

from amclone.config import gourl

__all__ = ["is_request_uri"]


# scheme://host[:port][/path][?query] with nothing url.ParseRequestURI could object to (no
# control bytes, no % escapes in the path, a plain host): most generatorURLs, judged at once.
_PLAIN_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9.-]+(?::[0-9]*)?(?:/[^\x00-\x1f\x7f%?]*)?"
                        r"(?:\?[^\x00-\x1f\x7f]*)?$")


def is_request_uri(s: str) -> bool:
    """strfmt "uri" (govalidator.IsRequestURI, i.e. Go's url.ParseRequestURI succeeds)."""
    # A regex match costs less than an lru_cache miss, and alerts' URLs often differ (they
    # embed label values); only the rare URLs that need Go's full parse are remembered.
    return _PLAIN_URI.match(s) is not None or _is_request_uri(s)


@functools.lru_cache(maxsize=4096)
def _is_request_uri(s: str) -> bool:
    if s == "" or not (s.startswith("/") or _has_scheme(s)):
        return s == "*"
    try:
        gourl.parse(s.replace("#", "%23"))
    except ValueError:
        return False
    return True


def _has_scheme(s: str) -> bool:
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", s)
    return m is not None
