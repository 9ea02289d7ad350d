"""A feed's items through the worker pool: the same store and tallies as the serial path."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from datetime import timedelta
from email.utils import format_datetime
from html import escape
from typing import Any

import pytest
from sqlalchemy import Engine, text

from bench import corpus
from bot.fetcher import SafeFetcher
from briefing import batch, extract, services, sources
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


def read_one_by_one(urls: list[str], *, uow: SqlUnitOfWorkFactory,
                    fetcher: SafeFetcher) -> list[Any]:
    """Each URL's report through the serial path, or why it failed."""
    ingest = serial_ingest(uow)
    serial: list[Any] = []
    for url in urls:
        try:
            serial.append(sources.read_url(url, uow=uow, fetcher=fetcher, ingest=ingest, now=NOW))
        except BriefingError as exc:
            serial.append(exc)
    return serial


def test_several_urls_through_the_pool_store_what_reading_them_one_by_one_stores(
        site: Site, fetcher: SafeFetcher, engine: Engine, uow: SqlUnitOfWorkFactory) -> None:
    feed = serve_mixed_feed(site)
    urls = [site.url("/articles/geneva-talks.html"), site.url("/articles/power-strikes.html"),
            "not a web address", site.url("/missing.html"), feed,
            site.url("/articles/prisoner-exchange.html"),
            site.url("/articles/sanctions-package.html"), site.url("/copy/geneva-talks.html")]
    serial = read_one_by_one(urls, uow=uow, fetcher=fetcher)
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


# Two articles where the second can be read right only with what the first discovers: Anna
# Kowalska is in no registry until the first names her beside her title; the second calls her
# by her surname. Then two that name nobody new.
DISCOVERS = ArticleInput(
    url="https://example.org/talks-resume", title="Talks resume in Geneva",
    published=NOW - timedelta(days=2),
    text="Foreign Minister Anna Kowalska said on Tuesday that the talks in Geneva would resume "
         "next week, after two days of meetings between the delegations.\n\n"
         "“We want a ceasefire before the winter,” she told reporters outside the hotel.")
NAMES_HER = ArticleInput(
    url="https://example.org/kowalska-truce", title="Kowalska presses for a truce",
    published=NOW - timedelta(days=1),
    text="Kowalska repeated on Wednesday that a ceasefire must come before the winter.\n\n"
         "The Polish diplomat added that the delegations had agreed on the agenda.")
OTHERS = [
    ArticleInput(url="https://example.org/sanctions", title="Sanctions extended",
                 published=NOW - timedelta(days=1),
                 text="The European Union agreed on Monday to extend its sanctions against "
                      "Russia for another six months, diplomats in Brussels said.\n\n"
                      "The decision needs the approval of all member states."),
    ArticleInput(url="https://example.org/grid", title="Grid repairs",
                 published=NOW - timedelta(days=1),
                 text="Ukrainian officials said on Thursday that repairs to the power grid "
                      "would take weeks after the latest strikes.\n\n"
                      "It remains unclear whether the plants can be protected before the "
                      "winter."),
]
DISCOVERY_BATCH = [DISCOVERS, NAMES_HER, *OTHERS]  # all four in flight before one is stored


class InlinePool(Executor):
    """A pool whose worker is this process: each job runs when it is sent (its result is back
    before this process stores anything), or with `lazy` only when its result is asked for
    (back only at its turn to be stored)."""

    def __init__(self, registry: ActorRegistry, monkeypatch: pytest.MonkeyPatch, *,
                 lazy: bool) -> None:
        monkeypatch.setattr(batch, "_worker", batch._Worker(base=registry))  # its initializer
        self.lazy = lazy
        self.jobs = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.jobs += 1
        future: Future[Any] = _Lazy(lambda: fn(*args, **kwargs)) if self.lazy else Future()
        if not self.lazy:
            future.set_result(fn(*args, **kwargs))
        return future


class _Lazy(Future[Any]):
    def __init__(self, run: Callable[[], Any]) -> None:
        super().__init__()
        self.run = run

    def result(self, timeout: float | None = None) -> Any:
        if not self.done():
            self.set_result(self.run())
        return super().result(timeout)


def mentions_of(engine: Engine, actor_id: str, url: str | None) -> int:
    """How often the stored article at `url` mentions the actor."""
    with engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM mention JOIN article ON article.id = mention.article_id "
            "WHERE article.url = :url AND mention.actor_id = :actor"),
            {"url": url, "actor": actor_id}).scalar_one())


def ingest_serially(docs: list[ArticleInput], uow: SqlUnitOfWorkFactory) -> None:
    ingest = serial_ingest(uow)
    assert [ingest(doc).status for doc in docs] == ["new"] * len(docs)


@pytest.mark.parametrize("lazy", [False, True], ids=["back-early", "back-at-its-turn"])
def test_an_article_naming_an_actor_discovered_after_it_was_sent_is_processed_again(
        lazy: bool, engine: Engine, uow: SqlUnitOfWorkFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_serially(DISCOVERY_BATCH, uow)
    serial_store = store_contents(engine)
    empty_store(engine)
    pools: list[InlinePool] = []

    def inline(workers: int, registry: ActorRegistry) -> Any:
        pools.append(InlinePool(registry, monkeypatch, lazy=lazy))
        return pools[-1]

    ingest = batch.BatchIngest(uow=uow, now=NOW, registry=services.load_registry(uow=uow),
                               workers=2, min_pool=1, pool_factory=inline)
    results = list(ingest.run(DISCOVERY_BATCH, size=len(DISCOVERY_BATCH)))
    assert [r.outcome.status for r in results if r.outcome] == ["new"] * 4
    assert [a.id for a in ingest.learned] == ["anna-kowalska"]
    if lazy:  # its first result came back only when it was its turn: processed again here
        assert (ingest.stats.sent_again, ingest.stats.processed_here, pools[0].jobs) == (0, 1, 4)
    else:  # back at once: sent again when she was discovered, not processed here
        assert (ingest.stats.sent_again, ingest.stats.processed_here, pools[0].jobs) == (1, 0, 5)
    assert store_contents(engine) == serial_store
    assert mentions_of(engine, "anna-kowalska", NAMES_HER.url) > 0  # read with her known


def test_discoveries_through_the_real_pool_store_what_the_serial_path_stores(
        engine: Engine, uow: SqlUnitOfWorkFactory) -> None:
    ingest_serially(DISCOVERY_BATCH, uow)
    serial_store = store_contents(engine)
    empty_store(engine)
    pools = CountingPools()
    ingest = pooled(uow, pools)
    results = list(ingest.run(DISCOVERY_BATCH, size=len(DISCOVERY_BATCH)))
    assert pools.started == [2]
    assert [r.outcome.status for r in results if r.outcome] == ["new"] * 4
    # processed again once, in a worker or here, whichever the timing allowed
    assert ingest.stats.sent_again + ingest.stats.processed_here == 1
    assert store_contents(engine) == serial_store


@pytest.fixture
def unfrozen_heap() -> Iterator[None]:
    """No object frozen out of garbage collection; as it was after (the server's tests freeze
    the heap on purpose, as `briefbot serve` does)."""
    frozen = gc.get_freeze_count() > 0
    gc.unfreeze()
    yield
    if frozen:
        gc.freeze()


def test_a_batch_leaves_the_heap_it_started_with_out_of_garbage_collection_until_it_ends(
        uow: SqlUnitOfWorkFactory, unfrozen_heap: None) -> None:
    assert gc.get_freeze_count() == 0
    ingest = batch.BatchIngest(uow=uow, now=NOW, registry=services.load_registry(uow=uow))
    results = ingest.run(OTHERS, size=len(OTHERS))
    assert next(results).outcome is not None
    assert gc.get_freeze_count() > 0
    assert len(list(results)) == 1
    assert gc.get_freeze_count() == 0


def test_a_heap_the_application_froze_stays_frozen_after_a_batch(
        uow: SqlUnitOfWorkFactory, unfrozen_heap: None) -> None:
    gc.freeze()  # as `briefbot serve` does once started
    try:
        ingest = batch.BatchIngest(uow=uow, now=NOW, registry=services.load_registry(uow=uow))
        assert len(list(ingest.run(OTHERS, size=len(OTHERS)))) == 2
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_pages_of_a_url_list_are_read_in_the_workers_and_reported_as_read_one_by_one(
        site: Site, fetcher: SafeFetcher, engine: Engine, uow: SqlUnitOfWorkFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    urls = [site.url("/articles/geneva-talks.html"), site.url("/login"),
            *(site.url(f"/articles/{name}.html") for name in PAGES[1:]),
            site.url("/copy/geneva-talks.html")]
    site.serve_fixture("/copy/geneva-talks.html", "articles/geneva-talks.html")
    serial = read_one_by_one(urls, uow=uow, fetcher=fetcher)
    assert "no article" in str(serial[1])
    serial_store = store_contents(engine)
    empty_store(engine)
    read_here: list[str] = []
    extract_page = extract.extract_page

    def counted(page: Any, **options: Any) -> ArticleInput:
        read_here.append(options["url"])
        return extract_page(page, **options)

    monkeypatch.setattr(extract, "extract_page", counted)  # this process's, not the workers'
    pools = CountingPools()
    batched = sources.read_urls(urls, uow=uow, fetcher=fetcher, now=NOW,
                                ingest=pooled(uow, pools, fetch_threads=3))
    assert pools.started == [2]
    assert read_here == []
    assert [str(r) if isinstance(r, BriefingError) else r for r in batched] == [
        str(r) if isinstance(r, BriefingError) else r for r in serial]
    assert store_contents(engine) == serial_store


class InProcessPool(Executor):
    """Runs each job at once, here: every result is back before the next article is sent, so
    the batch stores the articles after each one together (up to batch.STORE_GROUP)."""

    def __init__(self, registry: ActorRegistry) -> None:
        batch._start_worker(list(registry.actors.values()))

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_articles_whose_results_are_back_are_stored_together_as_one_by_one(
        engine: Engine, uow: SqlUnitOfWorkFactory) -> None:
    docs = [g.doc for g in corpus.generate(20, seed=8)]
    docs.insert(9, docs[3].model_copy(update={"url": None, "path": "copy.txt"}))  # same text
    serial = serial_ingest(uow)
    expected = [serial(doc) for doc in docs]
    serial_store = store_contents(engine)
    empty_store(engine)
    ingest = batch.BatchIngest(uow=uow, now=NOW, registry=services.load_registry(uow=uow),
                               workers=2, min_pool=2,
                               pool_factory=lambda workers, registry: InProcessPool(registry))
    results = list(ingest.run(docs, size=len(docs)))
    assert [r.outcome for r in results] == expected
    assert [o.status for o in expected].count("unchanged") == 1
    assert ingest.stats.stored_together >= len(docs) // 2
    assert store_contents(engine) == serial_store
