"""The clock's polls go through the batch path: the pool for many new items, the same store."""

from __future__ import annotations

from email.utils import format_datetime
from html import escape
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from bot.clock import DigestClock
from bot.fetcher import SafeFetcher
from briefing import batch, sources
from briefing.actors import ActorRegistry
from briefing.ports import SourceUpdate
from tests.digest.helpers import make_container
from tests.web.test_batch import PAGES, serial_ingest
from web.conftest import FIXTURES, NOW, Site
from web.stores import empty_store, store_contents

MANY = batch.POOL_MIN_ARTICLES + 1  # distinct article pages in the big feed


def serve_feed(site: Site, *, pages: int) -> str:
    """A summary-only feed of `pages` distinct article pages (the fixtures, each copy with a
    closing paragraph of its own), then a copy of the first under another address (a
    duplicate by text) and a page that is missing."""
    links = []
    for n in range(pages):
        html = (FIXTURES / "articles" / f"{PAGES[n % len(PAGES)]}.html").read_text()
        extra = (f"<p>Correction {n}: an earlier version of this article misstated the number "
                 f"of officials briefed on the plan; it was {n + 3}, not {n + 2}.</p>\n</div>")
        body = html.replace("</div>\n</article>", extra + "\n</article>", 1).encode()
        site.serve_bytes(f"/news/{n}.html", body, content_type="text/html; charset=utf-8")
        site.serve_bytes(f"/copy/{n}.html", body, content_type="text/html; charset=utf-8")
        links.append(f"/news/{n}.html")
    links += ["/copy/0.html", "/missing.html"]
    items = "".join(f"<item><title>Item {n}</title><link>{site.base}{link}</link>"
                    f"<pubDate>{format_datetime(NOW)}</pubDate>"
                    f"<description>{escape('A short summary.')}</description></item>"
                    for n, link in enumerate(links))
    site.serve_bytes("/feeds/news.xml",
                     (f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
                      f"<link>{site.base}/</link>{items}</channel></rss>").encode(),
                     content_type="application/rss+xml")
    return site.url("/feeds/news.xml")


def due_source(c: Any, feed: str) -> int:
    with c.uow() as tx:
        source = tx.sources.add(feed, name="News", kind="feed", feed_url=feed, added_by="U1",
                                now=NOW)
        tx.sources.update(source.id, SourceUpdate(next_poll=NOW))
        tx.commit()
    return source.id


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker pools the clock starts, by size (the real forkserver pool, counted)."""
    started: list[int] = []
    forkserver_pool = batch.forkserver_pool

    def counted(workers: int, registry: ActorRegistry) -> Any:
        started.append(workers)
        return forkserver_pool(workers, registry)

    monkeypatch.setattr(batch, "forkserver_pool", counted)
    return started


def clock_over(db_url: str, fetcher: SafeFetcher) -> tuple[Any, DigestClock]:
    c = make_container(db_url)
    c.settings = c.settings.model_copy(update={"ingest_workers": 2})
    c.deps.fetcher = fetcher
    return c, DigestClock(c, scheduler=BackgroundScheduler(), now=lambda: NOW)


def test_a_poll_with_many_new_items_goes_through_the_pool_and_stores_what_one_process_stores(
        db_url: str, site: Site, fetcher: SafeFetcher, pools: list[int]) -> None:
    feed = serve_feed(site, pages=MANY)
    c, clock = clock_over(db_url, fetcher)
    engine: Engine = c.engine
    try:
        serial_id = due_source(c, feed)
        report = sources.poll_source(serial_id, uow=c.uow, fetcher=fetcher, now=NOW,
                                     ingest=serial_ingest(c.uow))
        assert (report.items.new, report.items.unchanged, report.items.failed) == (MANY, 1, 1)
        serial_store = store_contents(engine)
        empty_store(engine)
        assert pools == []

        source_id = due_source(c, feed)
        clock.poll_sources()
        assert pools == [2]
        assert store_contents(engine) == serial_store  # each article once, the copy found
        with c.uow() as tx:
            source = tx.sources.get(source_id)
            assert source is not None and source.failures == 0  # the missing page failed alone

        # polled again: nothing new, no stored article fetched or stored again
        fetched = site.hits("/news/1.html")
        with c.uow() as tx:
            tx.sources.update(source_id, SourceUpdate(next_poll=NOW))
            tx.commit()
        clock.poll_sources()
        assert site.hits("/news/1.html") == fetched
        assert store_contents(engine) == serial_store
    finally:
        engine.dispose()


def test_a_poll_with_few_new_items_starts_no_pool(
        db_url: str, site: Site, fetcher: SafeFetcher, pools: list[int]) -> None:
    feed = serve_feed(site, pages=2)
    c, clock = clock_over(db_url, fetcher)
    try:
        due_source(c, feed)
        clock.poll_sources()
        with c.uow() as tx:
            assert tx.articles.count() == 2
    finally:
        c.engine.dispose()
    assert pools == []
