"""Dated developments: sentences reporting a call, meeting, statement or strike, with a date."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from briefing import dates
from briefing.models import CleanArticle, Event, Mention, Sentence
from briefing.patterns import first_char_gate
from briefing.questions import sentence_topics

# Words that make a sentence report a development rather than background or analysis.
_DEVELOPMENT_WORDS = (
    r"call(?:s|ed)?|phoned?|phone (?:call|conversation)|spoke|speaks?|talk(?:s|ed)?|"
    r"conversation|meet(?:s|ing|ings)?|met|summit|visit(?:s|ed|ing)?|trip|"
    r"said|says|told|tells|stated|announc(?:e|es|ed|ing)|declared|confirm(?:s|ed)?|"
    r"acknowledg(?:e|es|ed)|admitted|denied|denies|rejected|warned|urged|pledged|promised|"
    r"statement|remarks|interview|briefing|press conference|readout|"
    r"agree(?:s|d)?|agreement|deal|signed|sign(?:s|ing)?|accord|truce|ceasefire|"
    r"strike[sd]?|attack(?:s|ed)?|launched|shelled|bombed|killed|captured|seized|withdrew|"
    r"released|exchanged?|swap|imposed|lifted|approved|voted|vote|elected|sworn|"
    r"inaugurated|arrived?|arrives|hosted|hosts?|invited|proposed|unveiled|named|appointed|"
    r"resigned|fired|sanctions|negotiations?|scheduled"
)
# behind a look-ahead for the words' first letters: the search leaves most places at once
DEVELOPMENT = re.compile(
    rf"\b{first_char_gate(f'(?:{_DEVELOPMENT_WORDS})')}(?:{_DEVELOPMENT_WORDS})\b",
    re.IGNORECASE)
# Undated lede sentences count only when they report something that happened, not a possibility.
HYPOTHETICAL = re.compile(r"\b(?:could|might|may|would|should|if|whether|perhaps|possibly)\b",
                          re.IGNORECASE)
# The lede: a news story reports its main development in its first sentences (inverted pyramid);
# when none of them carries a date, the development is dated by the publication day.
LEDE_SENTENCES = 3
# Share of capitalised words above which an unpunctuated line is a title-case heading (headings
# capitalise nearly every word; sentence-case standfirsts have a few names only: about 0.3).
HEADING_CAPITALISED = 0.6
# Sentences shorter than this are headings or bylines, not reports.
MIN_WORDS = 6


def _is_heading(sent: Sentence, article: CleanArticle) -> bool:
    text = sent.text.strip()
    if article.title and text.rstrip(".!?").strip().lower() == article.title.strip().lower():
        return True
    words = text.split()
    if len(words) < MIN_WORDS:
        return True
    if text.endswith((".", "!", "?", "\u201d", '"', ")")):
        return False
    # a line with no full stop is a heading when it is in title case; a sentence-case line is a
    # standfirst ("Aboard his jet, Trump finally acknowledged his contacts with Putin")
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised / len(words) > HEADING_CAPITALISED


def _actors_by_sentence(mentions: list[Mention]) -> dict[int, tuple[str, ...]]:
    """Per sentence index, the actors its mentions name, once each, in order of mention."""
    ids: dict[int, list[str]] = defaultdict(list)
    for m in mentions:
        ids[m.sentence].append(m.actor_id)
    return {i: tuple(dict.fromkeys(found)) for i, found in ids.items()}


def _day_dates(text: str, published: date | None) -> list[dates.DateMatch]:
    return [d for d in dates.find_dates(text, published) if d.precision == "day"]


# "ANKARA, March 5 (Reuters) -": the dateline says when the story was filed, not what happened.
DATELINE_CHARS = 40  # a dateline date starts within this many characters of the paragraph
_DATELINE = re.compile(r"^\s*(?:\([A-Za-z .]+\)\s*)?[-\u2013\u2014]")


def _paragraph_quotes(text: str) -> list[tuple[int, int]]:
    """Quotation spans per paragraph, so a quote running over several sentences is seen whole."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        spans.extend((para.start() + a, para.start() + b) for a, b in dates.quote_spans(para[0]))
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def development_kind(text: str) -> str | None:
    """The kind of development a sentence reports ("call", "meeting", ...), if any."""
    low = text.lower()
    for kind, pattern in _KINDS:
        if pattern.search(low):
            return kind
    return "statement" if DEVELOPMENT.search(text) else None


_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("call", re.compile(r"\b(?:phone|call(?:ed|s)?|spoke|conversation|talk(?:s|ed)? by phone|"
                        r"contacts?|communications?|exchanges)\b")),
    ("meeting", re.compile(r"\b(?:meet(?:s|ing|ings)?|met|summit|visit(?:s|ed|ing)?|talks)\b")),
    ("agreement", re.compile(r"\b(?:agree(?:s|d)?|agreement|deal|signed|accord|truce)\b")),
    ("strike", re.compile(r"\b(?:strike[sd]?|attack(?:s|ed)?|shelled|bombed|killed|launched)\b")),
    ("exchange", re.compile(r"\b(?:prisoner|released|exchanged?|swap)\b")),
    ("interview", re.compile(r"\b(?:interview|press conference|briefing|remarks)\b")),
)


def extract_events(article: CleanArticle, sents: list[Sentence],
                   mentions: list[Mention]) -> list[Event]:
    """One event per sentence that reports a development and carries a day-precise date."""
    published = article.published.date() if article.published else None
    quoted: list[tuple[int, int]] | None = None  # read only when a relative date turns up
    events: list[Event] = []
    actors = _actors_by_sentence(mentions)
    for sent in sents:
        dated = _day_dates(sent.text, published)  # cheap first: most sentences have no date
        if not dated or len(sent.text.split()) < MIN_WORDS or not DEVELOPMENT.search(sent.text):
            continue
        # "today" inside a quotation is the speaker's day, which may not be the publication day
        if quoted is None and any(d.relative for d in dated):
            quoted = _paragraph_quotes(article.text)
        found = [d for d in dated
                 if not (d.relative and _inside(sent.start + d.start, quoted or []))
                 and not (d.start <= DATELINE_CHARS
                          and _DATELINE.match(sent.text[d.end:d.end + 12]))]
        if not found:
            continue
        when = found[0]
        events.append(Event(sentence=sent.index, date=when.value, date_inferred=when.relative,
                            summary=sent.text, actors=actors.get(sent.index, ()),
                            topics=sentence_topics(sent.text)))
    lede = _lede_event(article, sents, actors, published, events)
    if lede is not None:
        events.insert(0, lede)
    return events


def _lede_event(article: CleanArticle, sents: list[Sentence],
                actors_by_sentence: dict[int, tuple[str, ...]], published: date | None,
                dated: list[Event]) -> Event | None:
    if published is None:
        return None
    lede: list[Sentence] = []
    for s in sents:
        if len(lede) == LEDE_SENTENCES:
            break
        if not _is_heading(s, article):
            lede.append(s)
    if not lede or any(e.sentence in {s.index for s in lede} for e in dated):
        return None
    for sent in lede:
        actors = actors_by_sentence.get(sent.index, ())
        if (actors and DEVELOPMENT.search(sent.text) and not HYPOTHETICAL.search(sent.text)
                and not sent.text.rstrip().endswith("?")):
            return Event(sentence=sent.index, date=published, date_inferred=True,
                         summary=sent.text, actors=actors, topics=sentence_topics(sent.text))
    return None
