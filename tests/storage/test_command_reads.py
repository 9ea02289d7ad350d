"""The lean reads behind /stance, /brief and /timeline give what the full reads give."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from bot import commands
from bot.app import serve_without_parallel_query
from bot.commands import Deps
from briefing import files, services
from briefing.models import ArticleInput, Evidence, QuestionStatus, StoredStatement
from briefing.topics import TOPICS
from storage import db, uow
from storage.tables import EventRow, EventTagRow, QuestionAnswerRow, QuestionRaiseRow
from storage.uow import LISTED_RAISES, MANY_ACTORS, SqlUnitOfWorkFactory
from tests.support import SEEDS

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

# No date: its statements are "undated" and come after the dated ones in every read.
UNDATED = ArticleInput(
    title="Undated note", outlet="Example News", url="https://news.example.org/undated",
    text=("Russian President Vladimir Putin said a ceasefire was possible only on his terms.\n\n"
          "“We are ready for a truce, but only on our terms,” Putin told reporters.\n\n"
          "Donald Trump said he supports a ceasefire and wants the killing to stop."))


@pytest.fixture
def store(uow: SqlUnitOfWorkFactory) -> SqlUnitOfWorkFactory:
    registry = services.load_registry(uow=uow)
    docs = [files.read_article_file(p) for p in sorted(SEEDS.glob("*.txt"))] + [UNDATED]
    for doc in docs:
        assert services.ingest_article(doc, uow=uow, now=NOW, registry=registry).status == "new"
    return uow


def _reference(found: list[StoredStatement], topic_id: str | None) -> list[tuple[str | None,
                                                                                   Evidence]]:
    """What stance_of and brief built before: for_actor_topic's statements as evidence; with
    no topic, the stance on the statement's first topic by id."""
    out = []
    for s in found:
        if topic_id is None and s.statement.topics:
            first = min(s.statement.topics, key=lambda t: t.topic)
            ev = services.to_evidence(s, first.topic)
        else:
            ev = services.to_evidence(s, topic_id)
        out.append((s.statement.holder, ev))
    return out


def test_evidence_equals_the_full_read_for_a_few_actors(store: SqlUnitOfWorkFactory) -> None:
    with store() as tx:
        for limit in (2, 5, 200):
            for holders in (["putin"], ["trump"], ["kremlin", "peskov", "putin"]):
                for topic_id in ("ceasefire", "negotiations", "nato"):
                    got = tx.statements.evidence(holders, topic_ids=[topic_id], limit=limit)
                    want = _reference(tx.statements.for_actor_topic(
                        holders, topic_id=topic_id, limit=limit), topic_id)
                    assert [tuple(h) for h in got[topic_id]] == want


def test_evidence_reaches_undated_statements_after_the_dated(store: SqlUnitOfWorkFactory) -> None:
    with store() as tx:
        got = tx.statements.evidence(["putin"], topic_ids=["ceasefire"], limit=200)["ceasefire"]
    dated = [h.evidence.article.published is not None for h in got]
    assert dated[-1] is False and dated.index(False) > 0  # the undated note's, last
    assert dated == sorted(dated, reverse=True)


def test_evidence_of_everyone_equals_the_read_over_every_actor_with_evidence(
        store: SqlUnitOfWorkFactory) -> None:
    with store() as tx:
        everyone = tx.actors.with_evidence()
        topic_ids = [t.id for t in TOPICS]
        for limit in (3, 50):
            got = tx.statements.evidence(None, topic_ids=topic_ids, limit=limit)
            for topic_id in topic_ids:
                want = _reference(tx.statements.for_actor_topic(
                    everyone, topic_id=topic_id, limit=limit), topic_id)
                assert [tuple(h) for h in got[topic_id]] == want, topic_id
        assert any(got[t] for t in topic_ids)


def test_evidence_for_many_actors_takes_the_scan_and_its_fallback(
        store: SqlUnitOfWorkFactory) -> None:
    with store() as tx:
        many = sorted({*tx.actors.with_evidence(), *(f"nobody-{i}" for i in range(MANY_ACTORS))})
        assert len(many) > MANY_ACTORS
        # a limit the newest statements fill (the scan) and one they cannot (the fallback)
        for limit in (2, 400):
            got = tx.statements.evidence(many, topic_ids=["ceasefire"], limit=limit)
            want = _reference(tx.statements.for_actor_topic(many, topic_id="ceasefire",
                                                            limit=limit), "ceasefire")
            assert [tuple(h) for h in got["ceasefire"]] == want


def test_evidence_for_free_words_searches_the_text_with_the_first_topics_stance(
        store: SqlUnitOfWorkFactory) -> None:
    with store() as tx:
        got = tx.statements.evidence(["putin", "trump"], topic_ids=[None], terms=["terms"],
                                     limit=50)[None]
        want = _reference(tx.statements.for_actor_topic(["putin", "trump"], topic_id=None,
                                                        terms=["terms"], limit=50), None)
    assert got and [tuple(h) for h in got] == want
    assert all("terms" in h.evidence.text.lower() for h in got)


def test_evidence_of_nobody_is_empty(store: SqlUnitOfWorkFactory) -> None:
    with store() as tx:
        assert tx.statements.evidence([], topic_ids=["ceasefire", None], limit=5) == {
            "ceasefire": [], None: []}


def test_timeline_read_equals_the_orm_read(store: SqlUnitOfWorkFactory) -> None:
    cases: list[tuple[str | None, tuple[str, ...], tuple[str, ...]]] = [
        ("ceasefire", (), ()), (None, ("putin",), ()), (None, (), ("trump",)), (None, (), ())]
    with store() as tx:
        for topic_id, actor_ids, terms in cases:
            got = tx.events.timeline(topic_id=topic_id, actor_ids=actor_ids, terms=terms,
                                     limit=7)
            q = select(EventRow)
            if topic_id:
                q = q.where(EventRow.id.in_(select(EventTagRow.event_id)
                                            .where(EventTagRow.tag == f"topic:{topic_id}")))
            if actor_ids:
                q = q.where(EventRow.id.in_(select(EventTagRow.event_id).where(
                    EventTagRow.tag.in_([f"actor:{a}" for a in actor_ids]))))
            if terms:
                q = q.where(EventRow.summary.ilike(f"%{terms[0]}%"))
            want = tx.events._load(q.order_by(EventRow.day.desc(), EventRow.id.desc())
                                   .limit(7))
            assert got and got == list(reversed(want)), (topic_id, actor_ids, terms)
            records = tx.events.developments(topic_id=topic_id, actor_ids=actor_ids,
                                             terms=terms, limit=7)
            assert records == [(e.id, e.event.date, e.event.date_inferred, e.event.summary,
                                e.event.actors, e.article) for e in got]


def test_questions_are_listed_bare_and_cited_with_their_first_raises_and_every_answer(
        store: SqlUnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uow, "RAISE_READS_PER_QUERY", 2)  # several statements' worth
    with store() as tx:
        listed = tx.questions.list(topic_id=None, statuses=tuple(QuestionStatus), limit=100)
        assert len(listed) > 2 and not any(q.raised_in or q.answered_by for q in listed)
        busy = listed[1]
        article_id = tx.session.scalars(select(QuestionRaiseRow.article_id)).first()
        assert article_id is not None
        for i in range(LISTED_RAISES + 3):  # raised again more often than answers list
            tx.questions.add_raise(busy.id, article_id=article_id, sentence_text=f"Again {i}?",
                                   now=NOW)
        cited = tx.questions.cite(listed)
        assert [q.model_copy(update={"raised_in": (), "answered_by": ()}) for q in cited] == listed
        for q in cited:
            raises = tx.session.execute(
                select(QuestionRaiseRow.text, QuestionRaiseRow.article_id)
                .where(QuestionRaiseRow.question_id == q.id).order_by(QuestionRaiseRow.id)
                .limit(LISTED_RAISES)).all()
            assert [(c.text, c.article) for c in q.raised_in] == [
                (said, tx.articles.get(aid)) for said, aid in raises]
            answers = tx.statements.get_many(tx.session.scalars(
                select(QuestionAnswerRow.statement_id)
                .where(QuestionAnswerRow.question_id == q.id)).all())
            assert [(c.text, c.article) for c in q.answered_by] == [
                (s.statement.text, s.article) for s in sorted(answers, key=lambda s: s.id)]
        assert len(cited[1].raised_in) == LISTED_RAISES
        assert any(q.answered_by for q in cited)
        assert tx.questions.cite([]) == []


def test_contradictions_on_a_topic_are_those_with_either_side_on_it(
        store: SqlUnitOfWorkFactory) -> None:
    with store() as tx:
        everything = tx.contradictions.list(limit=1000)
        assert everything
        for c in everything:  # both sides as the statement read gives them
            assert {c.first.id: c.first, c.second.id: c.second} == {
                s.id: s for s in tx.statements.get_many([c.first.id, c.second.id])}
        topics = {t.topic for c in everything for s in (c.first, c.second)
                  for t in s.statement.topics}
        for topic_id in sorted(topics):
            want = [c for c in everything if any(t.topic == topic_id for s in (c.first, c.second)
                                                 for t in s.statement.topics)]
            got = tx.contradictions.list(topic_id=topic_id, limit=1000)
            # one ingest finds its contradictions at one time: the order among those is the
            # database's, so compared as sets; the newest first
            assert sorted(got, key=lambda c: c.id) == sorted(want, key=lambda c: c.id)
            assert [c.found for c in got] == sorted((c.found for c in got), reverse=True)
            assert len(tx.contradictions.list(topic_id=topic_id, limit=1)) == 1


def test_commands_keep_their_registry_until_the_discovered_actors_change(
        store: SqlUnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "REGISTRY_TTL_SECONDS", -1.0)  # check the store every time
    deps = Deps(uow=store, is_admin=lambda _: False)
    first = deps.registry()
    assert first.match("putin", limit=1)[0][0].id == "putin"
    assert deps.registry() is first  # same actors: the same registry, its caches kept
    assert all(a.id != "halyna-petrenko" for a, _ in first.match("Halyna Petrenko"))
    new = ArticleInput(title="A new voice", url="https://news.example.org/new",
                       published=datetime(2025, 2, 27, tzinfo=UTC), outlet="Example News",
                       text=("Foreign Minister Halyna Petrenko said on Thursday that any "
                             "ceasefire must be monitored.\n\n“We will not accept a frozen "
                             "conflict,” Petrenko told reporters."))
    outcome = services.ingest_article(new, uow=store, now=NOW, registry=first)
    assert "halyna-petrenko" in {a.id for a in outcome.discovered}
    second = deps.registry()
    assert second is not first
    assert second.match("Halyna Petrenko", limit=1)[0][0].id == "halyna-petrenko"


def test_the_server_reads_postgres_without_parallel_workers(db_url: str) -> None:
    engine = db.make_engine(db_url)
    try:
        serve_without_parallel_query(engine)
        for _ in range(2):  # a rolled-back transaction does not undo the setting
            with engine.connect() as conn:
                if engine.dialect.name == "postgresql":
                    workers = conn.execute(text("SHOW max_parallel_workers_per_gather"))
                    assert workers.scalar() == "0"
                else:
                    assert conn.execute(text("SELECT 1")).scalar() == 1
                conn.rollback()
    finally:
        engine.dispose()


def test_the_brief_shows_only_contradictions_on_its_query(store: SqlUnitOfWorkFactory) -> None:
    registry = services.load_registry(uow=store)

    def matters(query: str | None) -> list[str]:
        answer = services.brief(query, uow=store, registry=registry, now=NOW)
        return [c.matter for c in answer.contradictions]

    everything = matters(None)
    assert everything, "003 says Trump has a plan for peace; 000 and 001 say there is none"
    assert matters("trump") == everything
    assert matters("lavrov") == []  # neither side speaks of or for Lavrov
    assert matters("nonexistentword") == []
    assert matters("plan") == everything  # the matter's word


def test_words_are_matched_as_written_not_as_wildcards(store: SqlUnitOfWorkFactory) -> None:
    with store() as tx:
        assert tx.events.developments(topic_id=None, actor_ids=[], terms=["%"], limit=50) == []
        assert tx.questions.list(topic_id=None, terms=["_"], statuses=list(QuestionStatus),
                                 limit=50) == []


def test_the_briefs_developments_are_what_has_happened_not_what_is_planned(
        store: SqlUnitOfWorkFactory) -> None:
    registry = services.load_registry(uow=store)
    with store() as tx:
        newest = tx.articles.latest_published()
    assert newest is not None
    brief = services.brief(None, uow=store, registry=registry, now=NOW)
    assert brief.developments
    assert all(d.date <= newest.date() for d in brief.developments)
    # the timeline keeps the dated plans (the seeds: Xi to visit Moscow on 9 May 2025)
    timeline = services.timeline(None, uow=store, registry=registry)
    assert any(i.date > newest.date() for i in timeline.items)


def test_a_few_actors_on_every_topic_equals_their_reads_topic_by_topic(
        store: SqlUnitOfWorkFactory) -> None:
    topic_ids: list[str | None] = [t.id for t in TOPICS]
    with store() as tx:
        for holders in (["putin"], ["trump"], ["kremlin", "peskov", "putin"]):
            for limit in (2, 50):
                together = tx.statements.evidence(holders, topic_ids=topic_ids, limit=limit)
                for topic_id in topic_ids:
                    alone = tx.statements.evidence(holders, topic_ids=[topic_id], limit=limit)
                    assert together[topic_id] == alone[topic_id], (holders, topic_id, limit)


def test_a_full_window_with_too_few_of_the_actors_reads_their_own(
        store: SqlUnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a window of one statement per topic (every topic's window full), the actor's
    evidence still comes: read along its own index where the window held too little."""
    monkeypatch.setattr(uow, "EVERYONE_RECENT", 1)
    topic_ids: list[str | None] = [t.id for t in TOPICS]
    with store() as tx:
        for holders in (["putin"], ["trump"]):
            together = tx.statements.evidence(holders, topic_ids=topic_ids, limit=3)
            for topic_id in topic_ids:
                exact = tx.statements.evidence(holders, topic_ids=[topic_id], limit=3)
                got = together[topic_id]
                assert len(got) == len(exact[topic_id]), (holders, topic_id)
                assert all(h.holder in holders for h in got)
