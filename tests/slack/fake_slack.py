"""A local fake of the Slack Web API and of response URLs that records every call it gets."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

API_PREFIX = "/api/"
RESPONSE_PREFIX = "/response/"
BOT_USER = "UBOT"
TEAM = "T0TEST"


@dataclass
class Call:
    """One request the fake received: a Web API method (`chat.postMessage`) or a response URL."""

    method: str  # "chat.postMessage", or "response_url" for posts to a response URL
    path: str
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    """A threaded http.server on 127.0.0.1 answering the Web API methods the app calls."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        # users.info answers by user id; unknown ids get {"ok": false, "error": "user_not_found"}
        self.users: dict[str, dict[str, Any]] = {}
        self._scripted: dict[str, list[Scripted]] = {}
        self._lock = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                fake._handle(self)

            def do_POST(self) -> None:  # noqa: N802
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return self.url + API_PREFIX

    def response_url(self, name: str = "r1") -> str:
        return self.url + RESPONSE_PREFIX + name

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- scripting and inspection ---------------------------------------------------------------

    def script(self, method: str, *answers: Scripted) -> None:
        """The next calls of `method` get these answers, in order, before the usual one."""
        with self._lock:
            self._scripted.setdefault(method, []).extend(answers)

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, predicate: Callable[[list[Call]], bool], *,
                 timeout: float = 5.0) -> list[Call]:
        """Block until the recorded calls satisfy `predicate` (listeners answer after the ack)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate(self.calls):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; calls so far: "
                                         f"{[c.method for c in self.calls]}")
                self._lock.wait(left)
            return list(self.calls)

    def wait_for_call(self, method: str, count: int = 1, *, timeout: float = 5.0) -> list[Call]:
        self.wait_for(lambda calls: sum(c.method == method for c in calls) >= count,
                      timeout=timeout)
        return self.of(method)

    # --- the server side ------------------------------------------------------------------------

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(req.path)
        length = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(length).decode("utf-8") if length else ""
        body: dict[str, Any] = dict(parse_qsl(parts.query))
        if raw:
            if "json" in (req.headers.get("Content-Type") or ""):
                body.update(json.loads(raw))
            else:
                body.update(dict(parse_qsl(raw)))
        for key in ("blocks", "view"):  # form-encoded clients send these as JSON strings
            if isinstance(body.get(key), str):
                body[key] = json.loads(body[key])
        if parts.path.startswith(API_PREFIX):
            method = parts.path[len(API_PREFIX):]
        elif parts.path.startswith(RESPONSE_PREFIX):
            method = "response_url"
        else:
            method = "unknown"
        with self._lock:
            queue = self._scripted.get(method) or []
            answer = queue.pop(0) if queue else Scripted(200, self._answer(method, body))
        # recorded before answering: once the caller has its answer, the call is on record
        with self._lock:
            self.calls.append(Call(method=method, path=parts.path, status=answer.status,
                                   body=body, headers=dict(req.headers.items())))
            self._lock.notify_all()
        self._send(req, answer)

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": TEAM,
                    "user": "briefbot", "team": "Test", "url": "https://test.slack.com/"}
        if method == "users.info":
            user = self.users.get(str(body.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False,
                                                            "error": "user_not_found"}
        if method == "chat.postMessage":
            return {"ok": True, "channel": body.get("channel"), "ts": f"{time.time():.6f}"}
        return {"ok": True}

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, answer: Scripted) -> None:
        payload = json.dumps(answer.body).encode()
        req.send_response(answer.status)
        req.send_header("Content-Type", "application/json; charset=utf-8")
        req.send_header("Content-Length", str(len(payload)))
        for name, value in answer.headers.items():
            req.send_header(name, value)
        req.end_headers()
        req.wfile.write(payload)


@contextmanager
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    try:
        yield fake
    finally:
        fake.stop()
