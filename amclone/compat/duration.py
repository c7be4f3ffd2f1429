"""Durations in the two syntaxes Alertmanager users meet.

* Prometheus ``model.Duration`` (config files, API): ``1y2w3d4h5m6s7ms``, each unit at most once,
  in that order; printed in the shortest exact form (``90d``, not ``12w6d``).
* Go ``time.Duration`` (command-line flags such as ``--data.retention=120h``): ``1.5h``, ``300ms``,
  ``-2m3s``, ``1h0m0s`` when printed.

Values are ints of nanoseconds, as everywhere in amclone.
"""

from __future__ import annotations

import re

from amclone.compat.goquote import quote, time_quote

_MS = 1_000_000
_S = 1000 * _MS
_M = 60 * _S
_H = 60 * _M
_D = 24 * _H
_W = 7 * _D
_Y = 365 * _D

# The model.Duration grammar (also read by the Prometheus API, which tries float seconds first).
MODEL_RE = re.compile(
    r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$"
)
MODEL_UNITS = (_Y, _W, _D, _H, _M, _S, _MS)
_MAX_INT64 = (1 << 63) - 1


class DurationError(ValueError):
    """The text Prometheus / Go gives for an unparsable duration."""


def parse_model_duration(text: str) -> int:
    """Parse a Prometheus duration; the error text is Prometheus's own."""
    if text == "0":
        return 0
    if text == "":
        raise DurationError("empty duration string")
    m = MODEL_RE.match(text)
    if m is None:
        raise DurationError(f"not a valid duration string: {quote(text)}")
    total = 0
    for group, unit in zip(m.groups(), MODEL_UNITS):
        if group is not None:
            total += int(group) * unit
            if total > _MAX_INT64:
                raise DurationError("duration out of range")
    return total


def format_model_duration(ns: int) -> str:
    """Print as Prometheus does: years and weeks only when exact, milliseconds the finest unit."""
    ms = ns // _MS
    if ms == 0:
        return "0s"
    out = []
    for unit, mult, exact in (
        ("y", _Y // _MS, True),
        ("w", _W // _MS, True),
        ("d", _D // _MS, False),
        ("h", _H // _MS, False),
        ("m", _M // _MS, False),
        ("s", _S // _MS, False),
        ("ms", 1, False),
    ):
        if exact and ms % mult != 0:
            continue
        v = ms // mult
        if v > 0:
            out.append(f"{v}{unit}")
            ms -= v * mult
    return "".join(out)


_GO_UNITS = {
    "ns": 1,
    "us": 1000,
    "\u00b5s": 1000,  # micro sign
    "\u03bcs": 1000,  # Greek mu
    "ms": _MS,
    "s": _S,
    "m": _M,
    "h": _H,
}


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def parse_go_duration(text: str) -> int:
    """Parse like Go's time.ParseDuration, scanning as it does so that the error texts match
    (a unit is everything up to the next digit or dot; texts quoted with Go's time.quote)."""
    invalid = DurationError(f"time: invalid duration {time_quote(text)}")
    s = text
    neg = False
    if s[:1] in ("+", "-"):
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if s == "":
        raise invalid
    total = 0
    while s:
        if not (s[0] == "." or _is_digit(s[0])):
            raise invalid
        i = 0
        while i < len(s) and _is_digit(s[i]):
            i += 1
        whole, pre = s[:i], i > 0
        frac = ""
        if i < len(s) and s[i] == ".":
            j = i + 1
            while j < len(s) and _is_digit(s[j]):
                j += 1
            frac, i = s[i + 1 : j], j
            if not pre and not frac:
                raise invalid
        elif not pre:
            raise invalid
        s = s[i:]
        k = 0
        while k < len(s) and s[k] != "." and not _is_digit(s[k]):
            k += 1
        if k == 0:
            raise DurationError(f"time: missing unit in duration {time_quote(text)}")
        unit, s = s[:k], s[k:]
        if unit not in _GO_UNITS:
            raise DurationError(f"time: unknown unit {time_quote(unit)} in duration {time_quote(text)}")
        mult = _GO_UNITS[unit]
        value = int(whole or "0") * mult
        if frac:
            value += int(frac) * mult // (10 ** len(frac))
        total += value
        if total > _MAX_INT64 + (1 if neg else 0):
            raise invalid
    return -total if neg else total


def format_go_duration(ns: int) -> str:
    """Print like Go's time.Duration.String(): ``1h0m0s``, ``1.5s``, ``300ms``, ``0s``."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    u = abs(ns)
    if u < _S:
        for unit, mult in (("ms", _MS), ("µs", 1000), ("ns", 1)):
            if u >= mult:
                return sign + _frac(u, mult) + unit
    secs = _frac(u % _M, _S) + "s"
    mins = (u // _M) % 60
    hours = u // _H
    if hours:
        return f"{sign}{hours}h{mins}m{secs}"
    if u >= _M:
        return f"{sign}{mins}m{secs}"
    return sign + secs


def _frac(value: int, unit: int) -> str:
    whole, rest = divmod(value, unit)
    if rest == 0:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}.{rest:0{digits}d}".rstrip("0")
