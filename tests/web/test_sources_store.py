"""The source use cases against the real store (SQLite, and Postgres when reachable)."""

from __future__ import annotations

import functools
from datetime import timedelta

import pytest

from bot.fetcher import SafeFetcher
from briefing import services, sources
from briefing.errors import InputError
from storage.uow import SqlUnitOfWorkFactory
from web.conftest import NOW, Site


def test_add_poll_and_remove_a_feed_source_end_to_end(site: Site, fetcher: SafeFetcher,
                                                      uow: SqlUnitOfWorkFactory) -> None:
    registry = services.load_registry(uow=uow)
    ingest = functools.partial(services.ingest_article, uow=uow, now=NOW, registry=registry)
    report = sources.add_source(site.url("/feeds/summary.xml"), name=None, user="U_ADMIN",
                                uow=uow, fetcher=fetcher, ingest=ingest, now=NOW)
    assert (report.kind, report.items.new, report.items.failed) == ("feed", 4, 0)
    source_id = report.source.id
    [listed] = sources.list_sources(uow=uow)
    assert (listed.id, listed.articles, listed.feed_url) == (
        source_id, 4, site.url("/feeds/summary.xml"))

    later = NOW + timedelta(minutes=30)
    polled = sources.poll_due(uow=uow, fetcher=fetcher, ingest=ingest, now=later)
    assert [(p.source_id, p.status, p.items.unchanged, p.items.pages_fetched)
            for p in polled] == [(source_id, "ok", 4, 0)]
    assert sources.poll_due(uow=uow, fetcher=fetcher, ingest=ingest, now=later) == []

    sources.pause_source(source_id, user="U_ADMIN", uow=uow, now=later)
    assert sources.poll_due(uow=uow, fetcher=fetcher, ingest=ingest,
                            now=later + timedelta(days=1)) == []
    sources.resume_source(source_id, user="U_ADMIN", uow=uow, now=later)
    sources.remove_source(source_id, user="U_ADMIN", uow=uow, now=later)
    assert sources.list_sources(uow=uow) == []
    with uow() as tx:
        assert tx.articles.count() == 4  # the articles stay
        actions = [e.action for e in tx.audit.recent(limit=10)]
    assert actions == ["sources.remove", "sources.resume", "sources.pause", "sources.add"]


def test_rejected_add_leaves_the_store_without_a_source(site: Site, fetcher: SafeFetcher,
                                                        uow: SqlUnitOfWorkFactory) -> None:
    ingest = functools.partial(services.ingest_article, uow=uow, now=NOW,
                               registry=services.load_registry(uow=uow))
    with pytest.raises(InputError, match="has no items"):
        sources.add_source(site.url("/feeds/empty.xml"), name=None, user="U1", uow=uow,
                           fetcher=fetcher, ingest=ingest, now=NOW)
    assert sources.list_sources(uow=uow) == []
    with uow() as tx:
        [entry] = tx.audit.recent(limit=5)
    assert entry.result.startswith("rejected: ")
