"""Use cases: ingest an article, and answer stance, quotes, questions, timeline and brief."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel
from rapidfuzz import fuzz, process

from briefing import clean, contradictions, questions, stance, stories
from briefing.actors import ActorRegistry
from briefing.answers import (
    BriefAnswer,
    KeyStance,
    QuestionsAnswer,
    QuotesAnswer,
    StanceAnswer,
    TimelineAnswer,
    TimelineItem,
)
from briefing.errors import ArticleExists, NotFoundError, UsageError
from briefing.models import (
    Actor,
    ArticleInput,
    ArticleRef,
    Cited,
    Evidence,
    ProcessedArticle,
    QuestionStatus,
    StanceLabel,
    StoredQuestion,
    StoredStatement,
    Topic,
)
from briefing.pipeline import process_article
from briefing.ports import EventRecord, StoredEvent, UnitOfWork, UnitOfWorkFactory
from briefing.topics import TOPICS, free_topic
from briefing.topics import resolve_topic as _resolve_topic_uncached

log = logging.getLogger(__name__)

# How many stored records a new article is compared with. Bounded so the cost of an ingest does
# not grow with the store: the store narrows by topic, actor or LSH band first, newest first.
# Questions and statements were 200 and 300; halving them took a dense generated article
# (35 statements) from 200 to 163 ms of ingest on 200 stored (bench/, profiled).
# Articles sharing LSH bands with a new one are compared by fingerprint, those sharing the most
# bands first: near-copies share many, chance collisions one.
STORY_CANDIDATES = 50
QUESTION_CANDIDATES = 100
STATEMENT_CANDIDATES = 150
# Stored events read to find an article's lead development among them (those dated within
# stories.development_days of it and naming one of its actors).
STORY_EVENT_CANDIDATES = 100
# How much evidence a query reads; answers show fewer, with "show more" in Slack.
EVIDENCE_LIMIT = 200
QUOTES_LIMIT = 100
TIMELINE_LIMIT = 300
QUESTIONS_LIMIT = 100
# A prefix of the command words names the actor when it matches at least this well (0-100).
ACTOR_MATCH_MIN = 80
# Two events on one day whose summaries are this alike (rapidfuzz token_set_ratio) are one item.
SAME_EVENT_SIMILARITY = 70


class NoMatch(NotFoundError):
    """Nothing matched; carries suggestions of actors and topics that have evidence."""

    def __init__(self, message: str, *, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.suggestions = list(suggestions)


class IngestOutcome(BaseModel):
    status: Literal["new", "unchanged", "failed"]
    label: str = ""
    article: ArticleRef | None = None
    reason: str | None = None
    discovered: list[Actor] = []


# --- ingestion ---------------------------------------------------------------------------------


def load_registry(*, uow: UnitOfWorkFactory) -> ActorRegistry:
    """The built-in registry plus every actor discovered in stored articles."""
    return ActorRegistry().with_actors(discovered_actors(uow=uow))


def discovered_actors(*, uow: UnitOfWorkFactory) -> list[Actor]:
    """Every actor discovered in stored articles (the registry's additions to the built-in)."""
    with uow() as tx:
        return tx.actors.discovered()


def ingest_article(doc: ArticleInput, *, uow: UnitOfWorkFactory, now: datetime,
                   registry: ActorRegistry) -> IngestOutcome:
    """Process one article and store everything found in it in one transaction.

    The same article twice (same canonical URL or same text) is stored once.
    """
    label = doc.url or doc.path or (doc.title or "article")
    url = clean.canonical_url(doc.url)
    with uow() as tx:
        dup = tx.articles.find_duplicate(url=url, content_hash=clean.content_hash(doc.text.strip()))
    if dup is not None:
        return IngestOutcome(status="unchanged", label=label, article=dup)
    return store_article(process_article(doc, registry=registry), uow=uow, now=now,
                         label=label, source_id=doc.source_id)


@dataclass(frozen=True)
class Prepared:
    """What the cross-article checks read of a new article's own statements, read once and
    before storing (`prepare`): pure, so the batch path's workers read it beside
    `process_article`, and the process that stores in order only reads candidates, compares
    and writes. Indexed like `ProcessedArticle.statements`."""

    texts: tuple[str, ...]  # the statements' texts, as read
    settling: tuple[questions.SettlingTraits, ...]
    claims: tuple[contradictions.ClaimTraits, ...]

    def fits(self, processed: ProcessedArticle) -> bool:
        return self.texts == tuple(st.text for st in processed.statements)


def prepare(processed: ProcessedArticle) -> Prepared:
    texts = tuple(st.text for st in processed.statements)
    return Prepared(texts=texts, settling=tuple(map(questions.settling_traits, texts)),
                    claims=tuple(map(contradictions.claim_traits, texts)))


def store_article(processed: ProcessedArticle, *, uow: UnitOfWorkFactory, now: datetime,
                  label: str, source_id: int | None = None,
                  prepared: Prepared | None = None) -> IngestOutcome:
    """Store an article `process_article` has read, with the cross-article work (stories,
    questions, contradictions), in one transaction; a stored duplicate is left alone.
    `prepared`: `prepare(processed)`, when it was read beforehand."""
    if not processed.article.text.strip():
        return IngestOutcome(status="failed", label=label, reason="no article text")
    try:
        with uow() as tx:
            ref = _store(tx, processed, now=now, source_id=source_id, prepared=prepared)
            tx.commit()
    except ArticleExists:
        with uow() as tx:
            dup = tx.articles.find_duplicate(url=processed.article.url,
                                             content_hash=processed.article.content_hash)
        if dup is None:
            raise
        return IngestOutcome(status="unchanged", label=label, article=dup)
    return _new(ref, processed, label)


@dataclass(frozen=True)
class ToStore:
    """An article `process_article` has read, for `store_together`."""

    processed: ProcessedArticle
    label: str
    source_id: int | None = None
    prepared: Prepared | None = None  # prepare(processed), when read beforehand


def store_together(items: Sequence[ToStore], *, uow: UnitOfWorkFactory,
                   now: datetime) -> list[IngestOutcome] | None:
    """What `store_article` does for each article, in order, in one transaction; None when
    any of them fails (a duplicate stored meanwhile, a database error): then nothing of the
    group is kept, and the caller stores each on its own with `store_article`, so that a
    failure is its article's alone.

    For batches: one commit for a few articles instead of one each (a commit is a tenth of an
    ingest's time in the store, bench/). Each article sees the ones before it, as it would
    in a transaction of its own."""
    if not all(i.processed.article.text.strip() for i in items):
        return None  # store_article says why
    try:
        with uow() as tx:
            refs = [_store(tx, i.processed, now=now, source_id=i.source_id,
                           prepared=i.prepared) for i in items]
            tx.commit()
    except Exception:  # the caller stores each article on its own
        log.info("%d articles could not be stored together; they are stored one by one",
                 len(items), exc_info=True)
        return None
    return [_new(ref, i.processed, i.label) for ref, i in zip(refs, items, strict=True)]


def _store(tx: UnitOfWork, processed: ProcessedArticle, *, now: datetime,
           source_id: int | None, prepared: Prepared | None = None) -> ArticleRef:
    """One article's records and the cross-article work, in the caller's transaction. The
    article's unique URL and text hash refuse a duplicate stored since the caller looked
    (another process, or earlier in a batch): ArticleExists, and the caller rolls back."""
    if prepared is not None and not prepared.fits(processed):
        prepared = None  # read for other statements (the article processed again): not used
    ref = tx.articles.add(processed, source_id=source_id, now=now)
    stored = tx.statements.add_all(ref, processed, now=now)
    tx.events.add_all(ref, processed.events, now=now)
    _assign_story(tx, ref, processed, now=now)
    _link_questions(tx, ref, processed, stored, now=now,
                    traits=prepared.settling if prepared is not None else None)
    _find_contradictions(tx, ref, stored, now=now,
                         traits=prepared.claims if prepared is not None else None)
    return ref


def _new(ref: ArticleRef, processed: ProcessedArticle, label: str) -> IngestOutcome:
    return IngestOutcome(status="new", label=label, article=ref,
                         discovered=[a for a in processed.actors if a.discovered])


def _assign_story(tx: UnitOfWork, ref: ArticleRef, processed: ProcessedArticle, *,
                  now: datetime) -> None:
    """Group the article with a near-copy (fingerprint) or, failing that, with stored articles
    reporting the same lead development (same kind, day and actors)."""
    fp = processed.fingerprint
    bands = stories.lsh_bands(fp) if fp else []
    best: tuple[float, int, int | None] | None = None
    for article_id, story_id, other in tx.articles.story_candidates(bands,
                                                                    limit=STORY_CANDIDATES):
        if article_id == ref.id or not other:
            continue
        sim = stories.similarity(fp, other)
        if sim >= stories.SAME_STORY and (best is None or sim > best[0]):
            best = (sim, article_id, story_id)
    story_id = best[2] if best else None
    wire_copy_of = best[1] if best and best[0] >= stories.WIRE_COPY else None
    if story_id is None and processed.events:
        lead = processed.events[0]
        days = stories.development_days(lead)
        if days is not None:
            nearby = tx.events.near(lead.date, days=days, actor_ids=lead.actors,
                                    limit=STORY_EVENT_CANDIDATES)
            story_id = stories.story_of_development(processed.events, nearby)
    tx.articles.add_bands(ref.id, bands)
    tx.articles.assign_story(ref.id, story_id=story_id, wire_copy_of=wire_copy_of,
                             headline=processed.article.title, now=now)


def _link_questions(tx: UnitOfWork, ref: ArticleRef, processed: ProcessedArticle,
                    stored: list[StoredStatement], *, now: datetime,
                    traits: Sequence[questions.SettlingTraits] | None = None) -> None:
    """Merge the article's questions into known ones, and settle known ones it answers."""
    by_sentence = {s.statement.sentence: s.id for s in stored}
    topics = sorted({t for q in processed.questions for t in q.topics}
                    | {t.topic for s in stored for t in s.statement.topics})
    actors = sorted({a for q in processed.questions for a in q.actors}
                    | {a for s in stored for a in (*s.statement.about, s.statement.holder or "")
                       if a})
    known = tx.questions.candidates(topics=topics, actors=actors, limit=QUESTION_CANDIDATES)
    # a question is "open since" the article that raised it was published, not since ingestion
    seen = ref.published if ref.published is not None and ref.published < now else now
    # only questions raised before this article can be settled by it: stored before it, and
    # raised no later than it was published (an older article ingested late answers nothing)
    settle_on = [q for q in known if q.status != QuestionStatus.ANSWERED
                 and not _later(q.first_seen, ref.published)]
    # one article may raise a question twice (a heading and a sentence): merge within it too
    mergeable = list(known)
    raises: list[tuple[int, str]] = []
    for raised in processed.questions:
        match = next((k for k in mergeable if questions.same_question(raised, k)), None)
        if match is not None:
            raises.append((match.id, raised.text))
            continue
        qid = tx.questions.add(raised.question, raised.key, actors=raised.actors,
                               topics=raised.topics,
                               raised_by_statement=by_sentence.get(raised.sentence),
                               raised_in_article=ref.id, sentence_text=raised.text, now=seen)
        mergeable.append(StoredQuestion(
            id=qid, question=raised.question, key=raised.key, status=QuestionStatus.OPEN,
            actors=raised.actors, topics=raised.topics,
            raised_in=(Cited(text=raised.text, article=ref),), first_seen=seen, last_seen=seen))
    tx.questions.add_raises(raises, article_id=ref.id, now=seen)
    for question, st, status in questions.settlements(settle_on, stored, traits):
        tx.questions.settle(question.id, status=status, statement_id=st.id, now=now)


def _later(first: datetime | None, second: datetime | None) -> bool:
    """Whether `first` is after `second` (False when either is unknown); a store may give
    back naive datetimes (SQLite), which are UTC."""
    if first is None or second is None:
        return False
    if (first.tzinfo is None) != (second.tzinfo is None):
        first, second = first.replace(tzinfo=None), second.replace(tzinfo=None)
    return first > second


def _find_contradictions(tx: UnitOfWork, ref: ArticleRef, stored: list[StoredStatement], *,
                         now: datetime,
                         traits: Sequence[contradictions.ClaimTraits] | None = None) -> None:
    if not stored:
        return
    # two statements contradict only when they share an actor (contradictions.py)
    actors = sorted({a for s in stored
                     for a in (*s.statement.about, s.statement.holder, s.statement.speaker)
                     if a})
    candidates = tx.statements.claim_candidates(actors, exclude_article=ref.id,
                                                excluded_statements=len(stored),
                                                limit=STATEMENT_CANDIDATES)
    for found in contradictions.find_contradictions(stored, candidates, traits):
        tx.contradictions.add(first=found.first, second=found.second, matter=found.matter,
                              now=now)


# --- resolving what the user typed --------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def resolve_topic(query: str) -> Topic | None:
    """topics.resolve_topic, remembered: the taxonomy is fixed in code and a Topic is frozen,
    and each call normalises every synonym of every topic (0.4 ms, 1.3 ms for words that name
    no topic; /brief resolved each key stance's topic again)."""
    return _resolve_topic_uncached(query)


def _suggest_actors(registry: ActorRegistry, tx: UnitOfWork, query: str) -> list[str]:
    with_evidence = set(tx.actors.with_evidence())
    matches = [a.name for a, _ in registry.match(query, limit=10) if a.id in with_evidence]
    if not matches:
        matches = [registry.get(a).name for a in sorted(with_evidence)[:5]  # type: ignore[union-attr]
                   if registry.get(a)]
    return matches[:5]


def resolve_actor(query: str, *, registry: ActorRegistry, tx: UnitOfWork) -> Actor:
    matches = registry.match(query, limit=1)
    if matches and matches[0][1] >= ACTOR_MATCH_MIN:
        return matches[0][0]
    raise NoMatch(f"No actor matches “{query}”.",
                  suggestions=_suggest_actors(registry, tx, query))


def split_actor_topic(words: Sequence[str], *, registry: ActorRegistry,
                      topic_required: bool = False) -> tuple[str, str]:
    """Split "/stance vladimir putin nato membership" into actor words and topic words.

    The leading run of words that names an actor best wins (a longer run on a tie), so
    "vladimir putin ceasefire" splits after "putin" even though the whole phrase is a fair
    fuzzy match too. With `topic_required`, at least one word is left for the topic.
    """
    if not words:
        raise UsageError("Name an actor and a topic.", usage="/stance <actor> <topic>")
    longest = len(words) - 1 if topic_required and len(words) > 1 else len(words)
    best: tuple[float, int] | None = None
    for n in range(1, longest + 1):
        matches = registry.match(" ".join(words[:n]), limit=1)
        if matches and matches[0][1] >= ACTOR_MATCH_MIN:
            candidate = (matches[0][1], n)
            if best is None or candidate >= best:
                best = candidate
    n = best[1] if best else 1
    return " ".join(words[:n]), " ".join(words[n:])


def resolve_topic_query(query: str) -> tuple[Topic, list[str]]:
    """A known topic (searched by its id) or the user's own words (searched as text)."""
    topic = resolve_topic(query)
    if topic is not None:
        return topic, []
    terms = [w for w in query.lower().split() if len(w) > 2] or [query.lower().strip()]
    return free_topic(query), terms


def _names(registry: ActorRegistry, ids: set[str]) -> dict[str, str]:
    out = {}
    for i in ids:
        actor = registry.get(i)
        out[i] = actor.name if actor else i
    return out


def to_evidence(s: StoredStatement, topic_id: str | None) -> Evidence:
    st = s.statement
    label = next((t.stance for t in st.topics if t.topic == topic_id), None)
    if label is None:
        label = st.topics[0].stance if st.topics else StanceLabel.UNCLEAR
    return Evidence(statement_id=s.id, text=st.text, quote=st.quote, speaker=st.speaker,
                    speaker_label=st.speaker_label, attribution=st.attribution, stance=label,
                    certainty=st.certainty, kind=st.kind, article=s.article)


# --- queries -------------------------------------------------------------------------------------


def stance_of(actor_query: str, topic_query: str, *, uow: UnitOfWorkFactory,
              registry: ActorRegistry) -> StanceAnswer:
    if not topic_query.strip():
        raise UsageError("Name a topic too.", usage="/stance <actor> <topic>")
    with uow() as tx:
        actor = resolve_actor(actor_query, registry=registry, tx=tx)
        topic, terms = resolve_topic_query(topic_query)
        ids = sorted(registry.expand(actor.id))
        on = None if terms else topic.id  # free words: the stance on the statement's topic
        evidence = [h.evidence for h in tx.statements.evidence(
            ids, topic_ids=[on], terms=terms, limit=EVIDENCE_LIMIT)[on]]
        if not evidence:
            have = tx.statements.topics_with_evidence(ids)
            raise NoMatch(f"No evidence of {actor.name}'s position on {topic.label}.",
                          suggestions=[f"{actor.name}: {t}" for t in have[:5]]
                          or _suggest_actors(registry, tx, actor_query))
        label, history = stance.summarise(evidence)
        open_qs = tx.questions.cite([q for q in tx.questions.list(
            topic_id=None if terms else topic.id, terms=terms,
            statuses=(QuestionStatus.OPEN, QuestionStatus.PARTLY_ANSWERED), limit=20)
            if not q.actors or set(q.actors) & set(ids)][:5])
    names = _names(registry, {e.speaker for e in evidence if e.speaker} | {actor.id})
    return StanceAnswer(actor=actor, topic=topic, stance=label, evidence=evidence,
                        history=history, open_questions=open_qs, names=names)


def quotes_of(actor_query: str, topic_query: str | None, *, uow: UnitOfWorkFactory,
              registry: ActorRegistry) -> QuotesAnswer:
    with uow() as tx:
        actor = resolve_actor(actor_query, registry=registry, tx=tx)
        topic, terms = resolve_topic_query(topic_query) if topic_query else (None, [])
        found = tx.statements.quotes(
            sorted(registry.expand(actor.id)),
            topic_id=topic.id if topic is not None and not terms else None,
            terms=terms, limit=QUOTES_LIMIT)
        if not found:
            raise NoMatch(f"No quotes from {actor.name}"
                          + (f" on {topic.label}." if topic else "."),
                          suggestions=_suggest_actors(registry, tx, actor_query))
    names = _names(registry, {q.statement.speaker for q in found if q.statement.speaker})
    return QuotesAnswer(actor=actor, topic=topic, quotes=found, names=names)


def list_questions(topic_query: str | None, *, uow: UnitOfWorkFactory, now: datetime,
                   include_all: bool = False, answered: bool = False) -> QuestionsAnswer:
    if answered:
        statuses: tuple[QuestionStatus, ...] = (QuestionStatus.ANSWERED,
                                                QuestionStatus.PARTLY_ANSWERED)
    elif include_all:
        statuses = tuple(QuestionStatus)
    else:
        statuses = (QuestionStatus.OPEN, QuestionStatus.PARTLY_ANSWERED)
    topic, terms = resolve_topic_query(topic_query) if topic_query else (None, [])
    with uow() as tx:
        found = tx.questions.cite(tx.questions.list(
            topic_id=topic.id if topic and not terms else None, terms=terms, statuses=statuses,
            limit=QUESTIONS_LIMIT,
            seen_since=None if include_all or answered else fresh_since(tx, now)))
    return QuestionsAnswer(topic=topic, questions=found, answered_view=answered, now=now)


def fresh_since(tx: UnitOfWork, now: datetime) -> datetime:
    """When an open question must last have been raised not to be stale (questions.is_stale)."""
    return news_time(tx, now) - timedelta(days=questions.STALE_AFTER_DAYS)


def news_time(tx: UnitOfWork, now: datetime) -> datetime:
    """The newest news in the store, or now: a question is stale after days with no news, so a
    store that stopped receiving articles (an archive, the demo corpus) keeps its questions."""
    latest = tx.articles.latest_published()
    return min(now, latest) if latest is not None else now


def _group_events(events: Sequence[StoredEvent]) -> list[TimelineItem]:
    """One item per development: same-day events with alike summaries merge their sources."""
    return _group_records([EventRecord(ev.id, ev.event.date, ev.event.date_inferred,
                                       ev.event.summary, ev.event.actors, ev.article)
                           for ev in events])


@dataclass
class _Group:
    """A timeline item while events join it."""

    date: date
    date_inferred: bool
    summary: str
    actors: list[str]
    sources: list[ArticleRef]
    source_ids: set[int]


def _group_records(events: Sequence[EventRecord], *,
                   last: int | None = None) -> list[TimelineItem]:
    """_group_events over records, oldest first; with `last`, only the newest `last` items
    are made (the grouping itself still sees every event)."""
    groups: list[_Group] = []
    # Each day's groups and their summaries, in order: an event is compared with its own
    # day's groups only, in one C-level pass; and a summary met before that day (wire copies)
    # joins the group it joined or made then: groups are only appended, so the first alike
    # one is still that one. Comparing every event with every item was most of /timeline.
    days: dict[date, tuple[list[_Group], list[str], dict[str, int]]] = {}
    for e in events:
        day_groups, day_summaries, joined = days.setdefault(e.date, ([], [], {}))
        same = None
        if e.summary in joined:
            same = day_groups[joined[e.summary]]
        elif day_groups:
            alike = process.extract(e.summary, day_summaries, scorer=fuzz.token_set_ratio,
                                    score_cutoff=SAME_EVENT_SIMILARITY, limit=None)
            if alike:  # the first group made, as a walk in order would find
                joined[e.summary] = min(idx for _, _, idx in alike)
                same = day_groups[joined[e.summary]]
        if same is not None:
            if e.article.id not in same.source_ids:
                same.source_ids.add(e.article.id)
                same.sources.append(e.article)
            same.actors = sorted(set(same.actors) | set(e.actors))
            same.date_inferred = same.date_inferred and e.date_inferred
            continue
        group = _Group(date=e.date, date_inferred=e.date_inferred, summary=e.summary,
                       actors=list(e.actors), sources=[e.article], source_ids={e.article.id})
        groups.append(group)
        joined[e.summary] = len(day_groups)
        day_groups.append(group)
        day_summaries.append(e.summary)
    groups.sort(key=lambda g: g.date)
    return [TimelineItem(date=g.date, date_inferred=g.date_inferred, summary=g.summary,
                         actors=g.actors, sources=g.sources)
            for g in (groups if last is None else groups[-last:] if last else [])]


def _actor_or_topic(query: str, *, registry: ActorRegistry) -> tuple[list[str], Topic | None,
                                                                       list[str]]:
    """Read a free query as an actor, a known topic, or words to search for."""
    topic = resolve_topic(query)
    if topic is not None:
        return [], topic, []
    matches = registry.match(query, limit=1)
    if matches and matches[0][1] >= ACTOR_MATCH_MIN:
        return sorted(registry.expand(matches[0][0].id)), None, []
    return [], None, [w for w in query.lower().split() if len(w) > 2] or [query.lower()]


def timeline(query: str | None, *, uow: UnitOfWorkFactory,
             registry: ActorRegistry) -> TimelineAnswer:
    actor_ids, topic, terms = _actor_or_topic(query, registry=registry) if query else ([], None,
                                                                                      [])
    with uow() as tx:
        events = tx.events.developments(topic_id=topic.id if topic else None,
                                        actor_ids=actor_ids, terms=terms, limit=TIMELINE_LIMIT)
    items = _group_records(events)
    return TimelineAnswer(query=query, items=items,
                          names=_names(registry, {a for i in items for a in i.actors}))


# The brief fits one screen: this many items of each kind.
BRIEF_DEVELOPMENTS = 5
BRIEF_STANCES = 6
BRIEF_QUESTIONS = 5
BRIEF_CONTRADICTIONS = 3
# Evidence read per topic for the brief's key stances (each actor's newest among them decide).
BRIEF_EVIDENCE = 50


def brief(query: str | None, *, uow: UnitOfWorkFactory, registry: ActorRegistry,
          now: datetime) -> BriefAnswer:
    actor_ids, topic, terms = _actor_or_topic(query, registry=registry) if query else ([], None,
                                                                                      [])
    with uow() as tx:
        events = tx.events.developments(topic_id=topic.id if topic else None,
                                        actor_ids=actor_ids, terms=terms, limit=TIMELINE_LIMIT)
        # what has happened: an event dated after the newest news is a plan ("Xi will visit
        # Moscow on 9 May"), not a development, however near the top its date puts it
        news_day = news_time(tx, now).date()
        developments = _group_records([e for e in events if e.date <= news_day],
                                      last=BRIEF_DEVELOPMENTS)[::-1]
        key: list[KeyStance] = []
        topic_ids: list[str | None] = [topic.id] if topic else [t.id for t in TOPICS]
        # every topic in one read; without an actor, everyone's evidence
        held = tx.statements.evidence(actor_ids or None, topic_ids=topic_ids, terms=terms,
                                      limit=BRIEF_EVIDENCE)
        for tid in topic_ids:
            assert tid is not None
            by_holder: dict[str, list[Evidence]] = {}
            for holder, ev_ in held[tid]:
                if holder:
                    by_holder.setdefault(holder, []).append(ev_)
            for holder, ev in by_holder.items():
                label, _ = stance.summarise(ev)
                actor = registry.get(holder)
                if actor is not None and label != StanceLabel.UNCLEAR:
                    key.append(KeyStance(actor=actor, topic=_topic(tid), stance=label,
                                         evidence=ev[0]))
        key.sort(key=lambda k: k.evidence.article.published or now, reverse=True)
        qs = tx.questions.cite([q for q in tx.questions.list(
            topic_id=topic.id if topic else None, terms=terms,
            statuses=(QuestionStatus.OPEN, QuestionStatus.PARTLY_ANSWERED), limit=50,
            seen_since=fresh_since(tx, now))
            if not actor_ids or not q.actors or set(q.actors) & set(actor_ids)][:BRIEF_QUESTIONS])
        contra = tx.contradictions.list(topic_id=topic.id if topic else None,
                                        actor_ids=actor_ids, terms=terms,
                                        limit=BRIEF_CONTRADICTIONS)
    names = _names(registry, {a for d in developments for a in d.actors}
                   | {s.actor.id for s in key})
    return BriefAnswer(query=query, developments=developments, stances=key[:BRIEF_STANCES],
                       questions=qs, contradictions=contra, names=names, now=now)


def _topic(topic_id: str) -> Topic:
    topic = resolve_topic(topic_id)
    return topic if topic is not None else free_topic(topic_id)

