"""The real HTTP server in a thread, and a sender of signed requests shaped like Slack's."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx
import uvicorn
from slack_sdk.signature import SignatureVerifier

from bot import server as bot_server

if TYPE_CHECKING:
    from bot.bootstrap import Container

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
TEAM = "T0TEST"
APP_ID = "A0BRIEFBOT"
STARTUP_TIMEOUT_SECONDS = 10.0


@dataclass
class AppServer:
    url: str
    server: uvicorn.Server


@contextmanager
def running_server(container: Container) -> Iterator[AppServer]:
    """`briefbot serve`'s ASGI app under uvicorn on 127.0.0.1 and a free port, in a thread."""
    asgi = bot_server.create_asgi(bot_server.app_for(container), engine=container.engine)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(asgi, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield AppServer(url=f"http://127.0.0.1:{port}", server=server)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def signed_headers(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None,
                   content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature}


class SlackSender:
    """Posts slash-commands, button clicks and events the way Slack does, signed."""

    def __init__(self, base_url: str, *, response_url: str, secret: str = SIGNING_SECRET):
        self.events_url = base_url + bot_server.EVENTS_PATH
        self.base_url = base_url
        self.response_url = response_url
        self.secret = secret
        # trust_env=False: never through a proxy, only to 127.0.0.1
        self.http = httpx.Client(trust_env=False, timeout=10.0)

    def post(self, body: str, *, content_type: str = "application/x-www-form-urlencoded",
             headers: dict[str, str] | None = None) -> httpx.Response:
        sent = headers if headers is not None else signed_headers(
            body, secret=self.secret, content_type=content_type)
        return self.http.post(self.events_url, content=body.encode("utf-8"), headers=sent)

    @staticmethod
    def command_body(name: str, text: str, *, user_id: str, channel_id: str,
                     response_url: str) -> str:
        return urlencode({
            "token": "legacy-verification-token", "team_id": TEAM, "team_domain": "test",
            "channel_id": channel_id, "channel_name": "newsroom", "user_id": user_id,
            "user_name": user_id.lower(), "command": f"/{name}", "text": text,
            "api_app_id": APP_ID, "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": "123.456.abc"})

    def command(self, name: str, text: str = "", *, user_id: str, channel_id: str = "CNEWSROOM1",
                **post: Any) -> httpx.Response:
        body = self.command_body(name, text, user_id=user_id, channel_id=channel_id,
                                 response_url=self.response_url)
        return self.post(body, **post)

    def click(self, button: dict[str, Any], *, user_id: str,
              channel_id: str = "CNEWSROOM1") -> httpx.Response:
        """A block_actions payload for a button taken from a message the app sent."""
        payload = {
            "type": "block_actions", "team": {"id": TEAM, "domain": "test"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM},
            "api_app_id": APP_ID, "token": "legacy-verification-token",
            "container": {"type": "message", "message_ts": "1700000000.000100",
                          "channel_id": channel_id, "is_ephemeral": True},
            "trigger_id": "123.456.def", "channel": {"id": channel_id, "name": "newsroom"},
            "response_url": self.response_url,
            "actions": [{"type": "button", "action_id": button["action_id"],
                         "block_id": button.get("block_id", "b1"), "value": button["value"],
                         "text": button["text"], "action_ts": "1700000001.000200"}],
        }
        return self.post(urlencode({"payload": json.dumps(payload)}))

    def event(self, event: dict[str, Any]) -> httpx.Response:
        body = json.dumps({
            "token": "legacy-verification-token", "team_id": TEAM, "api_app_id": APP_ID,
            "event": event, "type": "event_callback", "event_id": "Ev0TEST",
            "event_time": int(time.time()), "authorizations": [
                {"team_id": TEAM, "user_id": "UBOT", "is_bot": True}]})
        return self.post(body, content_type="application/json")

    def get(self, path: str) -> httpx.Response:
        return self.http.get(self.base_url + path)


def buttons(message: dict[str, Any], action_id: str) -> list[dict[str, Any]]:
    return [e for b in message.get("blocks") or [] if b.get("type") == "actions"
            for e in b["elements"] if e.get("action_id") == action_id]
