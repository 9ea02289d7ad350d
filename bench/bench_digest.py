"""Measures building one channel's digest for a day of 1,000 new articles over a 100,000 store.

Running 100,000 articles through the NLP pipeline would take most of an hour, and the digest
never runs it: it reads only stored records. So the store is filled by bulk inserts of
synthetic records with the storage layer's tables (articles in stories with wire copies,
statements with actors and topic stances, dated events with tags, open and settled questions,
contradictions), shaped like what ingestion stores, then the digest is built as the clock would.

    .venv/bin/python bench/bench_digest.py                 # Postgres on 127.0.0.1 if reachable
    .venv/bin/python bench/bench_digest.py --db sqlite:////tmp/bench.db
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, create_engine, insert, text

from bot.blocks import digest_messages
from briefing.actors import ActorRegistry
from briefing.digest import build_digest
from briefing.topics import TOPICS
from storage import db
from storage.tables import (
    ArticleRow,
    ContradictionRow,
    EventRow,
    EventTagRow,
    PostedDigestRow,
    QuestionAnswerRow,
    QuestionRaiseRow,
    QuestionRow,
    QuestionTagRow,
    StatementActorRow,
    StatementRow,
    StatementTopicRow,
    StoryRow,
    SubscriptionRow,
)
from storage.uow import SqlUnitOfWorkFactory

# Issue 5, Speed: one channel's digest for a day of 1,000 new articles over a store of 100,000,
# under 2 seconds.
TARGET_SECONDS = 2.0
ARTICLES = 100_000
PER_DAY = 1_000
# Shapes of the synthetic store, close to what the seeds give per article after ingestion.
STATEMENTS_PER_ARTICLE = 3
ARTICLES_PER_STORY = 5  # one story per five articles; the first is the original
WIRE_COPY_SHARE = 0.2  # of the rest, copies of the original
QUESTION_EVERY = 20  # one question per 20 articles, raised again by one to three others
ANSWERED_SHARE = 0.3
CONTRADICTION_EVERY = 100
BATCH = 5_000
CHANNEL = "CBENCH"
START = datetime(2025, 1, 1, tzinfo=UTC)

STANCES = ("supports", "opposes", "conditional", "unclear")
KINDS = (("direct_quote", "on_record"), ("reported_speech", "on_record"),
         ("media_report", "reported"), ("analysis", "analysis"))


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), BATCH):
        yield rows[i:i + BATCH]


def _insert(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for chunk in _batches(rows):
            conn.execute(insert(table.__table__), chunk)


def fill(engine: Engine, *, articles: int, seed: int = 5) -> datetime:
    """Insert the synthetic store; returns the end of its last day (the digest's `now`)."""
    rng = random.Random(seed)
    actors = sorted(ActorRegistry().actors)[:60]
    topics = [t.id for t in TOPICS]
    days = max(articles // PER_DAY, 1)
    stories, arts = [], []
    for i in range(1, articles + 1):
        day = (i - 1) // PER_DAY
        published = START + timedelta(days=day, seconds=rng.randrange(86_400))
        story = (i - 1) // ARTICLES_PER_STORY + 1
        first_of_story = (story - 1) * ARTICLES_PER_STORY + 1
        if i == first_of_story:
            stories.append({"id": story, "headline": f"Story {story}",
                            "first_seen": published, "last_seen": published})
        wire = first_of_story if i != first_of_story and rng.random() < WIRE_COPY_SHARE else None
        arts.append({"id": i, "url": f"https://news.example/{i}", "outlet": f"Outlet {i % 40}",
                     "title": f"Development {i} in story {story}", "published": published,
                     "published_inferred": False, "text": f"Synthetic article {i}. " * 20,
                     "content_hash": f"{i:064x}", "story_id": story, "wire_copy_of": wire,
                     "ingested_at": published + timedelta(minutes=rng.randrange(5, 120))})
    _insert(engine, StoryRow, stories)
    _insert(engine, ArticleRow, arts)
    statements, st_topics, st_actors, events, tags = [], [], [], [], []
    sid = 0
    for a in arts:
        for k in range(STATEMENTS_PER_ARTICLE):
            sid += 1
            holder = rng.choice(actors)
            kind, attribution = rng.choice(KINDS)
            statements.append({
                "id": sid, "article_id": a["id"], "sentence_idx": k,
                "text": f"{holder} said something about the matter in article {a['id']}.",
                "quote": None, "speaker_id": holder, "speaker_label": None, "holder_id": holder,
                "kind": kind, "certainty": "reported", "attribution": attribution,
                "published": a["published"], "ingested_at": a["ingested_at"]})
            for t in rng.sample(topics, rng.choice((1, 1, 2))):
                st_topics.append({"statement_id": sid, "topic_id": t,
                                  "stance": rng.choice(STANCES)})
            st_actors += [{"statement_id": sid, "actor_id": holder, "role": "holder"},
                          {"statement_id": sid, "actor_id": holder, "role": "speaker"},
                          {"statement_id": sid, "actor_id": rng.choice(actors), "role": "about"}]
        ev_actors, ev_topics = rng.sample(actors, 2), rng.sample(topics, 1)
        events.append({"id": a["id"], "article_id": a["id"], "sentence_idx": 0,
                       "day": a["published"].date(), "date_inferred": False,
                       "summary": f"Development {a['id']}: {ev_actors[0]} met {ev_actors[1]}.",
                       "actors": ev_actors, "topics": ev_topics,
                       "ingested_at": a["ingested_at"]})
        tags += [{"event_id": a["id"], "tag": f"actor:{x}"} for x in ev_actors]
        tags += [{"event_id": a["id"], "tag": f"topic:{x}"} for x in ev_topics]
    _insert(engine, StatementRow, statements)
    _insert(engine, StatementTopicRow, st_topics)
    _insert(engine, StatementActorRow, st_actors)
    _insert(engine, EventRow, events)
    _insert(engine, EventTagRow, tags)
    questions, qtags, raises, answers = [], [], [], []
    for qid, first in enumerate(range(1, articles + 1, QUESTION_EVERY), start=1):
        a = arts[first - 1]
        q_actors, q_topics = rng.sample(actors, 1), rng.sample(topics, 1)
        questions.append({"id": qid, "question": f"Will question {qid} be settled?",
                          "key": f"q{qid}", "status": "open", "actors": q_actors,
                          "topics": q_topics, "first_seen": a["ingested_at"],
                          "last_seen": a["ingested_at"], "settled_at": None})
        qtags += [{"question_id": qid, "tag": f"actor:{q_actors[0]}"},
                  {"question_id": qid, "tag": f"topic:{q_topics[0]}"}]
        for again in {first, *(min(first + rng.randrange(1, 3 * PER_DAY), articles)
                               for _ in range(rng.randrange(0, 3)))}:
            raises.append({"question_id": qid, "article_id": again, "statement_id": None,
                           "text": f"It remains unclear whether question {qid} is settled.",
                           "seen_at": arts[again - 1]["ingested_at"]})
        if rng.random() < ANSWERED_SHARE:
            later = min(first + rng.randrange(1, 5 * PER_DAY), articles)
            questions[-1]["status"] = "answered"
            answers.append({"question_id": qid, "statement_id": (later - 1) * 3 + 1,
                            "status": "answered", "at": arts[later - 1]["ingested_at"]})
    _insert(engine, QuestionRow, questions)
    _insert(engine, QuestionTagRow, qtags)
    _insert(engine, QuestionRaiseRow, raises)
    _insert(engine, QuestionAnswerRow, answers)
    contradictions = []
    for i in range(CONTRADICTION_EVERY, articles + 1, CONTRADICTION_EVERY):
        other = max(i - rng.randrange(1, 10 * PER_DAY), 1)
        contradictions.append({"first_statement_id": (other - 1) * 3 + 1,
                               "second_statement_id": (i - 1) * 3 + 1,
                               "matter": f"whether development {i} happened",
                               "found_at": arts[i - 1]["ingested_at"]})
    _insert(engine, ContradictionRow, contradictions)
    end = START + timedelta(days=days)
    # the channel's previous digest ended where the last day began
    last_day = (end - timedelta(days=1)).date()
    _insert(engine, SubscriptionRow, [{"channel": CHANNEL, "time": "00:00", "timezone": "UTC",
                                       "active": True, "subscribed_by": "bench",
                                       "created": START, "updated": START}])
    _insert(engine, PostedDigestRow, [{
        "channel": CHANNEL, "day": last_day, "status": "posted", "owner": "bench",
        "claimed_at": end - timedelta(days=1), "posted_at": end - timedelta(days=1),
        "ts": "1.0", "attempts": 1}])
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # planner statistics, as autovacuum keeps them live
            conn.execute(text("ANALYZE"))
    return end


def _postgres_base() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return "postgresql://postgres@127.0.0.1:5432/postgres"
    except OSError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an empty database URL (default: a temporary Postgres "
                        "database on 127.0.0.1, else a temporary SQLite file)")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reuse", action="store_true",
                        help="with --db: the store is already filled by an earlier run")
    args = parser.parse_args()
    admin, name = None, None
    url = args.db
    if url is None:
        base = _postgres_base()
        if base is not None:
            name = f"briefbot_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(db.normalise_url(base), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = base.rsplit("/", 1)[0] + "/" + name
        else:
            url = f"sqlite:////tmp/briefbot_bench_{uuid.uuid4().hex[:8]}.db"
    engine = db.make_engine(url)
    try:
        if not args.reuse:
            db.upgrade(engine)
        t0 = time.perf_counter()
        if args.reuse:
            now = START + timedelta(days=max(args.articles // PER_DAY, 1))
        else:
            now = fill(engine, articles=args.articles)
        print(f"store: {args.articles:,} articles on {engine.dialect.name}, filled in "
              f"{time.perf_counter() - t0:.1f} s")
        uow = SqlUnitOfWorkFactory(engine)
        registry = ActorRegistry()
        times, render_times = [], []
        answer = None
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            answer = build_digest(CHANNEL, uow=uow, now=now, since=None, registry=registry)
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            messages = digest_messages(answer)
            render_times.append(time.perf_counter() - t0)
        assert answer is not None
        print(f"digest of {answer.since:%Y-%m-%d %H:%M} to {now:%Y-%m-%d %H:%M}: "
              f"{answer.new_articles:,} new articles in {answer.stories_total:,} stories, "
              f"{answer.stance_changes_total} stance changes, "
              f"{len(answer.contradictions)} contradictions shown, {len(answer.opened)} "
              f"opened / {len(answer.answered)} answered / {len(answer.unresolved)} "
              f"unresolved questions shown; {len(messages)} message(s)")
        print(f"build_digest: min {min(times):.3f} s, median {statistics.median(times):.3f} s, "
              f"max {max(times):.3f} s over {args.rounds} rounds "
              f"(target < {TARGET_SECONDS:.0f} s: "
              f"{'OK' if max(times) < TARGET_SECONDS else 'MISSED'})")
        print(f"rendering: median {statistics.median(render_times) * 1000:.1f} ms")
        assert answer.new_articles >= min(PER_DAY, args.articles), answer.new_articles
    finally:
        engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
