"""Fields cut to a service's limit: Alertmanager's log line (message and fields as each
integration logs them) and amclone's own counter, on the registry the factories were given."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from integ_fixtures import KEY, alerts, ctx
from prometheus_client import CollectorRegistry

from amclone import config as amconfig
from amclone.notify.integrations import factories
from amclone.notify.integrations.common import Truncations
from amclone.notify.pipeline import build_integrations
from amclone.template import from_globs
from amclone.timeutil import SystemClock


def build(receiver_yaml: str, registry: CollectorRegistry) -> Any:
    cfg = amconfig.load("route: {receiver: r}\nreceivers:\n- name: r\n" + receiver_yaml, extended=True)
    clock = SystemClock()
    (i,) = build_integrations(cfg.receivers[0], "http://am.example", clock,
                              factories(from_globs(), "http://am.example", clock, registry))
    return i.notifier


def count(reg: CollectorRegistry, integration: str, field: str) -> float | None:
    return reg.get_sample_value("amclone_notifications_truncated_total", {"integration": integration, "field": field})


def fields(rec: logging.LogRecord) -> dict[str, object]:
    std = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "taskName"}
    return {k: v for k, v in vars(rec).items() if k not in std}


@pytest.mark.parametrize(("yaml", "integration", "field", "msg", "extra"), [
    ("  slack_configs: [{api_url: 'http://x/s', title: '" + "x" * 1100 + "'}]\n",
     "slack", "title", "Truncated title", {"key": KEY, "max_runes": 1024}),
    ("  pushover_configs: [{user_key: u, token: t, title: '" + "x" * 300 + "'}]\n",
     "pushover", "title", "Truncated title", {"incident": KEY, "max_runes": 250}),
    ("  telegram_configs: [{bot_token: b, chat_id: 1, message: '" + "x" * 5000 + "'}]\n",
     "telegram", "message", "Truncated message", {"alert": KEY, "max_runes": 4096}),
    ("  rocketchat_configs: [{token: t, token_id: i, title: '" + "x" * 1100 + "'}]\n",
     "rocketchat", "title", "Truncated title", {"max_runes": 1024}),
])
def test_log_line_and_counter(yaml: str, integration: str, field: str, msg: str, extra: dict[str, object],
                              caplog: pytest.LogCaptureFixture) -> None:
    reg = CollectorRegistry()
    n = build(yaml, reg)
    assert count(reg, integration, field) is None
    with caplog.at_level(logging.DEBUG, logger="amclone.notify"):
        n.requests(ctx(), alerts())
    (rec,) = [r for r in caplog.records if r.getMessage().startswith("Truncated")]
    assert rec.levelno == logging.WARNING and rec.getMessage() == msg
    assert fields(rec) == {"integration": integration, **extra}
    assert count(reg, integration, field) == 1


def test_sns_counts_without_a_log(caplog: pytest.LogCaptureFixture) -> None:
    reg = CollectorRegistry()
    n = build("  sns_configs: [{api_url: 'http://x', phone_number: '+1', message: '" + "x" * 2000 + "',"
              " sigv4: {region: eu-west-1, access_key: A, secret_key: S}}]\n", reg)
    with caplog.at_level(logging.DEBUG, logger="amclone.notify"):
        (req,) = n.requests(ctx(), alerts())
    assert b"truncated" in req.body and count(reg, "sns", "message") == 1
    assert not [r for r in caplog.records if "runcat" in r.getMessage()]


def test_counter_defaults_to_no_registry() -> None:
    Truncations(None).note("slack", "title", level=None)  # nothing registered twice, nothing exported
    reg = CollectorRegistry()
    Truncations(reg)
    assert reg.get_sample_value("amclone_notifications_truncated_total", {"integration": "x", "field": "y"}) is None
