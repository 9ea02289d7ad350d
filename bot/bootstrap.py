"""The composition root: builds settings, engine, store, collaborators. Nothing else reads env."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import Engine

from bot.commands import Deps
from bot.fetcher import SafeFetcher
from bot.settings import Settings
from briefing.actors import ActorRegistry
from briefing.batch import BatchIngest
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
    slack_client: WebClient | None = None  # set when SLACK_BOT_TOKEN is
    slack_users: SlackUsers | None = None


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
    slack_client, slack_users = None, None
    if settings.slack_enabled:
        slack_client = make_slack_client(settings)
        slack_users = SlackUsers(client=make_slack_client(settings, quick=True))
        workspace_admin = workspace_admin or slack_users.is_workspace_admin
    deps = Deps(uow=uow, is_admin=admin_check(settings, workspace_admin),
                fetcher=make_fetcher(settings), default_digest_time=settings.digest_default_time,
                poll_minutes=settings.poll_interval_minutes)
    if settings.slack_enabled:  # digests (issue 5): the clock and `/digest now` post with it
        from bot.poster import SlackPoster
        deps.poster = SlackPoster(make_slack_client(settings, posting=True),
                                  attempts=SLACK_MAX_RETRIES + 1)
    return Container(settings=settings, engine=engine, uow=uow, deps=deps, clock=utcnow,
                     slack_client=slack_client, slack_users=slack_users)


# Pages of a feed fetched at once in a batch. SafeFetcher is thread-safe (its shared state is
# behind a lock, httpx clients are thread-safe, Crawl-delay slots queue); a few threads hide
# the network's latency behind the workers' reading without hammering one site.
FETCH_THREADS = 4


def make_batch_ingest(container: Container, *, now: datetime,
                      registry: ActorRegistry) -> BatchIngest:
    """Ingest for a batch of articles, with INGEST_WORKERS worker processes."""
    threads = FETCH_THREADS if isinstance(container.deps.fetcher, SafeFetcher) else 1
    return BatchIngest(uow=container.uow, now=now, registry=registry,
                       workers=container.settings.ingest_workers, fetch_threads=threads)


def make_fetcher(settings: Settings) -> Fetcher:
    """The safe web fetcher, allowlisting SOURCE_ALLOW_HOSTS."""
    return SafeFetcher(allow_hosts=settings.source_allow_hosts)


# Retries of one Web API call: rate limits wait for Retry-After; 5xx and dropped connections
# back off. slack_sdk's handlers do the waiting.
SLACK_MAX_RETRIES = 3


# users.info runs inside Slack's 3-second acknowledgement window, so its client gives up fast
# and does not wait out rate limits; an unknown user is simply not a workspace admin for now.
QUICK_TIMEOUT_SECONDS = 2
# users.info answers (timezone, admin/owner) are reused this long; a promoted admin waits at most
# this long, and a busy channel costs one users.info per user per period.
USER_INFO_TTL_SECONDS = 300.0
# A users.info that failed is not asked again for this long: one command asks up to three
# times (is it slow, its context, the admin check), and three 2-second timeouts would outlast
# Slack's 3-second acknowledgement window. Meanwhile the user is no workspace admin.
USER_INFO_FAILED_TTL_SECONDS = 30.0


def make_slack_client(settings: Settings, *, quick: bool = False,
                      posting: bool = False) -> WebClient:
    """The Slack Web API client, with slack_sdk's retry handlers, at SLACK_API_URL. For
    posting, rate limits only: re-sending a post after a dropped connection or a 5xx may post
    it twice (bot/poster.py looks for it first)."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    if quick:
        return WebClient(token=token, base_url=settings.slack_api_url,
                         timeout=QUICK_TIMEOUT_SECONDS)
    if posting:
        return WebClient(token=token, base_url=settings.slack_api_url, retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=SLACK_MAX_RETRIES)])
    client = WebClient(token=token, base_url=settings.slack_api_url)
    # the client comes with a connection-error handler; rate limits and 5xx are added here
    client.retry_handlers.extend([
        RateLimitErrorRetryHandler(max_retry_count=SLACK_MAX_RETRIES),
        ServerErrorRetryHandler(max_retry_count=SLACK_MAX_RETRIES),
    ])
    return client


@dataclass(frozen=True)
class SlackUser:
    tz: str | None = None
    is_admin: bool = False


class SlackUsers:
    """users.info with a short cache: a user's timezone and whether they are an admin or owner."""

    def __init__(self, *, client: WebClient, ttl: float = USER_INFO_TTL_SECONDS,
                 failed_ttl: float = USER_INFO_FAILED_TTL_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._ttl = ttl
        self._failed_ttl = failed_ttl
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, SlackUser]] = {}
        self._failed: dict[str, float] = {}
        self._lock = threading.Lock()

    def get(self, user_id: str) -> SlackUser:
        with self._lock:
            hit = self._cache.get(user_id)
            failed = self._failed.get(user_id)
        now = self._monotonic()
        if hit and now - hit[0] < self._ttl:
            return hit[1]
        if failed is not None and now - failed < self._failed_ttl:
            return SlackUser()
        try:
            info = self._client.users_info(user=user_id).get("user") or {}
        except (SlackApiError, SlackClientError, OSError) as exc:
            # remembered briefly: the rest of this command does not wait for it again
            logging.getLogger(__name__).warning("users.info failed for %s: %s", user_id,
                                                type(exc).__name__)
            with self._lock:
                self._failed[user_id] = self._monotonic()
            return SlackUser()
        user = SlackUser(tz=info.get("tz"),
                         is_admin=bool(info.get("is_admin") or info.get("is_owner")
                                       or info.get("is_primary_owner")))
        with self._lock:
            self._cache[user_id] = (self._monotonic(), user)
        return user

    def is_workspace_admin(self, user_id: str) -> bool:
        return self.get(user_id).is_admin

    def timezone(self, user_id: str) -> str | None:
        return self.get(user_id).tz
