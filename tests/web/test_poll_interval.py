"""POLL_INTERVAL_MINUTES reaches the sources added: their first and later polls use it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot import bootstrap
from bot.fetcher import SafeFetcher
from briefing import sources
from web.conftest import NOW, Site
from web.fakes import FakeIngest, FakeStore


def test_a_source_added_with_an_interval_is_polled_at_that_interval(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    report = sources.add_source(site.url("/feeds/full.xml"), name=None, user="U_ADMIN",
                                uow=store, fetcher=fetcher, ingest=ingest, now=NOW,
                                poll_minutes=45)
    stored = store.state.sources[report.source.id]
    assert stored.poll_minutes == 45
    assert stored.next_poll == NOW + timedelta(minutes=45)
    later = NOW + timedelta(minutes=45)
    polled = sources.poll_source(report.source.id, uow=store, fetcher=fetcher, ingest=ingest,
                                 now=later)
    assert polled.next_poll == later + timedelta(minutes=45)


def test_without_an_interval_a_source_keeps_the_default(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    report = sources.add_source(site.url("/feeds/full.xml"), name=None, user="U_ADMIN",
                                uow=store, fetcher=fetcher, ingest=ingest, now=NOW)
    stored = store.state.sources[report.source.id]
    assert stored.poll_minutes == sources.DEFAULT_POLL_MINUTES == 30
    assert stored.next_poll == NOW + timedelta(minutes=30)


def test_the_setting_reaches_every_container(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The Slack app and the clock build their container with bootstrap.build, not the CLI."""
    monkeypatch.setenv("POLL_INTERVAL_MINUTES", "7")
    settings = bootstrap.load_settings(f"sqlite:///{tmp_path / 'b.db'}")
    c = bootstrap.build(settings, check_schema=False)
    assert c.deps.poll_minutes == 7
    c.engine.dispose()
