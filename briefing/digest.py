"""The daily digest: what is new since a channel's previous digest, and posting it exactly once."""

from __future__ import annotations

import gc
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field

from briefing import services, stance
from briefing.actors import ActorRegistry
from briefing.answers import (
    SubscriptionAnswer,
    TimelineAnswer,
    TimelineItem,
    article_json,
    contradiction_json,
    question_json,
)
from briefing.errors import UsageError
from briefing.models import (
    Actor,
    ActorKind,
    ArticleRef,
    Attribution,
    Cited,
    Evidence,
    QuestionStatus,
    StanceLabel,
    StoredQuestion,
    StoredStatement,
    Topic,
)
from briefing.ports import (
    AnswerLinkRecord,
    Poster,
    StanceRecord,
    StoredContradiction,
    StoredEvent,
    Subscription,
    TouchedQuestion,
    UnitOfWork,
    UnitOfWorkFactory,
)
from briefing.questions import STALE_AFTER_DAYS
from briefing.topics import free_topic, resolve_topic

log = logging.getLogger(__name__)

# Issue 5 §2: a channel's first digest covers the last 24 hours.
FIRST_DIGEST_HOURS = 24
# An article ingested inside the window is news even when its date is up to this many days
# before the window (polling lag, feeds that date items by their first draft); older items are
# the back catalogue of a newly added source, not news.
LATE_ARTICLE_DAYS = 3
# How much of the store one digest reads. The bench's busy day is 1,000 articles (issue 5,
# Speed); these leave headroom of five times that before a day is cut.
MAX_NEW_ARTICLES = 5_000
MAX_STATEMENTS = 25_000
MAX_EVENTS = 10_000
MAX_CONTRADICTIONS = 300
MAX_QUESTIONS = 1_000
# Earlier evidence read per (actor, topic) for "from" of a stance change. The stance rule lets
# the latest on-record day decide, which lies among the newest few; twenty also keeps a weighted
# vote (no on-record evidence) to recent reports. Bounded because a busy day touches hundreds of
# pairs (bench/bench_digest.py).
STANCE_HISTORY_PER_PAIR = 20
# (actor, topic) pairs examined for a change: a digest shows STANCE_CHANGES_SHOWN; ten times
# that, taken from the pairs with the most new on-record evidence, leaves room for the many
# that do not change, and bounds the history read on a busy day (bench/bench_digest.py).
STANCE_CANDIDATES = 60
# ... and how far back it looks: a position nobody has restated for a month is as stale as an
# open question is (questions.STALE_AFTER_DAYS); a first statement after it reads "first stated".
STANCE_LOOKBACK_DAYS = STALE_AFTER_DAYS
# How many items of each kind a digest carries: what one Slack thread reply can show within
# Block Kit's 50 blocks (two blocks per item); the counts say how many more there were.
STORIES_SHOWN = 8
STANCE_CHANGES_SHOWN = 6
CONTRADICTIONS_SHOWN = 4
OPENED_SHOWN = 8
ANSWERED_SHOWN = 8
UNRESOLVED_SHOWN = 5
# Raises and answers listed per question shown (the digest cites the first raise and the
# answer; the JSON lists these): a question a story keeps raising gathers thousands. The first
# stored are kept, as /questions does (storage.uow.LISTED_RAISES).
QUESTION_SOURCES_SHOWN = 20
EVIDENCE_PER_CHANGE = 2
# Retries of a post that failed after slack_sdk's own retries: 30 s, 1, 2, 4 ... minutes, at
# most 15 minutes apart, and never after the grace window (the clock checks that).
RETRY_BASE_SECONDS = 30.0
RETRY_MAX_SECONDS = 15 * 60.0
# A 'claimed' record whose owner has not posted or failed within this long is taken to belong
# to a dead clock and may be taken over. It must exceed the longest post: slack_sdk's three
# retries of a 30 s request with Retry-After waits stay well under ten minutes.
LEASE_SECONDS = 10 * 60.0

HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# --- the digest ---------------------------------------------------------------------------------


class StoryUpdate(BaseModel):
    """New articles about one development, with their dated developments."""

    story_id: int
    headline: str
    independent_sources: int
    articles: list[ArticleRef]
    developments: list[TimelineItem] = Field(default_factory=list)


class StanceChange(BaseModel):
    actor: Actor
    topic: Topic
    before: StanceLabel | None  # None: no earlier evidence (a first stated position)
    after: StanceLabel
    evidence: list[Evidence]


class SettledQuestion(BaseModel):
    question: StoredQuestion
    status: QuestionStatus
    answer: Cited


class OpenQuestion(BaseModel):
    question: StoredQuestion
    open_since: datetime
    age_days: int


class DigestAnswer(BaseModel):
    channel: str | None = None
    now: datetime
    since: datetime
    timezone: str = "UTC"  # the channel's: its digest is dated and timed in its local day
    first: bool = False  # the channel's first digest (the last 24 hours)
    new_articles: int = 0
    stories_total: int = 0
    stories: list[StoryUpdate] = Field(default_factory=list)
    stance_changes_total: int = 0
    stance_changes: list[StanceChange] = Field(default_factory=list)
    contradictions: list[StoredContradiction] = Field(default_factory=list)
    opened: list[StoredQuestion] = Field(default_factory=list)
    answered: list[SettledQuestion] = Field(default_factory=list)
    unresolved: list[OpenQuestion] = Field(default_factory=list)
    names: dict[str, str] = Field(default_factory=dict)

    @property
    def nothing_new(self) -> bool:
        return not (self.stories or self.stance_changes or self.contradictions or self.opened
                    or self.answered)

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "as_of": self.now.isoformat(),
            "since": self.since.isoformat(),
            "timezone": self.timezone,
            "first_digest": self.first,
            "nothing_new": self.nothing_new,
            "new_articles": self.new_articles,
            "stories_total": self.stories_total,
            "developments": [
                {"story_id": s.story_id, "headline": s.headline,
                 "independent_sources": s.independent_sources,
                 "articles": [article_json(a) for a in s.articles],
                 "developments": TimelineAnswer(items=s.developments).to_json()}
                for s in self.stories],
            "stance_changes": [
                {"actor": {"id": c.actor.id, "name": c.actor.name},
                 "topic": {"id": c.topic.id, "label": c.topic.label},
                 "from": str(c.before) if c.before else None, "to": str(c.after),
                 "evidence": [{"text": e.text, "quote": e.quote, "speaker": e.speaker,
                               "attribution": str(e.attribution), "stance": str(e.stance),
                               "certainty": str(e.certainty),
                               "article": article_json(e.article)} for e in c.evidence]}
                for c in self.stance_changes],
            "contradictions": [contradiction_json(c) for c in self.contradictions],
            "questions": {
                "opened": [question_json(q) for q in self.opened],
                "answered": [{**question_json(s.question), "settled": str(s.status),
                              "answer": {"text": s.answer.text,
                                         "article": article_json(s.answer.article)}}
                             for s in self.answered],
                "unresolved": [{**question_json(o.question),
                                "open_since": o.open_since.isoformat(),
                                "age_days": o.age_days} for o in self.unresolved],
            },
        }


def window_start(tx: UnitOfWork, channel: str | None, now: datetime) -> tuple[datetime, bool]:
    """Since when a digest at `now` reports: the channel's previous digest, else 24 hours.

    A previous digest later than `now` (a digest rebuilt for a past date) does not count.
    """
    last = tx.digests.last_posted(channel) if channel else None
    if last is not None and last < now:
        return last, False
    return now - timedelta(hours=FIRST_DIGEST_HOURS), True


@lru_cache(maxsize=1024)
def _topic(topic_id: str) -> Topic:
    return resolve_topic(topic_id) or free_topic(topic_id)


def _actor(registry: ActorRegistry, actor_id: str) -> Actor:
    return registry.get(actor_id) or Actor(id=actor_id, name=actor_id, kind=ActorKind.PERSON)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a digest reads and builds its records.

    A busy day's digest keeps tens of thousands of small records (stance tuples, rows) alive
    at once; their numbers set off full collections over every object the process holds: a
    quarter to a third of the digest's time at 100,000 articles (bench/bench_digest.py). The
    records hold no cycles, and reference counting still frees them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_digest(channel: str | None, *, uow: UnitOfWorkFactory, now: datetime,
                 since: datetime | None, registry: ActorRegistry) -> DigestAnswer:
    """The digest a channel would get at `now`, from stored records only.

    News is judged by the article's published time when known, else by when it was ingested,
    so a digest rebuilt for a past date (`--as-of`) reads as it would have on that day; records
    dated after `now` are left out. `since=None` means since the channel's previous digest.
    """
    with _collector_paused():
        return _build_digest(channel, uow=uow, now=now, since=since, registry=registry)


def _build_digest(channel: str | None, *, uow: UnitOfWorkFactory, now: datetime,
                  since: datetime | None, registry: ActorRegistry) -> DigestAnswer:
    with uow() as tx:
        first = False
        if since is None:
            since, first = window_start(tx, channel, now)
        sub = tx.subscriptions.get(channel) if channel else None
        groups = tx.articles.stories_between(
            since, now, late_from=since - timedelta(days=LATE_ARTICLE_DAYS),
            limit=MAX_NEW_ARTICLES)
        new_ids = {a.id for _, arts, _ in groups for a in arts}
        ids = sorted(new_ids)
        stances = tx.statements.stances_in(ids, limit=MAX_STATEMENTS)
        pairs = _candidate_pairs(stances)
        # what each (actor, topic) pair stood at before the window; the window's own
        # statements are already loaded
        earlier = tx.statements.history_of(
            sorted(pairs), since=since - timedelta(days=STANCE_LOOKBACK_DAYS), until=since,
            per_pair=STANCE_HISTORY_PER_PAIR)
        found = _stance_changes(pairs, stances, earlier, new_ids)
        shown = sorted({i for f in found[:STANCE_CHANGES_SHOWN] for i in f.evidence})
        full = {s.id: s for s in tx.statements.get_many(shown)}
        # developments are read for the stories shown only
        ranked = sorted(groups, key=_story_rank, reverse=True)
        events = tx.events.for_articles(
            [a.id for _, arts, _ in ranked[:STORIES_SHOWN] for a in arts], limit=MAX_EVENTS)
        contradictions = tx.contradictions.involving(ids, limit=MAX_CONTRADICTIONS)
        touched = tx.questions.touched_by(ids, until=now, limit=MAX_QUESTIONS)
        unresolved = tx.questions.unresolved(
            now, fresh_after=now - timedelta(days=STALE_AFTER_DAYS), limit=UNRESOLVED_SHOWN)
        links = _links_by_question(tx.questions.answer_links(sorted(
            {t.question.id for t in touched} | {q.id for q, _ in unresolved})))
        answered, opened = _settled_and_opened(touched, links, new_ids, now)
        answered, opened = answered[:ANSWERED_SHOWN], opened[:OPENED_SHOWN]
        # raises and answering statements are read for the questions shown only
        listed = [*(a.question for a in answered), *opened, *(q for q, _ in unresolved)]
        raised = tx.questions.raises_of(sorted({q.id for q in listed}), until=now,
                                        new_articles=ids, per_question=QUESTION_SOURCES_SHOWN)
        cited = {a.link.statement_id for a in answered} | {
            lk.statement_id for q in listed
            for lk in _known_links(links[q.id], new_ids, now)[:QUESTION_SOURCES_SHOWN]}
        statements = {s.id: s for s in tx.statements.get_many(sorted(cited))}

    def known(a: ArticleRef) -> bool:
        return _known(a.id, a.published, new_ids, now)

    stories = _stories(ranked[:STORIES_SHOWN], events)
    changes = [StanceChange(actor=_actor(registry, f.holder), topic=_topic(f.topic),
                            before=f.before, after=f.after,
                            evidence=[services.to_evidence(full[i], f.topic)
                                      for i in f.evidence if i in full])
               for f in found[:STANCE_CHANGES_SHOWN]]
    contra = [c for c in contradictions if known(c.first.article) and known(c.second.article)]

    def as_of(q: StoredQuestion) -> StoredQuestion:
        return _as_of(q, raised.get(q.id, ()), links[q.id], statements, new_ids, now)

    settled = [SettledQuestion(question=as_of(a.question), status=a.status, answer=Cited(
                   text=statements[a.link.statement_id].statement.text,
                   article=statements[a.link.statement_id].article))
               for a in answered if a.link.statement_id in statements]
    still_open = [OpenQuestion(question=as_of(q), open_since=first_raised,
                               age_days=max((now - first_raised).days, 0))
                  for q, first_raised in unresolved]
    speakers = {e.speaker for c in changes for e in c.evidence if e.speaker}
    speakers |= {s.statement.speaker for c in contra for s in (c.first, c.second)
                 if s.statement.speaker}
    actors_named = {a for s in stories for d in s.developments for a in d.actors}
    names = {i: _actor(registry, i).name for i in speakers | actors_named}
    return DigestAnswer(
        channel=channel, now=now, since=since, first=first, new_articles=len(new_ids),
        timezone=sub.timezone if sub is not None else "UTC",
        stories_total=len(groups), stories=stories,
        stance_changes_total=len(found), stance_changes=changes,
        contradictions=contra[:CONTRADICTIONS_SHOWN], opened=[as_of(q) for q in opened],
        answered=settled, unresolved=still_open, names=names)


def _known(article_id: int, published: datetime | None, new_ids: set[int],
           now: datetime) -> bool:
    """Known at the digest's time: one of its articles, or undated, or published before it."""
    return article_id in new_ids or published is None or published < now


def _older(article_id: int, published: datetime | None, new_ids: set[int],
           now: datetime) -> bool:
    """Known before this digest's window (undated and not new: ingested before it)."""
    return article_id not in new_ids and (published is None or published < now)


def _links_by_question(links: Sequence[AnswerLinkRecord],
                       ) -> defaultdict[int, list[AnswerLinkRecord]]:
    out: defaultdict[int, list[AnswerLinkRecord]] = defaultdict(list)
    for lk in links:
        out[lk.question_id].append(lk)
    return out


def _known_links(links: Sequence[AnswerLinkRecord], new_ids: set[int],
                 now: datetime) -> list[AnswerLinkRecord]:
    return [lk for lk in links if _known(lk.article_id, lk.published, new_ids, now)]


def _as_of(q: StoredQuestion, raised: Sequence[Cited], links: Sequence[AnswerLinkRecord],
           statements: dict[int, StoredStatement], new_ids: set[int],
           now: datetime) -> StoredQuestion:
    """The question as it stood at the digest's time: later raises and answers left out, and
    the first QUESTION_SOURCES_SHOWN of each kept (`raised` holds only known raises)."""
    mine = _known_links(links, new_ids, now)
    if any(lk.status == QuestionStatus.ANSWERED for lk in mine):
        status = QuestionStatus.ANSWERED
    elif mine:
        status = QuestionStatus.PARTLY_ANSWERED
    else:
        status = QuestionStatus.OPEN
    return q.model_copy(update={
        "status": status,
        "raised_in": tuple(raised),
        "answered_by": tuple(Cited(text=statements[lk.statement_id].statement.text,
                                   article=statements[lk.statement_id].article)
                             for lk in mine[:QUESTION_SOURCES_SHOWN]
                             if lk.statement_id in statements)})


def _story_rank(group: tuple[int, list[ArticleRef], int]) -> tuple[int, int, float]:
    """Most independently reported first, then the most covered, then the newest."""
    _, arts, independent = group
    newest = max((a.published.timestamp() for a in arts if a.published), default=0.0)
    return independent, len(arts), newest


def _stories(groups: Sequence[tuple[int, list[ArticleRef], int]],
             events: Sequence[StoredEvent]) -> list[StoryUpdate]:
    by_article: dict[int, list[StoredEvent]] = defaultdict(list)
    for ev in events:
        by_article[ev.article.id].append(ev)
    out = []
    for story_id, arts, independent in groups:
        headline = next((a.title for a in arts if a.title), None) or "Untitled article"
        developments = services._group_events([e for a in arts for e in by_article[a.id]])
        out.append(StoryUpdate(story_id=story_id, headline=headline,
                               independent_sources=independent, articles=arts,
                               developments=developments))
    return out


class _LeanArticle(NamedTuple):
    id: int
    published: datetime | None


class _Lean(NamedTuple):
    """What the stance rule reads of an Evidence (stance, attribution, article.published)."""

    statement_id: int
    stance: StanceLabel
    attribution: Attribution
    article: _LeanArticle


_STANCES = {s.value: s for s in StanceLabel}
_ATTRIBUTIONS = {a.value: a for a in Attribution}
DECISIVE = frozenset({StanceLabel.SUPPORTS, StanceLabel.OPPOSES, StanceLabel.CONDITIONAL,
                      StanceLabel.MIXED})


def _lean(r: StanceRecord) -> _Lean:
    return _Lean(r.statement_id, _STANCES[r.stance], _ATTRIBUTIONS[r.attribution],
                 _LeanArticle(r.article_id, r.published))


def _label(evidence: Sequence[_Lean]) -> StanceLabel:
    """stance.summarise's label, from lean records.

    summarise also dates every change, a pass per day (O(days x evidence)), and takes full
    Evidence values; for the hundreds of (actor, topic) pairs of a busy day both cost seconds
    (bench/bench_digest.py). label_of is the very rule summarise applies for its label and
    reads only the fields _Lean has, so it is given those.
    """
    return stance.label_of(evidence)


def _candidate_pairs(stances: Sequence[StanceRecord]) -> set[tuple[str, str]]:
    """The (actor, topic) pairs whose new evidence could move their label, best argued first.

    A pair whose new evidence is all unclear cannot change its label. Of the rest, the
    STANCE_CANDIDATES with the most new on-record, then decisive, evidence are examined.
    """
    weight: dict[tuple[str, str], tuple[int, int]] = {}
    for r in stances:
        if r.stance not in DECISIVE:
            continue
        on_record, decisive = weight.get((r.holder, r.topic), (0, 0))
        weight[(r.holder, r.topic)] = (on_record + (r.attribution == Attribution.ON_RECORD),
                                       decisive + 1)
    best = sorted(weight, key=lambda p: (weight[p], p), reverse=True)
    return set(best[:STANCE_CANDIDATES])


class _Change(NamedTuple):
    holder: str
    topic: str
    before: StanceLabel | None
    after: StanceLabel
    evidence: list[int]  # statement ids, the ones that hold the new label first


def _stance_changes(pairs: set[tuple[str, str]], stances: Sequence[StanceRecord],
                    earlier: Sequence[StanceRecord], new_ids: set[int]) -> list[_Change]:
    """Pairs whose label over all evidence differs from their label before the window."""
    new: dict[tuple[str, str], list[_Lean]] = defaultdict(list)
    for r in stances:
        if (r.holder, r.topic) in pairs:
            new[(r.holder, r.topic)].append(_lean(r))
    old: dict[tuple[str, str], list[_Lean]] = defaultdict(list)
    for r in earlier:
        if (r.holder, r.topic) in pairs and r.article_id not in new_ids:
            old[(r.holder, r.topic)].append(_lean(r))
    changes = []
    for (holder, topic_id), fresh in sorted(new.items()):
        before = _label(old[(holder, topic_id)]) if old[(holder, topic_id)] else None
        after = _label([*fresh, *old[(holder, topic_id)]])
        if after is StanceLabel.UNCLEAR or after == before:
            continue
        ids = [e.statement_id for e in ([e for e in fresh if e.stance == after] or fresh)]
        changes.append(_Change(holder, topic_id, before, after,
                               list(dict.fromkeys(ids))[:EVIDENCE_PER_CHANGE]))
    # changes of a known position before first statements; then the best-evidenced
    changes.sort(key=lambda c: (c.before is not None, len(c.evidence)), reverse=True)
    return changes


class _Settled(NamedTuple):
    question: StoredQuestion
    status: QuestionStatus
    link: AnswerLinkRecord  # the first statement of the window that settles it


def _settled_and_opened(touched: Sequence[TouchedQuestion],
                        links: defaultdict[int, list[AnswerLinkRecord]], new_ids: set[int],
                        now: datetime) -> tuple[list[_Settled], list[StoredQuestion]]:
    """Questions the window answered (before the partly answered) and those it opened: raised
    in it, never before, and not settled by it."""
    out, ids = [], set()
    for t in touched:
        q = t.question
        qlinks = links.get(q.id, [])
        for status in (QuestionStatus.ANSWERED, QuestionStatus.PARTLY_ANSWERED):
            settled_before = any(lk.status in (QuestionStatus.ANSWERED, status)
                                 and _older(lk.article_id, lk.published, new_ids, now)
                                 for lk in qlinks)
            now_settled = [lk for lk in qlinks if lk.status == status
                           and lk.article_id in new_ids]
            if now_settled and not settled_before:
                out.append(_Settled(q, status, now_settled[0]))
                ids.add(q.id)
                break
    out.sort(key=lambda s: s.status != QuestionStatus.ANSWERED)
    opened = [t.question for t in touched
              if t.question.id not in ids and t.raised_now and not t.raised_before]
    return out, opened


# --- schedules ----------------------------------------------------------------------------------


def parse_time(text: str) -> str:
    m = HHMM.match(text.strip())
    if not m:
        raise UsageError(f"“{text}” is not a time of day; use HH:MM, e.g. 08:00.",
                         usage="/digest subscribe [HH:MM] [timezone]")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def parse_zone(text: str) -> ZoneInfo:
    try:
        return ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(f"“{text}” is not a timezone; use a name like Europe/Kyiv or UTC.",
                         usage="/digest subscribe [HH:MM] [timezone]") from exc


def scheduled_at(sub: Subscription, day: date) -> datetime:
    """When the channel's digest for a local date is due, as an aware datetime."""
    hh, mm = (int(x) for x in sub.time.split(":"))
    return datetime.combine(day, time(hh, mm), tzinfo=ZoneInfo(sub.timezone))


def last_due(sub: Subscription, now: datetime) -> tuple[date, datetime]:
    """The latest (local date, due time) at or before `now`."""
    today = now.astimezone(ZoneInfo(sub.timezone)).date()
    for day in (today, today - timedelta(days=1)):
        due = scheduled_at(sub, day)
        if due <= now:
            return day, due
    day = today - timedelta(days=2)  # unreachable for real zones; keeps the type total
    return day, scheduled_at(sub, day)


def next_due(sub: Subscription, now: datetime) -> datetime:
    today = now.astimezone(ZoneInfo(sub.timezone)).date()
    for day in (today, today + timedelta(days=1), today + timedelta(days=2)):
        due = scheduled_at(sub, day)
        if due > now:
            return due
    return scheduled_at(sub, today + timedelta(days=3))


def retry_delay(attempts: int, *, base_seconds: float = RETRY_BASE_SECONDS) -> timedelta:
    """Backoff before the next try of a digest that has failed `attempts` times."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


# --- use cases ----------------------------------------------------------------------------------


def subscribe(channel: str, *, time_text: str | None, zone_text: str | None, user: str,
              default_time: str, default_zone: str | None, uow: UnitOfWorkFactory,
              now: datetime) -> SubscriptionAnswer:
    """Subscribe a channel (or change its time): HH:MM in a timezone, by default the user's."""
    at = parse_time(time_text or default_time)
    zone = parse_zone(zone_text or default_zone or "UTC")
    with uow() as tx:
        old = tx.subscriptions.get(channel)
        sub = tx.subscriptions.upsert(Subscription(
            channel=channel, time=at, timezone=zone.key, active=True, subscribed_by=user,
            created=old.created if old and old.created else now))
        tx.commit()
    verb = "now gets" if old is None or not old.active else "will get"
    return SubscriptionAnswer(
        subscription=sub, message=f"This channel {verb} the daily digest at {at} ({zone.key}).",
        next_post=next_due(sub, now))


def unsubscribe(channel: str, *, uow: UnitOfWorkFactory) -> SubscriptionAnswer:
    with uow() as tx:
        changed = tx.subscriptions.deactivate(channel)
        tx.commit()
    message = ("This channel no longer gets the daily digest." if changed
               else "This channel was not subscribed to the daily digest.")
    return SubscriptionAnswer(subscription=None, message=message)


def preview(channel: str | None, *, uow: UnitOfWorkFactory, now: datetime,
            registry: ActorRegistry) -> DigestAnswer:
    """What would be posted now: everything since the channel's previous digest."""
    return build_digest(channel, uow=uow, now=now, since=None, registry=registry)


# What a renderer hands the poster: (fallback text, blocks) of the top-level message, then of
# any replies to post in its thread.
Rendered = Sequence[tuple[str, list[dict[str, object]]]]


class PostOutcome(BaseModel):
    channel: str
    day: date
    status: Literal["posted", "already_posted", "busy", "failed"]
    ts: str | None = None
    attempts: int = 0
    error: str | None = None


def post_digest(channel: str, *, day: date, uow: UnitOfWorkFactory, poster: Poster,
                render: Callable[[DigestAnswer], Rendered], registry: ActorRegistry,
                now: datetime, owner: str,
                lease: timedelta = timedelta(seconds=LEASE_SECONDS)) -> PostOutcome:
    """Post a channel's digest for a local date at most once: claim, post, complete.

    The (channel, day) record is claimed (or taken over from a failed try, or from an owner
    whose lease ran out) and committed before anything is posted, so a second clock, a restart
    or a retry finds it and stands back. A failed post marks the record failed with its error
    for a later retry; the caller decides when.
    """
    with uow() as tx:
        won = (tx.digests.claim(channel, day, now=now, owner=owner)
               or tx.digests.take_over(channel, day, now=now, owner=owner,
                                       stale_before=now - lease))
        record = tx.digests.record(channel, day)
        tx.commit()
    attempts = record.attempts if record else 0
    if not won:
        status: Literal["already_posted", "busy"] = (
            "already_posted" if record and record.status == "posted" else "busy")
        return PostOutcome(channel=channel, day=day, status=status,
                           ts=record.ts if record else None, attempts=attempts)
    key = f"digest/{channel}/{day.isoformat()}"
    try:
        # an earlier try may have posted it and died (or lost Slack's answer) before
        # completing the record: then it is in the channel, and is not posted again
        found = poster.find(channel, key=key) if attempts > 1 else None
        if found is not None:
            with uow() as tx:
                tx.digests.complete(channel, day, now=now, ts=found)
                tx.commit()
            log.info("digest for %s on %s was already in the channel (ts %s): not posted "
                     "again", channel, day, found)
            return PostOutcome(channel=channel, day=day, status="posted", ts=found,
                               attempts=attempts)
        answer = build_digest(channel, uow=uow, now=now, since=None, registry=registry)
        messages = list(render(answer))
        text, blocks = messages[0]
        ts = poster.post(channel, text=text, blocks=blocks, key=key)
    except Exception as exc:  # any failure of the post is recorded and retried, never lost
        error = f"{type(exc).__name__}: {exc}"
        with uow() as tx:
            tx.digests.fail(channel, day, now=now, error=error)
            tx.commit()
        log.warning("digest for %s on %s failed (attempt %d): %s", channel, day, attempts,
                    error)
        return PostOutcome(channel=channel, day=day, status="failed", attempts=attempts,
                           error=error)
    # posted_at is the window's end (`now`), so the next digest starts where this one ended
    with uow() as tx:
        tx.digests.complete(channel, day, now=now, ts=ts)
        tx.commit()
    log.info("digest for %s on %s posted (ts %s, attempt %d)", channel, day, ts, attempts)
    for text, blocks in messages[1:]:
        try:
            poster.post(channel, text=text, blocks=blocks, thread_ts=ts)
        except Exception as exc:  # the digest is posted; a lost detail reply is not reposted
            error = f"details reply failed: {type(exc).__name__}: {exc}"
            log.warning("digest for %s on %s: %s", channel, day, error)
            with uow() as tx:
                tx.digests.note_error(channel, day, error=error)
                tx.commit()
    return PostOutcome(channel=channel, day=day, status="posted", ts=ts, attempts=attempts)


def local_day(sub: Subscription | None, now: datetime, *, default_zone: str | None) -> date:
    """The channel's local date at `now`: the (channel, day) a digest posted now belongs to."""
    zone = sub.timezone if sub is not None else (default_zone or "UTC")
    return now.astimezone(ZoneInfo(zone)).date()
