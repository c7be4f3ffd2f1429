"""Why a notification failed: the ``reason`` label newer Alertmanager releases put on
``alertmanager_notifications_failed_total`` (``notify/util.go``'s ``Reason``).

0.25 counts failures by integration only. Adding the label keeps every query that sums by
integration working while telling a dashboard whether a receiver is down, refusing the request,
rejecting credentials or throttling. An error says why it failed through a ``reason`` attribute
(set where the integration decides, as newer releases wrap ``ErrorWithReason``) or an HTTP
``status`` attribute (classified as ``GetFailureReasonFromStatusCode`` does); anything else
(transport errors, templates) is ``other``, as an unwrapped Go error is.
"""

from __future__ import annotations

__all__ = [
    "AUTH_ERROR", "CLIENT_ERROR", "CONTEXT_CANCELED", "CONTEXT_DEADLINE_EXCEEDED", "OTHER", "RATE_LIMITED",
    "REASONS", "SERVER_ERROR", "StatusError", "failure_reason", "from_status",
]

OTHER = "other"
CLIENT_ERROR = "clientError"
SERVER_ERROR = "serverError"
CONTEXT_CANCELED = "contextCanceled"
CONTEXT_DEADLINE_EXCEEDED = "contextDeadlineExceeded"
AUTH_ERROR = "authError"
RATE_LIMITED = "rateLimited"

# Every value, in Go's order: each integration's series are created for all of them up front.
REASONS = (OTHER, CLIENT_ERROR, SERVER_ERROR, CONTEXT_CANCELED, CONTEXT_DEADLINE_EXCEEDED, AUTH_ERROR, RATE_LIMITED)


def from_status(status: int) -> str:
    """``GetFailureReasonFromStatusCode``: 401/403 auth, 429 throttled, then by class."""
    if status in (401, 403):
        return AUTH_ERROR
    if status == 429:
        return RATE_LIMITED
    if status // 100 == 4:
        return CLIENT_ERROR
    if status // 100 == 5:
        return SERVER_ERROR
    return OTHER


class StatusError(RuntimeError):
    """A failure with the HTTP status that caused it (the reason follows from the status)."""

    def __init__(self, text: str, status: int) -> None:
        super().__init__(text)
        self.status = status


def failure_reason(err: BaseException | None) -> str:
    """The reason label for `err`: its own ``reason``, else its HTTP ``status``, else other."""
    reason = getattr(err, "reason", None)
    if isinstance(reason, str) and reason in REASONS:
        return reason
    status = getattr(err, "status", None)
    if isinstance(status, int):
        return from_status(status)
    return OTHER
