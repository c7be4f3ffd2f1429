"""The differential scenarios: each a config and a timeline, played against Alertmanager 0.25 and
amclone (see `amclone.testing.timeline`). Timings are short (group_wait 1 s, group_interval 3 s)
and chosen so that no event lands on a timer boundary: repeat_interval is never a multiple of
group_interval, resolutions happen mid-interval."""

from __future__ import annotations

from amclone.testing.timeline import A, Expire, Post, Reload, Scenario, Silence, Snapshot
from amclone.testing.webhook import Reply


def cfg(route: str = "", receivers: str = "", extra: str = "", *, group_by: str = "[alertname]",
        gw: str = "1s", gi: str = "3s", ri: str = "1h", hook: str = "") -> str:
    receivers = receivers or f"""
  - name: hook
    webhook_configs:
      - url: {{hook}}/hook{hook}
"""
    return f"""
route:
  receiver: hook
  group_by: {group_by}
  group_wait: {gw}
  group_interval: {gi}
  repeat_interval: {ri}
{route}
receivers:{receivers}
{extra}
"""


def post(at: float, *alerts: A) -> Post:
    return Post(at, tuple(alerts))


def al(name: str, starts: float | None = 0.0, ends: float | None = None, **labels: str) -> A:
    return A({"alertname": name, **labels}, starts, ends, {"summary": f"{name} happened"})


MULTI = """
  - name: hook
    webhook_configs:
      - url: {hook}/hook
  - name: db
    webhook_configs:
      - url: {hook}/db
  - name: pager
    webhook_configs:
      - url: {hook}/pager
  - name: other
    webhook_configs:
      - url: {hook}/other
"""

NESTED = """
  routes:
    - match: {team: db}
      receiver: db
      continue: true
      routes:
        - matchers: ['severity="critical"', 'env!~"dev|test"']
          receiver: pager
    - match_re: {team: "db|web"}
      receiver: other
      group_by: ['...']
"""

MATCHERS = """
  routes:
    - matchers: ['env!="prod"']
      receiver: db
      continue: true
    - matchers: ['service=~"api|web.*"', 'region!~"eu-.*"']
      receiver: pager
    - match: {service: batch}
      match_re: {priority: "p[12]"}
      receiver: other
"""

INHIBIT = """
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [instance]
"""

INHIBIT_BOTH_SIDES = """
inhibit_rules:
  - source_match: {kind: x}
    target_match_re: {kind: "x|y"}
    equal: [zone]
"""

INTERVALS = """
time_intervals:
  - name: always
    time_intervals:
      - weekdays: ['sunday:saturday']
        location: Asia/Tokyo
  - name: never
    time_intervals:
      - years: ['1999']
  - name: office
    time_intervals:
      - times: [{start_time: '00:00', end_time: '24:00'}]
        days_of_month: ['1:31', '-3:-1']
        months: ['january:december']
        location: America/New_York
"""

TIMED_ROUTES = """
  routes:
    - match: {route: muted}
      receiver: db
      mute_time_intervals: [always]
    - match: {route: active_never}
      receiver: pager
      active_time_intervals: [never]
    - match: {route: active_always}
      receiver: other
      active_time_intervals: [office]
      mute_time_intervals: [never]
"""

TWO_HOOKS = """
  - name: hook
    webhook_configs:
      - url: {hook}/one
      - url: {hook}/two
        send_resolved: false
      - url: {hook}/three
        max_alerts: 1
"""

SCENARIOS: list[Scenario] = [
    Scenario("group_by_labels", cfg(), (
        post(0, al("A", instance="1"), al("A", instance="2"), al("B", instance="1")),), 3),
    Scenario("group_by_all", cfg(group_by="['...']"), (
        post(0, al("A", instance="1"), al("A", instance="2")),), 3),
    Scenario("group_by_nothing", cfg(group_by="[]"), (
        post(0, al("A"), al("B", job="j"), al("C", instance="i")),), 3),
    Scenario("group_by_empty_child_inherits", cfg("""
  routes:
    - match: {team: db}
      group_by: []
""", group_by="[alertname, team]"), (post(0, al("A", team="db", x="1"), al("A", team="db", x="2")),), 3),
    Scenario("nested_routes_continue", cfg(NESTED, MULTI), (
        post(0, al("DiskFull", team="db", severity="critical", env="prod", instance="db1"),
             al("DiskFull", team="db", severity="critical", env="dev", instance="db2"),
             al("HighLoad", team="web", severity="warning"), al("Other", team="none")),), 3),
    Scenario("matcher_syntax", cfg(MATCHERS, MULTI), (
        post(0, al("M1", env="prod", service="api", region="us-1"),
             al("M2", env="dev", service="web-2", region="eu-1"),
             al("M3", env="prod", service="batch", priority="p2"),
             al("M4", env="prod", service="batch", priority="p3")),), 3),
    Scenario("group_wait_batching", cfg(gw="2s"), (
        post(0, al("A", instance="1")), post(0.7, al("A", instance="2")), post(1.2, al("A", instance="3")),
        post(3.0, al("A", instance="4"))), 6),
    Scenario("group_interval_follow_up", cfg(), (
        post(0, al("A", instance="1")), post(2.0, al("A", instance="2")), post(5.5, al("A", instance="3"))), 8.5),
    Scenario("repeat_interval_resend", cfg(ri="7s"), (post(0, al("A", ends=60)),), 20.5),
    Scenario("send_resolved_true", cfg(), (post(0, al("A", ends=2.4, instance="1"), al("A", instance="2")),), 5.5),
    Scenario("send_resolved_false", cfg(receivers="""
  - name: hook
    webhook_configs:
      - url: {hook}/hook
        send_resolved: false
"""), (post(0, al("A", ends=2.4, instance="1"), al("A", instance="2")), post(5.5, al("A", ends=5.5, instance="2"))), 9.5),
    Scenario("resolve_by_later_post", cfg(), (post(0, al("A", ends=30)), post(2.0, al("A", ends=2.0))), 5.5),
    Scenario("all_resolved_group_done", cfg(), (post(0, al("A", ends=2.5), al("B", ends=2.5)),), 8),
    Scenario("fired_and_resolved_within_group_wait", cfg(gw="2s"), (
        post(0, al("A", ends=30)), post(0.5, al("A", ends=0.5))), 6),
    Scenario("inhibition_with_equal", cfg(extra=INHIBIT), (
        post(0, al("Crit", severity="critical", instance="a"), al("Warn", severity="warning", instance="a"),
             al("Warn", severity="warning", instance="b"), al("NoInst", severity="warning")),
        Snapshot(2.0, "inhibited")), 4),
    Scenario("inhibition_missing_label_both_sides", cfg(extra=INHIBIT), (
        post(0, al("Crit", severity="critical"), al("Warn", severity="warning")),
        post(2.0, al("Crit", severity="critical", ends=2.0)), Snapshot(1.5, "before"), Snapshot(2.5, "after")), 5),
    Scenario("inhibition_self_guard", cfg(extra=INHIBIT_BOTH_SIDES), (
        # X1 and X2 match both sides: neither inhibits the other. Y has one possible source (which
        # of several sources 0.25 records is random: it walks a Go map).
        post(0, al("X1", kind="x", zone="1"), al("X2", kind="x", zone="1"), al("X3", kind="x", zone="2"),
             al("Y", kind="y", zone="2")),
        Snapshot(1.5, "guard")), 3),
    Scenario("silence_then_expire", cfg(), (
        Silence(0, "s1", (("alertname", "A", False, True),)), post(0.2, al("A"), al("B")),
        Snapshot(1.5, "silenced"), Expire(5.0, "s1"), Snapshot(5.5, "expired")), 8),
    Scenario("pending_silence_becomes_active", cfg(ri="5s"), (
        post(0, al("A", ends=60)), Silence(0, "later", (("alertname", "A", False, True),), starts=2.5),
        Snapshot(1.5, "pending"), Snapshot(3.0, "active")), 8),
    Scenario("reload_adds_inhibition", cfg(), (
        post(0, al("Crit", severity="critical", instance="a"), al("Warn", severity="warning", instance="a")),
        Reload(2.0, cfg(extra=INHIBIT)), Snapshot(1.5, "before"), Snapshot(3.0, "after"),
        post(3.5, al("Warn2", severity="warning", instance="a"))), 6),
    Scenario("silence_regex_and_negative", cfg(group_by="['...']"), (
        Silence(0, "s1", (("instance", "db.*", True, True), ("env", "prod", False, False))),
        post(0.2, al("A", instance="db1", env="dev"), al("A", instance="db2", env="prod"),
             al("A", instance="web1", env="dev")), Snapshot(1.5, "silenced")), 3),
    Scenario("silenced_source_still_inhibits", cfg(extra=INHIBIT), (
        Silence(0, "src", (("alertname", "Crit", False, True),)),
        post(0.2, al("Crit", severity="critical", instance="a"), al("Warn", severity="warning", instance="a")),
        Snapshot(1.5, "both")), 3),
    Scenario("max_alerts_truncation", cfg(receivers="""
  - name: hook
    webhook_configs:
      - url: {hook}/hook
        max_alerts: 2
""", group_by="[]"), (post(0, *(al("A", instance=str(i)) for i in range(5))),), 3),
    Scenario("retry_after_500", cfg(), (post(0, al("A")),), 4,
             scripts={"/hook": (Reply(500, body=b"busy"),)}),
    Scenario("permanent_400_then_next_tick", cfg(), (post(0, al("A")),), 5.5,
             scripts={"/hook": (Reply(400, body=b"bad"),)}),
    Scenario("retry_after_timeout", cfg(), (post(0, al("A")),), 14,
             scripts={"/hook": (Reply(200, delay=12.0),)}),
    Scenario("several_webhook_configs", cfg(receivers=TWO_HOOKS, group_by="[]"), (
        post(0, al("A", ends=2.4), al("B"), al("C")),), 5.5),
    Scenario("http_config_auth_headers", cfg(receivers="""
  - name: hook
    webhook_configs:
      - url: {hook}/basic
        http_config: {basic_auth: {username: user, password: "p@ss:w"}}
      - url: {hook}/bearer
        http_config: {bearer_token: tok3n}
      - url: {hook}/authz
        http_config: {authorization: {type: Token, credentials: abc}}
      - url: "{hook}/query?x=1&y=%20"
"""), (post(0, al("A")),), 3),
    Scenario("mute_and_active_time_intervals", cfg(TIMED_ROUTES, MULTI, INTERVALS), (
        post(0, al("A", route="muted"), al("B", route="active_never"), al("C", route="active_always"),
             al("D", route="none")),), 3),
    Scenario("reload_changes_routing", cfg(MATCHERS, MULTI), (
        post(0, al("A", env="prod", service="api", region="us", ends=30)),
        Reload(2.0, cfg(NESTED, MULTI)), post(2.5, al("B", team="db", severity="critical", env="prod"))), 6),
    Scenario("reload_same_config_no_resend", cfg(), (
        post(0, al("A", ends=30)), Reload(2.0, cfg()), Reload(4.5, cfg(gi="2s"))), 8),
    Scenario("starts_at_in_past", cfg(gw="30s"), (post(0, al("Old", starts=-120), al("New")),), 2),
    Scenario("no_starts_at", cfg(), (post(0, al("A", starts=None), al("B", starts=None, ends=None)),), 3),
    Scenario("inhibition_source_resolves", cfg(extra=INHIBIT), (
        post(0, al("Crit", severity="critical", instance="a", ends=2.5), al("Warn", severity="warning", instance="a")),
        Snapshot(1.5, "inhibited"), Snapshot(3.0, "released")), 5.5),
    Scenario("silence_after_notification_stops_repeat", cfg(ri="5s"), (
        post(0, al("A", ends=60), al("B", ends=60)), Silence(2.0, "late", (("alertname", "A", False, True),)),
        Snapshot(2.5, "silenced")), 11.5),
    Scenario("group_by_missing_labels", cfg(group_by="[alertname, cluster]"), (
        post(0, al("A", cluster="c1"), al("A"), al("A", cluster="")),), 3),
    Scenario("two_routes_same_receiver", cfg("""
  routes:
    - match: {team: a}
      continue: true
    - match_re: {team: ".+"}
      group_by: [team]
"""), (post(0, al("A", team="a"), al("B", team="b")),), 3),
    Scenario("api_groups_view", cfg(NESTED, MULTI, INHIBIT), (
        Silence(0, "s", (("instance", "db2", False, True),)),
        post(0.2, al("DiskFull", team="db", severity="critical", env="prod", instance="db1"),
             al("DiskFull", team="db", severity="warning", env="prod", instance="db1"),
             al("DiskFull", team="db", severity="critical", env="dev", instance="db2")),
        Snapshot(0.5, "early"), Snapshot(2.0, "later")), 3),
]
