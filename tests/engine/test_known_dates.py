"""Dates known from outside the text (front matter `dates`) date the developments they name."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from briefing.actors import ActorRegistry
from briefing.errors import InputError
from briefing.files import parse_article
from briefing.models import KnownDate
from briefing.pipeline import process_article

ARTICLE = """---
published: 2025-06-20
published_inferred: true
dates:
  - {date: 2025-06-17, of: "spoke by phone with Emmanuel Macron"}
  - {date: 2025-06-18, of: "told a press conference in Oslo"}
---
Chancellor Friedrich Merz spoke by phone with Emmanuel Macron about air defence for Ukraine.
The two leaders agreed to ask their defence ministers for a joint plan, officials said.
Merz later told a press conference in Oslo that the plan would be ready before the summit.
"""


def test_front_matter_dates_are_read() -> None:
    doc = parse_article(ARTICLE)
    assert doc.known_dates == (
        KnownDate(date=date(2025, 6, 17), of="spoke by phone with Emmanuel Macron"),
        KnownDate(date=date(2025, 6, 18), of="told a press conference in Oslo"))
    assert parse_article("Merz spoke.").known_dates == ()


@pytest.mark.parametrize(("block", "message"), [
    ("dates: 2025-06-17", "must be a list"),
    ("dates:\n  - {date: 2025-06-17}", "needs a date and the words"),
    ("dates:\n  - {of: spoke by phone}", "needs a date and the words"),
    ("dates:\n  - {date: soon, of: spoke by phone}", "'dates' is not a date"),
    ("dates:\n  - {date: 2025-06-17, of: at}", "too short"),
])
def test_bad_front_matter_dates_are_named(block: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_article(f"---\n{block}\n---\nMerz spoke by phone with Macron.")


def test_the_sentences_they_name_take_the_known_dates() -> None:
    processed = process_article(parse_article(ARTICLE), registry=ActorRegistry())
    by_text = {e.summary: e for e in processed.events}
    call = next(e for t, e in by_text.items() if "spoke by phone" in t)
    oslo = next(e for t, e in by_text.items() if "Oslo" in t)
    assert (call.date, call.date_inferred) == (date(2025, 6, 17), False)
    assert (oslo.date, oslo.date_inferred) == (date(2025, 6, 18), False)
    assert "merz" in oslo.actors
    # the lead development stays first
    assert processed.events[0] is call or processed.events[0].sentence == call.sentence


def test_without_known_dates_the_text_alone_dates_events() -> None:
    doc = parse_article(ARTICLE).model_copy(update={"known_dates": ()})
    processed = process_article(doc, registry=ActorRegistry())
    assert all(e.date != date(2025, 6, 18) for e in processed.events)
    assert all(e.date_inferred for e in processed.events
               if e.date == datetime(2025, 6, 20, tzinfo=UTC).date())
