"""The registry builds every kind from a receiver, in 0.25's order then newer Alertmanager's,
with each integration's index within its kind (the nflog names them so)."""

from __future__ import annotations

from integ_fixtures import notifiers

from amclone import config as amconfig
from amclone.notify.integrations import KINDS, factories
from amclone.notify.pipeline import build_integrations
from amclone.template import from_globs
from amclone.timeutil import SystemClock

RECEIVER = """
  mattermost_configs: [{webhook_url: 'http://m'}]
  msteams_configs: [{webhook_url: 'http://t'}, {webhook_url: 'http://t2'}]
  discord_configs: [{webhook_url: 'http://d'}]
  email_configs: [{to: a@b, from: c@d, smarthost: 'h:25'}]
  webhook_configs: [{url: 'http://w'}]
  incidentio_configs: [{url: 'http://i', alert_source_token: t}]
  slack_configs: [{api_url: 'http://s'}]
"""


def test_order_and_indexes() -> None:
    cfg = amconfig.load("route: {receiver: r}\nreceivers:\n- name: r\n" + RECEIVER, extended=True)
    clock = SystemClock()
    ints = build_integrations(cfg.receivers[0], "http://x", clock, factories(from_globs(), "http://x", clock))
    assert [str(i) for i in ints] == ["webhook[0]", "email[0]", "slack[0]", "discord[0]", "msteams[0]",
                                      "msteams[1]", "incidentio[0]", "mattermost[0]"]
    assert [type(i.notifier).__name__ for i in ints][1:] == [
        "EmailNotifier", "SlackNotifier", "DiscordNotifier", "MSTeamsNotifier", "MSTeamsNotifier",
        "IncidentioNotifier", "MattermostNotifier"]
    assert not ints[1].send_resolved and ints[4].send_resolved  # each kind's default


def test_every_kind_has_a_class() -> None:
    assert len(KINDS) == 17
    assert len(notifiers("  webex_configs: [{api_url: 'http://w', room_id: r, "
                         "http_config: {authorization: {credentials: c}}}]\n", extended=False)) == 1


def test_template_getter_is_read_at_build_time() -> None:
    calls = []

    def current() -> object:
        calls.append(1)
        return from_globs()

    clock = SystemClock()
    fs = factories(current, "http://x", clock)  # type: ignore[arg-type]
    assert not calls
    cfg = amconfig.load("route: {receiver: r}\nreceivers:\n- name: r\n  slack_configs: [{api_url: 'http://s'}]\n")
    build_integrations(cfg.receivers[0], "http://x", clock, fs)
    assert calls == [1]
