"""The real HTTP server in a thread, and a sender of signed requests shaped like Slack's."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import httpx
import uvicorn
from slack_bolt import App
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
def running_server(container: Container, *, app: App | None = None) -> Iterator[AppServer]:
    """`briefbot serve`'s ASGI app under uvicorn on 127.0.0.1 and a free port, in a thread."""
    app = app or bot_server.app_for(container)
    asgi = bot_server.create_asgi(app, engine=container.engine)
    # uvicorn binds the port itself, as `briefbot serve` has it do (port 0: any free port).
    # Handing it a pre-bound socket instead leaves Nagle on: 40 ms stalls on kept-alive
    # connections that production does not have.
    config = uvicorn.Config(asgi, host="127.0.0.1", port=0, log_level="warning",
                            access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield AppServer(url=f"http://127.0.0.1:{port}", server=server)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


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
        # for timing: http.client writes headers and body in one segment, so the numbers are
        # the server's and not a delayed-ACK stall of the client (httpx writes them apart)
        self._conn = http.client.HTTPConnection(urlsplit(base_url).netloc, timeout=10.0)

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

    def post_fast(self, body: str, *, headers: dict[str, str]) -> tuple[int, bytes]:
        """The same POST over one kept-alive stdlib connection (for the benchmark)."""
        self._conn.request("POST", bot_server.EVENTS_PATH, body=body.encode("utf-8"),
                           headers=headers)
        response = self._conn.getresponse()
        return response.status, response.read()

    def get(self, path: str) -> httpx.Response:
        return self.http.get(self.base_url + path)


def buttons(message: dict[str, Any], action_id: str) -> list[dict[str, Any]]:
    return [e for b in message.get("blocks") or [] if b.get("type") == "actions"
            for e in b["elements"] if e.get("action_id") == action_id]
