"""Stories: MinHash fingerprints, LSH bands for blocking, wire copies, one development grouped."""

from __future__ import annotations

from datetime import date

from briefing import stories
from briefing.models import ArticleRef, Event
from briefing.ports import StoredEvent

STORY = (
    "Finland and Estonia agreed on Tuesday to build a second undersea power cable across the "
    "Gulf of Finland, the two grid operators said in a joint statement. The cable, due to open "
    "in 2028, will double the capacity between the two countries and is meant to reduce the "
    "region's reliance on a single link that was damaged last winter. Officials did not say how "
    "much the project would cost, but said the European Union would cover part of it. Estonian "
    "ministers welcomed the plan, while Finnish industry groups said it came too late to help "
    "factories facing high prices this year. Construction is expected to begin next spring."
)
COPY = (
    "HELSINKI (Wire) - Finland and Estonia agreed on Tuesday to build a second undersea power "
    "cable across the Gulf of Finland, the two grid operators said in a joint statement. The "
    "cable, due to open in 2028, will double the capacity between the two countries and is meant "
    "to reduce the region's reliance on a single link that was damaged last winter. Officials "
    "did not say how much the project would cost, but said the European Union would pay for part "
    "of it. Estonian ministers welcomed the plan, while Finnish industry groups said it came too "
    "late to help factories facing high prices this year."
)
OTHER = (
    "Grain exports from the Danube ports rose sharply in March as insurers cut premiums for "
    "ships sailing near the coast, traders said. The increase came despite drone attacks on "
    "port infrastructure, which damaged two terminals and a silo. Farmers' groups warned that "
    "storage was running short ahead of the summer harvest and urged the government to speed "
    "up rail connections to the west."
)


def test_fingerprints_are_fixed_length_and_deterministic() -> None:
    fp = stories.fingerprint(STORY)
    assert len(fp) == stories.NUM_PERM
    assert fp == stories.fingerprint(STORY)
    assert stories.fingerprint("") == []


def test_a_lightly_edited_copy_is_a_wire_copy() -> None:
    a, b = stories.fingerprint(STORY), stories.fingerprint(COPY)
    assert stories.similarity(a, b) >= stories.WIRE_COPY
    assert stories.is_wire_copy(a, b)
    assert set(stories.lsh_bands(a)) & set(stories.lsh_bands(b))


def test_unrelated_texts_are_far_apart_and_share_no_band() -> None:
    a, b = stories.fingerprint(STORY), stories.fingerprint(OTHER)
    assert stories.similarity(a, b) < 0.1
    assert not set(stories.lsh_bands(a)) & set(stories.lsh_bands(b))


def test_bands_cover_the_whole_signature() -> None:
    bands = stories.lsh_bands(stories.fingerprint(STORY))
    assert len(bands) == stories.BANDS == len(set(bands))
    assert stories.lsh_bands([]) == []
    assert stories.similarity([], stories.fingerprint(STORY)) == 0.0


def _event(summary: str, day: date, actors: tuple[str, ...], inferred: bool = True) -> Event:
    return Event(sentence=0, date=day, date_inferred=inferred, summary=summary, actors=actors)


def test_different_texts_reporting_one_development_are_one_story() -> None:
    a = _event("Finland and Estonia signed a deal on a new power cable.", date(2025, 5, 6),
               ("finland", "estonia"))
    b = _event("Helsinki and Tallinn agreed a pact on a second cable, officials said.",
               date(2025, 5, 7), ("estonia", "finland"))
    fa, fb = stories.fingerprint(STORY), stories.fingerprint(OTHER)
    assert stories.same_story(fa, fb, a_events=[a], b_events=[b])


def test_other_days_other_kinds_or_other_actors_are_other_stories() -> None:
    base = _event("Finland and Estonia signed a deal on a power cable.", date(2025, 5, 6),
                  ("finland", "estonia"))
    later = _event("Finland and Estonia signed a deal on a gas link.", date(2025, 6, 6),
                   ("finland", "estonia"))
    call = _event("The Finnish and Estonian leaders spoke by phone.", date(2025, 5, 6),
                  ("finland", "estonia"))
    others = _event("Latvia and Lithuania signed a deal on a power cable.", date(2025, 5, 6),
                    ("latvia", "lithuania"))
    exact = _event("Finland and Estonia signed a deal on a power cable.", date(2025, 5, 7),
                   ("finland", "estonia"), inferred=False)
    for other in (later, call, others, exact):
        assert not stories.same_development(base, other), other.summary


def test_a_new_report_joins_the_story_of_a_stored_report_of_its_development() -> None:
    lead = _event("Finland and Estonia signed a deal on a power cable.", date(2025, 5, 6),
                  ("finland", "estonia"))
    same = StoredEvent(id=1, event=_event("Estonia and Finland signed an accord on a cable.",
                                          date(2025, 5, 7), ("estonia", "finland")),
                       article=ArticleRef(id=9), story_id=42)
    other = StoredEvent(id=2, event=_event("Latvia signed a deal.", date(2025, 5, 6), ("latvia",)),
                        article=ArticleRef(id=8), story_id=7)
    assert stories.story_of_development([lead], [other, same]) == 42
    assert stories.story_of_development([lead], [other]) is None
    assert stories.story_of_development([], [same]) is None
