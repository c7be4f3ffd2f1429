"""`Silencer`: the Muter that silences alerts, and records which silences do so in the marker
that GET /api/v2/alerts shows as ``status.silencedBy``.

Every alert passes through it on every notification and every API listing, so it keeps 0.25's
cache: the silences that applied to each fingerprint (active and pending), valid for one version
of the silence state. While the version is unchanged, no new silence can apply, so only the cached
ones need rechecking (a pending one may have started, an active one ended); an alert no silence
ever applied to costs a dictionary lookup.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Protocol

from amclone.labels.labelset import fingerprint
from amclone.silence.model import SilenceError, SilenceState
from amclone.silence.store import Silences

log = logging.getLogger(__name__)

_ACTIVE_OR_PENDING = (SilenceState.ACTIVE, SilenceState.PENDING)
# Past this many cached fingerprints (alerts churning while no silence changes) start afresh.
_MAX_CACHED = 1 << 20


class SilenceMarker(Protocol):
    """What the Silencer needs of the alert marker (`amclone.alerts.marker.Marker`)."""

    def set_silenced(self, fingerprint: int, ids: Sequence[str]) -> None:
        """Record the IDs (sorted) of the active silences muting the alert; empty clears."""
        ...


class Silencer:
    def __init__(self, silences: Silences, marker: SilenceMarker) -> None:
        self._silences = silences
        self._marker = marker
        self._version = -1
        self._cache: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def mutes(self, labels: Mapping[str, str]) -> bool:
        """Whether an active silence matches `labels`; updates the marker as 0.25's `Mutes`."""
        fp = fingerprint(labels)
        version = self._silences.version
        if version != self._version:
            self._cache.clear()
            self._version = version
        cached = self._cache.get(fp)
        try:
            if cached is not None:
                if not cached[0] and not cached[1]:
                    return False  # nothing ever applied and nothing was added since
                found, _ = self._silences.query(ids=cached[0] + cached[1], states=_ACTIVE_OR_PENDING)
            else:
                found, _ = self._silences.query(states=_ACTIVE_OR_PENDING, matches=labels)
        except SilenceError as e:
            log.error("Querying silences failed, alerts might not get silenced correctly: %s", e)
            found = []
        now = self._silences.now()
        active = tuple(sorted(s.id for s in found if s.state(now) is SilenceState.ACTIVE))
        pending = tuple(sorted(s.id for s in found if s.state(now) is SilenceState.PENDING))
        if len(self._cache) >= _MAX_CACHED:
            self._cache.clear()
        self._cache[fp] = (active, pending)
        self._marker.set_silenced(fp, active)
        return bool(active)

    def forget(self, fp: int) -> None:
        """Drop the cached decision for an alert that left the store."""
        self._cache.pop(fp, None)
