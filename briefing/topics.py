"""The topic taxonomy of war-and-diplomacy news: synonyms, what "supports" means, and matching."""

from __future__ import annotations

import re
from functools import cache

from briefing.models import Topic

# Economic measures that are both a sanction on Russia and an economic measure in their own
# right: news reports on them name either topic ("the reparations loan", "the LNG ban").
_MEASURES = (
    "reparations loan", "frozen assets", "frozen russian assets", "immobilised assets",
    "immobilized assets", "russian assets", "confiscation", "asset seizure",
    "seizure of assets", "import ban", "imports ban", "gas ban", "oil ban", "lng ban",
    "ban on russian gas", "ban on russian oil", "ban on russian lng",
)

TOPICS: tuple[Topic, ...] = (
    Topic(
        id="ceasefire",
        label="Ceasefire",
        synonyms=(
            "ceasefire", "cease-fire", "cease fire", "truce", "armistice",
            "halt to the fighting", "halt the fighting", "stop the fighting", "end the fighting",
            "stop the hostilities", "stopping the hostilities", "halting the hostilities",
            "end to the hostilities", "end the hostilities", "people stop dying",
            "stop dying", "no longer dying", "stop the killing", "stop the war", "end the war",
            "end this war", "ending the war", "end to the war", "end this damn thing",
            "this war over", "this war to end", "ending this war", "end to this war",
            "fighting to stop", "the fighting to stop",
            # a press secretary's words for it: "the president wants the killing to stop"
            "killing to stop", "killing to end", "end the killing", "end to the killing",
            "stop the bloodshed", "end the bloodshed", "end to the bloodshed",
            "bloodshed to stop", "bloodshed to end",
            "stop the millions of deaths", "pause in the war", "freeze the conflict",
            "freeze the front", "freeze the war", "stop the violence", "halt hostilities",
            "halt the hostilities", "put an end to the hostilities",
            "millions of people killed", "see it end", "see the war end", "the war to end",
            "the fighting to end", "end the russia-ukraine war",
            "ending the russia-ukraine war", "end the war in ukraine", "ending the war in ukraine",
            "ended the war", "ends the war", "pause in fighting", "pause in the fighting",
            # Moscow's standing precondition for any halt: "eliminate the root causes of the
            # conflict"; news of this war quotes it as the Russian terms for a ceasefire.
            "root causes",
        ),
        supports_means="supports a halt to the fighting",
    ),
    Topic(
        id="negotiations",
        label="Peace negotiations",
        synonyms=(
            "negotiation", "negotiations", "negotiate", "peace talks", "talks", "peace plan",
            "peace deal", "settlement", "diplomatic solution", "dialogue", "peace process",
            "resolve the conflict", "peacefully", "plan for peace", "plan to end the war",
            "negotiating", "negotiating table", "negotiated", "diplomatic means",
            "resolving the conflict", "settle the conflict",
            # "a just and lasting peace must be achieved through diplomacy"
            "diplomacy",
        ),
        supports_means="supports negotiating an end to the war",
    ),
    Topic(
        id="summit",
        label="Summit or meeting",
        synonyms=(
            "summit", "meeting", "meet", "in-person", "face-to-face", "visit", "host",
            "sit down with",
        ),
        supports_means="supports holding the meeting",
    ),
    Topic(
        id="territory",
        label="Territory",
        synonyms=(
            "territory", "territories", "territorial", "land", "borders", "cede", "ceding",
            "annexation", "annexed", "occupied", "crimea", "donbas", "donbass", "regions",
        ),
        supports_means="supports Ukraine ceding territory",
    ),
    Topic(
        id="nato",
        label="NATO membership",
        synonyms=(
            "nato", "nato membership", "join nato", "nato aspirations", "alliance membership",
            "us-led military bloc", "military bloc", "north atlantic alliance",
        ),
        supports_means="supports Ukraine joining NATO",
    ),
    Topic(
        id="security-guarantees",
        label="Security guarantees",
        synonyms=("security guarantees", "security guarantee", "guarantees", "security assurances",
                  "backstop", "american backstop", "us backstop"),
        supports_means="supports security guarantees for Ukraine",
    ),
    Topic(
        id="peacekeepers",
        label="Peacekeepers",
        synonyms=("peacekeepers", "peacekeeping", "peacekeeping force", "troops on the ground",
                  # foreign soldiers on Ukrainian soil: "ruled out sending its own ground
                  # troops", "a presence on the ground"
                  "ground troops", "presence on the ground", "peace force",
                  "soldiers on ukrainian soil", "troops to ukraine", "troops in ukraine",
                  "soldiers in ukraine",
                  # foreign forces for Ukraine after a truce, in the words news uses for them
                  "boots on the ground", "reassurance force", "stabilisation force",
                  "stabilization force", "multinational force", "european troops",
                  "western troops", "foreign troops", "nato troops", "allied troops",
                  "british troops", "french troops", "troops of nato countries",
                  "deployment of troops", "deployment of any troops", "deploy troops",
                  "send troops", "sending troops", "deployed to ukraine",
                  "deploy to ukraine", "deployment to ukraine",
                  # a contributing nation's own soldiers ("ruled out sending Italian troops");
                  # Russian and Ukrainian troops are the war's, never a peacekeeping force
                  *(f"{nation} {unit}" for nation in (
                      "european", "western", "foreign", "nato", "allied", "british", "french",
                      "german", "italian", "polish", "turkish", "nordic", "baltic", "canadian",
                      "dutch", "danish", "swedish", "finnish", "spanish")
                    for unit in ("troops", "soldiers", "soldier", "personnel"))),
        supports_means="supports deploying peacekeepers",
    ),
    Topic(
        id="sanctions",
        label="Sanctions",
        synonyms=("sanctions", "sanction", "embargo", "price cap", "economic pressure",
                  # the measures news names without the word: "secondary tariffs" on buyers
                  # of Russian oil, "restrictive measures", a ban on Russian gas imports,
                  # loans against frozen Russian assets (also the economy's, see _MEASURES)
                  "secondary tariffs", "secondary tariff", "restrictive measures",
                  "punitive measures", "asset freeze",
                  "russian oil", "russian gas", "russian crude", "russian lng",
                  "russian energy", *_MEASURES),
        supports_means="supports keeping or adding sanctions",
    ),
    Topic(
        id="elections",
        label="Elections",
        synonyms=("election", "elections", "vote", "voters", "legitimacy", "illegitimacy",
                  "presidential term", "poll numbers"),
        supports_means="supports holding elections (in Ukraine, unless said otherwise)",
    ),
    Topic(
        id="prisoner-exchange",
        label="Prisoner exchange",
        synonyms=("prisoner exchange", "prisoner swap", "prisoners of war", "exchange of prisoners",
                  "detainee", "released prisoner",
                  # hostages freed in a deal, in exchange for prisoners or on their own
                  "hostage", "hostage deal", "hostage release", "release of hostages",
                  "release of the hostages", "hostages' release", "prisoner release",
                  "release of prisoners", "palestinian prisoners", "security prisoners"),
        supports_means="supports the exchange",
    ),
    Topic(
        id="energy",
        label="Energy infrastructure",
        synonyms=("energy infrastructure", "power grid", "power plant", "energy facilities",
                  "energy", "gas", "oil", "pipeline", "nuclear plant", "zaporizhzhia"),
        supports_means="supports sparing or protecting energy infrastructure",
    ),
    Topic(
        id="military-aid",
        label="Military aid",
        synonyms=("military aid", "weapons", "arms", "military support", "military assistance",
                  "ammunition", "air defence", "air defense", "military commitments",
                  "patriot systems", "patriot batteries", "patriot missiles", "patriots",
                  "aid package", "aid to ukraine", "ukraine aid", "aid for ukraine",
                  "security assistance", "military equipment", "arms deliveries",
                  "weapons deliveries"),
        supports_means="supports military aid to Ukraine",
    ),
    Topic(
        id="economy",
        label="Economy",
        synonyms=("economy", "economic", "economic relations", "trade", "tariffs", "tariff",
                  "investment", *_MEASURES,
                  "minerals", "rare earths", "downturn", "tax", "taxes", "tax rate", "tax cuts",
                  "tax breaks", "budget"),
        supports_means="supports the economic measure or cooperation in question",
    ),
    Topic(
        id="europe-role",
        label="Europe's role",
        synonyms=("europe's role", "european allies", "european leaders", "europeans",
                  "european partners", "europe must be part", "with the europeans",
                  "european union", "european commission"),
        supports_means="supports Europe taking part in the talks and the settlement",
    ),
)

TOPICS_BY_ID: dict[str, Topic] = {t.id: t for t in TOPICS}


def _normalise(text: str) -> str:
    # str.split() splits at exactly the characters re's \s matches, and drops the ends
    return " ".join(_fold_chars(text).split())


def _fold_chars(text: str) -> str:
    """Lower case with curly apostrophes and dashes folded; keeps every offset."""
    return text.lower().replace("\u2019", "'").replace("\u2011", "-").replace("\u2013", "-")


def _terms(topic_id: str) -> list[str]:
    topic = TOPICS_BY_ID[topic_id]
    return sorted({_normalise(s) for s in (*topic.synonyms, topic.label)}, key=len, reverse=True)


def _source(terms: list[str]) -> str:
    alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in terms)
    # word boundaries on both sides; a trailing "s" lets plurals through ("summits", "truces")
    return rf"(?<![\w-])(?:{alternatives})s?(?![\w-])"


@cache
def _pattern(topic_id: str) -> re.Pattern[str]:
    return re.compile(_source(_terms(topic_id)), re.IGNORECASE)


# Characters that match an ASCII letter of a pattern under re.IGNORECASE though they are not that
# letter, and that str.lower() keeps ("\u0131" dotless i, "\u017f" long s; see re._casefix).
_CASE_TWINS = ("\u0131", "\u017f")


# What the patterns see as one word: a match starts and ends where such a run does.
_TOKEN = re.compile(r"[\w-]+")
# Words too common to tell whether a term is there; a term's gate word is another where it can.
_COMMON = frozenset({"the", "to", "of", "a", "an", "in", "it", "this", "with", "for", "on"})


def _gate_words(terms: list[str]) -> frozenset[str]:
    """Words one of which every match of the terms' pattern holds as a whole token: one word of
    each term (a match holds each of its words between non-word characters, and its last word
    perhaps with the plural "s")."""
    out: set[str] = set()
    for term in terms:
        tokens = _TOKEN.findall(term)
        word = max(tokens, key=lambda w: (w not in _COMMON, len(w)))
        out.add(word)
        if word == tokens[-1]:
            out.add(word + "s")
    return frozenset(out)


@cache
def _gates() -> tuple[tuple[str, re.Pattern[str], frozenset[str]], ...]:
    """_pattern made cheap for lower-case text without case twins, where it finds the same: per
    topic, the gate words of its terms, and the pattern case-sensitive behind a look-ahead for
    the first letters of its terms (the search leaves most places at the first test)."""
    out = []
    for topic in TOPICS:
        terms = _terms(topic.id)
        first = "".join(sorted({re.escape(t[0]) for t in terms}))
        out.append((topic.id, re.compile(f"(?=[{first}]){_source(terms)}"), _gate_words(terms)))
    return tuple(out)


def find_topics(text: str) -> list[str]:
    """Topic ids whose synonyms occur in the text, in taxonomy order."""
    norm = _normalise(text)
    if any(c in norm for c in _CASE_TWINS):
        return [t.id for t in TOPICS if _pattern(t.id).search(norm)]
    # a set intersection costs far less than a search with look-arounds, and skips only topics
    # the pattern cannot match
    tokens = set(_TOKEN.findall(norm))
    return [tid for tid, pattern, words in _gates()
            if not words.isdisjoint(tokens) and pattern.search(norm)]


_WORD = re.compile(r"[\w']+(?:-[\w']+)*")


@cache
def _term_index() -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Every topic term as a tuple of words, by its first word (also with a plural "s" or a
    possessive "'s"), longest first, with the topics that list it."""
    owners: dict[tuple[str, ...], list[str]] = {}
    for t in TOPICS:
        for syn in (*t.synonyms, t.label):
            words = tuple(_WORD.findall(_normalise(syn)))
            if words:
                ids = owners.setdefault(words, [])
                if t.id not in ids:
                    ids.append(t.id)
    index: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for words, ids in owners.items():
        for key in _forms(words[0]):
            index.setdefault(key, []).append((words, tuple(ids)))
    for entries in index.values():
        entries.sort(key=lambda e: len(e[0]), reverse=True)
    return index


def _forms(word: str) -> tuple[str, ...]:
    """The word as a term lists it, and as text may write it: plural or possessive."""
    return (word, word + "s", word + "'s")


@cache
def _match_index() -> dict[str, list[tuple[int, list[str], tuple[str, ...], tuple[str, ...]]]]:
    """_term_index ready for matching: (length, middle words, forms of the last word, topics)."""
    return {key: [(len(term), list(term[1:-1]), _forms(term[-1]), ids) for term, ids in entries]
            for key, entries in _term_index().items()}


def topic_spans(text: str) -> list[tuple[str, int, int]]:
    """(topic id, start, end) of every topic term in the text, offsets into the text.

    Words are compared after folding case, curly apostrophes and dashes; a final "s" or "'s"
    lets plurals and possessives through ("summits", "NATO's"). At each place the longest term
    wins ("nato membership" over "nato"); it counts for every topic that lists it.
    """
    index = _match_index()
    folded = _fold_chars(text)
    words = _WORD.findall(folded)
    if index.keys().isdisjoint(words):
        return []
    out: list[tuple[str, int, int]] = []
    n = len(words)
    taken = -1
    # word offsets, found as far as a term needs them: each word is the first occurrence of its
    # own text after the word before (the gaps between words hold no word characters)
    starts: list[int] = []
    pos = 0
    for i, w in enumerate(words):
        if i <= taken:
            continue
        entries = index.get(w)
        if entries is None:
            continue
        for k, middle, last_forms, ids in entries:
            last = i + k - 1
            if k == 1 or (last < n and words[last] in last_forms
                          and words[i + 1:last] == middle):
                while len(starts) <= last:
                    pos = folded.find(words[len(starts)], pos)
                    starts.append(pos)
                    pos += len(words[len(starts) - 1])
                end = starts[last] + len(words[last])
                if folded.endswith("'s", 0, end):
                    end -= 2
                out.extend((tid, starts[i], end) for tid in ids)
                taken = last
                break
    return out


def resolve_topic(query: str) -> Topic | None:
    """The known topic a user's words name ("truce", "NATO membership", "nato"), if any."""
    norm = _normalise(query)
    if not norm:
        return None
    for topic in TOPICS:
        names = {topic.id, _normalise(topic.label), *(_normalise(s) for s in topic.synonyms)}
        if norm in names or norm.replace(" ", "-") == topic.id:
            return topic
    return None


def free_topic(query: str) -> Topic:
    """A topic made of the user's own words, for text search when no known topic matches."""
    norm = _normalise(query)
    slug = re.sub(r"[^a-z0-9]+", "-", norm).strip("-") or "any"
    return Topic(id=f"text:{slug}", label=query.strip(), synonyms=(norm,),
                 supports_means="supports what the words describe")
