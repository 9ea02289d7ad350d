"""The reads an ingest makes to cross-check a new article against stored ones, on SQLite and
Postgres, against answers worked out in Python from everything stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bench import corpus
from briefing import services
from briefing.actors import ActorRegistry
from briefing.contradictions import claim_source
from storage.tables import ArticleRow, EventRow, QuestionRow, StatementRow
from storage.uow import SqlUnitOfWorkFactory

ARTICLES = 14


@pytest.fixture
def filled(uow: SqlUnitOfWorkFactory) -> SqlUnitOfWorkFactory:
    registry = ActorRegistry()
    for g in corpus.generate(ARTICLES, seed=3):
        outcome = services.ingest_article(g.doc, uow=uow, registry=registry,
                                          now=g.doc.published + timedelta(minutes=20))
        assert outcome.status == "new"
    return uow


def _naive(when: datetime | None) -> datetime | None:
    return when.astimezone(UTC).replace(tzinfo=None) if when and when.tzinfo else when


def test_statement_candidates_are_the_newest_naming_the_actors(
        filled: SqlUnitOfWorkFactory) -> None:
    with filled() as tx:
        ids = list(tx.session.scalars(select(StatementRow.id)))
        every = tx.statements.get_many(ids)
        articles = sorted({s.article.id for s in every})
        for actors, exclude, limit in ((["putin"], articles[-1], 10),
                                       (["trump", "zelensky", "kremlin"], articles[-1], 40),
                                       (["macron", "putin"], articles[3], 500),
                                       (["nobody-at-all"], articles[0], 10)):
            wanted = set(actors)
            expected = sorted((s.id for s in every if s.article.id != exclude and wanted & {
                *s.statement.about, s.statement.holder, s.statement.speaker}),
                reverse=True)[:limit]
            own = sum(s.article.id == exclude for s in every)
            got = tx.statements.claim_candidates(actors, exclude_article=exclude,
                                                 excluded_statements=own, limit=limit)
            assert [s.id for s in got] == expected
            by_id = {s.id: claim_source(s) for s in every}
            # read back whole: text, kind, every actor link, the article's outlet and date
            assert all(s == by_id[s.id] for s in got)
        assert tx.statements.claim_candidates([], exclude_article=articles[0],
                                              excluded_statements=0, limit=10) == []


def test_events_near_a_day_naming_the_actors(filled: SqlUnitOfWorkFactory) -> None:
    with filled() as tx:
        rows = list(tx.session.scalars(select(EventRow)))
        day = rows[len(rows) // 2].day
        for actors, days, limit in ((["putin"], 0, 100), (["trump", "rubio"], 1, 100),
                                    ([], 0, 5), (["putin", "zelensky"], 2, 7)):
            inside = [r for r in rows if abs((r.day - day).days) <= days
                      and (not actors or set(actors) & set(r.actors or ()))]
            newest = sorted(inside, key=lambda r: (r.day, r.id), reverse=True)[:limit]
            got = tx.events.near(day, days=days, actor_ids=actors, limit=limit)
            assert [e.id for e in got] == [r.id for r in reversed(newest)]
            story = dict(tx.session.execute(select(ArticleRow.id, ArticleRow.story_id)).all())
            assert all(e.story_id == story[e.article_id] for e in got)
            by_id = {r.id: r for r in rows}
            assert all((e.article_id, e.event.date, e.event.summary, list(e.event.actors))
                       == (by_id[e.id].article_id, by_id[e.id].day, by_id[e.id].summary,
                           by_id[e.id].actors) for e in got)


def test_question_candidates_are_the_most_recently_raised_on_the_tags(
        filled: SqlUnitOfWorkFactory) -> None:
    with filled() as tx:
        rows = list(tx.session.scalars(select(QuestionRow)))
        assert rows
        for topics, actors, limit in ((["ceasefire"], [], 5), ([], ["putin", "trump"], 50),
                                      (["nato"], ["zelensky"], 3)):
            wanted = {*(f"topic:{t}" for t in topics), *(f"actor:{a}" for a in actors)}
            tagged = [r for r in rows if wanted & {*(f"topic:{t}" for t in r.topics),
                                                   *(f"actor:{a}" for a in r.actors)}]
            expected = sorted(tagged, key=lambda r: (_naive(r.last_seen), r.id),
                              reverse=True)[:limit]
            got = tx.questions.candidates(topics=topics, actors=actors, limit=limit)
            assert [q.id for q in got] == [r.id for r in expected]
            assert all(q.raised_in == () and q.key and q.first_seen for q in got)


def test_a_late_raise_moves_first_seen_back_and_a_new_one_last_seen_on(
        filled: SqlUnitOfWorkFactory) -> None:
    with filled() as tx:
        row = tx.session.scalars(select(QuestionRow)).first()
        article = tx.session.scalars(select(ArticleRow.id)).first()
        assert row is not None and row.id is not None and article is not None
        first, last = _naive(row.first_seen), _naive(row.last_seen)
        assert first is not None and last is not None
        qid = row.id
        tx.questions.add_raise(qid, article_id=article, sentence_text="Earlier.",
                               now=(first - timedelta(days=3)).replace(tzinfo=UTC))
        tx.questions.add_raise(qid, article_id=article, sentence_text="Between.",
                               now=(first + timedelta(seconds=1)).replace(tzinfo=UTC))
        tx.commit()
    with filled() as tx:
        row = tx.session.get(QuestionRow, qid)
        assert row is not None
        assert _naive(row.first_seen) == first - timedelta(days=3)
        assert _naive(row.last_seen) == max(last, first + timedelta(seconds=1))
