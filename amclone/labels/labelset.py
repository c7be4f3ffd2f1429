"""Label sets as Prometheus' `model.LabelSet` sees them.

A label set is a plain ``dict[str, str]`` (see docs/ARCHITECTURE.md). Alertmanager identifies alerts,
groups and silenced/inhibited alerts by the set's fingerprint, prints it as ``%016x`` in the API and
sorts by `Before`, so all three must agree with Go bit for bit.

Strings are Python ``str``; bytes that were not valid UTF-8 are expected as surrogate escapes
(``errors="surrogateescape"``), which is how they are turned back into the exact bytes Go hashes.
"""

from __future__ import annotations

from collections.abc import Mapping

from amclone.compat.goquote import quote

try:  # FNV-1a in C (fnv-c, a dependency): ~1 us per label set instead of ~10 us in Python
    from fnv_c import lib as _fnv_lib
except ImportError:  # pragma: no cover - the pure-Python path below gives the same values
    _fnv_lib = None

_OFFSET64 = 14695981039346656037
_PRIME64 = 1099511628211
_MASK64 = (1 << 64) - 1

# FNV-1a 64 of nothing: Go caches it as `emptyLabelSignature`.
EMPTY_FINGERPRINT = _OFFSET64

LabelSet = Mapping[str, str]


def _encode(s: str) -> bytes:
    # ASCII is the overwhelmingly common case and encodes fastest with the default codec.
    try:
        return s.encode()
    except UnicodeEncodeError:
        try:
            return s.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte
            return s.encode("utf-8", "surrogatepass")


def fingerprint_bytes(data: bytes, h: int = _OFFSET64) -> int:
    """Continue an FNV-1a 64 hash over `data`; the building block of every fingerprint here."""
    p = _PRIME64
    m = _MASK64
    for b in data:
        h = ((h ^ b) * p) & m
    return h


# Hashing costs one Python step per byte, and label pairs repeat across alerts (alertname,
# job, severity, team ...). FNV-1a's XOR only touches the low byte, so the state's upper bits are
# just multiplied through: hashing a pair s from state h gives
#     (h - l) * p**len(s) + FNV(s, from state l)   (mod 2**64),   l = h & 0xff.
# The second term depends on l and s alone, so it is remembered per (l, name, value); a known
# pair then costs one multiply-add whatever its length. Cleared when full: cheap and bounded.
_PAIRS: dict[tuple[int, str, str], tuple[int, int]] = {}
_PAIRS_MAX = 1 << 16


def _pair(low: int, name: str, value: str) -> tuple[int, int]:
    data = _encode(name) + b"\xff" + _encode(value) + b"\xff"
    entry = (fingerprint_bytes(data, low), pow(_PRIME64, len(data), 1 << 64))
    if len(_PAIRS) >= _PAIRS_MAX:
        _PAIRS.clear()
    _PAIRS[(low, name, value)] = entry
    return entry


# Alerts are re-sent every evaluation interval with the same labels: whole sets seen recently
# are remembered too, keyed by their sorted items (str hashes are cached, so this is cheap).
_SETS: dict[tuple[tuple[str, str], ...], int] = {}
_SETS_MAX = 1 << 16


# Joining the sorted pairs with this separator and encoding once gives Go's bytes in one C pass:
# surrogateescape turns U+DCFF into the 0xff byte, and escaped bytes in names or values back into
# theirs (what `_encode` does pair by pair). A lone surrogate that is no escaped byte fails the
# encode and takes the pair-by-pair path.
_SEP = "\udcff"


def fingerprint(labels: LabelSet) -> int:
    """`model.LabelSet.Fingerprint()`: FNV-1a 64 over sorted ``name 0xff value 0xff``.

    Names sort by code point, which for valid UTF-8 is the byte order Go's sort.Strings uses.
    """
    if not labels:
        return EMPTY_FINGERPRINT
    if _fnv_lib is not None:
        parts = []
        for name in sorted(labels):
            parts.append(name)
            parts.append(labels[name])
        parts.append("")
        try:
            data = _SEP.join(parts).encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            pass
        else:
            fp: int = _fnv_lib.fnv1a_64(data, len(data))
            return fp
    return _cached_fingerprint(labels)


def _cached_fingerprint(labels: LabelSet) -> int:
    """The pure-Python fingerprint: whole sets and pairs remembered, as hashing costs a Python
    step per byte here."""
    key = tuple(sorted(labels.items()))
    fp = _SETS.get(key)
    if fp is None:
        fp = _hash_pairs(key)
        if len(_SETS) >= _SETS_MAX:
            _SETS.clear()
        _SETS[key] = fp
    return fp


def _hash_pairs(items: tuple[tuple[str, str], ...]) -> int:
    """FNV-1a 64 over sorted (name, value) items, one cached multiply-add per known pair."""
    h = _OFFSET64
    get = _PAIRS.get
    for name, value in items:
        low = h & 0xFF
        entry = get((low, name, value)) or _pair(low, name, value)
        h = ((h - low) * entry[1] + entry[0]) & _MASK64
    return h


def fingerprint_hex(fp: int) -> str:
    """Go's ``%016x`` of a fingerprint, the form the API and logs show."""
    return f"{fp:016x}"


def to_string(labels: LabelSet) -> str:
    """`model.LabelSet.String()`: ``{a="1", b="2"}``.

    Go sorts the *formatted* ``name="value"`` strings, not the names, so ``a1="x"`` comes before
    ``a="x"`` ('1' < '='). Group keys embed this text, so the quirk is kept.
    """
    return "{" + ", ".join(sorted(f"{n}={quote(v)}" for n, v in labels.items())) + "}"


def before(a: LabelSet, b: LabelSet) -> bool:
    """`model.LabelSet.Before`: fewer labels first, then the first differing label decides.

    Go walks the merged, sorted list of both sets' names (duplicates included); a name missing
    from one side makes that side sort first.
    """
    if len(a) != len(b):
        return len(a) < len(b)
    for name in sorted([*a, *b]):
        av = a.get(name)
        if av is None:
            return True
        bv = b.get(name)
        if bv is None:
            return False
        if av != bv:
            return av < bv
    return False


def is_valid_name(name: str) -> bool:
    """0.25's label name rule, ``^[a-zA-Z_][a-zA-Z0-9_]*$`` (`model.LabelName.IsValid`)."""
    if not name or not name.isascii():
        return False
    first = name[0]
    if not (first.isalpha() or first == "_"):
        return False
    return name.replace("_", "a").isalnum()


def is_valid_utf8_name(name: str) -> bool:
    """The UTF-8 label name rule (Alertmanager's utf8 matcher mode, Prometheus 3): any non-empty
    text that is valid UTF-8 (a lone surrogate is not)."""
    if not name:
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_valid_value(value: str) -> bool:
    """`model.LabelValue.IsValid`: the value is valid UTF-8 (no escaped bytes, no lone surrogates)."""
    if value.isascii():
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def is_valid(labels: LabelSet) -> bool:
    """`model.LabelSet.Validate() == nil`: every name and value valid."""
    return all(is_valid_name(n) and is_valid_value(v) for n, v in labels.items())
