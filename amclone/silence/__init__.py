"""Silences (Alertmanager 0.25 `silence`): the value and its rules (`model`), the store
(`store.Silences`), its Alertmanager-format snapshot file (`persist`, `codec`), the Muter
(`silencer.Silencer`) and what API v2 shows of them (`api`)."""

from amclone.silence.model import (
                                   InvalidError,
                                   NotFoundError,
                                   Silence,
                                   SilenceError,
                                   SilenceMatcher,
                                   SilenceState,
)
from amclone.silence.silencer import SilenceMarker, Silencer
from amclone.silence.snapshot import SnapshotFile
from amclone.silence.store import Silences

__all__ = ["InvalidError", "NotFoundError", "Silence", "SilenceError", "SilenceMarker",
           "SilenceMatcher", "SilenceState", "Silencer", "Silences", "SnapshotFile"]
