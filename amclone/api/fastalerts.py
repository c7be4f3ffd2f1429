"""The common POST /api/v2/alerts body, taken in one pass.

Prometheus posts well-formed arrays of alerts with string labels, string annotations, RFC 3339
times and a plain generatorURL. For such a body the generic route (`gojsondec.decode` into
``models.PostableAlerts``, then ``Validate``, then building `PostedAlert` values) ends in exactly
the values built here, so this pass is only a shortcut: whenever anything is unusual (a body that
is not one valid JSON array of objects, an unknown or differently-cased key, a value of another
type, a ``null`` element, a missing ``labels``, a time or URL that does not parse) it answers
None and the generic route decides, with Go's error texts.
"""

from __future__ import annotations

import msgspec

from amclone.alerts import PostedAlert
from amclone.api.gotime import parse_datetime
from amclone.api.requesturi import is_request_uri
from amclone.compat.timefmt import offset_of
from amclone.timeutil import ZERO_TIME

__all__ = ["posted_alerts"]


class _Alert(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """models.PostableAlert with its keys spelled as the fields are. Go also matches other
    spellings case-insensitively and ignores unknown keys; either takes the generic route."""

    labels: dict[str, str]
    annotations: dict[str, str] | None = None
    startsAt: str | None = None  # the JSON keys
    endsAt: str | None = None
    generatorURL: str | None = None


# Decodes and type-checks in C. It rejects lone surrogate escapes, invalid UTF-8, a BOM, NaN and
# text after the value, all of which the generic route handles the Go way.
_DECODER = msgspec.json.Decoder(list[_Alert])


def posted_alerts(body: bytes) -> list[PostedAlert] | None:
    """The alerts of a plain, valid body; None when the generic route must judge it."""
    try:
        alerts = _DECODER.decode(body)
    except msgspec.DecodeError:  # ValidationError too
        return None
    out: list[PostedAlert] = []
    append = out.append
    new = tuple.__new__
    for a in alerts:
        starts_at = ends_at = ZERO_TIME
        starts_off = ends_off = 0
        try:
            text = a.startsAt
            if text is not None:
                starts_at = parse_datetime(text)
                if text[-1:] != "Z":  # the usual Z costs one comparison; offsets are read off the tail
                    starts_off = offset_of(text)
            text = a.endsAt
            if text is not None:
                ends_at = parse_datetime(text)
                if text[-1:] != "Z":
                    ends_off = offset_of(text)
        except ValueError:
            return None
        url = a.generatorURL
        if url is None:
            url = ""
        elif url and not is_request_uri(url):
            return None
        annotations = a.annotations
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (a third of its cost here).
        append(new(PostedAlert, (a.labels, {} if annotations is None else annotations, starts_at, ends_at,
                                 url, False, starts_off, ends_off)))
    return out
