"""Contradictions between sources: polarity by negation and confirm/deny, on texts of our own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from briefing.contradictions import Contradiction, claims, find_contradictions
from briefing.models import (
    ArticleRef,
    Attribution,
    Certainty,
    Statement,
    StatementKind,
    StoredStatement,
)

DAY = datetime(2025, 4, 2, 10)
_ids = iter(range(1, 10_000))


def stored(text: str, *, article: int, about: tuple[str, ...] = ("scholz",),
           outlet: str | None = None, published: datetime = DAY,
           kind: StatementKind = StatementKind.ANALYSIS) -> StoredStatement:
    st = Statement(sentence=0, text=text, holder=about[0] if about else None, about=about,
                   kind=kind, certainty=Certainty.REPORTED, attribution=Attribution.ANALYSIS)
    return StoredStatement(id=next(_ids), statement=st,
                           article=ArticleRef(id=article, outlet=outlet, published=published))


@pytest.mark.parametrize(("text", "concept", "positive"), [
    ("The chancellor has no plan for rebuilding the grid.", "plan", False),
    ("The chancellor has never had a strategy for the grid.", "plan", False),
    ("No formal agreement or plan has been outlined.", "plan", False),
    ("The chancellor has a detailed plan for the grid.", "plan", True),
    ("The chancellor unveiled a ten-point plan on Monday.", "plan", True),
    ("There are no concrete agreements between the two governments.", "agreement", False),
    ("The two governments signed an agreement on gas transit.", "agreement", True),
    ("The ministry denied that the meeting took place.", "meeting", False),
    ("Both capitals confirmed the phone call.", "contact", True),
])
def test_claims_read_polarity(text: str, concept: str, positive: bool) -> None:
    assert any(c.concept == concept and c.positive == positive for c in claims(text))


@pytest.mark.parametrize("text", [
    "If the chancellor had a plan, he would share it.",
    "The chancellor wants to draw up a plan.",
    "Is there a plan?",
    "The call remains unconfirmed.",
    "The minister discussed the plan with reporters.",
])
def test_hypotheses_questions_and_doubts_claim_nothing(text: str) -> None:
    assert claims(text) == []


def test_no_plan_against_a_plan_from_another_outlet_is_a_contradiction() -> None:
    old = stored("Scholz has no plan for the grid, critics say.", article=1, outlet="A",
                 published=DAY - timedelta(days=1))
    new = stored("Scholz has a concrete plan for the grid.", article=2, outlet="B")
    (found,) = find_contradictions([new], [old])
    assert found == Contradiction(first=old.id, second=new.id, matter="plan (scholz)")


def test_confirmed_against_denied_is_a_contradiction() -> None:
    a = stored("Warsaw confirmed that Tusk held talks with Scholz.", article=1,
               about=("tusk", "scholz"))
    b = stored("Berlin denied that Scholz held talks with Tusk.", article=2,
               about=("scholz", "tusk"))
    assert len(find_contradictions([b], [a])) == 1


def test_a_claim_and_its_negation_with_the_same_figures_contradict() -> None:
    a = stored("Scholz will attend the summit in Rome next week.", article=1)
    b = stored("Scholz will not attend the summit in Rome next week.", article=2)
    (found,) = find_contradictions([b], [a])
    assert found.matter == "whether Scholz will attend the summit in Rome next week"


@pytest.mark.parametrize(("a", "b"), [
    ("Russia has withdrawn its troops from the border, the ministry said.",
     "Russia has not withdrawn its troops from the border, satellite images show."),
    ("Satellite images show Russia has not moved its jets.",
     "Russia has moved its jets, officials said."),
])
def test_who_says_it_does_not_hide_a_negated_claim(a: str, b: str) -> None:
    assert len(find_contradictions([stored(b, article=2)], [stored(a, article=1)])) == 1


@pytest.mark.parametrize(("a", "b"), [
    ("Scholz said the plan was not ready.", "Scholz said the budget was ready."),
    ("Scholz will attend the summit.", "Scholz will attend the dinner after the summit."),
])
def test_different_claims_sharing_words_are_not_negations(a: str, b: str) -> None:
    assert find_contradictions([stored(b, article=2)], [stored(a, article=1)]) == []


@pytest.mark.parametrize(("a", "b", "why"), [
    (dict(text="Scholz has no plan for the grid.", article=1),
     dict(text="Scholz has a plan for the grid.", article=1), "one article"),
    (dict(text="Scholz has no plan for the grid.", article=1, outlet="A"),
     dict(text="Scholz has a plan for the grid.", article=2, outlet="A"), "one outlet"),
    (dict(text="Scholz has no plan for the grid.", article=1, published=DAY - timedelta(days=40)),
     dict(text="Scholz has a plan for the grid.", article=2), "weeks apart: a change"),
    (dict(text="Scholz has no plan for the grid.", article=1),
     dict(text="Tusk has a plan for the grid.", article=2, about=("tusk",)), "other actor"),
    (dict(text="The call remains unconfirmed.", article=1),
     dict(text="Both capitals confirmed the call.", article=2), "unconfirmed is not denied"),
    (dict(text="Scholz will send 10 advisers.", article=1),
     dict(text="Scholz will not send 12 advisers.", article=2), "different figures"),
    (dict(text="Scholz has no plan for the grid.", article=1),
     dict(text="Scholz has no strategy for the grid either.", article=2), "both negative"),
])
def test_look_alikes_are_not_contradictions(a: dict, b: dict, why: str) -> None:
    assert find_contradictions([stored(**b)], [stored(**a)]) == [], why


def test_questions_are_never_contradictions() -> None:
    a = stored("Scholz has no plan for the grid.", article=1)
    b = stored("Does Scholz have a plan for the grid?", article=2, kind=StatementKind.QUESTION)
    assert find_contradictions([b], [a]) == []


def test_aware_and_naive_publication_times_compare() -> None:
    a = stored("Scholz has no plan for the grid.", article=1,
               published=DAY.replace(tzinfo=UTC) - timedelta(days=1))
    b = stored("Scholz has a plan for the grid.", article=2)
    (found,) = find_contradictions([b], [a])
    assert (found.first, found.second) == (a.id, b.id)
