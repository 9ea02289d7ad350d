"""Grouping dated events into timeline items: the same items as comparing every pair."""

from __future__ import annotations

import random
from datetime import date

from rapidfuzz import fuzz

from briefing import services
from briefing.answers import TimelineItem
from briefing.models import ArticleRef, Event
from briefing.ports import EventRecord, StoredEvent

SUMMARIES = [
    "Putin and Trump spoke by phone on Wednesday about a ceasefire",
    "Trump and Putin spoke by phone on Wednesday about a ceasefire in Ukraine",
    "Putin spoke with Trump by phone about a possible ceasefire",
    "Rubio met Sybiha in Geneva to discuss security guarantees",
    "Sybiha met Rubio in Geneva",
    "The European Union agreed a new package of sanctions against Russia",
    "EU leaders agreed new sanctions on Russia",
    "Zelensky said Ukraine would not cede territory",
]


def _naive(events: list[StoredEvent]) -> list[TimelineItem]:
    """The grouping as first written: each event against every item made so far, in order."""
    items: list[TimelineItem] = []
    for ev in events:
        e = ev.event
        same = next((i for i in items if i.date == e.date
                     and fuzz.token_set_ratio(i.summary, e.summary)
                     >= services.SAME_EVENT_SIMILARITY), None)
        if same is not None:
            if ev.article.id not in {a.id for a in same.sources}:
                same.sources.append(ev.article)
            same.actors = sorted(set(same.actors) | set(e.actors))
            same.date_inferred = same.date_inferred and e.date_inferred
            continue
        items.append(TimelineItem(date=e.date, date_inferred=e.date_inferred, summary=e.summary,
                                  actors=list(e.actors), sources=[ev.article]))
    items.sort(key=lambda i: i.date)
    return items


def _events(seed: int, n: int) -> list[StoredEvent]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = rng.choice(SUMMARIES).split()
        if rng.random() < 0.3:  # an edited copy: a word dropped
            del words[rng.randrange(len(words))]
        out.append(StoredEvent(
            id=i, article=ArticleRef(id=rng.randrange(12)), event=Event(
                sentence=i, date=date(2025, 2, rng.randint(10, 13)),
                date_inferred=rng.random() < 0.5, summary=" ".join(words),
                actors=tuple(rng.sample(["putin", "trump", "rubio", "sybiha"], 2)))))
    return out


def test_grouping_gives_the_items_of_the_pairwise_comparison() -> None:
    for seed in range(30):
        events = _events(seed, 80)
        assert services._group_events(events) == _naive(events), seed
        records = [EventRecord(e.id, e.event.date, e.event.date_inferred, e.event.summary,
                               e.event.actors, e.article) for e in events]
        assert services._group_records(records, last=5) == _naive(events)[-5:], seed


def test_alike_events_of_one_day_merge_their_sources_and_other_days_stay_apart() -> None:
    a, b = ArticleRef(id=1), ArticleRef(id=2)
    day, other = date(2025, 2, 12), date(2025, 2, 13)
    made = [(a, day, SUMMARIES[0]), (b, day, SUMMARIES[1]), (b, other, SUMMARIES[0]),
            (a, day, SUMMARIES[3])]
    events = [StoredEvent(id=i, article=art, event=Event(sentence=i, date=d, summary=text))
              for i, (art, d, text) in enumerate(made)]
    items = services._group_events(events)
    assert [(i.date, i.summary, [s.id for s in i.sources]) for i in items] == [
        (day, SUMMARIES[0], [1, 2]), (day, SUMMARIES[3], [1]), (other, SUMMARIES[0], [2])]
