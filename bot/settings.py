"""Every setting of the product, declared once, read from the environment (and .env)."""

from __future__ import annotations

import os
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CommaList = Annotated[list[str], NoDecode]

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# The databases make_engine knows (postgres:// is how hosting platforms hand Postgres out).
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql")


def check_database_url(url: str) -> str:
    """The URL when it names SQLite or Postgres; else ValueError saying which forms work."""
    scheme = url.strip().split("://", 1)[0].split("+", 1)[0].lower() if "://" in url else ""
    if scheme not in DATABASE_SCHEMES:
        raise ValueError("must be a sqlite:///FILE, postgres:// or postgresql:// URL")
    return url.strip()


def cpu_count() -> int:
    """The CPUs this process may run on (INGEST_WORKERS' default)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      env_ignore_empty=True, extra="ignore")

    database_url: str = Field("sqlite:///briefing.db", description=(
        "Where the article store lives. SQLite by default; a postgres:// or postgresql:// URL "
        "selects Postgres."))
    slack_bot_token: SecretStr | None = Field(None, description=(
        "Bot token (xoxb-...). Without it, `make run` starts the local console."))
    slack_signing_secret: SecretStr | None = Field(None, description=(
        "Signing secret used to verify requests from Slack (HTTP mode)."))
    slack_app_token: SecretStr | None = Field(None, description=(
        "App-level token (xapp-...) with connections:write; selects Socket Mode."))
    slack_api_url: str = Field("https://slack.com/api/", description=(
        "Base URL of the Slack Web API (tests and proxies point it elsewhere)."))
    port: int = Field(3000, description="HTTP port of `briefbot serve` without Socket Mode.")
    admin_user_ids: CommaList = Field(default_factory=list, description=(
        "Comma-separated Slack user ids allowed to change sources and channel digests, besides "
        "workspace admins and owners."))
    source_allow_hosts: CommaList = Field(default_factory=list, description=(
        "Comma-separated host names the fetcher may reach even though they resolve to private "
        "or loopback addresses (intranet sources, tests)."))
    poll_interval_minutes: int = Field(30, ge=1, description=(
        "Default polling interval of a source."))
    digest_default_time: str = Field("08:00", description=(
        "Digest time when `/digest subscribe` names none (in the user's timezone)."))
    digest_grace_hours: float = Field(6.0, description=(
        "A digest missed while the clock was down is still posted this many hours late, "
        "never later."))
    ingest_workers: int = Field(default_factory=cpu_count, ge=1, description=(
        "Worker processes that read and process a batch of articles in `briefbot ingest` "
        "(a folder, a feed's new items, several URLs) and in the clock's polls while the main "
        "process fetches and stores; 1 processes "
        "everything in the main process, without a pool. Default: the number of CPUs."))
    seeds_dir: str = Field("seeds", description="Folder `make run` ingests on start.")
    log_level: str = Field("INFO", description="Logging level: DEBUG, INFO, WARNING, ERROR.")

    @field_validator("admin_user_ids", "source_allow_hosts", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return check_database_url(value)

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None
