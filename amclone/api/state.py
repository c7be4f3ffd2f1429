"""What the HTTP layer is given by the composition root (`amclone.app`), as small seams.

The API reads the stores directly (they are in-process) but never builds them; the parts that
change on reload (receivers, resolve timeout, route tree, the marshalled config) arrive as one
immutable `ApiConfig`, swapped in whole so a request sees one config from start to end.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from amclone.alerts import Alert, AlertStatusInfo, AlertStore, IngestMetrics
from amclone.api.intake import IntakeWorker
from amclone.config.marshal_json import ConfigJSON
from amclone.silence import Silences
from amclone.timeutil import Clock


class RouteTree(Protocol):
    """`amclone.dispatch.route.Route` as the API uses it."""

    def match(self, labels: Mapping[str, str]) -> Sequence[Any]: ...


class AlertGroup(Protocol):
    """One aggregation group as ``GET /api/v2/alerts/groups`` shows it (the dispatcher's)."""

    @property
    def labels(self) -> Mapping[str, str]: ...

    @property
    def receiver(self) -> str: ...

    @property
    def alerts(self) -> Sequence[Alert]: ...


RouteFilter = Callable[[Any], bool]
AlertFilter = Callable[[Alert, int], bool]
# dispatch.Dispatcher.Groups: the groups and, per fingerprint, the receivers of its routes.
GroupsFn = Callable[[RouteFilter, AlertFilter], tuple[Sequence[AlertGroup], Mapping[int, Sequence[str]]]]


@dataclass(frozen=True)
class ApiConfig:
    receivers: tuple[str, ...]
    resolve_timeout: int
    original: str  # config.marshal_yaml(): /api/v2/status config.original, /api/v1/status configYAML
    route: RouteTree
    json: ConfigJSON | None = None  # /api/v1/status configJSON, as Go's encoding/json writes it


@dataclass(frozen=True)
class Peer:
    name: str
    address: str


class ClusterView(Protocol):
    """The gossip peer, when clustering is on."""

    def name(self) -> str: ...

    def status(self) -> str: ...

    def peers(self) -> Sequence[Peer]: ...


class ReloadError(Exception):
    """A failed reload; `str()` is what follows ``failed to reload config: ``."""


@dataclass
class ApiDeps:
    clock: Clock
    alerts: AlertStore
    status: Callable[[int], AlertStatusInfo]
    silences: Silences
    ingest: IngestMetrics
    reload: Callable[[], Awaitable[None]]
    # Refreshes the marker for a label set (inhibitor, then silencer), as api.Update's callback.
    set_alert_status: Callable[[Mapping[str, str]], None] = lambda labels: None
    groups: GroupsFn | None = None
    cluster: ClusterView | None = None
    uptime: int = 0
    config: ApiConfig | None = field(default=None)
    # Prepares large POST /api/v2/alerts bodies in a second process; None: all in-process.
    intake: IntakeWorker | None = None

    def current(self) -> ApiConfig:
        if self.config is None:
            raise RuntimeError("API used before the first configuration was loaded")
        return self.config
