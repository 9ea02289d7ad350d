"""A feed's items through the worker pool: the same store and tallies as the serial path."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import format_datetime
from html import escape
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.fetcher import SafeFetcher
from briefing import batch, services, sources
from briefing.actors import ActorRegistry
from briefing.errors import BriefingError
from briefing.models import ArticleInput
from storage.uow import SqlUnitOfWorkFactory
from tests.web.batch_faults import explode_on_sanctions
from web.conftest import FIXTURES, NOW, Site
from web.stores import empty_store, store_contents

PAGES = ("geneva-talks", "power-strikes", "prisoner-exchange", "sanctions-package")


def serve_mixed_feed(site: Site) -> str:
    """A summary-only feed: four article pages, a copy of one under another address (a
    duplicate by text), a page that is missing, a login page with no article, and an item
    without a link."""
    site.serve_fixture("/copy/geneva-talks.html", "articles/geneva-talks.html")
    links = [f"/articles/{name}.html" for name in PAGES]
    links[2:2] = ["/copy/geneva-talks.html", "/missing.html", "/login"]
    items = [f"<item><title>Item {n}</title><link>{site.base}{link}</link>"
             f"<pubDate>{format_datetime(NOW)}</pubDate>"
             f"<description>{escape('A short summary.')}</description></item>"
             for n, link in enumerate(links)]
    items.append("<item><title>No link</title><description>Only this.</description></item>")
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Mixed</title>'
            f"<link>{site.base}/</link>{''.join(items)}</channel></rss>").encode()
    site.serve_bytes("/feeds/mixed.xml", feed, content_type="application/rss+xml")
    return site.url("/feeds/mixed.xml")


def serial_ingest(uow: SqlUnitOfWorkFactory) -> Callable[[ArticleInput], services.IngestOutcome]:
    """The serial path: one article after another, the registry growing as `briefbot ingest`
    grows it."""
    registry = services.load_registry(uow=uow)

    def ingest(doc: ArticleInput) -> services.IngestOutcome:
        nonlocal registry
        outcome = services.ingest_article(doc, uow=uow, now=NOW, registry=registry)
        if outcome.status == "new":
            registry = registry.with_actors(outcome.discovered)
        return outcome

    return ingest


class CountingPools:
    """The real forkserver pool, counted."""

    def __init__(self) -> None:
        self.started: list[int] = []

    def __call__(self, workers: int, registry: ActorRegistry) -> Any:
        self.started.append(workers)
        return batch.forkserver_pool(workers, registry)


def pooled(uow: SqlUnitOfWorkFactory, pools: CountingPools, **options: Any) -> batch.BatchIngest:
    options = {"workers": 2, "min_pool": 2, **options}
    return batch.BatchIngest(uow=uow, now=NOW, registry=services.load_registry(uow=uow),
                             pool_factory=pools, **options)


def test_a_feed_through_the_pool_stores_what_the_serial_path_stores(
        site: Site, fetcher: SafeFetcher, engine: Engine, uow: SqlUnitOfWorkFactory) -> None:
    url = serve_mixed_feed(site)
    serial = sources.read_url(url, uow=uow, fetcher=fetcher, ingest=serial_ingest(uow), now=NOW)
    serial_store = store_contents(engine)
    empty_store(engine)
    pools = CountingPools()
    batched = sources.read_url(url, uow=uow, fetcher=fetcher, now=NOW,
                               ingest=pooled(uow, pools, fetch_threads=3))
    assert pools.started == [2]
    assert batched == serial
    assert (batched.items.new, batched.items.unchanged, batched.items.failed) == (4, 1, 3)
    assert store_contents(engine) == serial_store
    assert len(serial_store["article"]) == 4


def test_polling_again_through_the_pool_finds_everything_stored(
        site: Site, fetcher: SafeFetcher, uow: SqlUnitOfWorkFactory) -> None:
    url = serve_mixed_feed(site)
    pools = CountingPools()
    report = sources.add_source(url, name="Mixed", user="U1", uow=uow, fetcher=fetcher,
                                ingest=pooled(uow, pools), now=NOW)
    assert report.items.new == 4
    fetched = site.hits("/articles/power-strikes.html")
    later = NOW.replace(hour=13)
    polled = sources.poll_source(report.source.id, uow=uow, fetcher=fetcher, now=later,
                                 ingest=pooled(uow, pools))
    assert polled.status == "ok"
    assert polled.items.new == 0
    # stored links are not fetched again; the copy is fetched, read and found stored
    assert site.hits("/articles/power-strikes.html") == fetched
    assert polled.items.unchanged == 5


def test_a_worker_that_raises_fails_that_item_and_stores_the_others(
        site: Site, fetcher: SafeFetcher, uow: SqlUnitOfWorkFactory) -> None:
    url = serve_mixed_feed(site)
    pools = CountingPools()
    read = sources.read_url(url, uow=uow, fetcher=fetcher, now=NOW,
                            ingest=pooled(uow, pools, process=explode_on_sanctions))
    assert pools.started == [2]
    assert read.items.new == 3
    assert any("internal error while processing the article" in e for e in read.items.errors)
    with uow() as tx:
        for name in PAGES:
            stored = tx.articles.find_duplicate(url=site.url(f"/articles/{name}.html"),
                                                content_hash="")
            assert (stored is None) == (name == "sanctions-package"), name


def test_one_worker_takes_no_pool(site: Site, fetcher: SafeFetcher,
                                  uow: SqlUnitOfWorkFactory) -> None:
    def no_pool(workers: int, registry: ActorRegistry) -> Any:
        raise AssertionError("INGEST_WORKERS=1 must not start a pool")

    one = batch.BatchIngest(uow=uow, now=NOW, registry=services.load_registry(uow=uow),
                            workers=1, min_pool=1, pool_factory=no_pool)
    read = sources.read_url(serve_mixed_feed(site), uow=uow, fetcher=fetcher, ingest=one,
                            now=NOW)
    assert read.items.new == 4


@pytest.mark.parametrize("size", [1, batch.POOL_MIN_ARTICLES - 1])
def test_a_small_batch_is_processed_without_a_pool(size: int, uow: SqlUnitOfWorkFactory) -> None:
    pools = CountingPools()
    ingest = pooled(uow, pools, min_pool=batch.POOL_MIN_ARTICLES)
    text = (FIXTURES / "articles" / "geneva-talks.html").read_bytes()
    jobs = [batch.PageJob(body=text, url=f"https://example.org/{n}", now=NOW)
            for n in range(size)]
    results = list(ingest.run(jobs, size=size))
    assert pools.started == []
    assert [r.outcome.status for r in results if r.outcome] == ["new"] + ["unchanged"] * (size - 1)


def test_several_urls_through_the_pool_store_what_reading_them_one_by_one_stores(
        site: Site, fetcher: SafeFetcher, engine: Engine, uow: SqlUnitOfWorkFactory) -> None:
    feed = serve_mixed_feed(site)
    urls = [site.url("/articles/geneva-talks.html"), site.url("/articles/power-strikes.html"),
            "not a web address", site.url("/missing.html"), feed,
            site.url("/articles/prisoner-exchange.html"),
            site.url("/articles/sanctions-package.html"), site.url("/copy/geneva-talks.html")]
    ingest = serial_ingest(uow)
    serial: list[Any] = []
    for url in urls:
        try:
            serial.append(sources.read_url(url, uow=uow, fetcher=fetcher, ingest=ingest, now=NOW))
        except BriefingError as exc:
            serial.append(exc)
    serial_store = store_contents(engine)
    empty_store(engine)
    pools = CountingPools()
    batched = sources.read_urls(urls, uow=uow, fetcher=fetcher, now=NOW,
                                ingest=pooled(uow, pools, fetch_threads=3))
    assert pools.started == [2, 2, 2]  # the first two pages, the feed, the last three pages
    assert [str(r) if isinstance(r, BriefingError) else r for r in batched] == [
        str(r) if isinstance(r, BriefingError) else r for r in serial]
    assert [r.items.new for r in batched if not isinstance(r, BriefingError)] == [1, 1, 2, 0, 0, 0]
    assert store_contents(engine) == serial_store


def test_a_pool_that_cannot_start_leaves_the_batch_to_the_main_process(
        site: Site, fetcher: SafeFetcher, uow: SqlUnitOfWorkFactory) -> None:
    def cannot_fork(workers: int, registry: ActorRegistry) -> Any:
        raise OSError("cannot fork")

    ingest = batch.BatchIngest(uow=uow, now=NOW, registry=services.load_registry(uow=uow),
                               workers=2, min_pool=1, pool_factory=cannot_fork)
    read = sources.read_url(serve_mixed_feed(site), uow=uow, fetcher=fetcher, ingest=ingest,
                            now=NOW)
    assert (read.items.new, read.items.unchanged, read.items.failed) == (4, 1, 3)
