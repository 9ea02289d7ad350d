"""The Slack app: one generic listener per slash-command, the reply buttons and the App Home."""

from __future__ import annotations

import gc
import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine, event

from bot import blocks, home
from bot.blocks import Message
from bot.commands import COMMANDS, Context, Deps, dispatch, parse
from bot.settings import Settings
from briefing.errors import BriefingError

log = logging.getLogger(__name__)

# The slash-commands the app answers (manifest.yml declares the same names).
SLASH_COMMANDS = ("stance", "quotes", "brief", "questions", "timeline", "sources", "digest",
                  "briefing")
# Subcommands whose work can outlast Slack's 3-second acknowledgement: adding a source fetches
# it, `/digest now` posts. They are acknowledged at once and answered through respond().
SLOW_SUBCOMMANDS: dict[str, frozenset[str]] = {"sources": frozenset({"add"}),
                                               "digest": frozenset({"now"})}
# Commands whose replies page with "Show more"; the button names one of these.
PAGED_COMMANDS = frozenset({"stance", "quotes"})
EPHEMERAL = "ephemeral"
IN_CHANNEL = "in_channel"
UNKNOWN_USER = "unknown"


class UserInfo(Protocol):
    """Where a user's timezone comes from (users.info behind a cache, in production)."""

    def timezone(self, user_id: str) -> str | None: ...


def _utcnow() -> datetime:
    return datetime.now(UTC)


def is_slow(text: str, *, user_id: str, deps: Deps) -> bool:
    """True for commands acknowledged with "Working on it…" and answered later. A command the
    user may not run is not slow: its refusal comes straight back in the acknowledgement
    (commands.run still makes the check that counts)."""
    try:
        name, args = parse(text)
    except BriefingError:
        return False
    if not (args and args[0].lower() in SLOW_SUBCOMMANDS.get(name, frozenset())):
        return False
    cmd = COMMANDS.get(name)
    try:
        return not (cmd and cmd.needs_admin(args) and not deps.is_admin(user_id))
    except Exception:  # the admin lookup failed: ack at once; commands.run asks again
        log.warning("admin lookup failed for %s", user_id, exc_info=True)
        return True


def _channel_of(body: dict[str, Any]) -> str | None:
    channel = (body.get("channel") or {}).get("id")
    return channel or (body.get("container") or {}).get("channel_id")


class Listeners:
    """Bolt listeners: parse with the command layer, render with bot.blocks, answer."""

    def __init__(self, *, deps: Deps, users: UserInfo | None,
                 clock: Callable[[], datetime]) -> None:
        self.deps = deps
        self.users = users
        self.clock = clock

    # --- the command layer, with every failure turned into a short reply -----------------------

    def context(self, user_id: str | None, channel_id: str | None) -> Context:
        tz = None
        if self.users is not None and user_id:
            try:
                tz = self.users.timezone(user_id)
            except Exception:  # a timezone is a nicety; never fail a command for it
                log.warning("timezone lookup failed for %s", user_id, exc_info=True)
        return Context(now=self.clock(), user_id=user_id or UNKNOWN_USER, channel_id=channel_id,
                       user_tz=tz)

    def answer(self, text: str, *, user_id: str | None, channel_id: str | None,
               page: int = 0) -> Message:
        try:
            ctx = self.context(user_id, channel_id)
            answer = dispatch(text, ctx=ctx, deps=self.deps)
            return blocks.stamp_command(blocks.render_page(answer, page=page), text)
        except BriefingError as exc:
            return blocks.render_error(exc)
        except Exception:
            # the command name only: the text is the user's and may be long
            log.exception("command %s failed", text.split(maxsplit=1)[0] if text.split() else "")
            return blocks.render_unexpected()

    # --- listeners -----------------------------------------------------------------------------

    def slash_command(self, ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        """Every slash-command: answer in the ack, or ack at once and answer via respond()."""
        text = f"{command.get('command', '')} {command.get('text', '')}"
        user_id, channel_id = command.get("user_id"), command.get("channel_id")
        if not is_slow(text, user_id=user_id or UNKNOWN_USER, deps=self.deps):
            reply = self.answer(text, user_id=user_id, channel_id=channel_id)
            ack(response_type=EPHEMERAL, **reply.payload())
            return
        ack(response_type=EPHEMERAL, **blocks.render_working().payload())
        reply = self.answer(text, user_id=user_id, channel_id=channel_id)
        _respond(respond, reply, response_type=EPHEMERAL, replace_original=False)

    def show_more(self, ack: Ack, body: dict[str, Any], action: dict[str, Any],
                  respond: Respond) -> None:
        """Replace the ephemeral reply with the next page of its evidence."""
        ack()
        try:
            value = json.loads(action["value"])
            name, page = str(value["command"]), int(value["page"])
            if name not in PAGED_COMMANDS or page < 0:
                raise ValueError(name)
            # the user's own words when stamped (bot.blocks.stamp_command), else the names
            text = value.get("text") or f"/{name} {value['actor']} {value.get('topic') or ''}"
        except (KeyError, TypeError, ValueError):
            log.warning("show_more with an unreadable value")
            _respond(respond, blocks.render_unexpected(), response_type=EPHEMERAL,
                     replace_original=False)
            return
        reply = self.answer(text, user_id=body["user"]["id"], channel_id=_channel_of(body),
                            page=page)
        _respond(respond, reply, response_type=EPHEMERAL, replace_original=reply.ok)

    def share_in_channel(self, ack: Ack, body: dict[str, Any], action: dict[str, Any],
                         respond: Respond, client: WebClient) -> None:
        """Run the command again as the clicking user and post the reply in the channel."""
        ack()
        user, channel = body["user"]["id"], _channel_of(body)
        try:
            value = json.loads(action["value"])
            text, page = str(value["command"]), int(value.get("page") or 0)
        except (KeyError, TypeError, ValueError):
            log.warning("share_in_channel with an unreadable value")
            _respond(respond, blocks.render_unexpected(), response_type=EPHEMERAL,
                     replace_original=False)
            return
        reply = self.answer(text, user_id=user, channel_id=channel, page=page)
        if not reply.ok:
            _respond(respond, reply, response_type=EPHEMERAL, replace_original=False)
            return
        shared = blocks.for_channel(reply, shared_by=user)
        try:
            if channel is None:
                raise SlackClientError("no channel in the action payload")
            # the Web API client retries rate limits and server errors (bootstrap)
            client.chat_postMessage(channel=channel, **shared.payload())
        except (SlackApiError, SlackClientError) as exc:
            # not_in_channel in a private channel, say: the response URL still reaches it
            log.info("chat.postMessage failed (%s); sharing through the response URL",
                     exc.response.get("error") if isinstance(exc, SlackApiError) else exc)
            if not _respond(respond, shared, response_type=IN_CHANNEL, replace_original=False):
                return
        _respond(respond, None, delete_original=True)

    def app_home_opened(self, event: dict[str, Any], client: WebClient) -> None:
        """Publish the Home tab: source health, subscribed channels, top open questions."""
        if event.get("tab", "home") != "home":
            return
        try:
            view = blocks.render_home(home.gather(deps=self.deps, now=self.clock()))
            client.views_publish(user_id=event["user"], view=view)
        except Exception:
            log.exception("App Home for %s failed", event.get("user"))


def _respond(respond: Respond, message: Message | None, **kwargs: Any) -> bool:
    """respond(), logged instead of raised: the user has already been acknowledged."""
    try:
        respond(**(message.payload() if message else {}), **kwargs)
        return True
    except Exception:
        log.exception("respond() failed")
        return False


def _ignore() -> None:
    """Events the app does not act on are acknowledged (Bolt acks events itself)."""


def _ack_only(ack: Ack) -> None:
    ack()


def settle_heap() -> None:
    """Take what startup built (modules, the registry, SQLAlchemy and pydantic machinery, some
    130,000 objects) out of the garbage collector's sight, for a long-running server: every
    full collection walked all of it, 200-340 ms in the middle of a command on the loaded
    2-core bench machine, which set the p99 of every command (bench/). Requests still free
    their own objects as before; only startup's are never scanned again."""
    gc.collect()
    gc.freeze()


def serve_without_parallel_query(engine: Engine) -> None:
    """Postgres: this process's queries run without parallel workers. The commands' reads are
    short index walks that stop at a limit; planned in parallel (Gather Merge over a backward
    index scan) they waited for worker processes on the 2-core machine: the /timeline read
    took 102 ms so and 38 ms without (bench/, 100,000 articles). Set on each new connection
    (in autocommit, so no rollback undoes it); connections opened before are closed."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "connect")
    def no_parallel_workers(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        cursor = dbapi_connection.cursor()
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.close()
        dbapi_connection.autocommit = autocommit

    engine.dispose()


def build_app(settings: Settings, deps: Deps, *, client: WebClient | None = None,
              users: UserInfo | None = None,
              clock: Callable[[], datetime] = _utcnow) -> App:
    """The Bolt app, without side effects: no network, no environment, no threads started."""
    if client is None:
        from bot.bootstrap import make_slack_client  # the composition root builds clients
        client = make_slack_client(settings)
    secret = settings.slack_signing_secret
    app = App(
        name="briefbot",
        client=client,
        # Socket Mode needs no signing secret; over HTTP an empty one refuses every request
        signing_secret=secret.get_secret_value() if secret else "",
        # auth.test runs on the first request instead of here, keeping the factory offline
        token_verification_enabled=False,
        # a long-running server: listeners run in Bolt's thread pool and the HTTP answer goes
        # back as soon as ack() is called, so slow work can continue after it
        process_before_response=False,
        request_verification_enabled=True,
    )
    listeners = Listeners(deps=deps, users=users, clock=clock)
    for name in SLASH_COMMANDS:
        app.command(f"/{name}")(listeners.slash_command)
    app.action("show_more")(listeners.show_more)
    app.action("share_in_channel")(listeners.share_in_channel)
    app.event("app_home_opened")(listeners.app_home_opened)
    # last: anything else Slack sends still gets a 200 rather than Bolt's 404
    app.event(re.compile(".*"))(_ignore)
    app.action(re.compile(".*"))(_ack_only)
    return app
