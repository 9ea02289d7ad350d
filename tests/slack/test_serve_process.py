"""`briefbot serve` itself, as a process: HTTP on $PORT, signed commands in, /healthz."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.slack.conftest import MEMBER
from tests.slack.fake_slack import FakeSlack
from tests.slack.limits import assert_within_slack_limits, pings
from tests.slack.slackhttp import SIGNING_SECRET, SlackSender

STARTUP_SECONDS = 30.0
BRIEFBOT = Path(sys.executable).with_name("briefbot")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_briefbot_serve_answers_signed_commands_over_http(store_url: str, fake: FakeSlack,
                                                          tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ADMIN_"))}
    env.update({"DATABASE_URL": store_url, "SLACK_BOT_TOKEN": "xoxb-process-test",
                "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake.api_url,
                "PORT": str(port), "LOG_LEVEL": "WARNING"})
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([str(BRIEFBOT), "serve"], cwd=tmp_path, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                health = httpx.get(base + "/healthz", trust_env=False)
                break
            except httpx.TransportError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "briefbot serve did not start"
                time.sleep(0.1)
        assert health.status_code == 200
        sender = SlackSender(base, response_url=fake.response_url())
        response = sender.command("stance", "putin ceasefire", user_id=MEMBER)
        assert response.status_code == 200
        reply = response.json()
        assert_within_slack_limits(reply)
        assert pings(reply) == []
        assert "Vladimir Putin" in reply["blocks"][0]["text"]["text"]
        forged = sender.post("command=%2Fstance&text=x", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"})
        assert forged.status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert "xoxb-process-test" not in log.read_text()  # secrets never in the log
    assert SIGNING_SECRET not in log.read_text()
