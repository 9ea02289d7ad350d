"""The composition root: builds settings, engine, store, collaborators. Nothing else reads env."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import Engine

from bot.commands import Deps
from bot.fetcher import SafeFetcher
from bot.settings import Settings
from briefing.ports import Fetcher
from storage import db
from storage.uow import SqlUnitOfWorkFactory

# Local operators (the console, `briefbot ask`) act with admin rights: they hold the database.
LOCAL_USERS = frozenset({"console", "cli"})


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    deps: Deps
    clock: Callable[[], datetime]


def load_settings(database_url: str | None = None) -> Settings:
    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO; keep it quiet unless debugging
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Alembic announces its context on every start; only a real migration is worth a line
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)


def admin_check(settings: Settings,
                workspace_admin: Callable[[str], bool] | None = None) -> Callable[[str], bool]:
    """Admins: local operators, ADMIN_USER_IDS, and workspace admins/owners when Slack is on."""
    listed = frozenset(settings.admin_user_ids)

    def is_admin(user_id: str) -> bool:
        if user_id in LOCAL_USERS or user_id in listed:
            return True
        return bool(workspace_admin and workspace_admin(user_id))

    return is_admin


def build(settings: Settings, *, check_schema: bool = True,
          workspace_admin: Callable[[str], bool] | None = None) -> Container:
    engine = db.make_engine(settings.database_url)
    if check_schema:
        db.check_schema(engine)
    uow = SqlUnitOfWorkFactory(engine)
    deps = Deps(uow=uow, is_admin=admin_check(settings, workspace_admin),
                fetcher=make_fetcher(settings), default_digest_time=settings.digest_default_time)
    if settings.slack_enabled:  # digests (issue 5): the clock and `/digest now` post with it
        from bot.poster import SlackPoster
        deps.poster = SlackPoster(make_slack_client(settings))
    return Container(settings=settings, engine=engine, uow=uow, deps=deps, clock=utcnow)


def make_fetcher(settings: Settings) -> Fetcher:
    """The safe web fetcher, allowlisting SOURCE_ALLOW_HOSTS."""
    return SafeFetcher(allow_hosts=settings.source_allow_hosts)


# Retries of one Web API call: rate limits wait for Retry-After; 5xx and dropped connections
# back off. slack_sdk's handlers do the waiting.
SLACK_MAX_RETRIES = 3


def make_slack_client(settings: Settings) -> WebClient:
    """The Slack Web API client, with slack_sdk's retry handlers, at SLACK_API_URL."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    client = WebClient(token=token, base_url=settings.slack_api_url)
    # the client comes with a connection-error handler; rate limits and 5xx are added here
    client.retry_handlers.extend([
        RateLimitErrorRetryHandler(max_retry_count=SLACK_MAX_RETRIES),
        ServerErrorRetryHandler(max_retry_count=SLACK_MAX_RETRIES),
    ])
    return client
