"""Every receiver integration besides webhook (which lives in ``notify.webhook``): the twelve of
Alertmanager 0.25 and the ones newer releases added. `registry.factories` plugs them into the
pipeline builder; each module documents what it sends and when it retries."""

from amclone.notify.integrations.registry import KINDS, NEWER_ORDER, factories, notifier_class

__all__ = ["KINDS", "NEWER_ORDER", "factories", "notifier_class"]
