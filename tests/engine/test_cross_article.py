"""The ingest's cross-article checks narrow the pairs they test: the narrowing must not change
what is found (settled questions), and must skip only what can never match (stories)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from bench import corpus
from briefing import questions, stories
from briefing.actors import ActorRegistry
from briefing.files import find_article_files, read_article_file
from briefing.models import (
    ArticleRef,
    Event,
    ProcessedArticle,
    QuestionStatus,
    StoredQuestion,
    StoredStatement,
)
from briefing.pipeline import process_article
from tests.support import SEEDS


@cache
def _articles() -> tuple[ProcessedArticle, ...]:
    """The seeds and some generated articles, in publication order."""
    registry = ActorRegistry()
    docs = [read_article_file(p) for p in find_article_files([SEEDS])]
    docs += [g.doc for g in corpus.generate(40, seed=11)]
    done = [process_article(d, registry=registry) for d in docs]
    return tuple(sorted(done, key=lambda p: p.article.published or p.article.content_hash))


def _known(upto: int) -> list[StoredQuestion]:
    out = []
    for p in _articles()[:upto]:
        for q in p.questions:
            out.append(StoredQuestion(id=len(out) + 1, question=q.question, key=q.key,
                                      status=QuestionStatus.OPEN, actors=q.actors,
                                      topics=q.topics, first_seen=p.article.published,
                                      last_seen=p.article.published))
    return out


def _stored(index: int) -> list[StoredStatement]:
    p = _articles()[index]
    ref = ArticleRef(id=1000 + index, outlet=p.article.outlet, published=p.article.published)
    return [StoredStatement(id=index * 1000 + i, statement=s, article=ref)
            for i, s in enumerate(p.statements)]


def _every_pair(known: list[StoredQuestion], stored: list[StoredStatement]
                ) -> list[tuple[int, int, QuestionStatus]]:
    out = []
    for q in known:
        for st in stored:
            status = questions.settles(q, st)
            if status is not None:
                out.append((q.id, st.id, status))
                if status == QuestionStatus.ANSWERED:
                    break
    return out


def test_settlements_find_what_asking_every_pair_finds() -> None:
    found_any = 0
    for index in range(1, len(_articles())):
        known, stored = _known(index), _stored(index)
        fast = [(q.id, st.id, status) for q, st, status in questions.settlements(known, stored)]
        assert fast == _every_pair(known, stored)
        found_any += len(fast)
    assert found_any > 0  # the texts do settle some questions: the comparison means something


def _event(summary: str, *, actors: tuple[str, ...] = ("finland", "estonia"),
           inferred: bool = False) -> Event:
    return Event(sentence=0, date=date(2025, 5, 6), date_inferred=inferred, summary=summary,
                 actors=actors)


def test_development_days_are_those_same_development_accepts() -> None:
    signed = "Finland and Estonia signed a deal on a power cable."
    assert stories.development_days(_event(signed)) == 0
    assert stories.development_days(_event(signed, inferred=True)) == \
        stories.SAME_DEVELOPMENT_DAYS
    # nothing can be the same development: no kind of development, or nobody named
    assert stories.development_days(_event("The weather in Tallinn was mild.")) is None
    assert stories.development_days(_event(signed, actors=())) is None


def test_no_event_outside_development_days_is_the_same_development() -> None:
    for inferred in (False, True):
        lead = _event("Finland and Estonia signed a deal on a power cable.", inferred=inferred)
        days = stories.development_days(lead)
        assert days is not None
        for shift in range(-4, 5):
            other = _event("Estonia and Finland signed an accord on a cable.", inferred=True)
            other = other.model_copy(update={"date": lead.date + timedelta(days=shift)})
            if abs(shift) > days:
                assert not stories.same_development(lead, other)
        same_day = _event("Estonia and Finland signed an accord on a cable.", inferred=True)
        assert stories.same_development(lead, same_day)
