"""Dates known from outside the text: an article often reports a development ("Trump told the
New York Post in an interview aboard Air Force One") without printing its date, which an editor
or the source's metadata knows. `ArticleInput.known_dates` carries them (front matter `dates`)."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.models import Event, KnownDate, Mention, Sentence
from briefing.questions import sentence_topics


def apply_known_dates(events: list[Event], known: Sequence[KnownDate], sents: Sequence[Sentence],
                      mentions: Sequence[Mention]) -> list[Event]:
    """The events with each known date given to the sentences containing its words: an event
    found there takes the date (no longer inferred), and a sentence with none becomes one.
    The article's first event stays first (it is its lead development)."""
    if not known:
        return events
    out = list(events)
    at = {e.sentence: i for i, e in enumerate(out)}
    for kd in known:
        needle = kd.of.casefold()
        for sent in sents:
            if needle not in sent.text.casefold():
                continue
            if sent.index in at:
                i = at[sent.index]
                out[i] = out[i].model_copy(update={"date": kd.date, "date_inferred": False})
                continue
            actors = tuple(dict.fromkeys(m.actor_id for m in mentions
                                         if m.sentence == sent.index))
            at[sent.index] = len(out)
            out.append(Event(sentence=sent.index, date=kd.date, date_inferred=False,
                             summary=sent.text, actors=actors,
                             topics=sentence_topics(sent.text)))
    return out
