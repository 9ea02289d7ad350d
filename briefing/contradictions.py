"""Contradictions: two sources asserting opposite things about one matter, found by rules."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

from briefing.models import Frozen, StatementKind, StoredStatement
from briefing.questions import CONCEPTS_BY_ID, content_words

# Claims about the state of things made this many days apart are compared; further apart, a
# change ("no plan" in March, "a plan" in May) is news, not a contradiction. A week covers the
# same news cycle (the seeds' three plan claims fall within two days).
WINDOW_DAYS = 7
# Two claims that differ only by a negation share at least this share of content words (Jaccard);
# paraphrases of one claim by different outlets share 0.6-0.8, different claims under 0.4.
NEGATION_FLIP_JACCARD = 0.6
# Words of context searched before a concept for its negator ("no formal agreement or plan").
NEGATOR_REACH = 4

# Things whose existence sources assert or deny: "has a plan" / "has no plan".
_EXISTENCE = ("plan", "agreement")
# Developments sources confirm or deny: "confirmed the call" / "denied the call took place".
_OCCURRENCE = ("contact", "meeting", "visit", "attack", "prisoner")

_NEGATOR = r"(?:no|never|not|lacks?|lacking|none|neither)"
_HAVE_NOT = (r"(?:(?:has|have|had|does|did|do)\s+(?:not|never|no)\b|\bnever\s+(?:had|has|have)\b|"
             r"n['\u2019]t\s+(?:have|has|had)\b)")
_POSITIVE_VERB = (r"(?:has|have|had|having|commitment to|committed to|unveiled|presented|outlined|"
                  r"proposed|drafted|drew up|put forward|reached|signed|struck|agreed on|"
                  r"working on|sealed|offered|laid out)")
_HYPOTHETICAL = re.compile(r"\b(?:if|would|could|might|whether|unless|hopes? to|wants? to|"
                           r"may|should|seeks? to|aims? to)\b", re.IGNORECASE)
_CONFIRM = re.compile(r"\b(?:confirm(?:ed|s)?|acknowledg(?:ed|es)|took place|held|verified)\b",
                      re.IGNORECASE)
_DENY = re.compile(r"\b(?:den(?:ied|ies|y)|dismiss(?:ed|es)|rejected (?:the )?reports?|"
                   r"did not (?:take place|happen)|never (?:took place|happened)|"
                   r"no such \w+|false|fake|untrue)\b", re.IGNORECASE)
_UNCONFIRMED = re.compile(r"\bunconfirmed\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|none|without)\b|n['\u2019]t\b",
                       re.IGNORECASE)
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_NUMBER_WORDS = frozenset((
    'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight',
    'nine', 'ten', 'eleven', 'twelve', 'hundred', 'hundreds', 'thousand', 'thousands',
    'million', 'millions', 'billion',
))


@dataclass(frozen=True, slots=True)
class ClaimSource:
    """What the contradiction rules read of a stored statement: its text, kind, actors (holder,
    speaker and subjects) and its article's id, outlet and publication time. The ingest reads
    150 candidates for every new article, so the store hands over these and not whole
    StoredStatements (building those cost more than the reads, bench/)."""

    id: int
    text: str
    kind: StatementKind
    actors: frozenset[str]
    article_id: int
    outlet: str | None
    published: datetime | None


def claim_source(s: StoredStatement) -> ClaimSource:
    st = s.statement
    return ClaimSource(id=s.id, text=st.text, kind=st.kind,
                       actors=frozenset({*st.about, *(a for a in (st.holder, st.speaker) if a)}),
                       article_id=s.article.id, outlet=s.article.outlet,
                       published=s.article.published)


class Contradiction(Frozen):
    """Statement `first` (the older) and `second` assert opposite things about `matter`."""

    first: int
    second: int
    matter: str


class Claim(NamedTuple):
    concept: str
    positive: bool


def _window(concept: str) -> str:
    return CONCEPTS_BY_ID[concept].pattern.pattern


_GAP = rf"(?:\W+\w+){{0,{NEGATOR_REACH}}}?\W+"
_NEGATIVE_RE = {c: re.compile(rf"\b{_NEGATOR}{_GAP}{_window(c)}|{_HAVE_NOT}{_GAP}{_window(c)}",
                              re.IGNORECASE) for c in _EXISTENCE}
_POSITIVE_RE = {c: re.compile(rf"\b{_POSITIVE_VERB}\s+(?:(?:a|an|the|his|her|its|their|our)\s+)?"
                              rf"(?:\w+[\s-]+){{0,2}}?{_window(c)}", re.IGNORECASE)
                for c in _EXISTENCE}
_CONCEPT_RE = {c: re.compile(_window(c), re.IGNORECASE) for c in _OCCURRENCE}


def claims(text: str) -> list[Claim]:
    """Polar claims a sentence asserts: a plan exists or not, a call happened or not."""
    return list(_claims(text))


@lru_cache(maxsize=8192)
def _claims(text: str) -> tuple[Claim, ...]:
    if text.rstrip().endswith("?"):
        return ()
    out: list[Claim] = []
    low = text.lower()
    present = {c for c in (*_EXISTENCE, *_OCCURRENCE)
               if any(a in low for a in CONCEPTS_BY_ID[c].anchors)}
    if not present:
        return ()
    polar = _DENY.search(text) or _CONFIRM.search(text)
    for concept in _EXISTENCE:
        if concept not in present:
            continue
        negative = _NEGATIVE_RE[concept].search(text)
        if negative and not _HYPOTHETICAL.search(text[max(0, negative.start() - 40):
                                                      negative.start()]):
            out.append(Claim(concept, False))
            continue
        positive = _POSITIVE_RE[concept].search(text)
        if positive and not _HYPOTHETICAL.search(text[max(0, positive.start() - 40):
                                                      positive.start()]) \
                and not _NEGATION.search(text[max(0, positive.start() - 30):positive.end()]):
            out.append(Claim(concept, True))
    for concept in _OCCURRENCE:
        if not polar or concept not in present or not _CONCEPT_RE[concept].search(text):
            continue
        if _DENY.search(text):
            out.append(Claim(concept, False))
        elif _CONFIRM.search(text) and not _NEGATION.search(text) \
                and not _HYPOTHETICAL.search(text) and not _UNCONFIRMED.search(text):
            out.append(Claim(concept, True))
    return tuple(out)


def _numbers(text: str) -> set[str]:
    return {n.rstrip(".,") for n in _NUMBER.findall(text)} | \
        {w for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}


def _comparable(a: ClaimSource, b: ClaimSource) -> bool:
    if a.article_id == b.article_id:
        return False
    if a.outlet and b.outlet and a.outlet == b.outlet:
        return False  # one outlet is one source
    if StatementKind.QUESTION in (a.kind, b.kind):
        return False
    pa, pb = _naive(a.published), _naive(b.published)
    return not (pa and pb and abs((pa - pb).days) > WINDOW_DAYS)


def _naive(when: datetime | None) -> datetime | None:
    """UTC without tzinfo, so stored and fresh datetimes compare whatever their origin."""
    if when is None or when.tzinfo is None:
        return when
    return when.astimezone(UTC).replace(tzinfo=None)


def _order(a: ClaimSource, b: ClaimSource) -> tuple[ClaimSource, ClaimSource]:
    def rank(s: ClaimSource) -> tuple[datetime, int]:
        return (_naive(s.published) or datetime.min, s.id)
    return (a, b) if rank(a) <= rank(b) else (b, a)


@lru_cache(maxsize=8192)
def _word_set(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


# Who says it is not part of the claim: "..., the ministry said", "Satellite images show ...".
_TAIL_ATTRIBUTION = re.compile(
    r",\s*(?:[\w'\u2019-]+\s+){0,5}?(?:said|says|say|show|shows|showed|suggest|suggests|"
    r"reported|reports|claimed|claims|insisted|told\s+\w+)\b.*$|,?\s+according to\b.*$",
    re.IGNORECASE)
_HEAD_ATTRIBUTION = re.compile(
    r"^.{0,60}?\b(?:said|says|say|show|shows|showed|suggest|suggests|reported|reports|claimed|"
    r"claims|insisted|stressed|told\s+\w+)\s+(?:that\s+)?", re.IGNORECASE)
# A matter quoting a claim is cut to this length (one line in Slack).
MATTER_CHARS = 90
# Claims shorter than this (in content words) are too generic to call one the other's negation.
MIN_CLAIM_WORDS = 3


def claim_core(text: str) -> str:
    """The claim without who says it."""
    core = _TAIL_ATTRIBUTION.sub("", text.strip().rstrip("."))
    return _HEAD_ATTRIBUTION.sub("", core)


class _Core(NamedTuple):
    words: frozenset[str]
    numbers: frozenset[str]
    negated: bool  # an odd number of negations


@lru_cache(maxsize=8192)
def _core(text: str) -> _Core:
    """A statement's claim read once: every candidate pair reuses it."""
    core = claim_core(text)
    return _Core(_word_set(core), frozenset(_numbers(core)),
                 len(_NEGATION.findall(core)) % 2 == 1)


def _negation_flip(a: str, b: str) -> bool:
    return _cores_flip(_core(a), _core(b))


def _cores_flip(ca: _Core, cb: _Core) -> bool:
    if ca.negated == cb.negated:
        return False
    wa, wb = ca.words, cb.words
    if len(wa) < MIN_CLAIM_WORDS or len(wb) < MIN_CLAIM_WORDS:
        return False
    if len(wa & wb) / len(wa | wb) < NEGATION_FLIP_JACCARD:
        return False
    return ca.numbers == cb.numbers  # different figures: different claims, not one negated


def _opposed(a: tuple[Claim, ...], b: tuple[Claim, ...]) -> str | None:
    for x in a:
        if any(y.concept == x.concept and y.positive != x.positive for y in b):
            return x.concept
    return None


@lru_cache(maxsize=8192)
def _negated(text: str) -> bool:
    """Negations counted over the whole sentence: a cheap stand-in for the claim's own parity."""
    return len(_NEGATION.findall(text)) % 2 == 1


class ClaimTraits(NamedTuple):
    """What the rules read of a statement's wording, read once (`claim_traits`): pure, so
    the batch path's workers read them for a new article's statements, and the process that
    stores only compares them with the candidates'. Tuples (as `Claim` and `_Core`): they
    come back from the workers pickled, and a frozen dataclass unpickles ten times slower
    (3.2 ms an article's traits, bench/)."""

    claims: tuple[Claim, ...]
    negated: bool
    core: _Core  # most new statements meet a candidate differing in negation (77 %, bench/)


def claim_traits(text: str) -> ClaimTraits:
    return ClaimTraits(_claims(text), _negated(text), _core(text))


def find_contradictions(new: Sequence[StoredStatement | ClaimSource],
                        candidates: Sequence[StoredStatement | ClaimSource],
                        new_traits: Sequence[ClaimTraits] | None = None,
                        ) -> list[Contradiction]:
    """Pairs (new, candidate) from different sources that assert opposite things.
    `new_traits`: the new statements' `claim_traits` in their order, when read beforehand."""
    found: dict[tuple[int, int], Contradiction] = {}

    def profile(x: StoredStatement | ClaimSource
                ) -> tuple[ClaimSource, tuple[Claim, ...], bool, frozenset[str]]:
        s = x if isinstance(x, ClaimSource) else claim_source(x)
        return s, _claims(s.text), _negated(s.text), s.actors

    cand_info = [profile(c) for c in candidates]
    # a pair must share an actor: each new statement meets only the candidates naming one of
    # its actors, in the candidates' order
    by_actor: dict[str, list[int]] = defaultdict(list)
    for i, info in enumerate(cand_info):
        for actor in info[3]:
            by_actor[actor].append(i)
    for k, x in enumerate(new):
        if new_traits is not None:
            n = x if isinstance(x, ClaimSource) else claim_source(x)
            n_claims, n_negated, n_actors = new_traits[k].claims, new_traits[k].negated, n.actors
            n_core = new_traits[k].core
        else:
            n, n_claims, n_negated, n_actors = profile(x)
            n_core = None
        meeting = sorted({i for a in n_actors for i in by_actor.get(a, ())})
        for c, c_claims, c_negated, c_actors in (cand_info[i] for i in meeting):
            # cheapest tests first: most pairs neither oppose a claim nor differ in negation
            concept = _opposed(n_claims, c_claims) if n_claims and c_claims else None
            if concept is None and n_negated == c_negated:
                continue
            shared = n_actors & c_actors
            if not shared or c.id == n.id or not _comparable(n, c):
                continue
            if concept is not None:
                matter = f"{CONCEPTS_BY_ID[concept].label} ({', '.join(sorted(shared))})"
            elif _cores_flip(n_core := n_core or _core(n.text), _core(c.text)):
                positive = c.text if n_core.negated else n.text
                matter = f"whether {claim_core(positive)[:MATTER_CHARS]}"
            else:
                continue
            first, second = _order(n, c)
            found.setdefault((first.id, second.id),
                             Contradiction(first=first.id, second=second.id, matter=matter))
    return list(found.values())
