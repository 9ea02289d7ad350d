"""Slack end-to-end fixtures: a seeded store, the fake Slack Web API, the real HTTP server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import bootstrap
from bot.settings import Settings
from briefing import files, services
from briefing.topics import TOPICS
from storage import db
from storage.uow import SqlUnitOfWorkFactory
from tests.slack.fake_slack import FakeSlack, fake_slack
from tests.slack.slackhttp import SIGNING_SECRET, AppServer, SlackSender, running_server

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent.parent / "seeds"
INJECTION_ARTICLE = HERE / "fixtures" / "mrkdwn_injection.txt"
NOW = datetime(2025, 2, 14, 9, 0, tzinfo=UTC)

ADMIN = "UADMIN0001"  # in ADMIN_USER_IDS
WORKSPACE_ADMIN = "UWSADMIN01"  # is_admin in users.info, not in ADMIN_USER_IDS
OWNER = "UOWNER0001"  # is_owner in users.info
MEMBER = "UMEMBER001"  # an ordinary member
CHANNEL = "CNEWSROOM1"


def seed_store(url: str, paths: list[Path]) -> None:
    """Migrate, load the topics and ingest `paths` the way `briefbot run` does."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    uow = SqlUnitOfWorkFactory(engine)
    with uow() as tx:
        tx.topics.sync((t.id, t.label, t.supports_means) for t in TOPICS)
        tx.commit()
    registry = services.load_registry(uow=uow)
    for path in paths:
        services.ingest_article(files.read_article_file(path), uow=uow, now=NOW,
                                registry=registry)
    engine.dispose()


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) + [INJECTION_ARTICLE]


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds plus an article full of mrkdwn injections, ingested once per session."""
    path = tmp_path_factory.mktemp("slack-store") / "seeded.db"
    seed_store(f"sqlite:///{path}", seed_paths())
    return path


@pytest.fixture
def store_url(seeded_sqlite: Path, tmp_path: Path) -> str:
    """A private copy of the seeded store, so a test may change it."""
    copy = tmp_path / "store.db"
    shutil.copyfile(seeded_sqlite, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with fake_slack() as f:
        f.users.update({
            ADMIN: {"id": ADMIN, "tz": "Europe/London", "is_admin": False, "is_owner": False},
            WORKSPACE_ADMIN: {"id": WORKSPACE_ADMIN, "tz": "America/New_York", "is_admin": True,
                              "is_owner": False},
            OWNER: {"id": OWNER, "tz": "UTC", "is_admin": False, "is_owner": True},
            MEMBER: {"id": MEMBER, "tz": "Europe/Berlin", "is_admin": False,
                     "is_owner": False},
        })
        yield f


def make_settings(database_url: str, fake: FakeSlack, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url, "slack_bot_token": "xoxb-test-token",
        "slack_signing_secret": SIGNING_SECRET, "slack_app_token": None,
        "slack_api_url": fake.api_url, "admin_user_ids": [ADMIN],
        "source_allow_hosts": ["127.0.0.1"], "log_level": "WARNING"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def container(store_url: str, fake: FakeSlack) -> bootstrap.Container:
    c = bootstrap.build(make_settings(store_url, fake))
    c.clock = lambda: NOW
    return c


@pytest.fixture
def server(container: bootstrap.Container) -> Iterator[AppServer]:
    with running_server(container) as s:
        yield s


@pytest.fixture
def slack(server: AppServer, fake: FakeSlack) -> SlackSender:
    """Sends what Slack sends, signed, to the running server."""
    return SlackSender(server.url, response_url=fake.response_url())
