"""Per-alert mute status (0.25's ``types.memMarker``) and the `Muter` seam.

The marker is the one place where the silencer and the inhibitor leave their verdicts, so that
``GET /api/v2/alerts`` (``status.state``, ``silencedBy``, ``inhibitedBy``), the
``alertmanager_alerts{state}`` gauge and the notification pipeline agree. It is keyed by
fingerprint and lives beside the store: the store's GC calls `delete` for every alert it drops.

Everything runs on the event loop, so there is no lock (Go's RWMutex guards goroutines).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

__all__ = ["UNPROCESSED", "AlertState", "AlertStatusInfo", "Marker", "Muter"]


class AlertState(str, Enum):
    UNPROCESSED = "unprocessed"
    ACTIVE = "active"
    SUPPRESSED = "suppressed"


@dataclass(frozen=True, slots=True)
class AlertStatusInfo:
    """``types.AlertStatus`` as the API shows it (``status`` of a gettable alert).

    `pending_silences` and `silences_version` are the silencer's cache (not shown by the API):
    0.25's Silencer skips re-querying silences when the version has not moved.

    API v1 prints Go's nil slices: for a marked alert an empty ``silencedBy``/``inhibitedBy`` is
    ``null``, for an unmarked one (state `unprocessed`) ``[]`` [verified, 0.25 GET /api/v1/alerts];
    v2 always prints ``[]``. The state alone tells which case applies.
    """

    state: AlertState
    silenced_by: tuple[str, ...] = ()
    inhibited_by: tuple[str, ...] = ()
    pending_silences: tuple[str, ...] = ()
    silences_version: int = 0


UNPROCESSED = AlertStatusInfo(AlertState.UNPROCESSED)


class Muter(Protocol):
    """``types.Muter``: whether a label set is muted right now.

    Implemented by the silencer, the inhibitor and the time-interval stages. Implementations that
    keep a `Marker` record their verdict in it as a side effect of `mutes`, as in Go.
    """

    def mutes(self, labels: Mapping[str, str]) -> bool: ...


class Marker:
    """Mute status by fingerprint; an unknown fingerprint is `unprocessed` with empty lists."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self._m: dict[int, AlertStatusInfo] = {}
        if registry is not None:
            registry.register(_MarkedCollector(self))

    def set_silenced(self, fp: int, active_ids: Sequence[str] = (), pending_ids: Sequence[str] = (),
                     version: int = 0) -> None:
        """``SetActiveOrSilenced``: replace SilencedBy (the complete set of active silences)."""
        old = self._m.get(fp)
        inhibited = old.inhibited_by if old is not None else ()
        state = AlertState.SUPPRESSED if active_ids or inhibited else AlertState.ACTIVE
        self._m[fp] = AlertStatusInfo(state, tuple(active_ids), inhibited, tuple(pending_ids), version)

    def set_inhibited(self, fp: int, ids: Sequence[str] = ()) -> None:
        """``SetInhibited``: replace InhibitedBy (in practice zero or one inhibiting alert)."""
        old = self._m.get(fp, UNPROCESSED)
        state = AlertState.SUPPRESSED if ids or old.silenced_by else AlertState.ACTIVE
        self._m[fp] = AlertStatusInfo(state, old.silenced_by, tuple(ids), old.pending_silences,
                                      old.silences_version)

    def status(self, fp: int) -> AlertStatusInfo:
        return self._m.get(fp, UNPROCESSED)

    def delete(self, fp: int) -> None:
        self._m.pop(fp, None)

    def unprocessed(self, fp: int) -> bool:
        return self.status(fp).state is AlertState.UNPROCESSED

    def active(self, fp: int) -> bool:
        return self.status(fp).state is AlertState.ACTIVE

    def silenced(self, fp: int) -> tuple[tuple[str, ...], tuple[str, ...], int, bool]:
        """(active ids, pending ids, silences version, whether silenced) as Go's ``Silenced``."""
        s = self.status(fp)
        return (s.silenced_by, s.pending_silences, s.silences_version,
                s.state is AlertState.SUPPRESSED and bool(s.silenced_by))

    def inhibited(self, fp: int) -> tuple[tuple[str, ...], bool]:
        s = self.status(fp)
        return s.inhibited_by, s.state is AlertState.SUPPRESSED and bool(s.inhibited_by)

    def count(self, *states: AlertState) -> int:
        """Marked alerts in any of `states`; with none given, all marked alerts."""
        if not states:
            return len(self._m)
        wanted = set(states)
        return sum(1 for s in self._m.values() if s.state in wanted)

    def counts(self, fps: Iterable[int] | None = None) -> dict[AlertState, int]:
        """Alerts per state, over `fps` (unknown ones count as unprocessed) or over all marked."""
        out = dict.fromkeys(AlertState, 0)
        if fps is None:
            for s in list(self._m.values()):  # a scrape thread may race the loop
                out[s.state] += 1
        else:
            get = self._m.get
            for fp in fps:
                out[get(fp, UNPROCESSED).state] += 1
        return out

    def __len__(self) -> int:
        return len(self._m)


class _MarkedCollector(Collector):
    """``alertmanager_marked_alerts{state}``: marked alerts, resolved or not (0.25)."""

    def __init__(self, marker: Marker) -> None:
        self._marker = marker

    def collect(self) -> Iterator[GaugeMetricFamily]:
        g = GaugeMetricFamily(
            "alertmanager_marked_alerts",
            "How many alerts by state are currently marked in the Alertmanager regardless of their expiry.",
            labels=["state"],
        )
        counts = self._marker.counts()
        for state in (AlertState.ACTIVE, AlertState.SUPPRESSED, AlertState.UNPROCESSED):
            g.add_metric([state.value], counts[state])
        yield g
