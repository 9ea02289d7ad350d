"""Events and date resolution: relative dates anchored to the publication day, own test texts."""

from __future__ import annotations

import ast
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from briefing import dates, events
from briefing.models import CleanArticle, Mention, Sentence

THURSDAY = date(2025, 3, 13)


def one_date(text: str, published: date | None = THURSDAY) -> dates.DateMatch:
    found = dates.find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("The ministers met on Wednesday in Vienna.", date(2025, 3, 12)),
    ("The ministers met on Thursday in Vienna.", date(2025, 3, 13)),
    ("The ministers met on Friday in Vienna.", date(2025, 3, 7)),
    ("The ministers met last Thursday in Vienna.", date(2025, 3, 6)),
    ("The ministers will meet on Friday in Vienna.", date(2025, 3, 14)),
    ("The ministers are scheduled to meet on Monday.", date(2025, 3, 17)),
    ("The ministers will meet on Thursday.", date(2025, 3, 20)),
    ("Leaders are expected to gather next Tuesday.", date(2025, 3, 18)),
    ("Monday's strike destroyed a substation.", date(2025, 3, 10)),
])
def test_weekdays_follow_the_tense_of_their_clause(text: str, expected: date) -> None:
    found = one_date(text)
    assert (found.value, found.precision, found.relative) == (expected, "day", True)


@pytest.mark.parametrize(("text", "expected", "precision"), [
    ("The deal was signed yesterday.", date(2025, 3, 12), "day"),
    ("The deal will be signed tomorrow.", date(2025, 3, 14), "day"),
    ("The envoy arrived two days ago.", date(2025, 3, 11), "day"),
    ("Drones struck the port last night.", date(2025, 3, 12), "day"),
    ("The minister resigned this morning.", date(2025, 3, 13), "day"),
    ("The president said last month that talks were possible.", date(2025, 2, 1), "month"),
    ("Talks resumed earlier this week.", date(2025, 3, 10), "week"),
    ("Talks will resume next week.", date(2025, 3, 17), "week"),
    ("The offensive began last year.", date(2024, 1, 1), "year"),
    ("The army withdrew in February.", date(2025, 2, 1), "month"),
    ("The vote is planned for June.", date(2025, 6, 1), "month"),
    ("A summit is being discussed for April or May.", date(2025, 4, 1), "month"),
])
def test_relative_periods_resolve_against_the_publication_day(text: str, expected: date,
                                                              precision: str) -> None:
    found = dates.find_dates(text, THURSDAY)[0]
    assert (found.value, found.precision, found.relative) == (expected, precision, True)


@pytest.mark.parametrize(("text", "expected", "relative"), [
    ("The treaty was signed on 9 May 2025.", date(2025, 5, 9), False),
    ("The treaty was signed on May 9, 2025.", date(2025, 5, 9), False),
    ("The treaty was signed on 2025-05-09.", date(2025, 5, 9), False),
    ("In an interview on Feb. 7 he repeated the offer.", date(2025, 2, 7), True),
    ("The 3rd of March meeting ended early.", date(2025, 3, 3), True),
    ("Elections are due on Sept. 21.", date(2025, 9, 21), True),
])
def test_absolute_dates_with_and_without_a_year(text: str, expected: date,
                                                relative: bool) -> None:
    found = one_date(text)
    assert (found.value, found.relative) == (expected, relative)


def test_a_yearless_date_takes_the_nearest_past_year_across_new_year() -> None:
    assert one_date("The ceasefire began on Dec. 30.", date(2025, 1, 3)).value == \
        date(2024, 12, 30)


@pytest.mark.parametrize("text", [
    "Officials may decide soon.",
    "He may visit the front, aides said.",
    "The Sun reported the story first.",
    "Ministers will Mar the plan, critics joked.",
])
def test_may_the_verb_and_bare_abbreviations_are_not_dates(text: str) -> None:
    assert dates.find_dates(text, THURSDAY) == []


def test_relative_days_inside_quotes_belong_to_the_speaker() -> None:
    text = "\u201cI signed it today,\u201d the minister told reporters on Wednesday."
    found = dates.find_dates(text, THURSDAY)
    assert [(d.text, d.value) for d in found] == [("on Wednesday", date(2025, 3, 12))]


def test_without_a_publication_day_only_absolute_dates_resolve() -> None:
    text = "They met on Wednesday and signed the accord on 9 May 2025."
    assert [d.value for d in dates.find_dates(text, None)] == [date(2025, 5, 9)]


# --- events ------------------------------------------------------------------------------------


def _article(lines: list[str], *, published: datetime | None = datetime(2025, 3, 13, 8),
             title: str | None = None) -> tuple[CleanArticle, list[Sentence], list[Mention]]:
    sents, mentions, pos = [], [], 0
    for i, line in enumerate(lines):
        sents.append(Sentence(index=i, start=pos, end=pos + len(line), text=line, paragraph=i))
        for name, actor in (("Macron", "macron"), ("Scholz", "scholz"), ("Erdogan", "erdogan")):
            for m in re.finditer(name, line):
                mentions.append(Mention(sentence=i, start=pos + m.start(), end=pos + m.end(),
                                        text=name, actor_id=actor))
        pos += len(line) + 1
    text = "\n".join(lines)
    return CleanArticle(text=text, content_hash="h", published=published, title=title), sents, \
        mentions


def test_a_dated_development_becomes_an_event_with_actors_and_topics() -> None:
    article, sents, mentions = _article([
        "Macron and Scholz agreed on Wednesday to send more air defence systems to Kyiv.",
    ])
    (event,) = events.extract_events(article, sents, mentions)
    assert event.date == date(2025, 3, 12)
    assert event.date_inferred
    assert event.actors == ("macron", "scholz")
    assert "military-aid" in event.topics
    assert event.summary == sents[0].text


def test_background_and_month_dates_are_not_events() -> None:
    article, sents, mentions = _article([
        "Macron said on Wednesday that the summit would go ahead.",
        "The war began in February 2022, and the front has barely moved since.",
        "Scholz has long argued for a cautious approach, his aides said last month.",
    ])
    found = events.extract_events(article, sents, mentions)
    assert [e.sentence for e in found] == [0]


def test_an_undated_lede_is_dated_by_the_publication_day() -> None:
    article, sents, mentions = _article([
        "Erdogan Hosts Talks on Black Sea Shipping",
        "Erdogan hosted envoys from both sides for talks on grain shipping, his office said.",
        "The talks covered insurance and naval escorts.",
    ], title="Erdogan Hosts Talks on Black Sea Shipping")
    (event,) = events.extract_events(article, sents, mentions)
    assert (event.sentence, event.date, event.date_inferred) == (1, date(2025, 3, 13), True)


def test_no_lede_event_when_the_lede_carries_its_own_date() -> None:
    article, sents, mentions = _article([
        "Erdogan hosted envoys for talks on grain shipping, his office said.",
        "The envoys met on Tuesday in Istanbul, officials confirmed.",
    ])
    found = events.extract_events(article, sents, mentions)
    assert [(e.sentence, e.date) for e in found] == [(1, date(2025, 3, 11))]


def test_a_hypothetical_lede_is_not_an_event() -> None:
    article, sents, mentions = _article([
        "Macron could meet Scholz if the talks go well, diplomats said.",
    ])
    assert events.extract_events(article, sents, mentions) == []


def test_without_a_publication_day_only_printed_dates_make_events() -> None:
    article, sents, mentions = _article([
        "Macron visited Kyiv on Wednesday.",
        "Scholz signed the accord on 9 May 2025 in Berlin.",
    ], published=None)
    found = events.extract_events(article, sents, mentions)
    assert [(e.sentence, e.date, e.date_inferred) for e in found] == \
        [(1, date(2025, 5, 9), False)]


def test_relative_days_in_a_quote_are_not_the_event_day() -> None:
    article, sents, mentions = _article([
        "\u201cWe spoke for an hour. Scholz signed the letter yesterday and sent it,\u201d "
        "Macron told reporters.",
    ])
    found = events.extract_events(article, sents, mentions)
    # "yesterday" is the speaker's; the report itself is dated by the publication day
    assert [(e.date, e.date_inferred) for e in found] == [(date(2025, 3, 13), True)]


@pytest.mark.parametrize(("text", "kind"), [
    ("The two leaders spoke by phone on Monday.", "call"),
    ("The ministers met in Vienna.", "meeting"),
    ("Both sides signed a deal.", "agreement"),
    ("A drone strike hit the port.", "strike"),
    ("The minister said the plan was ready.", "statement"),
    ("Prices rose.", None),
])
def test_development_kinds(text: str, kind: str | None) -> None:
    assert events.development_kind(text) == kind


def test_a_dateline_is_not_the_day_of_the_development() -> None:
    article, sents, mentions = _article([
        "VIENNA, March 13 (Reuters) - Macron and Scholz met on Tuesday to discuss air defence.",
    ])
    (event,) = events.extract_events(article, sents, mentions)
    assert event.date == date(2025, 3, 11)


@pytest.mark.parametrize(("text", "expected"), [
    ("The president on Thursday rejected any deal that would cede land.", date(2025, 3, 13)),
    ("The minister said on Tuesday that he would visit Kyiv.", date(2025, 3, 11)),
    ("The minister said the talks would resume on Tuesday.", date(2025, 3, 18)),
    ("The summit on Monday will decide whether the talks that failed go on.", date(2025, 3, 17)),
])
def test_a_that_clause_after_the_date_does_not_set_its_tense(text: str, expected: date) -> None:
    assert one_date(text).value == expected


def test_gated_development_words_match_the_plain_pattern() -> None:
    plain = re.compile(rf"\b(?:{events._DEVELOPMENT_WORDS})\b", re.IGNORECASE)
    root = Path(__file__).resolve().parent.parent.parent
    texts = ["PHONE CALL, Phoned, phone  call, Ceasefire\u017f, \u0131nvited, \u212aILLED"]
    for path in sorted((root / "seeds").glob("*.txt")):
        texts.extend(path.read_text().splitlines())
    for path in sorted((root / "tests" / "engine").glob("test_*.py")):
        texts.extend(n.value for n in ast.walk(ast.parse(path.read_text()))
                     if isinstance(n, ast.Constant) and isinstance(n.value, str))
    for text in texts:
        for t in (text, text.upper(), text.title()):
            assert [m.span() for m in events.DEVELOPMENT.finditer(t)] == [
                m.span() for m in plain.finditer(t)], t
