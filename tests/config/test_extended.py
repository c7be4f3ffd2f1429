"""The extended schema: newer Alertmanager keys, accepted only with extended=True."""

from __future__ import annotations

import pytest

from amclone.config import ConfigError, load, marshal_yaml

BASE = "route:\n  receiver: r\nreceivers:\n- name: r\n"


def ext(body: str, head: str = "") -> str:
    return head + BASE + "".join("  " + line + "\n" for line in body.strip("\n").split("\n"))


@pytest.mark.parametrize("body", [
    "webhook_configs:\n- url_file: /run/url\n  timeout: 10s",
    "pushover_configs:\n- user_key_file: /u\n  token_file: /t\n  ttl: 1h",
    "telegram_configs:\n- bot_token_file: /b\n  chat_id_file: /c",
    "discord_configs:\n- webhook_url_file: /d\n  username: bot",
    "slack_configs:\n- app_token: xoxb",
    "email_configs:\n- to: a@b\n  smarthost: 'h:25'\n  from: f@x\n  auth_secret_file: /s",
    "wechat_configs:\n- api_secret_file: /s\n  corp_id: c",
    "msteamsv2_configs:\n- webhook_url_file: /w",
    "jira_configs:\n- api_url: https://jira/\n  project: P\n  issue_type: Bug",
    "incidentio_configs:\n- url: https://inc/\n  alert_source_token: t",
    "mattermost_configs:\n- webhook_url: https://mm/",
])
def test_newer_keys_need_extended(body: str) -> None:
    with pytest.raises(ConfigError, match="not found in type config.plain"):
        load(ext(body))
    cfg = load(ext(body), extended=True)
    assert marshal_yaml(cfg).startswith("global:\n")


@pytest.mark.parametrize("body,message", [
    ("webhook_configs:\n- {}", "one of url or url_file must be configured"),
    ("webhook_configs:\n- url: http://x/\n  url_file: /f", "at most one of url & url_file must be configured"),
    ("pushover_configs:\n- token: t", "one of user_key or user_key_file must be configured"),
    ("pushover_configs:\n- user_key: u\n  token: t\n  html: true\n  monospace: true",
     "at most one of monospace & html must be configured"),
    ("telegram_configs:\n- bot_token: t", "missing chat_id or chat_id_file on telegram_config"),
    ("telegram_configs:\n- chat_id: 1", "missing bot_token or bot_token_file on telegram_config"),
    ("slack_configs:\n- channel: c", "no Slack API URL nor App token set either inline or in a file"),
    ("slack_configs:\n- api_url: http://x/\n  app_token: t",
     "at most one of api_url/api_url_file & app_token/app_token_file must be configured"),
    ("webhook_configs:\n- ~", "missing webhook config"),
    ("jira_configs:\n- project: P\n  issue_type: Bug", "no global Jira Cloud URL set"),
    ("jira_configs:\n- api_url: http://j/\n  issue_type: Bug", "missing project in jira_config"),
    ("incidentio_configs:\n- url: http://i/",
     "at least one of alert_source_token, alert_source_token_file or http_config.authorization must be configured"),
    ("rocketchat_configs:\n- channel: c", "no global Rocketchat Token set either inline or in a file"),
    ("mattermost_configs:\n- channel: c", "missing webhook_url or webhook_url_file on mattermost_config"),
])
def test_newer_checks(body: str, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        load(ext(body), extended=True)
    assert str(e.value) == message


def test_newer_globals() -> None:
    cfg = load(ext("telegram_configs:\n- chat_id: 1", "global:\n  telegram_bot_token: tok\n"), extended=True)
    assert cfg.receivers[0].telegram_configs[0].bot_token.reveal() == "tok"
    with pytest.raises(ConfigError, match="at most one of telegram_bot_token & telegram_bot_token_file"):
        load("global:\n  telegram_bot_token: a\n  telegram_bot_token_file: b\n" + BASE, extended=True)
