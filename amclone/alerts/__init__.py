"""Alerts as Alertmanager holds them (L2): the value, ingest rules, the durable store, the marker.

See docs/ARCHITECTURE.md for the contract other packages rely on.
"""

from amclone.alerts.alert import NIL_MAP, Alert, AlertStatus, NilMap, overlaps
from amclone.alerts.ingest import IngestMetrics, PostedAlert, Prepared, prepare, v1_labelset_error, validate
from amclone.alerts.marker import AlertState, AlertStatusInfo, Marker, Muter
from amclone.alerts.store import AlertLog, AlertStore, Subscription
from amclone.alerts.wal import AlertWAL

__all__ = [
    "NIL_MAP",
    "Alert",
    "AlertLog",
    "AlertState",
    "AlertStatus",
    "AlertStatusInfo",
    "AlertStore",
    "AlertWAL",
    "IngestMetrics",
    "Marker",
    "Muter",
    "NilMap",
    "PostedAlert",
    "Prepared",
    "Subscription",
    "overlaps",
    "prepare",
    "v1_labelset_error",
    "validate",
]
