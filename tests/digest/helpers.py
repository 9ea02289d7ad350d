"""Test helpers for the digest: a recording poster, a fake Slack Web API, a Block Kit check."""

from __future__ import annotations

import importlib.util
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from bot import bootstrap

ROOT = Path(__file__).resolve().parents[2]

def make_container(url: str) -> bootstrap.Container:
    """The composition root over `url`, without Slack (tests give it their own poster)."""
    settings = bootstrap.load_settings(url).model_copy(update={"slack_bot_token": None})
    return bootstrap.build(settings)


# --- Block Kit limits: the Slack engineer's shared check when present, else our own ----------

_SHARED_LIMITS = ROOT / "tests" / "slack" / "limits.py"


def _own_limits_check(payload: dict[str, Any]) -> None:
    """Slack's published limits (api.slack.com/reference/block-kit/blocks, chat.postMessage)."""
    blocks = payload.get("blocks") or []
    assert len(blocks) <= 50, f"{len(blocks)} blocks"
    assert len(payload.get("text") or "") < 4000
    for b in blocks:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000
        elif b["type"] == "header":
            assert len(b["text"]["text"]) <= 150
        elif b["type"] == "context":
            assert 1 <= len(b["elements"]) <= 10
            assert all(len(e["text"]) <= 3000 for e in b["elements"])


def _load_check() -> Callable[[Any], None]:
    if _SHARED_LIMITS.exists():
        spec = importlib.util.spec_from_file_location("shared_slack_limits", _SHARED_LIMITS)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.assert_within_slack_limits  # type: ignore[no-any-return]

    def check(message: Any) -> None:
        _own_limits_check(message.payload() if hasattr(message, "payload") else message)

    return check


assert_within_slack_limits = _load_check()


# --- a poster that records, and fails when told to --------------------------------------------


@dataclass
class Posted:
    channel: str
    text: str
    blocks: list[dict[str, object]]
    thread_ts: str | None
    ts: str
    key: str | None = None


@dataclass
class FakePoster:
    """Records posts; `fail` holds exceptions to raise, one per call, before succeeding;
    `lose_answer` exceptions are raised after the post was made (Slack's answer lost)."""

    fail: list[Exception] = field(default_factory=list)
    lose_answer: list[Exception] = field(default_factory=list)
    posted: list[Posted] = field(default_factory=list)
    calls: int = 0
    finds: int = 0

    def post(self, channel: str, *, text: str, blocks: list[dict[str, object]],
             thread_ts: str | None = None, key: str | None = None) -> str:
        self.calls += 1
        if self.fail:
            raise self.fail.pop(0)
        ts = f"{1700000000 + len(self.posted)}.000100"
        self.posted.append(Posted(channel, text, blocks, thread_ts, ts, key))
        if self.lose_answer:
            raise self.lose_answer.pop(0)
        return ts

    def find(self, channel: str, *, key: str) -> str | None:
        self.finds += 1
        return next((p.ts for p in self.posted if p.channel == channel and p.key == key), None)

    def top_level(self, channel: str | None = None) -> list[Posted]:
        return [p for p in self.posted if p.thread_ts is None
                and (channel is None or p.channel == channel)]


# --- a fake Slack Web API on 127.0.0.1 ---------------------------------------------------------


@dataclass
class ApiCall:
    method: str
    status: int
    body: dict[str, Any]
    at: float


class FakeSlackApi:
    """chat.postMessage with a script of failures per channel; records every call.

    A script entry is an HTTP status (429 with Retry-After: 1, 500...), "hang": the request is
    held, unanswered, until `release()` (a clock killed mid-post never hears back), or "drop":
    the message is posted and the connection closed before the answer (Slack's answer lost).
    conversations.history gives a channel's posted messages, newest first, with metadata.
    """

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self.scripts: dict[str, list[int | str]] = {}
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._ts = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                fake._handle(self)

            def do_GET(self) -> None:  # noqa: N802
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeSlackApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._released.set()
        self.server.shutdown()
        self.server.server_close()

    def release(self) -> None:
        self._released.set()

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        path, _, query = req.path.partition("?")
        method = path.rsplit("/", 1)[-1]
        raw = req.rfile.read(int(req.headers.get("Content-Length") or 0)).decode()
        if "json" in (req.headers.get("Content-Type") or ""):
            body = json.loads(raw or "{}")
        else:
            body = dict(parse_qsl(raw or query))
        if isinstance(body.get("metadata"), str):  # form-encoded clients send it as JSON
            body["metadata"] = json.loads(body["metadata"])
        channel = str(body.get("channel", ""))
        if method == "conversations.history":
            self._reply(req, 200, {"ok": True, "messages": self._history(channel),
                                   "has_more": False}, method, body)
            return
        with self._lock:
            script = self.scripts.get(channel, [])
            step = script.pop(0) if script and method == "chat.postMessage" else 200
        if step == "hang":
            with self._lock:
                self.calls.append(ApiCall(method, 0, body, time.time()))
            self._released.wait(60)
            return  # the client is gone by now; nothing was posted
        if step == "drop":
            with self._lock:
                self._ts += 1
                body["ts"] = f"1739000000.{self._ts:06d}"
                self.calls.append(ApiCall(method, 200, body, time.time()))
            req.close_connection = True  # closed without an answer: the post stands
            return
        status = int(step)
        headers = {"Content-Type": "application/json"}
        if status == 429:
            headers["Retry-After"] = "1"
            reply: dict[str, Any] = {"ok": False, "error": "ratelimited"}
        elif status >= 500:
            reply = {"ok": False, "error": "internal_error"}
        else:
            with self._lock:
                self._ts += 1
                reply = {"ok": True, "channel": channel, "ts": f"1739000000.{self._ts:06d}"}
                body["ts"] = reply["ts"]
        self._reply(req, status, reply, method, body, headers)

    def _reply(self, req: BaseHTTPRequestHandler, status: int, reply: dict[str, Any],
               method: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        with self._lock:
            self.calls.append(ApiCall(method, status, body, time.time()))
        data = json.dumps(reply).encode()
        req.send_response(status)
        for k, v in (headers or {"Content-Type": "application/json"}).items():
            req.send_header(k, v)
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    def _history(self, channel: str) -> list[dict[str, Any]]:
        return [{"type": "message", "ts": c.body["ts"], "text": c.body.get("text", ""),
                 **({"metadata": c.body["metadata"]} if c.body.get("metadata") else {})}
                for c in reversed(self.delivered(channel))]

    def delivered(self, channel: str | None = None, *,
                  top_level: bool = True) -> list[ApiCall]:
        """chat.postMessage calls that were answered ok (what Slack would show)."""
        with self._lock:
            return [c for c in self.calls if c.method == "chat.postMessage" and c.status == 200
                    and (channel is None or c.body.get("channel") == channel)
                    and (not top_level or not c.body.get("thread_ts"))]

    def statuses(self, channel: str) -> list[int]:
        with self._lock:
            return [c.status for c in self.calls
                    if c.method == "chat.postMessage" and c.body.get("channel") == channel]
