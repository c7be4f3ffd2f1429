"""Failing receivers: every 0.25 HTTP integration of Alertmanager and of amclone faces 500s, 429s,
connection resets and answers that never come; each must retry exactly when Alertmanager does
and give up at the same deadline (``max(group_interval, 10s)`` after the flush began).

Backoff is random in both, so attempts are not counted one for one: what must agree is whether
an integration tried again within the first flush, and when that flush's attempts stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from integ_harness import Captured, HttpCapture, SmtpCapture
from test_integrations_payload import ALERTS, INTEGRATIONS, post_alerts

from amclone.testing.procs import start_alertmanager, start_amclone

FLUSH_S = 10.0  # the deadline of a flush: group_interval (1s) is below the 10 s floor

FAULTS: dict[str, tuple[int, str, bytes]] = {
    "500": (500, "text/plain", b"boom"),
    "429": (429, "application/json", b'{"message":"slow down"}'),
    "reset": (-1, "", b""),
    "timeout": (-2, "", b""),
}

# Retried within one flush, per fault (0.25's rules: 5xx and transport errors always; 429 only
# where the service says so; wechat cannot read a token from an error page and stops).
RETRIED = {
    "500": {"/webhook", "/pd", "/og/", "/slack", "/vo/", "/sns", "/tg/", "/discord", "/webex"},
    "429": {"/pd", "/og/", "/sns", "/tg/"},
    "reset": set(INTEGRATIONS),
    "timeout": set(),
}


def cfg(u: str, smtp_port: int) -> str:
    return f"""route:
  receiver: all
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
- name: all
  webhook_configs: [{{url: "{u}/webhook"}}]
  pagerduty_configs: [{{routing_key: rk1, url: "{u}/pd"}}]
  opsgenie_configs: [{{api_key: ogk, api_url: "{u}/og/"}}]
  wechat_configs: [{{api_secret: sec, corp_id: corp, api_url: "{u}/wechat/"}}]
  slack_configs: [{{api_url: "{u}/slack"}}]
  victorops_configs: [{{api_key: vk, api_url: "{u}/vo/", routing_key: rk}}]
  sns_configs: [{{api_url: "{u}/sns", topic_arn: "arn:aws:sns:us-east-1:1:t", sigv4: {{region: us-east-1, access_key: AK, secret_key: SK}}}}]
  telegram_configs: [{{api_url: "{u}/tg", bot_token: "bt", chat_id: 1}}]
  discord_configs: [{{webhook_url: "{u}/discord"}}]
  webex_configs: [{{api_url: "{u}/webex", room_id: r1, http_config: {{authorization: {{credentials: wx}}}}}}]
"""


def attempts(reqs: list[Captured], prefix: str) -> list[float]:
    times = sorted(c.at for c in reqs if c.path.startswith(prefix))
    return [t - times[0] for t in times] if times else []


def run(start: Callable[..., tuple[object, str]], tmp: Path, fault: str) -> dict[str, list[float]]:
    reply = FAULTS[fault]
    http = HttpCapture(lambda m, p: reply).start()
    smtp = SmtpCapture().start()
    tmp.mkdir()
    (tmp / "am.yml").write_text(cfg(http.url, smtp.port))
    proc, url = start(tmp / "am.yml", tmp)
    try:
        post_alerts(url, ALERTS[:1])
        time.sleep(FLUSH_S + 2.5)
        reqs = http.snapshot()
    finally:
        proc.stop(timeout=5)  # type: ignore[attr-defined]
        http.stop()
        smtp.stop()
    return {p: attempts(reqs, p) for p in INTEGRATIONS}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_retries_like_alertmanager(fault: str, tmp_path: Path) -> None:
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        f_am = pool.submit(run, start_alertmanager, tmp_path / "am", fault)
        f_amc = pool.submit(run, start_amclone, tmp_path / "amc", fault)
        am, amc = f_am.result(), f_amc.result()
    for p in INTEGRATIONS:
        first_am = [t for t in am[p] if t < FLUSH_S - 0.3]
        first_amc = [t for t in amc[p] if t < FLUSH_S - 0.3]
        assert first_am, (fault, p, "Alertmanager sent nothing")
        retried_am, retried_amc = len(first_am) > 1, len(first_amc) > 1
        assert retried_amc == retried_am, (fault, p, am[p], amc[p])
        assert retried_am == (p in RETRIED[fault]), (fault, p, am[p])
        # the first flush gives up at the same deadline: its attempts end before it, and the
        # next flush's first attempt (if any) comes after it, in both
        later_am = [t for t in am[p] if t >= FLUSH_S - 0.3]
        later_amc = [t for t in amc[p] if t >= FLUSH_S - 0.3]
        if later_am and later_am[0] < FLUSH_S + 1.5:
            assert later_amc and abs(later_amc[0] - later_am[0]) < 1.2, (fault, p, am[p], amc[p])
