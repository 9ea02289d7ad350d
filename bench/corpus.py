"""A deterministic generator of a large, realistic war-and-diplomacy news corpus for benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from briefing.models import ArticleInput

# The corpus starts here; articles are spread over consecutive days, ARTICLES_PER_DAY each.
START = datetime(2025, 3, 1, tzinfo=UTC)
ARTICLES_PER_DAY = 1_000
# Shares of copies among the articles (of the article generated just before, or one of the last
# few): agency copy re-run by another outlet, and an edited rewrite of an earlier article.
WIRE_COPY_SHARE = 0.10
NEAR_DUPLICATE_SHARE = 0.08
# How far back a copy may reach for its original (articles).
COPY_LOOKBACK = 50
# Paragraphs per article and sentences per paragraph: about 5 KB of text, as issue 3 assumes.
PARAGRAPHS = (9, 13)
SENTENCES_PER_PARAGRAPH = (3, 5)
# A near-duplicate rewrites this many sentences of its original.
REWRITTEN_SENTENCES = (2, 4)

# Speakers: (full name, short name, title phrase). Registry actors, and people the registry does
# not know (they exercise actor discovery from a title beside a name).
SPEAKERS = (
    ("Vladimir Putin", "Putin", "Russian President"),
    ("Volodymyr Zelensky", "Zelensky", "Ukrainian President"),
    ("Donald Trump", "Trump", "US President"),
    ("Emmanuel Macron", "Macron", "French President"),
    ("Keir Starmer", "Starmer", "British Prime Minister"),
    ("Friedrich Merz", "Merz", "German Chancellor"),
    ("Sergei Lavrov", "Lavrov", "Russian Foreign Minister"),
    ("Dmitry Peskov", "Peskov", "Kremlin spokesman"),
    ("Mark Rutte", "Rutte", "NATO Secretary General"),
    ("Ursula von der Leyen", "von der Leyen", "European Commission President"),
    ("Marco Rubio", "Rubio", "US Secretary of State"),
    ("Steve Witkoff", "Witkoff", "US special envoy"),
    ("Andrii Sybiha", "Sybiha", "Ukrainian Foreign Minister"),
    ("Recep Tayyip Erdogan", "Erdogan", "Turkish President"),
    ("Kaja Kallas", "Kallas", "EU foreign policy chief"),
    ("Giorgia Meloni", "Meloni", "Italian Prime Minister"),
    ("Donald Tusk", "Tusk", "Polish Prime Minister"),
    ("Yuri Ushakov", "Ushakov", "Kremlin aide"),
    ("Halvard Brennick", "Brennick", "Norwegian Deputy Foreign Minister"),
    ("Ottilie Varga", "Varga", "Hungarian Energy Minister"),
    ("Tomasz Zielak", "Zielak", "Polish Defence Minister"),
    ("Ines Castellano", "Castellano", "Spanish Foreign Minister"),
)
OUTLETS = ("The Meridian Ledger", "Northgate Times", "Baltic Review", "Danube Post",
           "Harbor Daily", "Eastern Wire", "Capital Observer", "The Continental",
           "Riverside Herald", "Atlas News", "Vantage Report", "Summit Gazette")
WIRES = ("Continental Press Agency", "Global Wire Service", "Eastbridge News Agency")
CITIES = ("Geneva", "Istanbul", "Riyadh", "Brussels", "Warsaw", "Vienna", "Helsinki",
          "Abu Dhabi", "Budapest", "Oslo")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
AUTHORS = ("Lena Markovic", "Samuel Okafor", "Priya Raman", "Jonas Lindqvist", "Ada Kowal",
           "Marta Reyes", "Felix Braun", "Nadia Haddad")

# Topics: a noun phrase each, and what a supporter, an opponent and a conditional voice say.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "ceasefire": (
        ("a ceasefire", "a truce", "a halt to the fighting", "a cease-fire along the front"),
        ("we want the guns to fall silent as soon as possible",
         "a truce is the only way to stop people dying",
         "we are ready to sign a ceasefire tomorrow"),
        ("a pause would only let the other side rearm",
         "we reject any truce that freezes the current lines",
         "there will be no ceasefire while the attacks continue"),
        ("a truce is possible if the monitoring is credible",
         "we could accept a ceasefire provided that prisoners are released first"),
    ),
    "sanctions": (
        ("sanctions", "new sanctions", "the sanctions regime", "restrictions on oil exports"),
        ("the pressure must be kept until the last soldier has left",
         "we will add new sanctions next month"),
        ("sanctions have failed and should be lifted",
         "these restrictions hurt our own industry more than anyone"),
        ("sanctions could be eased if the withdrawal begins",
         "we might lift some measures provided that the talks make progress"),
    ),
    "nato-membership": (
        ("NATO membership", "membership in NATO", "joining the alliance"),
        ("the door to the alliance must stay open",
         "membership is the only real guarantee of peace"),
        ("the alliance must never expand further east",
         "membership is out of the question"),
        ("membership can be discussed once the war is over",),
    ),
    "security-guarantees": (
        ("security guarantees", "guarantees of security", "a security pact"),
        ("firm guarantees are essential for any deal",
         "we will stand behind binding guarantees"),
        ("foreign guarantees are a provocation",
         "we will not accept guarantees written by the West"),
        ("guarantees are acceptable if every party signs them",),
    ),
    "peacekeepers": (
        ("peacekeepers", "a peacekeeping force", "foreign troops as peacekeepers"),
        ("a European force on the ground would keep the peace",
         "we are ready to send troops to monitor a settlement"),
        ("any foreign troops would be a legitimate target",
         "peacekeepers from NATO countries are unacceptable"),
        ("a force could deploy if the United Nations gives it a mandate",),
    ),
    "territory": (
        ("territorial concessions", "the occupied territories", "the line of contact"),
        ("a land swap may be the price of peace",
         "some territory will have to be exchanged"),
        ("not one metre of our land will be given away",
         "the borders cannot be redrawn by force"),
        ("territorial questions can be settled if a referendum is held",),
    ),
    "negotiations": (
        ("peace talks", "negotiations", "direct talks", "a new round of talks"),
        ("we are ready to talk at any moment",
         "the talks are moving in the right direction"),
        ("there is nothing to negotiate",
         "these talks are a waste of everyone's time"),
        ("we will join the talks if our delegation is treated as an equal",),
    ),
    "prisoner-exchange": (
        ("a prisoner exchange", "the exchange of prisoners", "a swap of captured soldiers"),
        ("every prisoner must come home", "the exchange should happen this week"),
        ("the lists presented so far are unacceptable",),
        ("a swap is possible provided that the lists are verified",),
    ),
    "energy-infrastructure": (
        ("strikes on energy infrastructure", "the power grid", "attacks on power plants"),
        ("a moratorium on strikes against power plants must hold",),
        ("the grid remains a legitimate military target",),
        ("a halt to strikes on the grid could work if it is verified",),
    ),
    "military-aid": (
        ("military aid", "weapons deliveries", "air defence systems", "new arms packages"),
        ("we will keep the weapons flowing for as long as it takes",
         "more air defence is needed now"),
        ("every new weapon only prolongs the war",
         "the deliveries must stop"),
        ("aid can continue provided that it is accounted for",),
    ),
}
QUESTION_CUES = (
    "It remains unclear whether {clause}.",
    "It is not yet known when {clause}.",
    "{speaker} declined to specify whether {clause}.",
    "Officials have not confirmed whether {clause}.",
    "It remains to be seen whether {clause}.",
    "It is too early to say whether {clause}.",
)
QUESTION_CLAUSES = (
    "the delegations will meet again in {city}",
    "{speaker} will attend the next round of talks",
    "the agreement covers {topic}",
    "the proposal on {topic} has been sent to Moscow",
    "Kyiv has accepted the draft on {topic}",
    "the summit in {city} will go ahead",
)
BACKGROUND = (
    "The war began with the full-scale invasion in February 2022.",
    "Both sides have reported heavy losses along the eastern front in recent weeks.",
    "Diplomats in {city} described the atmosphere of the meeting as businesslike.",
    "Markets reacted calmly to the news, with energy prices barely moving.",
    "The talks follow months of shuttle diplomacy between Washington, Moscow and Kyiv.",
    "Residents of frontline towns said air raid sirens sounded through the night.",
    "The delegations exchanged written proposals before the meeting in {city}.",
    "Several European capitals have pledged to increase defence spending this year.",
    "Humanitarian groups warned that winter would make conditions worse for civilians.",
    "Analysts noted that the wording of the joint statement was deliberately vague.",
    "Officials in {city} said preparations for the next round were under way.",
    "The previous round of negotiations ended without a joint communique.",
)


@dataclass(frozen=True)
class GeneratedArticle:
    """One article of the corpus, with how it was made (for tests and for the bench's notes)."""

    doc: ArticleInput
    kind: str  # "original", "wire_copy" or "near_duplicate"
    copy_of: int | None  # the index of the original, for copies


def _pick_topic(rng: random.Random) -> str:
    return rng.choice(sorted(TOPICS))


def _speaker(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(SPEAKERS)


def _sentence(rng: random.Random, *, topic: str, published: datetime, mentioned: set[str]) -> str:
    """One sentence of one of several kinds: quotes, reported speech, media reports, events,
    questions, analysis and background."""
    phrases, pro, con, cond = TOPICS[topic]
    full, short, title = _speaker(rng)
    # the first mention names the speaker in full with a title; later ones by surname
    name = short if full in mentioned else f"{title} {full}"
    mentioned.add(full)
    position = rng.choice((pro, pro, con, con, cond))
    said = rng.choice(position)
    weekday = rng.choice(WEEKDAYS)
    city = rng.choice(CITIES)
    other = rng.choice([s for s in SPEAKERS if s[0] != full])[1]
    roll = rng.random()
    if roll < 0.20:
        return f"“{said[0].upper()}{said[1:]},” {name} said on {weekday}."
    if roll < 0.34:
        return f"{name} said that {said} when asked about {rng.choice(phrases)}."
    if roll < 0.44:
        return (f"“On {rng.choice(phrases)}, {said},” {name} told reporters in {city}, "
                f"adding that {rng.choice(cond)}.")
    if roll < 0.52:
        outlet = rng.choice(OUTLETS)
        return (f"According to {outlet}, which cited two officials familiar with the matter, "
                f"{short} believes {said}.")
    if roll < 0.62:
        return (f"On {weekday}, {short} met {other} in {city} to discuss "
                f"{rng.choice(phrases)}.")
    if roll < 0.72:
        clause = rng.choice(QUESTION_CLAUSES).format(city=city, speaker=other,
                                                     topic=rng.choice(phrases))
        return rng.choice(QUESTION_CUES).format(clause=clause, speaker=short)
    if roll < 0.80:
        return (f"Analysts say {short}'s position on {rng.choice(phrases)} has shifted since "
                f"{(published - timedelta(days=rng.randrange(5, 60))):%B}.")
    if roll < 0.86:
        return (f"{short} denied reports that {other} had agreed to {rng.choice(phrases)} "
                f"during the call last {weekday}.")
    return rng.choice(BACKGROUND).format(city=city)


def _title(rng: random.Random, topic: str) -> str:
    phrases = TOPICS[topic][0]
    full, short, _ = _speaker(rng)
    return rng.choice((
        f"{short} signals new position on {rng.choice(phrases)}",
        f"Talks in {rng.choice(CITIES)} turn to {rng.choice(phrases)}",
        f"What we know about {rng.choice(phrases)} after the latest round",
        f"{full} under pressure over {rng.choice(phrases)}",
    ))


def _original(rng: random.Random, index: int, published: datetime) -> ArticleInput:
    topic = _pick_topic(rng)
    mentioned: set[str] = set()
    paragraphs = []
    for _ in range(rng.randint(*PARAGRAPHS)):
        # mostly the article's topic, sometimes a second one, as real reports wander
        sentences = [_sentence(rng, topic=topic if rng.random() < 0.75 else _pick_topic(rng),
                               published=published, mentioned=mentioned)
                     for _ in range(rng.randint(*SENTENCES_PER_PARAGRAPH))]
        paragraphs.append(" ".join(sentences))
    outlet = rng.choice(OUTLETS)
    slug = outlet.lower().replace(" ", "-").replace("the-", "")
    return ArticleInput(text="\n\n".join(paragraphs), title=_title(rng, topic),
                        url=f"https://{slug}.example/{published:%Y/%m/%d}/story-{index}",
                        outlet=outlet, author=rng.choice(AUTHORS), published=published)


def _wire_copy(rng: random.Random, index: int, original: ArticleInput,
               published: datetime) -> ArticleInput:
    """The same agency story re-run by another outlet: a dateline, the same body, a credit."""
    outlet = rng.choice([o for o in OUTLETS if o != original.outlet])
    wire = rng.choice(WIRES)
    slug = outlet.lower().replace(" ", "-").replace("the-", "")
    text = (f"{rng.choice(CITIES).upper()} ({wire}) — {original.text}\n\n"
            f"Reporting by {wire} staff; editing by the {outlet} desk.")
    return ArticleInput(text=text, title=original.title,
                        url=f"https://{slug}.example/wire/{published:%Y%m%d}-{index}",
                        outlet=outlet, author=f"{wire} staff", published=published)


def _near_duplicate(rng: random.Random, index: int, original: ArticleInput,
                    published: datetime) -> ArticleInput:
    """An update of an earlier article: a few sentences rewritten, a paragraph added."""
    mentioned: set[str] = set()
    text_paragraphs = original.text.split("\n\n")
    for _ in range(rng.randint(*REWRITTEN_SENTENCES)):
        k = rng.randrange(len(text_paragraphs))
        topic = _pick_topic(rng)
        text_paragraphs[k] = (text_paragraphs[k] + " "
                              + _sentence(rng, topic=topic, published=published,
                                          mentioned=mentioned))
    text_paragraphs.insert(0, f"Updated on {published:%A} with new comments. "
                           + _sentence(rng, topic=_pick_topic(rng), published=published,
                                       mentioned=mentioned))
    return ArticleInput(text="\n\n".join(text_paragraphs),
                        title=f"UPDATE: {original.title}",
                        url=(original.url or "https://updates.example/") + f"-update-{index}",
                        outlet=original.outlet, author=original.author, published=published)


def published_at(index: int, rng: random.Random, *, start: datetime = START,
                 per_day: int = ARTICLES_PER_DAY) -> datetime:
    """Article `index` falls on day index // per_day, at a random time of that day."""
    return start + timedelta(days=index // per_day, seconds=rng.randrange(86_400))


def generate(count: int, *, seed: int = 7, start: datetime = START,
             per_day: int = ARTICLES_PER_DAY) -> Iterator[GeneratedArticle]:
    """`count` articles, the same for the same seed; copies follow their originals closely."""
    rng = random.Random(seed)
    originals: list[tuple[int, ArticleInput]] = []
    for index in range(count):
        published = published_at(index, rng, start=start, per_day=per_day)
        roll = rng.random()
        if originals and roll < WIRE_COPY_SHARE:
            at, source = rng.choice(originals[-COPY_LOOKBACK:])
            yield GeneratedArticle(_wire_copy(rng, index, source, published), "wire_copy", at)
        elif originals and roll < WIRE_COPY_SHARE + NEAR_DUPLICATE_SHARE:
            at, source = rng.choice(originals[-COPY_LOOKBACK:])
            yield GeneratedArticle(_near_duplicate(rng, index, source, published),
                                   "near_duplicate", at)
        else:
            doc = _original(rng, index, published)
            originals.append((index, doc))
            yield GeneratedArticle(doc, "original", None)


def articles(count: int, *, seed: int = 7) -> list[ArticleInput]:
    return [g.doc for g in generate(count, seed=seed)]
