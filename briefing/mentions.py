"""Finds actor mentions: names, role descriptions ("the Russian president") and pronouns."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from briefing.actors import FEMALE, ActorRegistry, discover, fold, surname, text_genders
from briefing.models import Actor, ActorKind, CleanArticle, Mention, MentionKind, Sentence
from briefing.quotes import find_quote_spans, inside_quotes

# How many sentences back a pronoun may reach for its antecedent; news prose re-names a person
# within a few sentences, and reaching further mostly picks up the wrong one.
PRONOUN_LOOKBACK = 3

# Adjectives and country names in descriptions -> actor id of the country (or office).
DEMONYMS: dict[str, str] = {
    "russian": "russia", "russia's": "russia", "russia": "russia", "kremlin": "kremlin",
    "us": "united-states", "u.s.": "united-states", "american": "united-states",
    "america's": "united-states", "the united states": "united-states",
    "united states": "united-states", "us-": "united-states", "white house": "white-house",
    "ukrainian": "ukraine", "ukraine's": "ukraine", "ukraine": "ukraine",
    "french": "france", "france": "france", "german": "germany", "germany": "germany",
    "british": "united-kingdom", "uk": "united-kingdom", "britain's": "united-kingdom",
    "chinese": "china", "china": "china", "turkish": "turkey", "turkey": "turkey",
    "saudi": "saudi-arabia", "belarusian": "belarus", "polish": "poland", "italian": "italy",
    "hungarian": "hungary", "israeli": "israel", "indian": "india", "nato": "nato",
    "eu": "european-union", "european commission": "european-commission",
}
# Title words in descriptions -> role title in the registry.
TITLES: dict[str, str] = {
    "president": "president", "president-elect": "president-elect", "leader": "leader",
    "counterpart": "leader", "head of state": "leader", "chancellor": "chancellor",
    "prime minister": "prime minister", "premier": "prime minister",
    "foreign minister": "foreign minister", "top diplomat": "foreign minister",
    "defense minister": "defense minister", "defence minister": "defense minister",
    "defense secretary": "secretary of defense", "defence secretary": "secretary of defense",
    "secretary of defense": "secretary of defense", "pentagon chief": "secretary of defense",
    "secretary of state": "secretary of state", "vice president": "vice president",
    "national security adviser": "national security adviser",
    "national security advisor": "national security adviser",
    "spokesman": "spokesman", "spokeswoman": "spokesman", "spokesperson": "spokesman",
    "press secretary": "press secretary", "crown prince": "crown prince", "chief": "leader",
    "secretary general": "secretary general", "secretary-general": "secretary general",
}
# Titles that name a US office when no country is given ("our new Secretary of Defense").
US_BY_DEFAULT = frozenset({"secretary of defense", "secretary of state", "pentagon chief",
                           "national security adviser", "defense secretary"})

_ADJ = "|".join(sorted((re.escape(k) for k in DEMONYMS), key=len, reverse=True))
_TITLE = "|".join(sorted((re.escape(k) for k in TITLES), key=len, reverse=True))
_DESCRIPTION = re.compile(
    rf"(?<![\w-])(?:(?:the|his|her|their|its|our)\s+(?:new\s+|then-|former\s+)?)?"
    rf"(?:(?P<adj>{_ADJ})\s+(?P<title>{_TITLE})"
    rf"|(?P<title2>{_TITLE})\s+of\s+(?:the\s+)?(?P<adj2>{_ADJ})"
    rf"|(?P<title3>Secretary\s+of\s+Defense|Defense\s+Secretary|Pentagon\s+chief|"
    rf"Secretary\s+of\s+State|National\s+Security\s+Advis[eo]r))(?![\w-])",
    re.IGNORECASE)
# A country's official body, which speaks for the country: "the Russian embassy said".
# Unnamed "Russian officials" are left out on purpose: they are sources, not the state.
_BODY = re.compile(
    r"(?<![\w-])(?P<adj>Russian|Ukrainian|American|French|German|British|Chinese|Turkish|Polish|"
    r"Italian|Hungarian|Israeli|Indian|Belarusian|Saudi)\s+(?:[Ee]mbassy|[Gg]overnment|"
    r"[Dd]elegation|side|[Aa]uthorities|negotiators|[Nn]egotiating\s+team|"
    r"[Dd]efen[cs]e\s+[Mm]inistry|[Ff]oreign\s+[Mm]inistry)(?![\w-])"
    # "Russian foreign ministry spokeswoman Maria Zakharova": a title before a person
    r"(?!\s+(?:[Ss]pokes\w+|[Oo]fficials?|[Mm]inister|[Cc]hief|[Hh]ead|[Aa]mbassador|[Ee]nvoy|"
    r"[Ss]ource|[A-Z]))")
_SPACES = re.compile(r" +")
_INDEFINITE = re.compile(r"\b(?:an?|any|every|another|pro-|anti-)\s*$", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|him|his|she|her|hers|himself|herself)\b", re.IGNORECASE)
_PAREN_NAME = re.compile(r"\s*[(\[]\s*([^()\[\]]{2,40}?)\s*[)\]]")
_SPEECH_NEAR = re.compile(
    r"^\s*(?:,[^,]{0,80},\s*)?(?:has\s+|had\s+|also\s+|further\s+|then\s+)*"
    r"(?:said|says|told|tells|wrote|writes|noted|added|stated|stressed|insisted|warned|"
    r"remarked|explained|argued|claimed|replied|declared|announced|acknowledged|suggested|"
    r"emphasi[sz]ed|confirmed|pointed\s+out|indicated)\b")


@dataclass
class Found:
    mentions: list[Mention]
    actors: list[Actor]
    registry: ActorRegistry
    extra: dict[str, object] = field(default_factory=dict)


def _surface_forms(actors: list[Actor]) -> dict[str, str]:
    """Text form -> actor id. Surnames of people count unless two people share one."""
    forms: dict[str, str] = {}
    surnames: dict[str, set[str]] = {}
    for a in actors:
        for alias in (a.name, *a.aliases):
            if alias and (alias[0].isupper() or alias[0].isdigit() or alias.startswith("the ")):
                forms.setdefault(alias, a.id)
        if a.kind is ActorKind.PERSON:
            surnames.setdefault(surname(a.name), set()).add(a.id)
    for sn, ids in surnames.items():
        if len(ids) == 1 and sn not in forms:
            forms[sn] = next(iter(ids))
    return forms


_CAP_WORD = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z][^\W_]*")


class _NameIndex:
    """Surface forms by their first word: matching visits each capitalised word of a text once
    and tries the longest form starting there, instead of running one regex with hundreds of
    alternatives."""

    def __init__(self, actors: list[Actor]) -> None:
        self.by_first: dict[str, list[tuple[str, str]]] = {}
        # forms that name the actor only after "the" ("the Russians" is the side in talks,
        # "Russians" alone the people)
        self.after_the: set[str] = set()
        surface = _surface_forms(actors)
        for form, actor_id in surface.items():
            if form.startswith("the "):
                bare = form[4:]
                if bare in surface or not bare[:1].isupper() or not bare.endswith("ans"):
                    # "the Kremlin": "Kremlin" covers it; "the Senate", "the West" are left
                    # to the readers that know them
                    continue
                form = bare
                self.after_the.add(bare)
            first = _CAP_WORD.match(form)
            if first is None:
                continue
            self.by_first.setdefault(first.group(), []).append((form, actor_id))
        for forms in self.by_first.values():
            forms.sort(key=lambda f: len(f[0]), reverse=True)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, actor id) of each longest form, left to right, not overlapping."""
        out: list[tuple[int, int, str]] = []
        last = -1
        n = len(text)
        get = self.by_first.get
        for m in _CAP_WORD.finditer(text):
            p = m.start()
            if p < last:
                continue
            for form, actor_id in get(m.group(), ()):
                end = p + len(form)
                if text.startswith(form, p) and (end >= n or not text[end].isalnum()) and (
                        form not in self.after_the or text[max(0, p - 4):p].lower() == "the "):
                    out.append((p, end, actor_id))
                    last = end
                    break
        return out


def _index_for(registry: ActorRegistry) -> _NameIndex:
    cached = getattr(registry, "_name_index", None)
    if isinstance(cached, _NameIndex):
        return cached
    index = _NameIndex(list(registry.actors.values()))
    registry._name_index = index  # type: ignore[attr-defined]
    return index


_TITLE_HINT = re.compile(
    r"president|leader|counterpart|head\s+of\s+state|chancellor|minister|premier|"
    r"diplomat|secretary|chief|advis[eo]r|spokes\w+|prince")


def _descriptions(text: str) -> list[re.Match[str]]:
    """Role descriptions, tried only at the few word starts just before each title word (the
    pattern is slow to search, fast to match at a given place)."""
    out: list[re.Match[str]] = []
    last = 0
    low = text.lower()
    if len(low) != len(text):  # a few characters change length in lower case
        low = text
    for hint in _TITLE_HINT.finditer(low):
        if hint.start() < last:
            continue
        lo = max(last, hint.start() - 40)
        starts = [w.start() for w in _WORD_START.finditer(text, lo, hint.start())]
        for pos in [*starts, hint.start()]:
            m = _DESCRIPTION.match(text, pos)
            if m is not None and m.end() >= hint.end():
                out.append(m)
                last = m.end()
                break
    return out


_WORD_START = re.compile(r"(?<![\w.'\u2019-])[\w]")


def resolve_description(text: str, *, registry: ActorRegistry, on: date | None) -> str | None:
    """The actor a role description names on a date: "the Russian president" -> "putin"."""
    m = _DESCRIPTION.fullmatch(text.strip()) or _DESCRIPTION.search(text)
    if not m:
        return None
    return _resolve_match(m, registry, on)


def _resolve_match(m: re.Match[str], registry: ActorRegistry, on: date | None) -> str | None:
    adj = (m.group("adj") or m.group("adj2") or "").lower()
    raw = m.group("title") or m.group("title2") or m.group("title3")
    title = TITLES[re.sub(r"\s+", " ", raw.lower())]
    of = DEMONYMS.get(adj)
    if of == "kremlin" and title in {"leader", "president"}:
        of = "russia"
    if of == "white-house" and title in {"leader", "president"}:
        of = "united-states"
    if of is None and title in US_BY_DEFAULT:
        of = "united-states"
    holder = registry.holder_of(title, of, on)
    if holder is None and title == "president" and of == "united-states" and on is not None:
        holder = registry.holder_of("president-elect", of, on)
    return holder.id if holder else None


_SET_ATTR = object.__setattr__
_MENTION_FIELDS = frozenset(Mention.model_fields)
_MENTION_FIELDS_NO_KIND = _MENTION_FIELDS - {"kind"}


def _mention(sentence: int, start: int, end: int, text: str, actor_id: str,
             kind: MentionKind | None = None) -> Mention:
    """What Mention.model_construct gives for these values (kind left unset when None), without
    its per-field work: the values are built here with the right types, and validating or
    constructing a few hundred mentions per article the general way costs more than finding
    them."""
    m = Mention.__new__(Mention)
    _SET_ATTR(m, "__dict__", {"sentence": sentence, "start": start, "end": end, "text": text,
                              "actor_id": actor_id, "kind": kind or MentionKind.NAME})
    _SET_ATTR(m, "__pydantic_fields_set__",
              set(_MENTION_FIELDS if kind is not None else _MENTION_FIELDS_NO_KIND))
    _SET_ATTR(m, "__pydantic_extra__", None)
    _SET_ATTR(m, "__pydantic_private__", None)
    return m


def find_mentions(article: CleanArticle, sents: list[Sentence], *,
                  registry: ActorRegistry) -> Found:
    """Every mention of an actor, with offsets into article.text, and the actors they name.

    People named beside a title or a speech verb who are not in the registry are discovered and
    added to the returned registry.
    """
    text = article.text
    on = article.published.date() if article.published else None
    discovered = discover(text, registry)
    full = registry.with_actors(discovered) if discovered else registry
    starts = [s.start for s in sents]

    def sentence_of(pos: int) -> int:
        i = bisect.bisect_right(starts, pos) - 1
        return sents[i].index if i >= 0 else 0

    spans: list[Mention] = []
    found = _index_for(registry).find(text)
    if discovered:
        taken = {p for a, b, _ in found for p in range(a, b)}
        found.extend(f for f in _NameIndex(discovered).find(text) if f[0] not in taken)
    for a, b, actor_id in found:
        spans.append(_mention(sentence_of(a), a, b, text[a:b], actor_id))
    spans.sort(key=lambda x: x.start)
    name_starts = {mm.start for mm in spans}
    for m in _descriptions(text):
        gap = _SPACES.match(text, m.end())
        after = gap.end() if gap else m.end()
        if after in name_starts:
            continue  # a title before a name ("Russian President Vladimir Putin")
        if _INDEFINITE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "a U.S. president", "a pro-Russian president": not one person
        inside = [mm for mm in spans if mm.start < m.end() and m.start() < mm.end]
        if any(_is_person(full, mm.actor_id) or mm.start < m.start() or mm.end > m.end()
               for mm in inside):
            continue
        desc_id = _resolve_match(m, full, on)
        if desc_id is None:
            continue
        # "the US president": the country inside the description is not a mention of its own
        drop = {mm.start for mm in inside}
        spans = [mm for mm in spans if mm.start not in drop]
        spans.append(_mention(sentence_of(m.start()), m.start(), m.end(), m.group(), desc_id,
                              MentionKind.DESCRIPTION))
    spans.sort(key=lambda x: x.start)
    for m in _BODY.finditer(text):
        # "the Russian embassy", "the Ukrainian delegation": a body speaking for its country
        if any(mm.start < m.end() and m.start() < mm.end for mm in spans):
            continue
        country = DEMONYMS.get(m.group("adj").lower())
        if country is not None and country in full.actors:
            spans.append(_mention(sentence_of(m.start()), m.start(), m.end(), m.group(), country,
                                  MentionKind.DESCRIPTION))
    spans.sort(key=lambda x: x.start)
    spans.extend(_anaphoric_titles(text, spans, full, sentence_of))
    spans.sort(key=lambda x: x.start)
    genders = text_genders(text, discovered) if discovered else {}
    spans.extend(_resolve_pronouns(text, sents, spans, full, sentence_of, genders=genders))
    spans.sort(key=lambda x: x.start)
    ids = dict.fromkeys(mm.actor_id for mm in spans)
    return Found(mentions=spans, actors=[full.actors[i] for i in ids if i in full.actors],
                 registry=full)


def _is_person(registry: ActorRegistry, actor_id: str) -> bool:
    a = registry.get(actor_id)
    return a is not None and a.kind is ActorKind.PERSON


def focus_person(text: str, sent_mentions: list[Mention], registry: ActorRegistry, *,
                 offset: int = 0) -> str | None:
    """The person a sentence is mainly about: its speaker if one is visible, else its subject.

    Mention offsets minus `offset` index into `text` (the sentence).
    """
    people = [m for m in sent_mentions if _is_person(registry, m.actor_id)]
    if not people:
        return None
    for m in people:
        end = m.end - offset
        if _SPEECH_NEAR.match(text[end:end + 120]):
            return m.actor_id
    lowered = text.lower()
    for m in people:
        start = m.start - offset
        before = lowered[max(0, start - 120):start]
        if "according to" in before and "." not in before.split("according to")[-1]:
            return m.actor_id
    return people[0].actor_id


# "the minister", "the Mississippi senator", "the Russian minister", "the ministry": a title
# (or an institution's head noun) standing for the actor last named with it. The people's
# titles are compared with their roles, the institutions' nouns with their names.
_PERSON_NOUNS = (r"(?:(?:foreign|defen[cs]e|prime|interior|finance|press|deputy|vice|chief|"
                 r"home|justice|economy|energy|trade)\s+)?"
                 r"(?:minister|senator|spokes(?:man|woman|person)|secretary|envoy|ambassador|"
                 r"governor|chancellor|lawmaker|congress(?:man|woman)|mayor|premier|"
                 r"commissioner|negotiator|diplomat|adviser|advisor|aide|president)")
_ORG_NOUNS = r"(?:ministry|embassy|department|commission|committee|agency|council)"
_ANAPHOR = re.compile(
    rf"(?<![\w-])(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:(?!(?:the|this|that)\s)"
    rf"(?P<mod>[A-Z][\w'\u2019-]+|[a-z]+)\s+)??"
    rf"(?:(?P<person>{_PERSON_NOUNS})|(?P<org>{_ORG_NOUNS}))$", re.IGNORECASE)
# The head nouns alone, searched in the lower-cased text: the full pattern is then matched only
# in a short window ending at each (searching the whole text with it costs ten times more).
_ANAPHOR_HEAD = re.compile(
    r"(?<![\w-])(?:minister|senator|spokes(?:man|woman|person)|secretary|envoy|ambassador|"
    r"governor|chancellor|lawmaker|congress(?:man|woman)|mayor|premier|commissioner|negotiator|"
    r"diplomat|advis[eo]r|aide|ministry|embassy|department|commission|committee|agency|"
    r"council|president)(?![\w-])")
ANAPHOR_WINDOW = 48  # "the" + a modifier + a two-word title fit in this many characters
# The head nouns' stems, looked up with str.find (a C scan per stem is faster than one regex
# pass with every alternative); _ANAPHOR_HEAD then checks the word at each hit.
_HEAD_STEMS = ("minist", "senator", "spokes", "secretary", "envoy", "ambassador", "governor",
               "chancellor", "lawmaker", "congress", "mayor", "premier", "commission",
               "negotiator", "diplomat", "advis", "aide", "embassy", "department", "committee",
               "agency", "council", "president")


def _head_nouns(low: str) -> list[re.Match[str]]:
    """The head nouns of _ANAPHOR_HEAD in the lower-cased text, in order."""
    hits: list[re.Match[str]] = []
    for stem in _HEAD_STEMS:
        i = low.find(stem)
        while i >= 0:
            m = _ANAPHOR_HEAD.match(low, i)
            if m is not None:
                hits.append(m)
            i = low.find(stem, i + 1)
    hits.sort(key=lambda m: m.start())
    return hits
# Modifiers that say nothing about who is meant ("the veteran senator", "the new minister").
_LOOSE_MODS = frozenset({"former", "new", "veteran", "top", "senior", "then", "same", "current",
                         "outgoing", "incoming", "acting", "junior", "powerful", "embattled"})
# How far back (in characters) the actor named with the title may be; a news paragraph or two.
ANAPHOR_REACH = 1200
_TITLE_ABBREVIATIONS = {"sen.": "senator", "sen": "senator", "gov.": "governor",
                        "gov": "governor", "rep.": "representative", "defence": "defense",
                        "spokesman": "spokesperson", "spokeswoman": "spokesperson",
                        "congressman": "congressperson", "congresswoman": "congressperson",
                        "advisor": "adviser"}


def _norm_title(title: str) -> str:
    words = title.lower().replace("-", " ").split()
    return " ".join(_TITLE_ABBREVIATIONS.get(w, w) for w in words)


def _anaphoric_titles(text: str, spans: list[Mention], registry: ActorRegistry,
                      sentence_of: object) -> list[Mention]:
    """Mentions for "the minister", "the ministry" and the like: the nearest actor named
    before with that title (or, for an institution, with that noun in its name)."""
    low = text.lower()
    if len(low) != len(text):  # a few characters change length in lower case
        low = text
    out: list[Mention] = []
    starts = [m.start for m in spans]
    assert callable(sentence_of)
    for head in _head_nouns(low):
        m = _ANAPHOR.search(text, max(0, head.start() - ANAPHOR_WINDOW), head.end())
        if m is None:
            continue
        i = bisect.bisect_left(starts, m.start())
        if i < len(spans) and spans[i].start < m.end():
            continue  # already a mention ("the Kremlin", "the Russian president")
        if i > 0 and spans[i - 1].end > m.start():
            continue
        nxt = text[m.end():m.end() + 2]
        if nxt[:1] == " " and nxt[1:2].isupper():
            continue  # a title before a name: "the minister Hakan Fidan"
        if re.match(r"\s+(?:of|for|to|on)\b", text[m.end():m.end() + 5]) and (
                m.group("org") or m.group("person").lower().endswith("president")):
            # "the ministry of defence", "the president of the Commission": an institution or
            # an office named in full, not anaphora
            continue
        raw_mod = m.group("mod") or ""
        mod = raw_mod.lower()
        country = DEMONYMS.get(mod)
        noun = _norm_title(m.group("person") or m.group("org"))
        # "the health minister" is not the foreign minister, "the election commission" not the
        # European Commission: a lowercase modifier must be in the title or the name
        must = _norm_title(mod) if raw_mod.islower() and mod not in _LOOSE_MODS \
            and country is None else ""
        target: str | None = None
        for prev in reversed(spans[max(0, i - 40):i]):
            if prev.start < m.start() - ANAPHOR_REACH:
                break
            if prev.kind is MentionKind.PRONOUN:
                continue
            a = registry.get(prev.actor_id)
            if a is None:
                continue
            if m.group("org"):
                words = fold(a.name).split()
                ok = a.kind is ActorKind.ORGANISATION and noun in words and (
                    not must or must in words)
            else:
                ok = a.kind is ActorKind.PERSON and any(
                    (noun == t or (t.endswith(" " + noun)
                                   and not t.startswith(("prime ", "vice "))))
                    and (not must or must in t.split())
                    for t in (_norm_title(r.title) for r in a.roles))
                if ok and country and not a.discovered and mod not in _LOOSE_MODS:
                    ok = country in a.member_of or any(r.of == country for r in a.roles)
            if ok:
                if target is not None and target != a.id:
                    target = None  # two presidents named before: "the president" is a guess
                    break
                target = a.id
                if noun != "president" or raw_mod:
                    break
        if target is None:
            continue
        start = m.start()
        out.append(_mention(sentence_of(start), start, m.end(), m.group(), target,
                            MentionKind.DESCRIPTION))
    return out


_FEMALE_WORDS = frozenset({"she", "her", "hers", "herself"})
_MALE_WORDS = frozenset({"he", "him", "his", "himself"})
# "Speaking in Berlin alongside X, he said": a participle (or "Asked ...") opens the sentence,
# and its subject is the pronoun's; names inside the phrase are its objects.
_PARTICIPIAL_OPENER = re.compile(r"\W*(?:[A-Z][a-z]+ing|Asked|Pressed|Questioned|Interviewed)\b"
                                 r"[^.;:!?]*,\s*$")


def _resolve_pronouns(text: str, sents: list[Sentence], names: list[Mention],
                      registry: ActorRegistry, sentence_of: object, *,
                      genders: dict[str, bool] | None = None) -> list[Mention]:
    by_sentence: dict[int, list[Mention]] = {}
    quoted = find_quote_spans(text)
    for m in names:
        by_sentence.setdefault(m.sentence, []).append(m)
    out: list[Mention] = []
    resolved: dict[int, list[Mention]] = {}  # pronoun mentions by sentence, as found
    # (actor id, female) -> whether the pronoun can stand for the actor: asked for every
    # candidate of every pronoun, answered once per article
    fits: dict[tuple[str, bool], bool] = {}

    def _fits(actor_id: str, female: bool) -> bool:
        a = registry.get(actor_id)
        if a is None or a.kind is not ActorKind.PERSON:
            return False
        if a.discovered:
            known = (genders or {}).get(actor_id)
            return known is None or known == female
        return (actor_id in FEMALE) == female

    def same_gender(m: Mention, female: bool) -> bool:
        """A resolved "his" is never the antecedent of "she", nor "her" of "he"."""
        if m.kind is not MentionKind.PRONOUN:
            return True
        word = m.text.lower()
        return word not in (_MALE_WORDS if female else _FEMALE_WORDS)

    for s in sents:
        for pm in _PRONOUN.finditer(s.text):
            word = pm.group(1).lower()
            female = word in {"she", "her", "hers", "herself"}
            start = s.start + pm.start()

            def compatible(actor_id: str, female: bool = female) -> bool:
                key = (actor_id, female)
                if key not in fits:
                    fits[key] = _fits(actor_id, female)
                return fits[key]

            target: str | None = None
            paren = _PAREN_NAME.match(s.text, pm.end())
            if paren:  # "He (Putin) wants ..."
                inner = [m for m in by_sentence.get(s.index, [])
                         if s.start + paren.start(1) <= m.start < s.start + paren.end(1)]
                if inner:
                    target = inner[0].actor_id
            # "'Xi wants the war to end,' he said": a pronoun outside the quote is not
            # someone named inside it
            in_quote = inside_quotes(start, quoted)
            here = [m for m in by_sentence.get(s.index, []) + resolved.get(s.index, [])
                    if m.start < start and compatible(m.actor_id) and same_gender(m, female)
                    and (in_quote or not inside_quotes(m.start, quoted))]
            if here and word in {"he", "she"} and _PARTICIPIAL_OPENER.match(
                    text, s.start, start):
                here = []  # "Speaking alongside Tusk, he said": not Tusk
            here.sort(key=lambda x: x.start)
            if target is None and here:
                if word in {"him", "himself", "herself"} and len(here) > 1:
                    target = here[-1].actor_id
                elif word in {"him"}:
                    target = None
                else:
                    target = here[0].actor_id
            if target is None:
                for back in range(1, PRONOUN_LOOKBACK + 1):
                    idx = s.index - back
                    if idx < 0:
                        break
                    prev = [m for m in by_sentence.get(idx, []) + resolved.get(idx, [])
                            if compatible(m.actor_id) and same_gender(m, female)]
                    if not prev:
                        continue
                    prev.sort(key=lambda x: x.start)
                    target = focus_person(sents[idx].text, prev, registry,
                                          offset=sents[idx].start)
                    if word == "him" and len(prev) > 1 and target == prev[0].actor_id:
                        target = next((m.actor_id for m in prev if m.actor_id != target), target)
                    break
            if target is None:
                continue
            found = _mention(s.index, start, s.start + pm.end(), pm.group(1), target,
                             MentionKind.PRONOUN)
            out.append(found)
            resolved.setdefault(s.index, []).append(found)
    return out
