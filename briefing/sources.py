"""Use cases for web sources: add, poll, list, remove, pause and resume."""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol, TypeVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, Field

from briefing import batch, extract
from briefing.clean import canonical_url
from briefing.errors import BriefingError, InputError, NotFoundError
from briefing.models import ArticleInput
from briefing.ports import (
    AuditEntry,
    FetchedResponse,
    Fetcher,
    SourceInfo,
    SourceUpdate,
    UnitOfWork,
    UnitOfWorkFactory,
)

log = logging.getLogger(__name__)

DEFAULT_POLL_MINUTES = 30  # the default interval per source
PAUSE_AFTER_FAILURES = 5  # failed polls in a row before a source is paused (about 15 h of backoff)
MAX_BACKOFF_MINUTES = 24 * 60  # backoff doubles per failure up to a day
MAX_ITEMS_PER_FETCH = 50  # newest items read per fetch; feeds carry 10-50
MAX_FEED_LINKS_TRIED = 3  # feeds announced by a page that we try, comment feeds last
MAX_ERRORS_REPORTED = 5  # item errors kept in a report; the counts say how many there were
POLLER = "briefbot"  # the user named in the audit log for changes the poller makes

SourceKind = Literal["feed", "page"]
T = TypeVar("T")
R = TypeVar("R")


class IngestResult(Protocol):
    """What the ingest callable returns (briefing.services.IngestOutcome fits)."""

    @property
    def status(self) -> str: ...  # "new", "unchanged" or "failed"

    @property
    def reason(self) -> str | None: ...


Ingest = Callable[[ArticleInput], IngestResult]


class ItemTally(BaseModel):
    """What became of the articles of one fetch."""

    found: int = 0
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    with_date: int = 0
    with_full_text: int = 0  # from the feed itself or from the fetched article page
    pages_fetched: int = 0
    skipped: int = 0  # older items beyond MAX_ITEMS_PER_FETCH, not read
    sample_headline: str | None = None
    errors: list[str] = Field(default_factory=list)

    def error(self, message: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_ERRORS_REPORTED:
            self.errors.append(message)


class ReadReport(BaseModel):
    """What a URL turned out to hold and what became of its articles."""

    kind: SourceKind
    title: str | None = None
    feed_url: str | None = None
    items: ItemTally
    warnings: list[str] = Field(default_factory=list)

    @property
    def dates_found(self) -> bool:
        return self.items.with_date > 0

    @property
    def full_text_found(self) -> bool:
        return self.items.with_full_text > 0


class AddReport(ReadReport):
    """What `/sources add` found, for the admin who added the source."""

    source: SourceInfo


class PollReport(BaseModel):
    source_id: int
    url: str
    status: Literal["ok", "not_modified", "failed", "paused", "skipped"]
    items: ItemTally = Field(default_factory=ItemTally)
    error: str | None = None
    failures: int = 0
    next_poll: datetime | None = None
    warnings: list[str] = Field(default_factory=list)


class _Found(BaseModel):
    """What a fetched URL turned out to be."""

    kind: SourceKind
    response: FetchedResponse  # the response that holds the feed or the article
    feed: extract.ParsedFeed | None = None
    page: ArticleInput | None = None  # None for a page not read yet (`read_page=False`)
    warnings: list[str] = Field(default_factory=list)


# --- adding -------------------------------------------------------------------------------------


def add_source(url: str, *, name: str | None, user: str, uow: UnitOfWorkFactory,
               fetcher: Fetcher, ingest: Ingest, now: datetime,
               poll_minutes: int = DEFAULT_POLL_MINUTES) -> AddReport:
    """Fetches the URL at once, finds out what it is, stores it and ingests what it holds;
    the source is polled every `poll_minutes` (POLL_INTERVAL_MINUTES) from then on.

    Nothing is stored when the URL is bad, unreachable, a duplicate, or holds neither an
    article nor a feed with items; the attempt is still written to the audit log.
    """
    try:
        address = normalise_url(url)
        _refuse_duplicate(uow, address)
        found = _discover(fetcher.fetch(address), fetcher=fetcher, name=name, now=now)
        feed_url = found.response.url if found.kind == "feed" else None
        with uow() as tx:
            if feed_url:
                _refuse_duplicate_in(tx, feed_url)
            source = tx.sources.add(address, name=name, kind=found.kind, feed_url=feed_url,
                                    added_by=user, now=now)
            source = tx.sources.update(source.id, SourceUpdate(
                etag=found.response.etag, last_modified=found.response.last_modified,
                last_fetched=now, last_ok=now, poll_minutes=poll_minutes,
                next_poll=now + timedelta(minutes=poll_minutes),
            ))
            title = found.feed.title if found.feed else (found.page.title if found.page else None)
            _audit(tx, user=user, action="sources.add", target=address, now=now,
                   result=f"added #{source.id} ({found.kind}{': ' + title if title else ''})")
            tx.commit()
    except BriefingError as exc:
        _audit_alone(uow, user=user, action="sources.add", target=url.strip(), now=now,
                     result=f"rejected: {exc}")
        raise
    tally = _ingest_found(found, source_id=source.id, outlet=name, uow=uow, fetcher=fetcher,
                          ingest=ingest, now=now)
    return AddReport(source=source, kind=found.kind, title=title, feed_url=feed_url,
                     items=tally, warnings=found.warnings)


def read_url(url: str, *, uow: UnitOfWorkFactory, fetcher: Fetcher, ingest: Ingest,
             now: datetime) -> ReadReport:
    """Ingests a page or a feed's items once, without adding a source (`briefbot ingest URL`)."""
    address = normalise_url(url)
    found = _discover(fetcher.fetch(address), fetcher=fetcher, name=None, now=now)
    tally = _ingest_found(found, source_id=None, outlet=None, uow=uow, fetcher=fetcher,
                          ingest=ingest, now=now)
    return _read_report(found, tally)


def read_urls(urls: Sequence[str], *, uow: UnitOfWorkFactory, fetcher: Fetcher, ingest: Ingest,
              now: datetime) -> list[ReadReport | BriefingError]:
    """Each URL read once as `read_url` reads it, in order, its report or why it failed. With
    a `BatchIngest` the URLs are fetched a few at a time, and consecutive article pages are
    read (trafilatura) and processed as one batch, in its workers (each feed is a batch of its
    own)."""
    if not isinstance(ingest, batch.BatchIngest):
        return [_read_or_error(url, uow=uow, fetcher=fetcher, ingest=ingest, now=now)
                for url in urls]

    def discover(url: str) -> _Found | BriefingError:
        try:
            return _discover(fetcher.fetch(normalise_url(url)), fetcher=fetcher, name=None,
                             now=now, read_page=False)
        except BriefingError as exc:
            return exc

    found = list(_in_order(list(urls), discover, threads=ingest.fetch_threads))
    reports: list[ReadReport | BriefingError] = []
    at = 0
    while at < len(found):
        first = found[at]
        if isinstance(first, BriefingError) or first.kind != "page":
            reports.append(first if isinstance(first, BriefingError) else _read_report(
                first, _ingest_found(first, source_id=None, outlet=None, uow=uow,
                                     fetcher=fetcher, ingest=ingest, now=now)))
            at += 1
            continue
        pages: list[_Found] = []
        while at < len(found):
            page = found[at]
            if isinstance(page, BriefingError) or page.kind != "page":
                break
            pages.append(page)
            at += 1
        jobs = [p.page or batch.PageJob(body=p.response.body, url=p.response.url, now=now)
                for p in pages]  # as _discover would have read it
        for page, result in zip(pages, ingest.run(jobs, size=len(jobs)), strict=True):
            if result.stage == "read":  # what _discover raises when it reads the page
                reports.append(InputError("internal error while reading the article"
                                          if result.internal else result.error or "unreadable"))
                continue
            tally = ItemTally(found=1, pages_fetched=1)
            _count_result("an article", result, tally=tally)
            reports.append(_read_report(page.model_copy(update={"page": result.doc}), tally))
    return reports


def _read_or_error(url: str, *, uow: UnitOfWorkFactory, fetcher: Fetcher, ingest: Ingest,
                   now: datetime) -> ReadReport | BriefingError:
    try:
        return read_url(url, uow=uow, fetcher=fetcher, ingest=ingest, now=now)
    except BriefingError as exc:
        return exc


def _read_report(found: _Found, tally: ItemTally) -> ReadReport:
    title = found.feed.title if found.feed else (found.page.title if found.page else None)
    return ReadReport(kind=found.kind, title=title,
                      feed_url=found.response.url if found.kind == "feed" else None,
                      items=tally, warnings=found.warnings)


# Query parameters that carry a secret in a private feed's address ("?token=…", "&api_key=…"):
# their values are not shown in Slack, where every member may read the list of sources.
_SECRET_PARAM = re.compile(r"(?:^|[_-])(?:token|key|apikey|secret|password|passwd|pass|sig|"
                           r"signature|auth|session|sid|access|credential)s?(?:$|[_-])",
                           re.IGNORECASE)


def shown_url(url: str) -> str:
    """The address as shown to people: secret query values replaced by "…"."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(_SECRET_PARAM.search(k) for k, _ in pairs):
        return url
    query = "&".join(f"{quote(k, safe='')}=…" if _SECRET_PARAM.search(k)
                     else urlencode([(k, v)]) for k, v in pairs)
    return urlunsplit(parts._replace(query=query))


def normalise_url(url: str) -> str:
    """The address as typed, checked: http(s), a host, no spaces; Slack's <url|label> unwrapped."""
    text = url.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].split("|", 1)[0].strip()
    hint = "give the full address, starting with https://"
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError as exc:
        raise InputError(f"not a web address: {url.strip()!r}; {hint}") from exc
    if parts.scheme.lower() not in ("http", "https") or not host or any(c.isspace() for c in text):
        raise InputError(f"not a web address: {url.strip()!r}; {hint}")
    return text


def _refuse_duplicate(uow: UnitOfWorkFactory, url: str) -> None:
    with uow() as tx:
        _refuse_duplicate_in(tx, url)


def _refuse_duplicate_in(tx: UnitOfWork, url: str) -> None:
    existing = tx.sources.by_url(url)
    if existing is None:
        wanted = canonical_url(url)
        existing = next((s for s in tx.sources.list()
                         if wanted in (canonical_url(s.url), canonical_url(s.feed_url))), None)
    if existing is not None:
        label = f" ({existing.name})" if existing.name else ""
        raise InputError(f"already a source: #{existing.id}{label} {existing.url}")


def _discover(response: FetchedResponse, *, fetcher: Fetcher, name: str | None,
              now: datetime, read_page: bool = True) -> _Found:
    """What the response holds; an article page is read (trafilatura) unless `read_page` is
    false and nothing else was tried on it, when the caller reads it (a batch's worker)."""
    kind = extract.sniff_kind(response.body, content_type=response.content_type, url=response.url)
    if kind == "feed":
        feed = extract.parse_feed(response.body, url=response.url,
                                  content_type=response.content_type)
        return _Found(kind="feed", response=response, feed=feed, warnings=_feed_warnings(feed))
    tree = extract.parse_html(response.body)
    links = extract.feed_links(tree, base_url=response.url)
    problems: list[str] = []
    if links and not extract.is_article_page(tree):
        for link in links[:MAX_FEED_LINKS_TRIED]:
            try:
                answer = fetcher.fetch(link)
                feed = extract.parse_feed(answer.body, url=answer.url,
                                          content_type=answer.content_type)
            except BriefingError as exc:
                problems.append(f"the feed {link} could not be read: {exc}")
                continue
            warnings = [f"{response.url} is a site page; following its feed {answer.url}"]
            return _Found(kind="feed", response=answer, feed=feed,
                          warnings=warnings + _feed_warnings(feed))
    page = None
    try:
        if read_page or problems:
            page = extract.extract_page(tree, url=response.url, outlet=name, now=now)
    except InputError as exc:
        if problems:
            raise InputError(f"{exc}; {problems[0]}") from exc
        raise
    warnings = problems[:]
    if links:
        warnings.append(f"this is one article; to follow the whole site, add its feed {links[0]}")
    return _Found(kind="page", response=response, page=page, warnings=warnings)


def _feed_warnings(feed: extract.ParsedFeed) -> list[str]:
    if feed.warning:
        return [f"the feed's XML is not well formed ({feed.warning}); its items were read anyway"]
    return []


# --- reading what a source holds ----------------------------------------------------------------


def _ingest_found(found: _Found, *, source_id: int | None, outlet: str | None,
                  uow: UnitOfWorkFactory, fetcher: Fetcher, ingest: Ingest,
                  now: datetime) -> ItemTally:
    if found.feed is not None:
        return _ingest_feed(found.feed, source_id=source_id, outlet=outlet, uow=uow,
                            fetcher=fetcher, ingest=ingest, now=now)
    tally = ItemTally()
    if found.page is not None:
        tally.found = 1
        tally.pages_fetched = 1
        _ingest_one(found.page, source_id=source_id, ingest=ingest, tally=tally, full_text=True)
    return tally


@dataclass(frozen=True)
class _Planned:
    """One feed item to read: its label, and the article (full text in the feed), the page
    to fetch, or why it cannot be read."""

    label: str
    item: extract.FeedItem
    doc: ArticleInput | None = None
    link: str | None = None
    failed: batch.Failed | None = None
    stored: bool = False  # a summary-only item whose article is stored: not fetched again


def _ingest_feed(feed: extract.ParsedFeed, *, source_id: int | None, outlet: str | None,
                 uow: UnitOfWorkFactory, fetcher: Fetcher, ingest: Ingest,
                 now: datetime) -> ItemTally:
    """Reads the feed's items in order. With a `BatchIngest`, pages are fetched a few at a
    time, read and processed in its worker processes and stored in order; the tally is the
    same either way."""
    tally = ItemTally(found=len(feed.items))
    items = feed.items
    if len(items) > MAX_ITEMS_PER_FETCH:
        # Feeds are usually newest first, but not always: keep the newest dated items.
        oldest = datetime.min.replace(tzinfo=UTC)
        items = sorted(items, key=lambda item: item.published or oldest, reverse=True)
        items, tally.skipped = items[:MAX_ITEMS_PER_FETCH], len(items) - MAX_ITEMS_PER_FETCH
    stored = _stored_links(uow, [item.link for item in items if item.link and not item.full_text])
    plan = [_plan(item, feed=feed, outlet=outlet, stored=stored) for item in items]
    todo = [entry for entry in plan if not entry.stored]

    def read(entry: _Planned) -> batch.Job | batch.Failed:
        return _fetch_item(entry, fetcher=fetcher, feed=feed, outlet=outlet, now=now,
                           tally=tally)

    results: Generator[batch.ItemResult, None, None] | None = None
    if isinstance(ingest, batch.BatchIngest):
        jobs = _in_order(todo, read, threads=ingest.fetch_threads)
        results = ingest.run(jobs, size=len(todo), source_id=source_id)
    try:
        for entry in plan:
            if tally.sample_headline is None and entry.item.title:
                tally.sample_headline = entry.item.title
            if entry.stored:
                # Summary-only feeds: do not fetch every old article again on each change.
                tally.unchanged += 1
            elif results is not None:
                _count_result(entry.label, next(results), tally=tally)
            else:
                _read_and_ingest(entry, read(entry), source_id=source_id, ingest=ingest,
                                 tally=tally)
    finally:
        if results is not None:
            results.close()  # stops the workers now, not when the generator is collected
    return tally


def _read_and_ingest(entry: _Planned, job: batch.Job | batch.Failed, *, source_id: int | None,
                     ingest: Ingest, tally: ItemTally) -> None:
    if isinstance(job, batch.Failed):
        tally.error(f"{entry.label}: {job.message}")
        return
    try:
        doc = batch.read_job(job)
    except BriefingError as exc:
        tally.error(f"{entry.label}: {exc}")
        return
    except Exception:  # a parser's bug on one odd page must not stop the feed
        log.exception("reading feed item %s failed", entry.item.link)
        tally.error(f"{entry.label}: internal error while reading the article")
        return
    _ingest_one(doc, source_id=source_id, ingest=ingest, tally=tally, full_text=True)


def _plan(item: extract.FeedItem, *, feed: extract.ParsedFeed, outlet: str | None,
          stored: set[str]) -> _Planned:
    label = item.title or item.link or "an item"
    try:
        if item.full_text:
            return _Planned(label, item, doc=extract.article_from_item(item, feed=feed,
                                                                        outlet=outlet))
        if not item.link:
            raise InputError("only a summary and no link to the article")
    except BriefingError as exc:
        return _Planned(label, item, failed=batch.Failed(str(exc)))
    except Exception:
        log.exception("reading feed item %s failed", item.link)
        return _Planned(label, item, failed=_READ_BUG)
    return _Planned(label, item, link=item.link, stored=item.link in stored)


_READ_BUG = batch.Failed("internal error while reading the article", internal=True)


def _fetch_item(entry: _Planned, *, fetcher: Fetcher, feed: extract.ParsedFeed,
                outlet: str | None, now: datetime, tally: ItemTally) -> batch.Job | batch.Failed:
    """The item's article, or its fetched page to read; never raises."""
    if entry.failed is not None:
        return entry.failed
    if entry.doc is not None:
        return entry.doc
    assert entry.link is not None
    try:
        answer = fetcher.fetch(entry.link)
        tally.pages_fetched += 1
        if extract.sniff_kind(answer.body, content_type=answer.content_type,
                              url=answer.url) != "html":
            raise InputError(f"{answer.url} is not a web page")
    except BriefingError as exc:
        return batch.Failed(str(exc))
    except Exception:  # a fetcher's or sniffer's bug on one odd page must not stop the feed
        log.exception("reading feed item %s failed", entry.link)
        return _READ_BUG
    return batch.PageJob(body=answer.body, url=answer.url, outlet=outlet,
                         fallback_outlet=feed.title, now=now,
                         guess_date=entry.item.published is None, item=entry.item)


# Fetches in flight per fetching thread: enough to keep the threads busy while results are
# taken in order, few enough to hold only a handful of pages (up to 5 MB each) at once.
FETCHES_AHEAD_PER_THREAD = 2


def _in_order(entries: list[T], read: Callable[[T], R], *, threads: int) -> Iterator[R]:
    """Each entry read (pages fetched `threads` at a time), in the entries' order."""
    if threads <= 1:
        yield from map(read, entries)
        return
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="fetch") as pool:
        ahead: deque[Future[R]] = deque()
        for entry in entries:
            ahead.append(pool.submit(read, entry))
            if len(ahead) >= threads * FETCHES_AHEAD_PER_THREAD:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


def _count_result(read_label: str, result: batch.ItemResult, *, tally: ItemTally) -> None:
    """Tally a batch result as the serial path tallies the same item."""
    if result.stage == "read":
        message = ("internal error while reading the article" if result.internal
                   else result.error)
        tally.error(f"{read_label}: {message}")
        return
    assert result.doc is not None
    label = result.doc.title or result.doc.url or "an article"
    if result.stage == "ingest":
        message = ("internal error while processing the article" if result.internal
                   else result.error)
        tally.error(f"{label}: {message}")
        return
    assert result.outcome is not None
    _count(result.outcome, result.doc, tally=tally, label=label, full_text=True)


def _stored_links(uow: UnitOfWorkFactory, links: list[str]) -> set[str]:
    """The links whose article is already stored; one transaction for the whole feed."""
    if not links:
        return set()
    # find_duplicate matches by URL or by hash; an empty hash matches no article.
    with uow() as tx:
        return {link for link in links
                if tx.articles.find_duplicate(url=canonical_url(link), content_hash="")}


def _ingest_one(doc: ArticleInput, *, source_id: int | None, ingest: Ingest, tally: ItemTally,
                full_text: bool) -> None:
    doc = doc.model_copy(update={"source_id": source_id})
    label = doc.title or doc.url or "an article"
    try:
        outcome = ingest(doc)
    except BriefingError as exc:
        tally.error(f"{label}: {exc}")
        return
    except Exception:  # one article must not stop a source: the poller runs unattended
        log.exception("ingesting %s (source %s) failed", doc.url, source_id)
        tally.error(f"{label}: internal error while processing the article")
        return
    _count(outcome, doc, tally=tally, label=label, full_text=full_text)


def _count(outcome: IngestResult, doc: ArticleInput, *, tally: ItemTally, label: str,
           full_text: bool) -> None:
    if outcome.status == "new":
        tally.new += 1
    elif outcome.status == "unchanged":
        tally.unchanged += 1
    else:
        tally.error(f"{label}: {outcome.reason or 'could not be processed'}")
        return
    tally.with_date += doc.published is not None
    tally.with_full_text += full_text
    if tally.sample_headline is None and doc.title:
        tally.sample_headline = doc.title


# --- polling ------------------------------------------------------------------------------------


def backoff_minutes(interval: int, failures: int) -> int:
    """The wait after `failures` failed polls in a row: the interval doubled per failure."""
    return min(interval * 2 ** max(failures, 0), MAX_BACKOFF_MINUTES)


def poll_source(source_id: int, *, uow: UnitOfWorkFactory, fetcher: Fetcher, ingest: Ingest,
                now: datetime) -> PollReport:
    """Fetches one source (conditionally), ingests what is new, and schedules the next poll."""
    with uow() as tx:
        source = tx.sources.get(source_id)
    if source is None:
        raise NotFoundError(f"no source #{source_id}")
    interval = source.poll_minutes or DEFAULT_POLL_MINUTES
    target = source.feed_url or source.url
    if source.paused or source.kind not in ("feed", "page"):
        return PollReport(source_id=source.id, url=target, status="skipped",
                          failures=source.failures, error=source.last_error)
    try:
        answer = fetcher.fetch(target, etag=source.etag, last_modified=source.last_modified)
        if answer.not_modified:
            tally = ItemTally()
            found = None
        else:
            found = _read_again(source, answer, now=now)
            tally = _ingest_found(found, source_id=source.id, outlet=source.name, uow=uow,
                                  fetcher=fetcher, ingest=ingest, now=now)
    except BriefingError as exc:
        return _poll_failed(source, error=str(exc), uow=uow, now=now)
    except Exception as exc:  # counted like any failure, so backoff and pausing still apply
        log.exception("polling source %s failed", source.id)
        return _poll_failed(source, error=f"internal error while reading the source "
                                          f"({type(exc).__name__})", uow=uow, now=now)
    next_poll = now + timedelta(minutes=interval)
    with uow() as tx:
        tx.sources.update(source.id, SourceUpdate(
            etag=answer.etag, last_modified=answer.last_modified, last_fetched=now,
            last_ok=now, clear_error=True, failures=0, next_poll=next_poll,
        ))
        tx.commit()
    return PollReport(source_id=source.id, url=target,
                      status="not_modified" if answer.not_modified else "ok", items=tally,
                      next_poll=next_poll, warnings=found.warnings if found else [])


def _read_again(source: SourceInfo, answer: FetchedResponse, *, now: datetime) -> _Found:
    if source.kind == "feed":
        feed = extract.parse_feed(answer.body, url=answer.url, content_type=answer.content_type)
        return _Found(kind="feed", response=answer, feed=feed, warnings=_feed_warnings(feed))
    page = extract.extract_page(answer.body, url=answer.url, outlet=source.name, now=now)
    return _Found(kind="page", response=answer, page=page)


def _poll_failed(source: SourceInfo, *, error: str, uow: UnitOfWorkFactory,
                 now: datetime) -> PollReport:
    failures = source.failures + 1
    interval = source.poll_minutes or DEFAULT_POLL_MINUTES
    target = source.feed_url or source.url
    with uow() as tx:
        if failures >= PAUSE_AFTER_FAILURES:
            note = f"paused after {failures} failed polls in a row; last error: {error}"
            tx.sources.update(source.id, SourceUpdate(
                paused=True, failures=failures, last_error=note, last_fetched=now))
            _audit(tx, user=POLLER, action="sources.pause", target=f"#{source.id} {source.url}",
                   now=now, result=f"paused automatically: {error}")
            tx.commit()
            return PollReport(source_id=source.id, url=target, status="paused", error=note,
                              failures=failures)
        next_poll = now + timedelta(minutes=backoff_minutes(interval, failures))
        tx.sources.update(source.id, SourceUpdate(
            failures=failures, last_error=error, last_fetched=now, next_poll=next_poll))
        tx.commit()
    return PollReport(source_id=source.id, url=target, status="failed", error=error,
                      failures=failures, next_poll=next_poll)


def poll_due(*, uow: UnitOfWorkFactory, fetcher: Fetcher, ingest: Ingest,
             now: datetime) -> list[PollReport]:
    """Polls every source that is due; one broken source does not stop the others."""
    with uow() as tx:
        due = [source for source in tx.sources.due(now) if not source.paused]
    reports = []
    for source in due:
        try:
            reports.append(poll_source(source.id, uow=uow, fetcher=fetcher, ingest=ingest,
                                       now=now))
        except NotFoundError:
            continue  # removed while we were polling others
        except Exception:  # the clock process must keep polling the other sources
            log.exception("polling source %s failed", source.id)
            reports.append(PollReport(source_id=source.id, url=source.feed_url or source.url,
                                      status="failed", error="internal error while polling",
                                      failures=source.failures))
    return reports


# --- listing and admin changes ------------------------------------------------------------------


def list_sources(*, uow: UnitOfWorkFactory) -> list[SourceInfo]:
    with uow() as tx:
        return tx.sources.list()


def remove_source(source_id: int, *, user: str, uow: UnitOfWorkFactory,
                  now: datetime) -> SourceInfo:
    """Removes a source; its articles stay in the store."""
    with uow() as tx:
        source = _get(tx, source_id)
        tx.sources.remove(source_id)
        _audit(tx, user=user, action="sources.remove", target=f"#{source.id} {source.url}",
               now=now, result="removed")
        tx.commit()
    return source


class SourceChange(SourceInfo):
    """A source after pause or resume, and whether it already was in that state."""

    already: bool = False  # already paused (pause) or not paused (resume): nothing to switch


def pause_source(source_id: int, *, user: str, uow: UnitOfWorkFactory,
                 now: datetime) -> SourceChange:
    with uow() as tx:
        source = _get(tx, source_id)
        already = source.paused
        if not already:
            source = tx.sources.update(source_id, SourceUpdate(paused=True))
        _audit(tx, user=user, action="sources.pause", target=f"#{source.id} {source.url}",
               now=now, result="already paused" if already else "paused")
        tx.commit()
    return SourceChange(**source.model_dump(), already=already)


def resume_source(source_id: int, *, user: str, uow: UnitOfWorkFactory,
                  now: datetime) -> SourceChange:
    """Resumes a source, forgets its failures and polls it at the next clock tick."""
    with uow() as tx:
        source = _get(tx, source_id)
        already = not source.paused
        source = tx.sources.update(source_id, SourceUpdate(
            paused=False, failures=0, clear_error=True, next_poll=now))
        _audit(tx, user=user, action="sources.resume", target=f"#{source.id} {source.url}",
               now=now, result="was not paused; failures reset" if already else "resumed")
        tx.commit()
    return SourceChange(**source.model_dump(), already=already)


def _get(tx: UnitOfWork, source_id: int) -> SourceInfo:
    source = tx.sources.get(source_id)
    if source is None:
        raise NotFoundError(f"no source #{source_id}; `/sources list` shows the ids")
    return source


def _audit(tx: UnitOfWork, *, user: str, action: str, target: str, result: str,
           now: datetime) -> None:
    tx.audit.record(AuditEntry(at=now, user=user, action=action, target=target, result=result))


def _audit_alone(uow: UnitOfWorkFactory, *, user: str, action: str, target: str, result: str,
                 now: datetime) -> None:
    with uow() as tx:
        _audit(tx, user=user, action=action, target=target, result=result, now=now)
        tx.commit()
