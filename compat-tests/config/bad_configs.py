"""Hand-written alertmanager.yml files, each wrong in one way (plus a few valid edge cases).

Every entry is run through the real `amtool check-config` 0.25 and through `amctl check-config`;
the outputs must agree. The base pieces keep each case short and make the one defect obvious.
"""

from __future__ import annotations

R = "route:\n  receiver: r\n"
RCV = "receivers:\n- name: r\n"


def rcv(body: str) -> str:
    """A config whose only receiver `r` has `body` (indented under it)."""
    return R + RCV + "".join("  " + line + "\n" for line in body.strip("\n").split("\n"))


CASES: list[tuple[str, str]] = [
    # --- YAML syntax and go-yaml decoding -------------------------------------------------
    ("empty", ""),
    ("comments-only", "# nothing\n"),
    ("scalar-document", "hello\n"),
    ("list-document", "- a\n- b\n"),
    ("tab-indent", "route:\n\treceiver: r\n"),
    ("unclosed-flow", "route: {receiver: r\n" + RCV),
    ("bad-indent", "route:\n  receiver: r\n group_by: [a]\n" + RCV),
    ("mapping-in-scalar", "route:\n  receiver: a: b\n" + RCV),
    ("unknown-anchor", "route:\n  receiver: *nope\n" + RCV),
    ("control-char", "route:\n  receiver: r\x01\n" + RCV),
    ("unknown-top-key", R + RCV + "foo: bar\n"),
    ("unknown-route-key", R + "  recevier: x\n" + RCV),
    ("duplicate-top-key", R + RCV + "route:\n  receiver: r\n"),
    ("duplicate-route-key", R + "  receiver: r\n" + RCV),
    ("duplicate-match-key", "route:\n  receiver: r\n  routes:\n  - receiver: r\n    match:\n      a: b\n      a: c\n" + RCV),
    ("two-unknown-keys", R + RCV + "foo: 1\nbar: 2\n"),
    ("route-is-string", "route: r\n" + RCV),
    ("receivers-is-map", R + "receivers:\n  name: r\n"),
    ("receiver-is-string", R + "receivers:\n- r\n"),
    ("group-by-string", R + "  group_by: alertname\n" + RCV),
    ("group-by-map", R + "  group_by: {a: b}\n" + RCV),
    ("continue-string", "route:\n  receiver: r\n  routes:\n  - receiver: r\n    continue: maybe\n" + RCV),
    ("send-resolved-quoted", rcv("webhook_configs:\n- url: http://x/\n  send_resolved: 'true'")),
    ("chat-id-string", rcv("telegram_configs:\n- bot_token: t\n  chat_id: ${CHAT}")),
    ("chat-id-float", rcv("telegram_configs:\n- bot_token: t\n  chat_id: 1.5")),
    ("max-alerts-negative", rcv("webhook_configs:\n- url: http://x/\n  max_alerts: -1")),
    ("templates-string", R + RCV + "templates: foo.tmpl\n"),
    ("match-list", "route:\n  receiver: r\n  routes:\n  - match: [a]\n" + RCV),
    ("type-error-then-validation", R + "receivers:\n- name: r\n  foo: 1\n- name: ''\n"),
    ("validation-then-type-error", R + "receivers:\n- name: ''\n- name: r\n  foo: 1\n"),
    ("merge-key", "base: &b\n  receiver: r\nroute:\n  <<: *b\n" + RCV),
    ("merge-into-route", "x: &b {receiver: r}\n" + R + RCV),
    ("yes-as-bool", "route:\n  receiver: r\n  routes:\n  - receiver: r\n    continue: yes\n" + RCV),
    # --- top level and root route ---------------------------------------------------------
    ("no-route", RCV),
    ("null-route", "route:\n" + RCV),
    ("root-no-receiver", "route:\n  group_by: [a]\n" + RCV),
    ("root-continue", R + "  continue: true\n" + RCV),
    ("root-match", R + "  match:\n    a: b\n" + RCV),
    ("root-matchers", R + "  matchers: ['a=b']\n" + RCV),
    ("root-mute", R + "  mute_time_intervals: [x]\n" + RCV),
    ("root-active", R + "  active_time_intervals: [x]\n" + RCV),
    ("undefined-receiver", "route:\n  receiver: nope\n" + RCV),
    ("undefined-child-receiver", "route:\n  receiver: r\n  routes:\n  - receiver: other\n" + RCV),
    ("duplicate-receiver", R + RCV + "- name: r\n"),
    ("receiver-no-name", R + RCV + "- webhook_configs: []\n"),
    ("undefined-time-interval", "route:\n  receiver: r\n  routes:\n  - mute_time_intervals: [nope]\n" + RCV),
    # --- route fields ---------------------------------------------------------------------
    ("bad-match-label", "route:\n  receiver: r\n  routes:\n  - match:\n      0bad: x\n" + RCV),
    ("bad-match-re-label", "route:\n  receiver: r\n  routes:\n  - match_re:\n      a-b: x\n" + RCV),
    ("bad-regex", "route:\n  receiver: r\n  routes:\n  - match_re:\n      a: '('\n" + RCV),
    ("nil-match-re", "route:\n  receiver: r\n  routes:\n  - match_re:\n      a:\n" + RCV),
    ("bad-matcher", "route:\n  receiver: r\n  routes:\n  - matchers: ['foo']\n" + RCV),
    ("matcher-quote", "route:\n  receiver: r\n  routes:\n  - matchers: ['a=\"b']\n" + RCV),
    ("bad-group-by-label", R + "  group_by: ['a-b']\n" + RCV),
    ("wildcard-and-label", R + "  group_by: ['...', a]\n" + RCV),
    ("duplicate-group-by", R + "  group_by: [a, a]\n" + RCV),
    ("zero-group-interval", R + "  group_interval: 0s\n" + RCV),
    ("zero-repeat-interval", R + "  repeat_interval: 0\n" + RCV),
    ("bad-duration", R + "  group_wait: 5x\n" + RCV),
    ("empty-duration", R + "  group_wait: ''\n" + RCV),
    ("float-duration", R + "  group_wait: 1.5m\n" + RCV),
    # --- global ---------------------------------------------------------------------------
    ("bad-resolve-timeout", "global:\n  resolve_timeout: 1 minute\n" + R + RCV),
    ("smarthost-no-port", "global:\n  smtp_smarthost: localhost\n" + R + RCV),
    ("smarthost-empty-port", "global:\n  smtp_smarthost: 'localhost:'\n" + R + RCV),
    ("smarthost-colons", "global:\n  smtp_smarthost: 'a:b:c'\n" + R + RCV),
    ("slack-url-and-file", "global:\n  slack_api_url: http://x/\n  slack_api_url_file: /f\n" + R + RCV),
    ("opsgenie-key-and-file", "global:\n  opsgenie_api_key: k\n  opsgenie_api_key_file: /f\n" + R + RCV),
    ("victorops-key-and-file", "global:\n  victorops_api_key: k\n  victorops_api_key_file: /f\n" + R + RCV),
    ("smtp-password-and-file", "global:\n  smtp_auth_password: p\n  smtp_auth_password_file: /f\n" + R + RCV),
    ("global-bad-url", "global:\n  pagerduty_url: ftp://x\n" + R + RCV),
    ("global-url-no-host", "global:\n  opsgenie_api_url: 'http://'\n" + R + RCV),
    ("global-newer-key", "global:\n  smtp_force_implicit_tls: true\n" + R + RCV),
    ("global-unknown", "global:\n  hipchat_api_url: http://x/\n" + R + RCV),
    # --- http_config ----------------------------------------------------------------------
    ("http-unknown", "global:\n  http_config:\n    no_proxy: x\n" + R + RCV),
    ("http-bearer-both", "global:\n  http_config:\n    bearer_token: a\n    bearer_token_file: b\n" + R + RCV),
    ("http-basic-and-bearer", "global:\n  http_config:\n    basic_auth: {username: u}\n    bearer_token: a\n" + R + RCV),
    ("http-basic-pw-both", "global:\n  http_config:\n    basic_auth: {username: u, password: p, password_file: f}\n"
     + R + RCV),
    ("http-authz-basic", "global:\n  http_config:\n    authorization: {type: Basic, credentials: x}\n" + R + RCV),
    ("http-oauth2-no-id", "global:\n  http_config:\n    oauth2: {client_secret: s, token_url: http://t/}\n"
     + R + RCV),
    ("http-oauth2-no-url", "global:\n  http_config:\n    oauth2: {client_id: i, client_secret: s}\n" + R + RCV),
    ("http-tls-version", "global:\n  http_config:\n    tls_config: {min_version: TLS9}\n" + R + RCV),
    ("http-tls-unknown", "global:\n  http_config:\n    tls_config: {ca: x}\n" + R + RCV),
    ("http-proxy-header", "global:\n  http_config:\n    proxy_connect_header: {a: [b]}\n" + R + RCV),
    ("http-basic-unknown", "global:\n  http_config:\n    basic_auth: {user: u}\n" + R + RCV),
    ("http-oauth2-unknown", "global:\n  http_config:\n    oauth2: {client: u}\n" + R + RCV),
    ("http-proxy-bad", "global:\n  http_config:\n    proxy_url: 'http://a b'\n" + R + RCV),
    # --- integrations ---------------------------------------------------------------------
    ("webhook-no-url", rcv("webhook_configs:\n- send_resolved: true")),
    ("webhook-ftp", rcv("webhook_configs:\n- url: ftp://x/")),
    ("webhook-env-url", rcv("webhook_configs:\n- url: ${WEBHOOK_URL}")),
    ("webhook-colon-url", rcv("webhook_configs:\n- url: '{{ op://a/b }}'")),
    ("webhook-bad-port", rcv("webhook_configs:\n- url: 'http://x:port/'")),
    ("webhook-unknown", rcv("webhook_configs:\n- url: http://x/\n  url_file: /f")),
    ("email-no-to", rcv("email_configs:\n- from: a@b")),
    ("email-no-smarthost", rcv("email_configs:\n- to: a@b")),
    ("email-no-from", "global:\n  smtp_smarthost: 'h:25'\n" + rcv("email_configs:\n- to: a@b")),
    ("email-dup-header", "global:\n  smtp_smarthost: 'h:25'\n  smtp_from: f@x\n"
     + rcv("email_configs:\n- to: a@b\n  headers:\n    subject: a\n    Subject: b")),
    ("email-unknown", rcv("email_configs:\n- to: a@b\n  subject: x")),
    ("pagerduty-no-key", rcv("pagerduty_configs:\n- client: x")),
    ("pagerduty-key-and-file", rcv("pagerduty_configs:\n- routing_key: k\n  routing_key_file: f")),
    ("slack-no-url", rcv("slack_configs:\n- channel: '#x'")),
    ("slack-url-and-file", rcv("slack_configs:\n- api_url: http://x/\n  api_url_file: f")),
    ("slack-field-no-title", "global:\n  slack_api_url: http://x/\n" + rcv("slack_configs:\n- fields:\n  - value: v")),
    ("slack-action-no-type", "global:\n  slack_api_url: http://x/\n" + rcv("slack_configs:\n- actions:\n  - text: t")),
    ("slack-action-no-url", "global:\n  slack_api_url: http://x/\n"
     + rcv("slack_configs:\n- actions:\n  - type: button\n    text: t")),
    ("slack-confirm-no-text", "global:\n  slack_api_url: http://x/\n"
     + rcv("slack_configs:\n- actions:\n  - type: b\n    text: t\n    name: n\n    confirm: {title: x}")),
    ("opsgenie-no-key", rcv("opsgenie_configs:\n- message: m")),
    ("opsgenie-responder-empty", rcv("opsgenie_configs:\n- api_key: k\n  responders:\n  - type: team")),
    ("opsgenie-responder-type", rcv("opsgenie_configs:\n- api_key: k\n  responders:\n  - name: n\n    type: group")),
    ("wechat-no-secret", rcv("wechat_configs:\n- corp_id: c")),
    ("wechat-no-corp", rcv("wechat_configs:\n- api_secret: s")),
    ("wechat-type", rcv("wechat_configs:\n- api_secret: s\n  corp_id: c\n  message_type: html")),
    ("pushover-no-user", rcv("pushover_configs:\n- token: t")),
    ("pushover-no-token", rcv("pushover_configs:\n- user_key: u")),
    ("pushover-bad-retry", rcv("pushover_configs:\n- user_key: u\n  token: t\n  retry: 30")),
    ("pushover-token-file", rcv("pushover_configs:\n- user_key: u\n  token_file: t")),
    ("victorops-no-routing", rcv("victorops_configs:\n- api_key: k")),
    ("victorops-no-key", rcv("victorops_configs:\n- routing_key: r")),
    ("victorops-reserved", rcv("victorops_configs:\n- api_key: k\n  routing_key: r\n  custom_fields:\n"
                               "    entity_id: x")),
    ("sns-none", rcv("sns_configs:\n- subject: s")),
    ("sns-two", rcv("sns_configs:\n- topic_arn: a\n  phone_number: '1'")),
    ("sns-sigv4-half", rcv("sns_configs:\n- topic_arn: a\n  sigv4: {access_key: k}")),
    ("telegram-no-token", rcv("telegram_configs:\n- chat_id: 1")),
    ("telegram-no-chat", rcv("telegram_configs:\n- bot_token: t")),
    ("telegram-parse-mode", rcv("telegram_configs:\n- bot_token: t\n  chat_id: 1\n  parse_mode: text")),
    ("discord-no-url", rcv("discord_configs:\n- title: t")),
    ("discord-singular", rcv("discord_config:\n- webhook_url: http://x/")),
    ("webex-no-room", rcv("webex_configs:\n- message: m")),
    ("webex-no-auth", rcv("webex_configs:\n- room_id: r")),
    ("msteams-0-26", rcv("msteams_configs:\n- webhook_url: http://x/")),
    # --- inhibit rules and time intervals -------------------------------------------------
    ("inhibit-bad-label", R + RCV + "inhibit_rules:\n- source_match:\n    a-b: x\n"),
    ("inhibit-bad-equal", R + RCV + "inhibit_rules:\n- equal: ['a-b']\n"),
    ("inhibit-bad-matcher", R + RCV + "inhibit_rules:\n- target_matchers: ['=x']\n"),
    ("inhibit-nil-re", R + RCV + "inhibit_rules:\n- source_match_re:\n    a:\n"),
    ("inhibit-unknown", R + RCV + "inhibit_rules:\n- source: x\n"),
    ("ti-no-name", R + RCV + "time_intervals:\n- time_intervals: []\n"),
    ("mti-no-name", R + RCV + "mute_time_intervals:\n- time_intervals: []\n"),
    ("ti-duplicate", R + RCV + "time_intervals:\n- name: a\n  time_intervals: []\n- name: a\n  time_intervals: []\n"),
    ("ti-dup-across", R + RCV + "mute_time_intervals:\n- name: a\n  time_intervals: []\n"
     "time_intervals:\n- name: a\n  time_intervals: []\n"),
    ("ti-bad-weekday", R + RCV + "time_intervals:\n- name: a\n  time_intervals:\n  - weekdays: [funday]\n"),
    ("ti-bad-time", R + RCV + "time_intervals:\n- name: a\n  time_intervals:\n  - times:\n"
     "    - start_time: '10:00'\n      end_time: '09:00'\n"),
    ("ti-unknown-field", R + RCV + "time_intervals:\n- name: a\n  time_intervals:\n  - days: [1]\n"),
    ("ti-bad-location", R + RCV + "time_intervals:\n- name: a\n  time_intervals:\n  - location: Mars/Base\n"),
    ("ti-time-unknown", R + RCV + "time_intervals:\n- name: a\n  time_intervals:\n  - times:\n    - start: '10:00'\n"),
    # --- valid edge cases -----------------------------------------------------------------
    ("ok-minimal", R + RCV),
    ("ok-group-by-all", R + "  group_by: ['...']\n" + RCV),
    ("ok-secret-url", "global:\n  slack_api_url: <secret>\n" + rcv("slack_configs:\n- channel: x")),
    ("ti-weekday-wraps", "route:\n  receiver: r\n  routes:\n  - receiver: r\n    mute_time_intervals: [w]\n" + RCV
     + "time_intervals:\n- name: w\n  time_intervals:\n  - weekdays: ['saturday:sunday']\n"),
    ("ok-second-document", R + RCV + "---\nfoo: [\n"),
    ("ok-null-global", "global:\n" + R + RCV),
]
