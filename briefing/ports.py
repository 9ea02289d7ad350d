"""Protocols the engine declares and the outer layers implement: store, fetcher, poster."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import NamedTuple, Protocol, Self

from pydantic import BaseModel

from briefing.contradictions import ClaimSource
from briefing.models import (
    Actor,
    ArticleRef,
    Cited,
    Event,
    Evidence,
    ProcessedArticle,
    QuestionStatus,
    StoredQuestion,
    StoredStatement,
)

# --- values that cross the store boundary -------------------------------------------------------


class SourceInfo(BaseModel):
    id: int
    url: str
    name: str | None = None
    kind: str = "page"  # "feed", "page", "file"
    feed_url: str | None = None
    paused: bool = False
    poll_minutes: int = 30
    etag: str | None = None
    last_modified: str | None = None
    last_fetched: datetime | None = None
    last_ok: datetime | None = None
    last_error: str | None = None
    failures: int = 0
    next_poll: datetime | None = None
    articles: int = 0
    added_by: str | None = None
    created: datetime | None = None


class SourceUpdate(BaseModel):
    """Fields to change on a source; None leaves a field as it is."""

    name: str | None = None
    kind: str | None = None
    feed_url: str | None = None
    paused: bool | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetched: datetime | None = None
    last_ok: datetime | None = None
    last_error: str | None = None
    clear_error: bool = False
    failures: int | None = None
    next_poll: datetime | None = None
    poll_minutes: int | None = None


class StoredEvent(BaseModel):
    id: int
    event: Event
    article: ArticleRef
    story_id: int | None = None


class DevelopmentFacts(NamedTuple):
    """What `stories.same_development` reads of a stored event: a plain tuple, not an
    `Event` (the ingest reads a hundred per article; building models cost more than the read,
    bench/)."""

    date: date
    date_inferred: bool
    summary: str
    actors: tuple[str, ...]


class DevelopmentRecord(NamedTuple):
    """A stored event as the ingest's story grouping reads it: the event and its article's
    story, without the article's ref (the ingest reads a hundred of these per article)."""

    id: int
    article_id: int
    story_id: int | None
    event: Event | DevelopmentFacts


class StoredContradiction(BaseModel):
    id: int
    matter: str
    first: StoredStatement
    second: StoredStatement
    found: datetime


class Subscription(BaseModel):
    channel: str
    time: str = "08:00"  # HH:MM local
    timezone: str = "UTC"
    active: bool = True
    subscribed_by: str | None = None
    created: datetime | None = None


class AuditEntry(BaseModel):
    at: datetime
    user: str
    action: str
    target: str
    result: str


class TouchedQuestion(NamedTuple):
    """A question a digest's articles touched, without its raises or answers (see raises_of)."""

    question: StoredQuestion
    raised_now: bool  # raised in one of the digest's articles (not only settled by one)
    raised_before: bool  # raised in an article known before them: undated or published earlier


class AnswerLinkRecord(NamedTuple):
    """One statement that settles a question, lean: the digest judges every link of the
    questions it shows and loads the statements of the few it cites (statements.get_many)."""

    question_id: int
    statement_id: int
    status: str  # a QuestionStatus value: answered or partly_answered
    article_id: int
    published: datetime | None  # the statement's article's


class StanceRecord(NamedTuple):
    """One statement's stance on one topic, lean enough to read thousands (digest history)."""

    statement_id: int
    article_id: int
    holder: str
    topic: str
    stance: str
    attribution: str
    published: datetime | None


class HeldEvidence(NamedTuple):
    """A statement read as evidence on one topic (its stance on that topic), and whose
    position it is: what /stance and /brief show, without the statement's other links."""

    holder: str | None
    evidence: Evidence


class EventRecord(NamedTuple):
    """A dated development as /timeline and /brief show it (no sentence, topics or story)."""

    id: int
    date: date
    date_inferred: bool
    summary: str
    actors: tuple[str, ...]
    article: ArticleRef


class DigestRecord(BaseModel):
    """The (channel, day) record of a digest: who claimed it, whether it was posted, last error."""

    channel: str
    day: date
    status: str  # claimed, posted, failed
    owner: str
    claimed_at: datetime
    posted_at: datetime | None = None
    ts: str | None = None
    attempts: int = 0
    error: str | None = None


# --- repositories -------------------------------------------------------------------------------


class ArticleRepo(Protocol):
    def find_duplicate(self, *, url: str | None, content_hash: str) -> ArticleRef | None: ...
    def add(self, processed: ProcessedArticle, *, source_id: int | None,
            now: datetime) -> ArticleRef: ...
    def count(self) -> int: ...
    def latest_published(self) -> datetime | None:
        """When the newest stored article was published (the store's "news time")."""
        ...
    def get(self, article_id: int) -> ArticleRef | None: ...
    def add_bands(self, article_id: int, bands: Sequence[str]) -> None: ...
    def story_candidates(self, bands: Sequence[str], *,
                         limit: int) -> list[tuple[int, int | None, list[int]]]:
        """(article id, story id, fingerprint) of stored articles sharing any LSH band."""
        ...
    def assign_story(self, article_id: int, *, story_id: int | None, wire_copy_of: int | None,
                     headline: str | None, now: datetime) -> int: ...
    def stories_since(self, when: datetime, *,
                      limit: int) -> list[tuple[int, list[ArticleRef], int]]: ...
    # digest (issue 5): news judged by published time when known, else by ingestion time
    def stories_between(self, start: datetime, end: datetime, *, late_from: datetime,
                        limit: int) -> list[tuple[int, list[ArticleRef], int]]:
        """Like stories_since, for articles whose news time (published, else ingested) is in
        [start, end), or that were ingested in [start, end) and published on/after late_from."""
        ...


class ActorRepo(Protocol):
    def discovered(self) -> list[Actor]: ...
    def with_evidence(self) -> list[str]:
        """Ids of actors that have at least one statement (for suggestions)."""
        ...


class StatementRepo(Protocol):
    def add_all(self, article: ArticleRef, processed: ProcessedArticle, *,
                now: datetime) -> list[StoredStatement]: ...
    def get_many(self, ids: Sequence[int]) -> list[StoredStatement]: ...
    def for_actor_topic(self, actor_ids: Sequence[str], *, topic_id: str | None,
                        terms: Sequence[str] = (), limit: int) -> list[StoredStatement]: ...
    def evidence(self, holders: Sequence[str] | None, *, topic_ids: Sequence[str | None],
                 terms: Sequence[str] = (),
                 limit: int) -> dict[str | None, list[HeldEvidence]]:
        """Per topic, the newest `limit` statements on it held by one of `holders` (None: by
        anyone), dated newest first, then undated; with the stance on that topic. A topic of
        None means any topic, with the stance on the first of the statement's topics."""
        ...
    def quotes(self, actor_ids: Sequence[str], *, topic_id: str | None,
               terms: Sequence[str] = (), limit: int) -> list[StoredStatement]: ...
    def since(self, when: datetime, *, limit: int) -> list[StoredStatement]: ...
    def claim_candidates(self, actor_ids: Sequence[str], *, exclude_article: int,
                         excluded_statements: int, limit: int) -> list[ClaimSource]:
        """The newest statements of other articles than `exclude_article` (which has
        `excluded_statements` statements) naming any of these actors, as the contradiction
        rules read them."""
        ...
    def topics_with_evidence(self, actor_ids: Sequence[str]) -> list[str]: ...
    # digest (issue 5)
    def stances_in(self, article_ids: Sequence[int], *, limit: int) -> list[StanceRecord]:
        """The (holder, topic) stances of these articles' statements that have a holder."""
        ...
    def history_of(self, pairs: Sequence[tuple[str, str]], *, since: datetime,
                   until: datetime, per_pair: int) -> list[StanceRecord]:
        """Stances of these (holder, topic) pairs with a news time in [since, until): the
        newest `per_pair` of each pair, newest first."""
        ...


class QuestionRepo(Protocol):
    def candidates(self, *, topics: Sequence[str], actors: Sequence[str],
                   limit: int) -> builtins.list[StoredQuestion]:
        """Recent questions on these topics or actors, for merging and settling at ingest:
        with their first raises only and without `answered_by`."""
        ...
    def add(self, question: str, key: str, *, actors: Sequence[str], topics: Sequence[str],
            raised_by_statement: int | None, raised_in_article: int, sentence_text: str,
            now: datetime) -> int: ...
    def add_raise(self, question_id: int, *, article_id: int, sentence_text: str,
                  now: datetime) -> None: ...
    def add_raises(self, raises: Sequence[tuple[int, str]], *, article_id: int,
                   now: datetime) -> None:
        """Raises (question id, sentence) in one article, all seen at `now`."""
        ...
    def settle(self, question_id: int, *, status: QuestionStatus, statement_id: int,
               now: datetime) -> None: ...
    def list(self, *, topic_id: str | None, terms: Sequence[str] = (),
             statuses: Sequence[QuestionStatus], limit: int,
             seen_since: datetime | None = None) -> builtins.list[StoredQuestion]:
        """The questions with these statuses, the most recently raised first (settled, for
        answered ones only), without `raised_in` or `answered_by`: answers show a few of those
        read, and `cite` adds them to those. With `seen_since`, an unanswered question last
        raised before then (stale) is left out before the limit is applied."""
        ...
    def cite(self, questions: Sequence[StoredQuestion]) -> builtins.list[StoredQuestion]:
        """These questions, in their order, with their first stored raises (at most a
        screen's worth each, the first one being the raise that opened the question) and every
        statement answering them, each with its article."""
        ...
    def changed_since(self, when: datetime, *, limit: int) -> builtins.list[StoredQuestion]: ...
    # digest (issue 5)
    def touched_by(self, article_ids: Sequence[int], *, until: datetime,
                   limit: int) -> builtins.list[TouchedQuestion]:
        """Questions raised in, or settled by a statement of, any of these articles, by id;
        "raised before" counts raises in other articles undated or published before `until`."""
        ...
    def raises_of(self, question_ids: Sequence[int], *, until: datetime,
                  new_articles: Sequence[int], per_question: int,
                  ) -> dict[int, tuple[Cited, ...]]:
        """The first `per_question` stored raises of each question known at `until`: in one
        of `new_articles`, or in an article undated or published before `until`."""
        ...
    def answer_links(self, question_ids: Sequence[int]) -> builtins.list[AnswerLinkRecord]:
        """Every statement that settles one of these questions, by question, then statement."""
        ...
    def unresolved(self, until: datetime, *, fresh_after: datetime,
                   limit: int) -> builtins.list[tuple[StoredQuestion, datetime]]:
        """Questions first raised before `until`, not answered by a statement published before
        it, and raised again on/after `fresh_after`, oldest first, each with when it was first
        raised; without raises or answers (see raises_of). A raise counts from when it was
        seen, as /questions' "open since": its article's publication, or the article's
        ingestion when dated later; raises in articles dated after `until` do not count."""
        ...


class EventRepo(Protocol):
    def add_all(self, article: ArticleRef, events: Sequence[Event], *, now: datetime) -> None: ...
    def timeline(self, *, topic_id: str | None, actor_ids: Sequence[str] = (),
                 terms: Sequence[str] = (), limit: int) -> list[StoredEvent]: ...
    def near(self, day: date, *, days: int, actor_ids: Sequence[str],
             limit: int) -> list[DevelopmentRecord]:
        """Events dated within `days` of `day` naming any of these actors, oldest first."""
        ...
    def developments(self, *, topic_id: str | None, actor_ids: Sequence[str] = (),
                     terms: Sequence[str] = (), limit: int) -> list[EventRecord]:
        """What timeline() reads, as records, oldest first."""
        ...
    def since(self, when: datetime, *, limit: int) -> list[StoredEvent]: ...
    def for_articles(self, article_ids: Sequence[int], *, limit: int) -> list[StoredEvent]:
        ...  # digest (issue 5)


class ContradictionRepo(Protocol):
    def add(self, *, first: int, second: int, matter: str, now: datetime) -> None: ...
    def list(self, *, topic_id: str | None = None, since: datetime | None = None,
             actor_ids: Sequence[str] = (), terms: Sequence[str] = (),
             limit: int) -> builtins.list[StoredContradiction]:
        """The newest contradictions, narrowed to a topic, to either side involving one of
        these actors, and to the words in the matter or either sentence, when given."""
        ...
    def involving(self, article_ids: Sequence[int], *,
                  limit: int) -> builtins.list[StoredContradiction]:
        ...  # digest (issue 5): either side in one of these articles


class SourceRepo(Protocol):
    def add(self, url: str, *, name: str | None, kind: str, feed_url: str | None,
            added_by: str | None, now: datetime) -> SourceInfo: ...
    def get(self, source_id: int) -> SourceInfo | None: ...
    def by_url(self, url: str) -> SourceInfo | None: ...
    def list(self) -> builtins.list[SourceInfo]: ...
    def update(self, source_id: int, change: SourceUpdate) -> SourceInfo: ...
    def remove(self, source_id: int) -> None: ...
    def due(self, now: datetime) -> builtins.list[SourceInfo]: ...


class SubscriptionRepo(Protocol):
    def upsert(self, sub: Subscription) -> Subscription: ...
    def get(self, channel: str) -> Subscription | None: ...
    def deactivate(self, channel: str) -> bool: ...
    def active(self) -> list[Subscription]: ...


class DigestRepo(Protocol):
    def claim(self, channel: str, day: date, *, now: datetime, owner: str) -> bool:
        """True when this caller won the (channel, day) record and may post."""
        ...
    def complete(self, channel: str, day: date, *, now: datetime, ts: str | None) -> None: ...
    def fail(self, channel: str, day: date, *, now: datetime, error: str) -> None: ...
    def last_posted(self, channel: str) -> datetime | None: ...
    # digest (issue 5): leases, records and errors for the clock and the App Home
    def take_over(self, channel: str, day: date, *, now: datetime, owner: str,
                  stale_before: datetime) -> bool:
        """Claim a record that is 'failed', or 'claimed' by an owner whose lease began before
        `stale_before` (a clock that died between claiming and posting). True when won."""
        ...
    def record(self, channel: str, day: date) -> DigestRecord | None: ...
    def recent(self, *, channel: str | None = None, limit: int) -> list[DigestRecord]: ...
    def note_error(self, channel: str, day: date, *, error: str) -> None:
        """Keep an error on a record without changing its status (a failed thread reply)."""
        ...


class TopicRepo(Protocol):
    def sync(self, topics: Iterable[tuple[str, str, str]]) -> None: ...


class AuditRepo(Protocol):
    def record(self, entry: AuditEntry) -> None: ...
    def recent(self, *, limit: int) -> list[AuditEntry]: ...


class UnitOfWork(Protocol):
    """One transaction over the store. Rolls back unless `commit()` is called."""

    @property
    def articles(self) -> ArticleRepo: ...
    @property
    def actors(self) -> ActorRepo: ...
    @property
    def statements(self) -> StatementRepo: ...
    @property
    def questions(self) -> QuestionRepo: ...
    @property
    def events(self) -> EventRepo: ...
    @property
    def contradictions(self) -> ContradictionRepo: ...
    @property
    def sources(self) -> SourceRepo: ...
    @property
    def subscriptions(self) -> SubscriptionRepo: ...
    @property
    def digests(self) -> DigestRepo: ...
    @property
    def audit(self) -> AuditRepo: ...
    @property
    def topics(self) -> TopicRepo: ...

    def __enter__(self) -> Self: ...
    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


# --- the outside world --------------------------------------------------------------------------


class FetchedResponse(BaseModel):
    url: str  # final URL after redirects
    status: int
    content_type: str = ""
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


class Fetcher(Protocol):
    """Fetches a URL safely (no private addresses unless allowlisted); raises FetchError."""

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchedResponse: ...


class Poster(Protocol):
    """Posts a message to a channel; returns the message ts."""

    def post(self, channel: str, *, text: str, blocks: list[dict[str, object]],
             thread_ts: str | None = None, key: str | None = None) -> str:
        """A message with a `key` is posted at most once: it carries the key, and a post
        whose outcome is uncertain is looked for (`find`) before it is tried again."""
        ...
    def find(self, channel: str, *, key: str) -> str | None:
        """The ts of the channel's message posted with this key, if it can be seen."""
        ...
