"""The notification log (Alertmanager 0.25 `nflog`): `log.NotificationLog` (what was notified to
whom, deciding re-sends) and its snapshot codec (`codec`: the `nflog` file and the "nfl" gossip
payload)."""

from amclone.nflog.codec import Entry, Receiver
from amclone.nflog.log import NotificationLog

__all__ = ["Entry", "NotificationLog", "Receiver"]
