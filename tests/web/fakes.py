"""Dict-backed fakes of the store (sources, audit, article lookup) and of the ingest service."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Self

from pydantic import BaseModel

from briefing.clean import canonical_url, content_hash
from briefing.models import ArticleInput, ArticleRef
from briefing.ports import AuditEntry, SourceInfo, SourceUpdate


@dataclass
class State:
    """Everything the fake store holds; a unit of work copies it and restores it on rollback."""

    sources: dict[int, SourceInfo] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    articles: dict[int, ArticleInput] = field(default_factory=dict)
    next_id: int = 1


class FakeSources:
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, url: str, *, name: str | None, kind: str, feed_url: str | None,
            added_by: str | None, now: datetime) -> SourceInfo:
        source = SourceInfo(id=self.state.next_id, url=url, name=name, kind=kind,
                            feed_url=feed_url, added_by=added_by, created=now)
        self.state.next_id += 1
        self.state.sources[source.id] = source
        return source

    def get(self, source_id: int) -> SourceInfo | None:
        return self.state.sources.get(source_id)

    def by_url(self, url: str) -> SourceInfo | None:
        return next((s for s in self.state.sources.values() if s.url == url), None)

    def list(self) -> list[SourceInfo]:
        return sorted(self.state.sources.values(), key=lambda s: s.id)

    def update(self, source_id: int, change: SourceUpdate) -> SourceInfo:
        source = self.state.sources[source_id]
        values = change.model_dump(exclude={"clear_error"}, exclude_none=True)
        if change.clear_error:
            values["last_error"] = None
        source = source.model_copy(update=values)
        self.state.sources[source_id] = source
        return source

    def remove(self, source_id: int) -> None:
        del self.state.sources[source_id]

    def due(self, now: datetime) -> list[SourceInfo]:
        return [s for s in self.list()
                if not s.paused and (s.next_poll is None or s.next_poll <= now)]


class FakeAudit:
    def __init__(self, state: State) -> None:
        self.state = state

    def record(self, entry: AuditEntry) -> None:
        self.state.audit.append(entry)

    def recent(self, *, limit: int) -> list[AuditEntry]:
        return list(reversed(self.state.audit))[:limit]


class FakeArticles:
    """Only the lookup the source use cases make."""

    def __init__(self, state: State) -> None:
        self.state = state

    def find_duplicate(self, *, url: str | None, content_hash: str) -> ArticleRef | None:
        for article_id, doc in self.state.articles.items():
            if (url and canonical_url(doc.url) == url) or (
                    content_hash and _hash(doc) == content_hash):
                return ArticleRef(id=article_id, url=doc.url, title=doc.title)
        return None


def _hash(doc: ArticleInput) -> str:
    return content_hash(doc.text.strip())


class FakeUnitOfWork:
    """Rolls back unless commit() was called, like the real one."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.committed = False

    def __enter__(self) -> Self:
        self._snapshot = copy.deepcopy(self.store.state)
        state = self.store.state
        self.sources = FakeSources(state)
        self.audit = FakeAudit(state)
        self.articles = FakeArticles(state)
        self.committed = False
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self.committed:
            self.rollback()

    def commit(self) -> None:
        self.committed = True
        self.store.commits += 1

    def rollback(self) -> None:
        self.store.state = self._snapshot
        # The repos hold the old state object: point them at the restored one.
        self.sources.state = self.audit.state = self.articles.state = self.store.state


class FakeStore:
    """The factory the use cases call as `uow()`."""

    def __init__(self) -> None:
        self.state = State()
        self.commits = 0

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)


class Outcome(BaseModel):
    status: str
    reason: str | None = None
    article: ArticleRef | None = None


class FakeIngest:
    """Stands in for services.ingest_article: dedupes by canonical URL or text, stores in State."""

    def __init__(self, store: FakeStore, *, fail_titles: tuple[str, ...] = ()) -> None:
        self.store = store
        self.calls: list[ArticleInput] = []
        self.fail_titles = fail_titles

    def __call__(self, doc: ArticleInput) -> Outcome:
        self.calls.append(doc)
        if doc.title and any(bad in doc.title for bad in self.fail_titles):
            return Outcome(status="failed", reason="the engine could not process it")
        if not doc.text.strip():
            return Outcome(status="failed", reason="empty text")
        with self.store() as tx:
            found = tx.articles.find_duplicate(url=canonical_url(doc.url),
                                               content_hash=_hash(doc))
            if found is not None:
                return Outcome(status="unchanged", article=found)
            article_id = len(tx.articles.state.articles) + 1
            tx.articles.state.articles[article_id] = doc
            tx.commit()
        return Outcome(status="new", article=ArticleRef(id=article_id, url=doc.url))

    @property
    def stored(self) -> list[ArticleInput]:
        return list(self.store.state.articles.values())
