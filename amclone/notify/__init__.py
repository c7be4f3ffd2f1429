"""The notification pipeline (L3): stages in 0.25's order, the notification log's dedup, retries,
HTTP helpers and the webhook integration. `pipeline.build_pipeline` assembles it;
`amclone.dispatch.system.NotificationSystem` wires it to the dispatcher."""

from amclone.notify.dedup import NotifiedHook, hash_alert
from amclone.notify.pipeline import build_integrations, build_pipeline
from amclone.notify.retry import Integration, Notifier, NotifyMetrics
from amclone.notify.stage import NotifyContext, NotifyError, Stage

__all__ = [
    "Integration", "NotifiedHook", "Notifier", "NotifyContext", "NotifyError", "NotifyMetrics", "Stage",
    "build_integrations", "build_pipeline", "hash_alert",
]
