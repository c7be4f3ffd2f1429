"""``amctl receiver test``: one test notification per integration of a receiver, reported."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

from integ_server import serve

from amclone.cli.amctl.receiver_test import run


async def test_receiver_test_reports_each_integration(tmp_path: Path) -> None:
    def answer(method: str, path: str) -> tuple[int, str, bytes]:
        return (500, "text/plain", b"down") if path.startswith("/bad") else (200, "text/plain", b"ok")

    async with serve(answer) as (url, seen):
        cfg = tmp_path / "am.yml"
        cfg.write_text(f"""route: {{receiver: team}}
receivers:
- name: team
  webhook_configs: [{{url: '{url}/hook'}}]
  slack_configs: [{{api_url: '{url}/slack', channel: '#ops'}}]
  discord_configs: [{{webhook_url: '{url}/bad'}}]
- name: other
""")
        out, err = io.StringIO(), io.StringIO()
        code = await asyncio.to_thread(run, ["team", f"--config.file={cfg}", "--label=severity=page"], out, err)
        lines = out.getvalue().splitlines()
        assert code == 1, (out.getvalue(), err.getvalue())
        assert lines[0].startswith("webhook[0]: ok") and lines[1].startswith("slack[0]: ok")
        assert lines[2].startswith("discord[0]: failed (retryable") and lines[2].endswith(
            "unexpected status code 500: down")
        hook = json.loads(next(r.body for r in seen if r.path == "/hook"))
        assert hook["commonLabels"] == {"alertname": "TestAlert", "severity": "page"}
        code = await asyncio.to_thread(run, ["nope", f"--config.file={cfg}"], out, err)
        assert code == 2 and "receiver 'nope' not found" in err.getvalue()
        code = await asyncio.to_thread(run, ["other", f"--config.file={cfg}"], out, err)
        assert code == 0 and "has no integrations" in out.getvalue()
