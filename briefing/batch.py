"""Ingests a batch of articles on every core: read and process in worker processes, store here.

The CPU-bound pure part of each article (reading a fetched page with trafilatura, then
`pipeline.process_article`) runs in a pool of worker processes; this process keeps the I/O:
it fetches (the caller does), checks for duplicates, and stores the results in the batch's
order, as the serial path does, a few articles a transaction (`services.store_together`).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import multiprocessing.forkserver
import re
import sys
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any, Literal, Protocol

from briefing import clean, extract, services
from briefing.actors import ActorRegistry
from briefing.errors import BriefingError
from briefing.models import Actor, ArticleInput, ProcessedArticle
from briefing.pipeline import process_article
from briefing.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

# Below this many articles a batch is processed here, one after another. A pool costs 0.1-0.3
# s a batch (two workers forked from the running forkserver, the registry sent, results sent
# back), and two workers save half of reading + processing per article: ~20 ms of the ~40 ms
# of a real page (trafilatura ~19 ms, engine ~20 ms), so it pays from about 10-15 articles.
# `bench/bench_web.py --threshold` at load 2-3: the pool was slower at every size up to 12
# (by 60-320 ms), since the fixture pages cost ~9 ms to read and process and ~30 to store.
POOL_MIN_ARTICLES = 12
# Articles sent to each worker ahead of the one being stored: enough to keep it busy while
# this process stores a group, few enough that a newly discovered actor reaches the next
# articles (those that name one are sent again).
IN_FLIGHT_PER_WORKER = 4
# Articles whose results are back stored in one transaction, one commit (services.
# store_together): a commit was 3-5 ms of the ~20 an article's store costs (bench/).
STORE_GROUP = 8
# Imported once by the forkserver, so that each worker is forked with the engine and
# trafilatura loaded and warmed (see briefing/batch_preload.py).
PRELOAD = ["briefing.batch_preload"]

Stage = Literal["read", "ingest"]
Process = Callable[..., ProcessedArticle]  # process_article(doc, *, registry=...)


@dataclass(frozen=True)
class PageJob:
    """A fetched article page, to be read (trafilatura) in a worker, then processed."""

    body: bytes
    url: str
    outlet: str | None = None
    fallback_outlet: str | None = None
    now: datetime | None = None
    guess_date: bool = True
    item: extract.FeedItem | None = None  # the feed item that linked it: its date and title win


Job = ArticleInput | PageJob


@dataclass(frozen=True)
class Failed:
    """An item that failed before it reached the batch (a fetch, an unreadable file)."""

    message: str
    stage: Stage = "read"
    internal: bool = False  # an unexpected exception rather than a BriefingError


@dataclass
class ItemResult:
    """What became of one item of the batch, in the batch's order."""

    doc: ArticleInput | None = None  # the article as read; None when reading failed
    outcome: services.IngestOutcome | None = None  # None when it failed before storing
    stage: Stage | None = None  # where it failed, when it did
    error: str | None = None  # the BriefingError's message, or a traceback when `internal`
    internal: bool = False


def read_job(job: Job) -> ArticleInput:
    """The article a job holds: a page is read with trafilatura, its feed item's data first."""
    if isinstance(job, ArticleInput):
        return job
    page = extract.extract_page(job.body, url=job.url, outlet=job.outlet,
                                fallback_outlet=job.fallback_outlet, now=job.now,
                                guess_date=job.guess_date)
    return extract.merge_item_page(job.item, page) if job.item is not None else page


# --- the worker side --------------------------------------------------------------------------


@dataclass
class _Worker:
    base: ActorRegistry
    learned: tuple[str, ...] = ()
    registry: ActorRegistry | None = None


_worker: _Worker | None = None


def _start_worker(actors: list[Actor]) -> None:
    global _worker
    _worker = _Worker(base=ActorRegistry(actors))


def _registry_for(learned: tuple[Actor, ...]) -> ActorRegistry:
    assert _worker is not None, "the worker was not started with the registry"
    ids = tuple(a.id for a in learned)
    if _worker.registry is None or ids != _worker.learned:
        _worker.registry = _worker.base.with_actors(list(learned)) if learned else _worker.base
        _worker.learned = ids
    return _worker.registry


@dataclass
class _Done:
    """A worker's answer (pickled back): the article read and processed, or where it failed."""

    doc: ArticleInput | None = None
    processed: ProcessedArticle | None = None
    prepared: services.Prepared | None = None  # what storing it compares, read beforehand
    stage: Stage | None = None
    error: str | None = None
    internal: bool = False


def _work(job: Job, learned: tuple[Actor, ...], process: Process) -> _Done:
    return _read_and_process(job, _registry_for(learned), process, prepare=True)


def _read_and_process(job: Job, registry: ActorRegistry, process: Process, *,
                      prepare: bool = False) -> _Done:
    """The job read and processed; with `prepare` (in a worker), the cross-article checks'
    reading of its statements too (`services.prepare`), which the storing process would
    otherwise do, one article after another."""
    try:
        doc = read_job(job)
    except BriefingError as exc:
        return _Done(stage="read", error=str(exc))
    except Exception:  # a parser's bug on one odd page must not stop the batch
        return _Done(stage="read", error=traceback.format_exc(), internal=True)
    try:
        processed = process(doc, registry=registry)
        return _Done(doc=doc, processed=processed,
                     prepared=services.prepare(processed) if prepare else None)
    except BriefingError as exc:
        return _Done(doc=doc, stage="ingest", error=str(exc))
    except Exception:  # one article must not stop the others
        return _Done(doc=doc, stage="ingest", error=traceback.format_exc(), internal=True)


# --- the storing side --------------------------------------------------------------------------


class PoolFactory(Protocol):
    def __call__(self, workers: int, registry: ActorRegistry) -> Executor: ...


def forkserver_pool(workers: int, registry: ActorRegistry) -> ProcessPoolExecutor:
    """Workers forked from a forkserver that has the pipeline and trafilatura imported.

    Not plain fork: this process holds database connections, HTTP clients and threads, which
    a forked child would share. Not spawn: every worker would import trafilatura, lxml and the
    engine again (about a second each here) before its first article.
    """
    ctx = start_forkserver()
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_start_worker,
                               initargs=(list(registry.actors.values()),))


def start_forkserver() -> multiprocessing.context.ForkServerContext:
    """Starts this process's forkserver if it is not running (about a second: it imports and
    warms the engine); a long-running process may call it at start, off the first batch."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([*PRELOAD, *_main_imports()])  # read when the server starts
    multiprocessing.forkserver.ensure_running()
    return ctx


def wait_for_forkserver() -> None:
    """Starts the forkserver and waits until it has imported and warmed everything (it
    answers a first fork only then): for a long-running process at start, and benchmarks."""
    with ProcessPoolExecutor(max_workers=1, mp_context=start_forkserver()) as pool:
        pool.submit(int).result()


def _main_imports() -> list[str]:
    """The modules the main module imported. multiprocessing runs the main module again in
    each worker (Python 3.11's forkserver does not preload it: its `main_path` key is never
    set); with its imports already in the forkserver, that costs milliseconds, not the
    seconds of importing the Slack app or SQLAlchemy in every worker of every batch."""
    main = sys.modules.get("__main__")
    tops: set[str] = set()
    for value in vars(main).values() if main is not None else ():
        name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__",
                                                                              None)
        if isinstance(name, str) and name not in ("__main__", "builtins"):
            tops.add(name.split(".", 1)[0])
    # `import storage.uow` binds only `storage`: take every loaded module of those packages
    return sorted(n for n in list(sys.modules) if n.split(".", 1)[0] in tops)


@dataclass
class _Pending:
    item: Job | Failed
    learned: tuple[Actor, ...] = ()  # the discovered actors it was (last) sent with
    future: Future[_Done] | None = None
    done: ItemResult | None = None  # known without processing: a failure or a duplicate
    checked: bool = False  # checked for a duplicate in the store when it was sent
    # its result holds for the registry with the batch's first `holds` discovered actors: those
    # it was sent with, and those discovered later that its article was found not to name
    holds: int = 0


@dataclass
class _Ready:
    """An article processed and checked, to be stored."""

    doc: ArticleInput
    processed: ProcessedArticle
    prepared: services.Prepared | None = None


@dataclass
class BatchStats:
    """What a batch did besides storing one by one: where articles were processed again, and
    how many were stored in groups."""

    sent_again: int = 0  # to the workers, as soon as an actor they name was discovered
    processed_here: int = 0  # in this process, at their turn to be stored
    stored_together: int = 0  # in a transaction with others (STORE_GROUP)


@dataclass
class BatchIngest:
    """Ingests many articles at once; also the single-article `Ingest` callable of sources.

    The result equals the serial path's (`services.ingest_article` per article in order, the
    registry growing by the actors each new article discovers, as `briefbot ingest` does):
    the same records stored in the same order, the same outcome per article. What differs:

    - the registry: each worker gets the batch's registry when it starts, and each article
      is sent with the actors discovered by the articles stored before it was sent; an
      article sent before an earlier one was stored may miss that one's discoveries. If it
      names a missing actor (name, alias or role title), it is processed again with them:
      sent to the workers again as soon as they are discovered and its first result is back,
      or else processed here at its turn, with the serial path's registry; so what is stored
      does not depend on the timing;
    - duplicates: an article is checked before it is sent and again before it is stored, so
      a duplicate of another article of the same batch is found only at storing, after it
      was processed (stored once all the same); a fetched page is checked only after it was
      read, since its text is not known before;
    - a worker that dies, or a pool that cannot start: the rest of the batch, including the
      articles a dead worker held, is processed here, one after another;
    - transactions: the articles whose results are back when one is due are stored
      together, up to STORE_GROUP in one transaction (each still sees those before it); an
      article naming an actor one of them discovers, or a copy of a stored one, waits for
      its own turn, and a group that fails is stored one by one (so a failure is its
      article's alone). A crash loses the group being stored, not half of an article;
    - time: one `now` for the whole batch, where `briefbot ingest` read the clock per file.
    """

    uow: UnitOfWorkFactory
    now: datetime
    registry: ActorRegistry
    workers: int = 1
    min_pool: int = POOL_MIN_ARTICLES
    fetch_threads: int = 1  # pages fetched at once by sources (only for a thread-safe fetcher)
    process: Process = process_article  # a top-level function: workers import it by name
    pool_factory: PoolFactory | None = None  # forkserver_pool
    learned: list[Actor] = field(default_factory=list)  # discovered by this batch's articles
    stats: BatchStats = field(default_factory=BatchStats)
    _pool: Executor | None = field(default=None, init=False, repr=False)
    # addresses and content hashes of the articles this batch stored: an article checked when
    # it was sent is checked in the store again only if it matches one of them
    _stored: set[str] = field(default_factory=set, init=False, repr=False)

    def __call__(self, doc: ArticleInput) -> services.IngestOutcome:
        """One article, here, with the registry grown by what this batch discovered."""
        outcome = services.ingest_article(doc, uow=self.uow, now=self.now,
                                          registry=self._registry())
        self._learn(outcome)
        return outcome

    def uses_pool(self, size: int) -> bool:
        return self.workers > 1 and size >= self.min_pool

    def run(self, items: Iterable[Job | Failed], *, size: int,
            source_id: int | None = None) -> Generator[ItemResult, None, None]:
        """Each item's result, in order. `size` is how many items there are (the pool is
        started only for enough of them); items may be produced lazily (fetched pages)."""
        workers = min(self.workers, size)
        make_pool = self.pool_factory or forkserver_pool
        pool_cm: Any = nullcontext()
        if self.uses_pool(size):
            try:
                pool_cm = make_pool(workers, self._registry())
            except (OSError, EOFError, RuntimeError):  # no forkserver: slower, not broken
                log.exception("could not start the ingest workers; the batch goes on here")
        with pool_cm as pool, _heap_frozen():
            self._pool = pool
            window = workers * IN_FLIGHT_PER_WORKER if pool is not None else 1
            pending: deque[_Pending] = deque()
            try:
                for item in items:
                    pending.append(self._send(item, source_id=source_id))
                    while len(pending) >= window:
                        yield from self._next(pending, source_id=source_id)
                while pending:
                    yield from self._next(pending, source_id=source_id)
            finally:
                self._pool = None

    # --- internals -----------------------------------------------------------------------

    def _registry(self) -> ActorRegistry:
        return self.registry.with_actors(self.learned) if self.learned else self.registry

    def _learn(self, outcome: services.IngestOutcome) -> None:
        if outcome.status == "new" and outcome.discovered:
            known = {a.id for a in self.learned}
            self.learned.extend(a for a in outcome.discovered if a.id not in known)

    def _send(self, item: Job | Failed, *, source_id: int | None) -> _Pending:
        if isinstance(item, Failed):
            return _Pending(item, done=ItemResult(stage=item.stage, error=item.message,
                                                  internal=item.internal))
        if isinstance(item, ArticleInput):
            item = item.model_copy(update={"source_id": source_id})
            dup = self._duplicate(item)
            if dup is not None:
                return _Pending(item, done=ItemResult(doc=item, outcome=dup))
        learned = tuple(self.learned)
        checked = isinstance(item, ArticleInput)
        future = None
        if self._pool is not None:
            try:
                future = self._pool.submit(_work, item, learned, self.process)
            except (BrokenProcessPool, OSError, EOFError):  # the forkserver could not fork
                log.exception("could not start an ingest worker; the batch goes on here")
                self._pool = None  # this item and the rest are processed here
        return _Pending(item, learned, future=future, checked=checked, holds=len(learned))

    def _next(self, pending: deque[_Pending], *, source_id: int | None) -> list[ItemResult]:
        """The oldest item's result (stored, when it is new), with those of the items after
        it whose results are back, up to STORE_GROUP, stored in the same transaction; then
        the items in flight that miss an actor discovered meanwhile are sent again."""
        first = self._prepare(pending.popleft(), source_id=source_id)
        if isinstance(first, ItemResult):
            results = [first]
        elif _keys(first.processed) & self._stored:  # a copy of one stored: it fails alone
            results = [self._store_one(first, source_id=source_id)]
        else:
            group = [first]
            after: list[ItemResult] = []
            discovered = self._discovers(first)
            keys = _keys(first.processed)
            while len(group) < STORE_GROUP and pending and not after and \
                    self._joins(pending[0], discovered, keys):
                ready = self._prepare(pending.popleft(), source_id=source_id)
                if isinstance(ready, ItemResult):
                    after.append(ready)  # a duplicate: its result comes after the group's
                else:
                    group.append(ready)
                    discovered += self._discovers(ready)
                    keys |= _keys(ready.processed)
            results = self._store(group, source_id=source_id) + after
        self._send_again(pending)
        return results

    def _joins(self, p: _Pending, discovered: Sequence[Actor], keys: set[str]) -> bool:
        """Whether an item can be stored with the group before it: processed, without error,
        no copy of an article of the group or stored by this batch (by URL or by the cleaned
        text's hash: the group's insert would fail, and the copy is left to fail alone), and
        naming none of the actors the group's articles discover (it would be processed again
        once they are stored, as at its own turn)."""
        if p.done is not None or p.future is None or not p.future.done() \
                or p.future.exception() is not None:
            return False
        done = p.future.result()
        if done.stage is not None or done.processed is None or done.doc is None:
            return False
        return not (_keys(done.processed) & (keys | self._stored)) and \
            not (discovered and _names_any(done.doc, discovered))

    def _discovers(self, r: _Ready) -> list[Actor]:
        """The actors storing this article adds to what the batch has learned."""
        known = {a.id for a in self.learned}
        return [a for a in r.processed.actors if a.discovered and a.id not in known]

    def _store(self, group: list[_Ready], *, source_id: int | None) -> list[ItemResult]:
        """Stores the group in one transaction, or each on its own if that fails."""
        if len(group) > 1:
            outcomes = services.store_together(
                [services.ToStore(r.processed, label=_label(r.doc), source_id=source_id,
                                  prepared=r.prepared)
                 for r in group], uow=self.uow, now=self.now)
            if outcomes is not None:
                for r, outcome in zip(group, outcomes, strict=True):
                    self._stored_one(r, outcome)
                self.stats.stored_together += len(group)
                return [ItemResult(doc=r.doc, outcome=o)
                        for r, o in zip(group, outcomes, strict=True)]
        return [self._store_one(r, source_id=source_id) for r in group]

    def _store_one(self, r: _Ready, *, source_id: int | None) -> ItemResult:
        try:
            outcome = services.store_article(r.processed, uow=self.uow, now=self.now,
                                             label=_label(r.doc), source_id=source_id,
                                             prepared=r.prepared)
        except BriefingError as exc:
            return ItemResult(doc=r.doc, stage="ingest", error=str(exc))
        except Exception:  # one article must not stop the others
            log.exception("storing %s failed", _label(r.doc))
            return ItemResult(doc=r.doc, stage="ingest", error=traceback.format_exc(),
                              internal=True)
        self._stored_one(r, outcome)
        return ItemResult(doc=r.doc, outcome=outcome)

    def _stored_one(self, r: _Ready, outcome: services.IngestOutcome) -> None:
        self._learn(outcome)
        if outcome.status == "new":
            self._stored.update(_keys(r.processed))

    def _send_again(self, pending: Iterable[_Pending]) -> None:
        """Sends again, with the actors discovered so far, each item in flight whose result is
        back and misses one of them that its article names, so that the workers process it
        again while this process stores the items before it (not this process at its turn)."""
        for p in pending:
            if (self._pool is None or p.future is None or p.holds == len(self.learned)
                    or not p.future.done() or p.future.exception() is not None):
                continue  # nothing new, not back yet, or a dead worker (seen at its turn)
            done = p.future.result()
            if done.doc is None or done.processed is None:
                continue  # failed: fails alone at its turn whatever the registry
            if not _names_any(done.doc, self.learned[p.holds:]):
                p.holds = len(self.learned)
                continue
            learned = tuple(self.learned)
            try:
                p.future = self._pool.submit(_work, done.doc, learned, self.process)
            except (BrokenProcessPool, OSError, EOFError):  # as in _send: the rest goes on here
                log.exception("could not send an article to the ingest workers again")
                self._pool = None
                return
            p.learned, p.holds = learned, len(learned)
            self.stats.sent_again += 1

    def _prepare(self, p: _Pending, *, source_id: int | None) -> ItemResult | _Ready:
        """The item's result when it is known without storing (a failure, a duplicate), else
        its article ready to store, processed again here if it misses a discovered actor."""
        if p.done is not None:
            return p.done
        assert not isinstance(p.item, Failed)
        done = self._result(p)
        if done.stage is not None:
            if done.internal:
                log.error("ingesting %s failed:\n%s", _label_of(p.item, done.doc), done.error)
            return ItemResult(doc=done.doc, stage=done.stage, error=done.error,
                              internal=done.internal)
        assert done.doc is not None and done.processed is not None
        doc = done.doc.model_copy(update={"source_id": source_id})
        # checked again now that every earlier article of the batch is stored (and, for a
        # fetched page, now that its text is known)
        if not p.checked or self._may_repeat(doc):
            dup = self._duplicate(doc)
            if dup is not None:
                return ItemResult(doc=doc, outcome=dup)
        processed, prepared = done.processed, done.prepared
        missing = self.learned[p.holds:]  # discovered after it was sent
        if missing and _names_any(doc, missing):
            processed, prepared = self.process(doc, registry=self._registry()), None
            self.stats.processed_here += 1
        return _Ready(doc, processed, prepared)

    def _may_repeat(self, doc: ArticleInput) -> bool:
        """Whether the article may be one this batch stored (the store's check, in memory)."""
        url = clean.canonical_url(doc.url)
        return bool(url and url in self._stored) or (
            clean.content_hash(doc.text.strip()) in self._stored)

    def _result(self, p: _Pending) -> _Done:
        assert not isinstance(p.item, Failed)
        if p.future is not None:
            try:
                return p.future.result()
            except BrokenProcessPool:
                log.error("an ingest worker died; the rest of the batch is processed here")
                self._pool = None
        registry = self.registry.with_actors(list(p.learned)) if p.learned else self.registry
        return _read_and_process(p.item, registry, self.process)

    def _duplicate(self, doc: ArticleInput) -> services.IngestOutcome | None:
        """`services.ingest_article`'s check, before any processing."""
        with self.uow() as tx:
            dup = tx.articles.find_duplicate(url=clean.canonical_url(doc.url),
                                             content_hash=clean.content_hash(doc.text.strip()))
        if dup is None:
            return None
        return services.IngestOutcome(status="unchanged", label=_label(doc), article=dup)


@contextmanager
def _heap_frozen() -> Iterator[None]:
    """Leaves the objects this process holds when a batch starts out of the garbage
    collections during it. A full collection scans every object of the process (the engine,
    trafilatura, lxml, SQLAlchemy): bench_web's batch of 40 pages had one, of ~100 ms, 2.6 ms
    a page of the main process's CPU; 0.07 with this. What was garbage when the batch started
    is collected after it."""
    if gc.get_freeze_count():  # frozen on purpose (`briefbot serve` does): not ours to undo
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _keys(processed: ProcessedArticle) -> set[str]:
    """What makes two articles one in the store: the canonical URL and the text's hash."""
    return {k for k in (processed.article.url, processed.article.content_hash) if k}


def _label(doc: ArticleInput) -> str:
    return doc.url or doc.path or (doc.title or "article")  # as services.ingest_article


def _label_of(item: Job | Failed, doc: ArticleInput | None) -> str:
    if doc is not None:
        return _label(doc)
    return item.url if isinstance(item, PageJob) else "an item"


def _names_any(doc: ArticleInput, actors: Iterable[Actor]) -> bool:
    """Whether the article could mention one of the actors: a name, alias or role title in it."""
    text = f"{doc.title or ''}\n{doc.text}".lower()
    for actor in actors:
        words = {actor.name, *actor.aliases, *(r.title for r in actor.roles)}
        for word in words:
            if word and re.search(rf"\b{re.escape(word.lower())}\b", text):
                return True
    return False
