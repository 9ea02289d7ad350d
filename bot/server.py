"""`briefbot serve`: the Slack app over Socket Mode, or over HTTP under uvicorn with /healthz."""

from __future__ import annotations

import logging
import re
from enum import StrEnum
from typing import TYPE_CHECKING

import uvicorn
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app import build_app, serve_without_parallel_query, settle_heap
from bot.settings import Settings
from briefing.errors import UsageError

if TYPE_CHECKING:
    from bot.bootstrap import Container

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"  # commands, interactivity and events all arrive here
HEALTH_PATH = "/healthz"
# Every interface: platforms (Heroku, Fly, Render) route to the container's address.
HTTP_HOST = "0.0.0.0"
# Largest request body read from /slack/events. Slack's payloads are a few KB (a slash-command
# is a form of a dozen fields; events and button clicks are JSON of a message or two); the cap
# stops an unsigned sender from making the server read and buffer an arbitrary body before the
# signature check.
MAX_BODY_BYTES = 1_000_000
TIMESTAMP_HEADER = "x-slack-request-timestamp"
_DIGITS = re.compile(r"[0-9]{1,20}")


class BodyTooLarge(Exception):
    """The request body is larger than MAX_BODY_BYTES."""


async def read_body(request: Request, *, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, refused (BodyTooLarge) as soon as it is known to exceed `limit`:
    from Content-Length before reading, else while streaming it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


class Mode(StrEnum):
    SOCKET = "socket"
    HTTP = "http"


def choose_mode(settings: Settings) -> Mode:
    """Socket Mode when an app-level token is set, else HTTP."""
    return Mode.SOCKET if settings.slack_app_token is not None else Mode.HTTP


def database_ok(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # any failure means "not healthy"; the reason goes to the log
        log.warning("health check: database unreachable (%s)", type(exc).__name__)
        return False


def create_asgi(app: App, *, engine: Engine) -> Starlette:
    """POST /slack/events into the Bolt app (in a worker thread), GET /healthz on the store."""

    async def slack_events(request: Request) -> Response:
        # Bolt turns the timestamp into an int inside its signature check: anything but digits
        # would be a 500 there. A request without a usable timestamp is unsigned: 401.
        if not _DIGITS.fullmatch(request.headers.get(TIMESTAMP_HEADER, "").strip()):
            return JSONResponse({"error": "invalid request"}, status_code=401)
        try:
            body = await read_body(request)
            body.decode("utf-8")  # Slack sends UTF-8; anything else is not Slack (and not signed)
        except BodyTooLarge:
            return JSONResponse({"error": "request body too large"}, status_code=413)
        except UnicodeDecodeError:
            return JSONResponse({"error": "invalid request"}, status_code=401)
        # Bolt's dispatch blocks (it waits for ack()); keep the event loop free for others
        bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    async def healthz(request: Request) -> Response:
        ok = await run_in_threadpool(database_ok, engine)
        return JSONResponse({"ok": ok, "database": "ok" if ok else "unreachable"},
                            status_code=200 if ok else 503)

    return Starlette(routes=[Route(EVENTS_PATH, slack_events, methods=["POST"]),
                             Route(HEALTH_PATH, healthz, methods=["GET"])])


def app_for(container: Container) -> App:
    return build_app(container.settings, container.deps, client=container.slack_client,
                     users=container.slack_users, clock=container.clock)


def serve_forever(container: Container) -> None:
    """Run the Slack app until stopped: Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT."""
    settings = container.settings
    if container.slack_client is None:
        raise UsageError("SLACK_BOT_TOKEN is not set; `briefbot console` works without Slack.")
    mode = choose_mode(settings)
    app = app_for(container)
    serve_without_parallel_query(container.engine)
    settle_heap()
    if mode is Mode.SOCKET:
        assert settings.slack_app_token is not None  # choose_mode said so
        log.info("Slack app starting in Socket Mode")
        SocketModeHandler(app, settings.slack_app_token.get_secret_value(),
                          web_client=app.client).start()
        return
    if settings.slack_signing_secret is None:
        raise UsageError("SLACK_SIGNING_SECRET is required over HTTP (or set SLACK_APP_TOKEN "
                         "for Socket Mode).")
    log.info("Slack app listening on %s:%d%s", HTTP_HOST, settings.port, EVENTS_PATH)
    uvicorn.run(create_asgi(app, engine=container.engine), host=HTTP_HOST, port=settings.port,
                log_level=settings.log_level.lower(), access_log=False)
