"""Durations in the two syntaxes Alertmanager users meet.

* Prometheus ``model.Duration`` (config files, API): ``1y2w3d4h5m6s7ms``, each unit at most once,
  in that order; printed in the shortest exact form (``90d``, not ``12w6d``).
* Go ``time.Duration`` (command-line flags such as ``--data.retention=120h``): ``1.5h``, ``300ms``,
  ``-2m3s``, ``1h0m0s`` when printed.

Values are ints of nanoseconds, as everywhere in amclone.
"""

from __future__ import annotations

import re

_MS = 1_000_000
_S = 1000 * _MS
_M = 60 * _S
_H = 60 * _M
_D = 24 * _H
_W = 7 * _D
_Y = 365 * _D

_MODEL_RE = re.compile(
    r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$"
)
_MODEL_UNITS = (_Y, _W, _D, _H, _M, _S, _MS)
_MAX_INT64 = (1 << 63) - 1


class DurationError(ValueError):
    """The text Prometheus / Go gives for an unparsable duration."""


def parse_model_duration(text: str) -> int:
    """Parse a Prometheus duration; the error text is Prometheus's own."""
    if text == "0":
        return 0
    m = _MODEL_RE.match(text)
    if text == "" or m is None:
        raise DurationError(f'not a valid duration string: "{text}"')
    total = 0
    for group, unit in zip(m.groups(), _MODEL_UNITS):
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
    "µs": 1000,  # U+00B5
    "μs": 1000,  # U+03BC
    "ms": _MS,
    "s": _S,
    "m": _M,
    "h": _H,
}
_GO_PART = re.compile(r"(\d*)(?:\.(\d*))?([a-zµμ]*)")


def parse_go_duration(text: str) -> int:
    """Parse like Go's time.ParseDuration, with its error texts."""
    orig = text
    if text == "":
        raise DurationError(f'time: invalid duration "{orig}"')
    neg = False
    if text[0] in "+-":
        neg = text[0] == "-"
        text = text[1:]
    if text == "0":
        return 0
    if text == "":
        raise DurationError(f'time: invalid duration "{orig}"')
    total = 0
    while text:
        m = _GO_PART.match(text)
        if m is None or m.end() == 0:
            raise DurationError(f'time: invalid duration "{orig}"')
        whole, frac, unit = m.group(1), m.group(2), m.group(3)
        if whole == "" and not frac:
            raise DurationError(f'time: invalid duration "{orig}"')
        if unit == "":
            raise DurationError(f'time: missing unit in duration "{orig}"')
        if unit not in _GO_UNITS:
            raise DurationError(f'time: unknown unit "{unit}" in duration "{orig}"')
        mult = _GO_UNITS[unit]
        value = int(whole or "0") * mult
        if frac:
            value += int(frac) * mult // (10 ** len(frac))
        total += value
        if total > _MAX_INT64:
            raise DurationError(f'time: invalid duration "{orig}"')
        text = text[m.end():]
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
