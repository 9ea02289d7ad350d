"""The ingest's faster write and read paths give what the plain ones give (SQLite and Postgres):
rows inserted by the driver equal SQLAlchemy's inserts, ids handed out ahead equal those an
INSERT ... RETURNING gives, remembered candidate rows equal rows read afresh, and storing
with `services.prepare` read beforehand stores what storing without it stores."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import Engine, insert, select, text

from bench import corpus
from briefing import contradictions, questions, services, stories
from briefing.actors import ActorRegistry
from briefing.pipeline import process_article
from storage import uow as uow_module
from storage.tables import ArticleRow, EventRow, StatementRow
from storage.uow import SqlUnitOfWorkFactory
from tests.web.stores import empty_store, store_contents


def _article(conn_uow: SqlUnitOfWorkFactory, url: str) -> int:
    with conn_uow() as tx:
        tx.session.execute(insert(ArticleRow.__table__).values(
            url=url, text="x", content_hash=url, ingested_at=datetime(2025, 2, 1, tzinfo=UTC),
            published_inferred=False))
        aid = tx.session.scalars(select(ArticleRow.id).where(ArticleRow.url == url)).one()
        tx.commit()
    return int(aid)


def _raw_rows(engine: Engine, table: str, ids: list[int]) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f'SELECT * FROM "{table}" ORDER BY id').all()
    return [tuple(r)[1:] for r in rows if r[0] in ids]


def test_rows_inserted_with_new_ids_equal_sqlalchemys_inserts(
        engine: Engine, uow: SqlUnitOfWorkFactory) -> None:
    aid = _article(uow, "https://example.test/a")
    # aware datetimes in two zones, a naive-free date, JSON lists, NULLs, booleans
    when = datetime(2025, 2, 3, 4, 5, 6, 789, tzinfo=timezone(timedelta(hours=2)))
    events = [{"article_id": aid, "sentence_idx": i, "day": date(2025, 2, i + 1),
               "date_inferred": bool(i % 2), "summary": f"Met {i} “quoted”\ttab",
               "actors": ["putin", f"a{i}"] if i else [], "topics": ["ceasefire"],
               "ingested_at": when if i % 2 else when.astimezone(UTC)} for i in range(5)]
    statements = [{"article_id": aid, "sentence_idx": i, "text": f"Said {i}.",
                   "quote": None if i else "q", "speaker_id": "putin" if i else None,
                   "speaker_label": None, "holder_id": "putin", "kind": "direct_quote",
                   "certainty": "confirmed", "attribution": "on_record",
                   "published": None if i == 2 else when, "ingested_at": when}
                  for i in range(4)]
    with uow() as tx:
        tx.session.execute(insert(EventRow.__table__), events)
        tx.session.execute(insert(StatementRow.__table__), statements)
        tx.commit()
    with uow() as tx:
        old_events = tx.session.scalars(select(EventRow.id).order_by(EventRow.id)).all()
        old_statements = tx.session.scalars(select(StatementRow.id)
                                            .order_by(StatementRow.id)).all()
        new_events = uow_module._insert_with_new_ids(tx.session, EventRow, events)
        new_statements = uow_module._insert_with_new_ids(tx.session, StatementRow, statements)
        tx.commit()
    # ascending, in the rows' order, after every id in use: what the column's default gives
    assert new_events == sorted(new_events) and min(new_events) > max(old_events)
    assert new_statements == sorted(new_statements)
    assert min(new_statements) > max(old_statements)
    assert len(set(new_events)) == len(events)
    # the stored values, as the driver reads them, equal SQLAlchemy's inserts of the same rows
    assert _raw_rows(engine, "event", new_events) == _raw_rows(engine, "event", old_events)
    assert _raw_rows(engine, "statement", new_statements) == _raw_rows(
        engine, "statement", old_statements)
    # and the next insert through the column's default goes on after them
    with uow() as tx:
        tx.session.execute(insert(EventRow.__table__), events[:1])
        last = tx.session.scalars(select(EventRow.id).order_by(EventRow.id.desc())).first()
        tx.commit()
    assert last is not None and last > max(new_events)


def test_an_insert_with_new_ids_rolls_back_whole(engine: Engine,
                                                 uow: SqlUnitOfWorkFactory) -> None:
    aid = _article(uow, "https://example.test/b")
    row = {"article_id": aid, "sentence_idx": 0, "day": date(2025, 2, 1),
           "date_inferred": False, "summary": "x", "actors": [], "topics": [],
           "ingested_at": datetime(2025, 2, 1, tzinfo=UTC)}
    with uow() as tx:
        uow_module._insert_with_new_ids(tx.session, EventRow, [row, row])
        # no commit: rolled back
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM event")).scalar() == 0


def _generated(count: int, seed: int) -> tuple[list[services.ToStore], datetime]:
    registry = ActorRegistry()
    generated = list(corpus.generate(count, seed=seed))
    items = [services.ToStore(process_article(g.doc, registry=registry), label=g.doc.url or "")
             for g in generated]
    return items, max(g.doc.published for g in generated) + timedelta(hours=1)


def test_storing_with_what_was_prepared_stores_what_storing_without_it_stores(
        engine: Engine, uow: SqlUnitOfWorkFactory) -> None:
    items, now = _generated(14, seed=11)
    plain = [services.store_article(i.processed, uow=uow, now=now, label=i.label)
             for i in items]
    expected = store_contents(engine)
    empty_store(engine)
    for memo in (uow_module._claim_sources, uow_module._candidate_questions,
                 uow_module._story_candidates):
        memo.built.clear()  # read afresh, then remembered, in the second pass
    prepared = [services.store_article(i.processed, uow=uow, now=now, label=i.label,
                                       prepared=services.prepare(i.processed))
                for i in items]
    assert prepared == plain
    assert store_contents(engine) == expected
    assert expected["contradiction"] and expected["question_answer"]


def test_what_was_prepared_for_other_statements_is_not_used(
        engine: Engine, uow: SqlUnitOfWorkFactory) -> None:
    items, now = _generated(6, seed=12)
    plain = [services.store_article(i.processed, uow=uow, now=now, label=i.label)
             for i in items]
    expected = store_contents(engine)
    empty_store(engine)
    # each article stored with another article's prepared reading: ignored, read here
    wrong = [services.prepare(i.processed) for i in items[1:] + items[:1]]
    assert not any(w.fits(i.processed) for w, i in zip(wrong, items, strict=True))
    again = [services.store_article(i.processed, uow=uow, now=now, label=i.label, prepared=w)
             for i, w in zip(items, wrong, strict=True)]
    assert again == plain
    assert store_contents(engine) == expected


def test_remembered_candidates_equal_candidates_read_afresh(
        engine: Engine, uow: SqlUnitOfWorkFactory) -> None:
    items, now = _generated(10, seed=13)
    services.store_together(items, uow=uow, now=now)
    memos = (uow_module._claim_sources, uow_module._candidate_questions,
             uow_module._story_candidates)
    with uow() as tx:
        def read() -> list[object]:
            out: list[object] = []
            for i in items:
                st = i.processed.statements
                actors = sorted({a for s in st for a in (*s.about, s.holder, s.speaker) if a})
                topics = sorted({t.topic for s in st for t in s.topics})
                out.append(tx.statements.claim_candidates(
                    actors, exclude_article=1, excluded_statements=len(st), limit=40))
                out.append(tx.questions.candidates(topics=topics, actors=actors, limit=30))
                out.append(tx.articles.story_candidates(
                    stories.lsh_bands(i.processed.fingerprint), limit=10))
            return out

        for memo in memos:
            memo.built.clear()
        fresh = read()
        assert all(memo.built for memo in memos)
        remembered = read()
    assert remembered == fresh
    assert any(fresh)
    # datetimes come back aware, in UTC, as the typed reads give them
    claims = [c for group in fresh[::3] for c in group]  # type: ignore[attr-defined]
    assert any(c.published is not None for c in claims)
    assert all(c.published is None or c.published.tzinfo is not None for c in claims)
    with uow() as tx:
        typed = {r.id: r.published for r in tx.session.scalars(select(ArticleRow))}
    assert all(c.published == typed[c.article_id] for c in claims)


def test_a_full_row_memo_starts_again() -> None:
    built: list[tuple[object, ...]] = []
    memo = uow_module._RowMemo(lambda dialect, row: built.append(tuple(row)) or row[0],
                               size=3)

    class Dialect:
        name = "sqlite"

    assert memo(Dialect, [(1,), (2,), (1,)]) == [1, 2, 1]
    assert built == [(1,), (2,)]
    assert memo(Dialect, [(3,), (4,), (4,)]) == [3, 4, 4]  # full at the 4th: forgotten
    assert len(memo.built) <= 3


def test_settling_and_contradictions_with_traits_equal_those_without() -> None:
    items, _ = _generated(30, seed=14)
    from briefing.models import (
        ArticleRef,
        QuestionStatus,
        StoredQuestion,
        StoredStatement,
    )
    stored: list[StoredStatement] = []
    known: list[StoredQuestion] = []
    for n, item in enumerate(items):
        ref = ArticleRef(id=n + 1, outlet=item.processed.article.outlet,
                         published=item.processed.article.published)
        stored += [StoredStatement(id=len(stored) + k + 1, statement=s, article=ref)
                   for k, s in enumerate(item.processed.statements)]
        known += [StoredQuestion(id=len(known) + k + 1, question=q.question, key=q.key,
                                 status=QuestionStatus.OPEN, actors=q.actors, topics=q.topics,
                                 first_seen=ref.published, last_seen=ref.published)
                  for k, q in enumerate(item.processed.questions)]
    settled = found = 0
    for n, item in enumerate(items):
        new = [s for s in stored if s.article.id == n + 1]
        others = [s for s in stored if s.article.id != n + 1]
        prepared = services.prepare(item.processed)
        plain_settled = questions.settlements(known, new)
        assert questions.settlements(known, new, prepared.settling) == plain_settled
        plain_found = contradictions.find_contradictions(new, others)
        assert contradictions.find_contradictions(new, others, prepared.claims) == plain_found
        settled += len(plain_settled)
        found += len(plain_found)
    assert settled and found  # the comparison covered both


def test_same_development_reads_plain_facts_as_events() -> None:
    from briefing.ports import DevelopmentFacts, DevelopmentRecord

    items, _ = _generated(30, seed=15)
    evs = [e for i in items for e in i.processed.events]
    facts = [DevelopmentFacts(e.date, e.date_inferred, e.summary, e.actors) for e in evs]
    pairs = same = 0
    for a in evs[:60]:
        for b, fb in zip(evs, facts, strict=True):
            pairs += 1
            expected = stories.same_development(a, b)
            assert stories.same_development(a, fb) == expected
            same += expected
    assert same and pairs > same
    records = [DevelopmentRecord(k, k, k, f) for k, f in enumerate(facts)]
    events_as_records = [DevelopmentRecord(k, k, k, e) for k, e in enumerate(evs)]
    for i in items[:10]:
        assert stories.story_of_development(i.processed.events, records) == \
            stories.story_of_development(i.processed.events, events_as_records)
