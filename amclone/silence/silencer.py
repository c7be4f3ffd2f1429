"""`Silencer`: the Muter that silences alerts, and records which silences do so in the marker
that GET /api/v2/alerts shows as ``status.silencedBy``.

Every alert passes through it on every notification and every API listing, so it keeps 0.25's
cache, stored in the marker beside the verdict: the silences that applied to the fingerprint
(active and pending) and the silence-state version they were computed at. While the version is
unchanged no new silence can apply, so only those need rechecking (a pending one may have
started, an active one ended), and an alert no silence applied to costs one lookup.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Protocol

from amclone.labels.labelset import fingerprint
from amclone.silence.model import Silence, SilenceError, SilenceState
from amclone.silence.store import Silences

log = logging.getLogger(__name__)

_ACTIVE_OR_PENDING = (SilenceState.ACTIVE, SilenceState.PENDING)


class SilenceMarker(Protocol):
    """What the Silencer needs of the alert marker (`amclone.alerts.marker.Marker`): 0.25's
    `SetActiveOrSilenced` and `Silenced`."""

    def set_silenced(self, fp: int, active_ids: Sequence[str] = (), pending_ids: Sequence[str] = (),
                     version: int = 0) -> None:
        """Record the sorted IDs of the active silences muting the alert (empty clears), and the
        pending ones and the version for the cache."""
        ...

    def silenced(self, fp: int) -> tuple[Sequence[str], Sequence[str], int, bool]:
        """(active IDs, pending IDs, version, silenced) as last recorded; (), (), 0 when unknown."""
        ...


class Silencer:
    def __init__(self, silences: Silences, marker: SilenceMarker) -> None:
        self._silences = silences
        self._marker = marker

    def mutes(self, labels: Mapping[str, str]) -> bool:
        """Whether an active silence matches `labels`; updates the marker as 0.25's `Mutes`."""
        fp = fingerprint(labels)
        active_ids, pending_ids, marker_version, _ = self._marker.silenced(fp)
        version = marker_version
        found: list[Silence]
        try:
            if marker_version == self._silences.version:
                if not active_ids and not pending_ids:
                    return False  # nothing applied and nothing was added since
                # Keep the marker's version: the cached IDs were computed at it, whatever
                # version this query happens to see.
                found, _ = self._silences.query(ids=[*active_ids, *pending_ids], states=_ACTIVE_OR_PENDING)
            else:
                found, version = self._silences.query(states=_ACTIVE_OR_PENDING, matches=labels)
        except SilenceError as e:
            log.error("Querying silences failed, alerts might not get silenced correctly: %s", e)
            found = []
        now = self._silences.now()
        active = sorted(s.id for s in found if s.state(now) is SilenceState.ACTIVE)
        pending = sorted(s.id for s in found if s.state(now) is SilenceState.PENDING)
        self._marker.set_silenced(fp, active, pending, version)
        return bool(active)

    def forget(self, fp: int) -> None:
        """Nothing to drop: the cache lives in the marker, which the alert store clears when an
        alert goes. Kept for callers wired to the earlier, Silencer-held cache."""
