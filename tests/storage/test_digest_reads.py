"""The digest's question reads against SQLite and Postgres: touched, raises, answers, unresolved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from briefing.models import QuestionStatus
from storage.tables import ArticleRow, StatementRow
from storage.uow import SqlUnitOfWork, SqlUnitOfWorkFactory

SINCE = datetime(2025, 3, 10, tzinfo=UTC)  # the digest's window: one day
NOW = SINCE + timedelta(days=1)
# article id -> (published, ingested_at)
ARTICLES = {
    1: (SINCE - timedelta(days=5), SINCE - timedelta(days=5)),  # old
    2: (SINCE + timedelta(hours=6), SINCE + timedelta(hours=7)),  # new
    3: (SINCE + timedelta(hours=9), SINCE + timedelta(hours=10)),  # new
    4: (NOW + timedelta(days=2), SINCE + timedelta(hours=11)),  # dated after the digest
    5: (None, SINCE - timedelta(days=2)),  # undated, ingested before the window: old
    6: (NOW + timedelta(days=3), SINCE + timedelta(hours=12)),  # dated after the digest
    7: (SINCE - timedelta(days=60), SINCE - timedelta(days=60)),  # long ago
}
NEW = [2, 3]


def _seen(aid: int) -> datetime:
    published, ingested = ARTICLES[aid]
    return published if published is not None and published < ingested else ingested


def _store(tx: SqlUnitOfWork) -> None:
    tx.session.execute(insert(ArticleRow.__table__), [
        {"id": aid, "url": f"https://news.example/{aid}", "title": f"Article {aid}",
         "published": published, "text": f"Article {aid}.", "content_hash": f"{aid:064x}",
         "ingested_at": ingested} for aid, (published, ingested) in ARTICLES.items()])
    tx.session.execute(insert(StatementRow.__table__), [
        {"id": aid * 10, "article_id": aid, "sentence_idx": 0, "text": f"Answer in {aid}.",
         "kind": "reported_speech", "certainty": "asserted", "attribution": "on_record",
         "published": ARTICLES[aid][0], "ingested_at": ARTICLES[aid][1]}
        for aid in ARTICLES])


def _question(tx: SqlUnitOfWork, text: str, raised_in: list[int]) -> int:
    first, *more = raised_in
    qid = tx.questions.add(text, text.lower(), actors=[], topics=["ceasefire"],
                           raised_by_statement=None, raised_in_article=first,
                           sentence_text=f"{text} (in {first})", now=_seen(first))
    for aid in more:
        tx.questions.add_raise(qid, article_id=aid, sentence_text=f"{text} (in {aid})",
                               now=_seen(aid))
    return qid


def test_touched_questions_say_whether_they_were_raised_now_and_before(
        uow: SqlUnitOfWorkFactory) -> None:
    with uow() as tx:
        _store(tx)
        again = _question(tx, "Again?", [1, 2])  # raised before the window and in it
        fresh = _question(tx, "Fresh?", [2, 3])  # raised in the window only
        future = _question(tx, "Future?", [4, 3])  # its other raise is dated after the digest
        undated = _question(tx, "Undated?", [5, 3])  # an undated old article counts as before
        settled = _question(tx, "Settled?", [1])  # only settled by a new statement
        tx.questions.settle(settled, status=QuestionStatus.ANSWERED, statement_id=30, now=NOW)
        _question(tx, "Untouched?", [1, 5])
        touched = tx.questions.touched_by(NEW, until=NOW, limit=100)
        tx.commit()
    got = {t.question.id: (t.raised_now, t.raised_before) for t in touched}
    assert got == {again: (True, True), fresh: (True, False), future: (True, False),
                   undated: (True, True), settled: (False, False)}
    assert [t.question.id for t in touched] == sorted(got)
    assert all(t.question.raised_in == () for t in touched)


def test_raises_of_keeps_the_first_known_raises_in_stored_order(
        uow: SqlUnitOfWorkFactory) -> None:
    with uow() as tx:
        _store(tx)
        # raises dated after the digest come first in storage, and are passed over
        q = _question(tx, "Paged?", [4, 6, 4, 6, 2, 1, 3, 5])
        raised = tx.questions.raises_of([q], until=NOW, new_articles=NEW, per_question=3)
        everything = tx.questions.raises_of([q], until=NOW, new_articles=NEW, per_question=20)
        later = tx.questions.raises_of([q], until=NOW + timedelta(days=5), new_articles=[],
                                       per_question=20)
    assert [c.article.id for c in raised[q]] == [2, 1, 3]
    assert raised[q][0].text == "Paged? (in 2)"
    assert [c.article.id for c in everything[q]] == [2, 1, 3, 5]
    assert [c.article.id for c in later[q]] == [4, 6, 4, 6, 2, 1, 3, 5]


def test_answer_links_are_lean_and_ordered_by_question_then_statement(
        uow: SqlUnitOfWorkFactory) -> None:
    with uow() as tx:
        _store(tx)
        a = _question(tx, "First?", [1])
        b = _question(tx, "Second?", [1])
        tx.questions.settle(b, status=QuestionStatus.PARTLY_ANSWERED, statement_id=30, now=NOW)
        tx.questions.settle(a, status=QuestionStatus.ANSWERED, statement_id=30, now=NOW)
        tx.questions.settle(a, status=QuestionStatus.PARTLY_ANSWERED, statement_id=20, now=NOW)
        links = tx.questions.answer_links([b, a])
    assert [(lk.question_id, lk.statement_id, lk.status, lk.article_id) for lk in links] == [
        (a, 20, "partly_answered", 2), (a, 30, "answered", 3), (b, 30, "partly_answered", 3)]
    assert links[0].published == ARTICLES[2][0]


def test_unresolved_are_open_fresh_and_oldest_first_as_of_the_digest(
        uow: SqlUnitOfWorkFactory) -> None:
    with uow() as tx:
        _store(tx)
        oldest = _question(tx, "Oldest?", [7, 2])  # raised 60 days ago, again today
        old = _question(tx, "Old?", [1, 3])
        _question(tx, "Stale?", [7])  # not raised again for 60 days
        answered = _question(tx, "Answered?", [1, 2])
        tx.questions.settle(answered, status=QuestionStatus.ANSWERED, statement_id=20, now=NOW)
        # answered only by a statement dated after the digest: still open at its time
        later = _question(tx, "Answered later?", [5, 3])
        tx.questions.settle(later, status=QuestionStatus.ANSWERED, statement_id=40, now=NOW)
        _question(tx, "Not yet raised?", [4])  # its only raise is dated after the digest
        found = tx.questions.unresolved(NOW, fresh_after=NOW - timedelta(days=30), limit=10)
        top = tx.questions.unresolved(NOW, fresh_after=NOW - timedelta(days=30), limit=1)
    assert [(q.id, first) for q, first in found] == [
        (oldest, ARTICLES[7][0]), (old, ARTICLES[1][0]), (later, ARTICLES[5][1])]
    assert [q.id for q, _ in top] == [oldest]
    assert all(q.raised_in == () and q.question for q, _ in found)
