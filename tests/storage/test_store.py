"""The unit of work and the ingest use case against SQLite and Postgres."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from briefing import services
from briefing.models import ArticleInput, QuestionStatus
from briefing.pipeline import process_article
from briefing.ports import AuditEntry, SourceUpdate, Subscription
from storage.uow import SqlEventRepo, SqlUnitOfWorkFactory

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

ARTICLE = ArticleInput(
    title="Minister rejects truce proposal",
    url="https://news.example.org/world/truce?utm_source=x&id=7",
    outlet="Example News",
    published=datetime(2025, 2, 28, 10, 0, tzinfo=UTC),
    text=(
        "Russian President Vladimir Putin said on Friday that a truce was possible only if "
        "Ukraine withdrew its troops.\n\n"
        "“We are ready to talk, but only on our terms,” Putin told reporters in Moscow.\n\n"
        "It remains unclear whether Kyiv will accept any talks."
    ),
)


def _ingest(uow: SqlUnitOfWorkFactory, doc: ArticleInput = ARTICLE) -> services.IngestOutcome:
    return services.ingest_article(doc, uow=uow, now=NOW,
                                   registry=services.load_registry(uow=uow))


def test_unit_of_work_rolls_back_unless_committed(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as tx:
        tx.sources.add("https://a.example/feed", name="A", kind="feed", feed_url=None,
                       added_by="U1", now=NOW)
    with uow() as tx:
        assert tx.sources.list() == []
        tx.sources.add("https://a.example/feed", name="A", kind="feed", feed_url=None,
                       added_by="U1", now=NOW)
        tx.commit()
    with uow() as tx:
        assert [s.url for s in tx.sources.list()] == ["https://a.example/feed"]


def test_an_exception_inside_the_block_discards_the_work(uow: SqlUnitOfWorkFactory) -> None:
    with pytest.raises(RuntimeError), uow() as tx:
        tx.audit.record(AuditEntry(at=NOW, user="U1", action="x", target="y", result="ok"))
        raise RuntimeError("boom")
    with uow() as tx:
        assert tx.audit.recent(limit=5) == []


def test_article_is_stored_once_even_with_tracking_parameters(uow: SqlUnitOfWorkFactory) -> None:
    first = _ingest(uow)
    assert first.status == "new" and first.article is not None
    assert first.article.url == "https://news.example.org/world/truce?id=7"
    again = _ingest(uow)
    assert again.status == "unchanged"
    other_url = ARTICLE.model_copy(update={"url": ARTICLE.url.replace("utm_source=x&", "")
                                           + "&fbclid=abc"})
    assert _ingest(uow, other_url).status == "unchanged"
    same_text = ARTICLE.model_copy(update={"url": None, "path": "copy.txt"})
    assert _ingest(uow, same_text).status == "unchanged"
    with uow() as tx:
        assert tx.articles.count() == 1


def test_a_duplicate_stored_after_the_callers_check_is_unchanged_and_adds_nothing(
        uow: SqlUnitOfWorkFactory) -> None:
    # the batch and the clock process an article, then store it; another process may have
    # stored the same URL or the same text in between: the insert itself refuses it
    registry = services.load_registry(uow=uow)
    processed = process_article(ARTICLE, registry=registry)
    first = services.store_article(processed, uow=uow, now=NOW, label="a")
    assert first.status == "new" and first.article is not None
    with uow() as tx:
        before = (tx.articles.count(),
                  len(tx.statements.since(datetime(2000, 1, 1, tzinfo=UTC), limit=500)))
    same_text = process_article(ARTICLE.model_copy(update={"url": None, "path": "copy.txt"}),
                                registry=registry)
    same_url = process_article(ARTICLE.model_copy(update={"text": ARTICLE.text + " More."}),
                               registry=registry)
    for doc in (processed, same_text, same_url):
        again = services.store_article(doc, uow=uow, now=NOW, label="b")
        assert again.status == "unchanged" and again.article == first.article
    with uow() as tx:
        assert (tx.articles.count(),
                len(tx.statements.since(datetime(2000, 1, 1, tzinfo=UTC), limit=500))) == before


def test_a_failure_half_way_leaves_no_half_article(uow: SqlUnitOfWorkFactory,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(SqlEventRepo, "add_all", explode)
    with pytest.raises(RuntimeError):
        _ingest(uow)
    with uow() as tx:
        assert tx.articles.count() == 0
        assert tx.statements.since(datetime(2000, 1, 1, tzinfo=UTC), limit=10) == []
    monkeypatch.undo()
    assert _ingest(uow).status == "new"


def test_statements_are_read_back_with_their_article(uow: SqlUnitOfWorkFactory) -> None:
    _ingest(uow)
    with uow() as tx:
        stored = tx.statements.since(datetime(2000, 1, 1, tzinfo=UTC), limit=50)
    assert stored, "the article carries positions; some statements must be stored"
    assert all(s.article.outlet == "Example News" for s in stored)
    assert all(s.statement.text in ARTICLE.text for s in stored)


def test_source_update_and_due(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as tx:
        src = tx.sources.add("https://b.example/rss", name=None, kind="feed", feed_url=None,
                             added_by="U1", now=NOW)
        tx.commit()
    with uow() as tx:
        assert [s.id for s in tx.sources.due(NOW)] == [src.id]
        tx.sources.update(src.id, SourceUpdate(paused=True, last_error="HTTP 500"))
        tx.commit()
    with uow() as tx:
        assert tx.sources.due(NOW) == []
        got = tx.sources.get(src.id)
        assert got is not None and got.paused and got.last_error == "HTTP 500"
        tx.sources.update(src.id, SourceUpdate(paused=False, clear_error=True))
        tx.commit()
    with uow() as tx:
        got = tx.sources.get(src.id)
        assert got is not None and not got.paused and got.last_error is None


def test_only_one_claim_of_a_channel_day_wins(uow: SqlUnitOfWorkFactory) -> None:
    day = date(2025, 2, 13)
    with uow() as a, uow() as b:
        assert a.digests.claim("C1", day, now=NOW, owner="clock-a")
        a.commit()
        assert not b.digests.claim("C1", day, now=NOW, owner="clock-b")
        b.commit()
    with uow() as tx:
        tx.digests.fail("C1", day, now=NOW, error="HTTP 500")
        tx.commit()
    with uow() as tx:
        assert tx.digests.claim("C1", day, now=NOW, owner="clock-b"), "a failed post is retried"
        tx.digests.complete("C1", day, now=NOW, ts="123.456")
        tx.commit()
    with uow() as tx:
        assert not tx.digests.claim("C1", day, now=NOW, owner="clock-c")
        assert tx.digests.last_posted("C1") == NOW


def test_subscriptions_upsert_and_deactivate(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as tx:
        tx.subscriptions.upsert(Subscription(channel="C1", time="07:30",
                                             timezone="Europe/Berlin", created=NOW))
        tx.subscriptions.upsert(Subscription(channel="C1", time="09:00",
                                             timezone="Europe/Berlin", created=NOW))
        tx.commit()
    with uow() as tx:
        assert [(s.channel, s.time) for s in tx.subscriptions.active()] == [("C1", "09:00")]
        assert tx.subscriptions.deactivate("C1")
        tx.commit()
    with uow() as tx:
        assert tx.subscriptions.active() == []


LATER = ArticleInput(
    title="Parliament passes budget",
    url="https://news.example.org/politics/budget",
    outlet="Example News",
    published=datetime(2025, 5, 2, 9, 0, tzinfo=UTC),
    text="The parliament passed the budget on Friday after a long debate, officials said.",
)


def test_many_stale_questions_do_not_hide_the_open_ones(uow: SqlUnitOfWorkFactory) -> None:
    """More stale questions than a listing reads must not fill it: the cut is made first."""
    stored = _ingest(uow)
    assert stored.article is not None
    long_before = datetime(2024, 6, 1, tzinfo=UTC)
    with uow() as tx:
        for i in range(services.QUESTIONS_LIMIT + 5):
            tx.questions.add(f"Will item {i} be delivered?", f"item-{i}", actors=[], topics=[],
                             raised_by_statement=None, raised_in_article=stored.article.id,
                             sentence_text=f"It is unclear whether item {i} will be delivered.",
                             now=long_before)
        tx.commit()
    shown = services.list_questions(None, uow=uow, now=NOW).questions
    assert shown and all("Kyiv" in q.question for q in shown)
    everything = services.list_questions(None, uow=uow, now=NOW, include_all=True).questions
    assert len(everything) == services.QUESTIONS_LIMIT
    assert "Kyiv" in everything[0].question, "the most recently raised come first"
    brief = services.brief(None, uow=uow, now=NOW, registry=services.load_registry(uow=uow))
    assert brief.questions and all("Kyiv" in q.question for q in brief.questions)


def test_questions_are_open_since_publication_and_stale_only_after_days_without_news(
        uow: SqlUnitOfWorkFactory) -> None:
    _ingest(uow)
    much_later = datetime(2026, 1, 1, tzinfo=UTC)
    shown = services.list_questions(None, uow=uow, now=much_later)
    assert shown.questions, "the article says it remains unclear whether Kyiv will accept"
    assert all(q.first_seen == ARTICLE.published for q in shown.questions)
    # the store has had no news since: its questions are not stale, however late we ask
    _ingest(uow, LATER)
    assert services.list_questions(None, uow=uow, now=much_later).questions == []
    everything = services.list_questions(None, uow=uow, now=much_later, include_all=True)
    assert [q.id for q in everything.questions] == [q.id for q in shown.questions]



def _article(day: int, text: str, slug: str) -> ArticleInput:
    return ArticleInput(title=f"Talks {slug}", url=f"https://news.example.org/talks/{slug}",
                        outlet="Example News", text=text,
                        published=datetime(2025, 2, day, 9, 0, tzinfo=UTC))


RAISES_WHERE = "It remains unclear where the talks between the two delegations will take place."
SAYS_WHERE = ("The talks between the two delegations will take place in Riyadh, officials "
              "confirmed on Sunday.")


def test_an_older_article_ingested_late_settles_no_question_raised_after_it(
        uow: SqlUnitOfWorkFactory) -> None:
    _ingest(uow, _article(10, RAISES_WHERE, "raised"))
    _ingest(uow, _article(9, SAYS_WHERE, "older"))
    [question] = services.list_questions(None, uow=uow, now=NOW, include_all=True).questions
    assert question.status == QuestionStatus.OPEN and not question.answered_by
    # the same sentence published after the question was raised settles it
    _ingest(uow, _article(12, SAYS_WHERE.replace("Sunday", "Wednesday"), "later"))
    [question] = services.list_questions(None, uow=uow, now=NOW, include_all=True).questions
    assert question.status != QuestionStatus.OPEN
    assert [c.article.url for c in question.answered_by] == [
        "https://news.example.org/talks/later"]
