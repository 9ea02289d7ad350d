"""Direct quotes and who said them: speaker before, after or between the quoted words."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from briefing.actors import ActorRegistry
from briefing.models import ActorKind, Mention, MentionKind, Sentence

# Quotes shorter than this are scare quotes or fragments ("freeze", "root causes") unless a
# speech verb sits right beside them; three words is where news quotes start to be sayings.
MIN_QUOTE_WORDS = 3
# Inside reported speech a two-word phrase ("Farage said Russia was “running scared”") is
# already the speaker's wording; one quoted word is as often a term or a scare quote
# ("“unrealistic”", "“immediate” talks").
MIN_REPORTED_WORDS = 2
# The speaker phrase after a quote ("seven European nations and the European Commission") is
# rarely longer; longer spans are a new clause, not an attribution.
MAX_SPEAKER_WORDS = 10
# Words allowed between a speech verb and the quote it introduces ("told the New York Post:").
MAX_LEAD_WORDS = 9
# A quote with no closing mark runs to the end of its paragraph, but never further than this.
MAX_QUOTE_CHARS = 2500

SPEECH_VERBS = (
    "said", "says", "say", "told", "tells", "wrote", "writes", "noted", "notes", "added", "adds",
    "insisted", "insists", "stressed", "stresses", "warned", "warns", "stated", "states",
    "remarked", "remarks", "explained", "explains", "argued", "argues", "claimed", "claims",
    "asked", "asks", "replied", "replies", "responded", "declared", "declares", "announced",
    "announces", "acknowledged", "acknowledges", "emphasized", "emphasised", "emphasizes",
    "emphasises", "continued", "posted", "tweeted", "commented", "recalled", "concluded",
    "admitted", "admits", "urged", "urges", "suggested", "suggests", "predicted", "promised",
    "vowed", "conceded", "cautioned", "complained", "quipped", "boasted", "reiterated",
    "underlined", "underscored", "pointed out", "went on", "wrote on", "told reporters",
    "stating", "saying", "adding", "noting", "insisting", "stressing", "warning", "telling",
    "writing", "declaring", "explaining", "arguing", "asking", "promising", "emphasizing",
    "emphasising", "claiming", "urging", "calling", "characterizing", "characterising",
    "describing", "dubbing", "labelling", "labeling", "described", "called",
    # tabloid and parliamentary speech verbs
    "fumed", "raged", "snapped", "scoffed", "thundered", "blasted", "slammed", "hit back",
    "joked", "mused", "observed", "countered", "retorted", "shot back", "protested",
    "maintained", "asserted", "pledged", "demanded",
)
_VERB = "|".join(sorted((re.escape(v).replace(r"\ ", r"\s+") for v in SPEECH_VERBS),
                        key=len, reverse=True))
_AUX = r"(?:(?:has|had|have|also|later|then|further|again|once\s+again|previously|earlier|" \
       r"repeatedly|reportedly|would|will|has\s+also|had\s+also)\s+)*"

_OPEN_CLOSE = (("\u201c", "\u201d"), ('"', '"'), ("\u2018", "\u2019"), ("\u00ab", "\u00bb"))
_N = MAX_QUOTE_CHARS
_DOUBLE_CURLY = re.compile(rf"\u201c([^\u201c\u201d]{{1,{_N}}})\u201d")
# The opening mark comes first so the regex engine can jump to each '"' (the lookbehind,
# "not after a word character", is checked once it is found): ten times faster than
# (?<![\w])"..." and equal to it (pinned by a test).
_STRAIGHT = re.compile(rf'"(?<![\w]")([^"\n]{{1,{_N}}})"')
_SINGLE_CURLY = re.compile(rf"\u2018([^\u2018\n]{{1,{_N}}}?)\u2019(?![\w])")
_GUILLEMETS = re.compile(rf"\u00ab([^\u00ab\u00bb]{{1,{_N}}})\u00bb")
_UNCLOSED = re.compile(rf"\u201c([^\u201c\u201d\n]{{8,{_N}}})(?=\n|$)")
# Straight single marks ('...'), as UK papers quote: an opening mark after a space, a bracket
# or a dash and before a word character; a closing mark after a word character or punctuation
# and before none. An apostrophe inside a word (won't, Britain's) is neither.
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[\u2013\u2014-]))'(?=[^\W_])"
                          r"(?!\d\ds\b|(?:em|til|tis|twas|n|cause)\b)", re.MULTILINE)
_SINGLE_CLOSE = re.compile(r"(?<=[^\W_]|[.,;:!?\u2026-])'(?![^\W_])")
# "the leaders' summit": a plural possessive looks like a closing mark; it is taken as one only
# when the paragraph holds no later closing mark.
_POSSESSIVE_CLOSE = re.compile(r"s'\s+[a-z0-9]")

_AFTER_WHO_VERB = re.compile(
    rf"^[\s,;:\u2013\u2014-]*(?P<who>[^.!?\u201c\u201d\"\n]{{1,120}}?)\s+{_AUX}(?P<verb>{_VERB})\b")
# Abbreviated titles keep their full stop inside a speaker phrase ("said Sen. Lindsey Graham").
_TITLE_ABBR = (r"(?:(?:Sen|Rep|Gov|Gen|Lt|Col|Maj|Capt|Adm|Dr|Mr|Mrs|Ms|Prof|Amb|Sgt|Rev|St|"
               r"U\.S|U\.K|U\.N)\.\s+)")
_AFTER_VERB_WHO = re.compile(
    rf"^[\s,;:\u2013\u2014-]*(?P<verb>{_VERB})\s+"
    rf"(?P<who>(?:[^,.;!?\u201c\u201d\"\n]{{0,40}}\b{_TITLE_ABBR}){{0,2}}"
    rf"[^,.;!?\u201c\u201d\"\n]{{1,100}})")
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<who>[^.;!?\u201c\u201d\"\n]{1,160})",
                        re.IGNORECASE)
_BEFORE = re.compile(
    rf"(?P<verb>{_VERB})\b(?P<lead>[^.!?\u201c\u201d\"\n]{{0,120}}?)\s*(?P<punct>[:,]|\bthat)?\s*$")
_FRAME = re.compile(rf"(?P<who>\S+)\s+{_AUX}(?P<verb>{_VERB})\b")
_APPOSITIVE = re.compile(r",[^,]{1,80},")
_ASIDE_END = re.compile(r",[^,\u201c\u201d\"]{1,100},\s*(?:has\s+|had\s+|also\s+)*$")
_VERB_AT = re.compile(rf"\b(?:{_VERB})\b")


# "calling it “a power grab”", "described the plan as “a trap”": a naming verb takes a short
# object, then the quoted name; longer spans are a clause of their own.
MAX_NAMED_WORDS = 4
_NAMING = re.compile(r"(?:call|describ|dubb|label|brand|characteri[sz])")
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+$")


def _last_lead_in(head: str) -> re.Match[str] | None:
    """The speech verb that introduces a quote at the end of `head`, nearest first."""
    for v in reversed(list(_VERB_AT.finditer(head))):
        m = _BEFORE.match(head, v.start())
        if m is None or (not m.group("verb").endswith("ing")
                         and _PASSIVE_BEFORE.search(head, 0, v.start())):
            # "he was called “a traitor”", "the date would be announced “when ...”": a
            # passive verb has no speaker before it
            continue
        lead = m.group("lead").strip()
        if len(lead.split()) <= MAX_LEAD_WORDS and (
                m.group("punct") or not lead
                or (re.search(r"\b(?:as|to)$", lead) and len(lead.split()) <= 3)
                or (_NAMING.match(m.group("verb")) and len(lead.split()) <= MAX_NAMED_WORDS)):
            return m
    return None


_PARTICIPLE = re.compile(r"ing$")
_IN_VIEW = re.compile(
    r"\b[Ii]n\s+(?:(?P<who>his|her|their|[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3}['\u2019]s?)\s+"
    r"(?:view|words|opinion|estimation|telling|account)"
    r"|the\s+(?:view|words|opinion)\s+of\s+(?P<who2>[^,.;:!?\u201c\u201d\"\n]{1,80}))")
_INFINITIVE_BEFORE = re.compile(r"\bto\s+$")
_APPOSED_NAME = re.compile(r",\s+([A-Z][^,.;!?\n]{1,60}?)\s*(?:[.;]|,\s|$)")
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|his|her|their|its|these|those|such|rejected|denied|"
                          r"dismissed|repeated|echoed|made)\s+$", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|us|our)\b", re.IGNORECASE)
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it"})


@dataclass
class Quote:
    """Quoted words with offsets into the article text (without the marks) and their speaker."""

    start: int
    end: int
    text: str
    speaker: str | None = None
    speaker_label: str | None = None
    cue: str = ""  # "after", "before", "between", "according", "reported", "continuation"

    @property
    def words(self) -> int:
        return len(self.text.split())


def _unclosed_straight(text: str) -> list[tuple[int, int]]:
    """A paragraph opened by a straight double mark that never closes it: a quote running on
    into the next paragraph (news style), the straight-quote twin of _UNCLOSED. Read line by
    line: a regex anchored at every line start costs ten times more."""
    out: list[tuple[int, int]] = []
    if '"' not in text:
        return out
    pos = 0
    for line in text.split("\n"):
        body = line.lstrip(" \t")
        if body.startswith('"') and body.count('"') == 1 and 8 <= len(body) - 1 <= _N:
            start = pos + len(line) - len(body) + 1
            out.append((start, pos + len(line)))
        pos += len(line) + 1
    return out


def _straight_single(text: str) -> list[tuple[int, int]]:
    """(start, end) of each passage in straight single marks, paragraph by paragraph."""
    if "'" not in text:
        return []
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        o = _SINGLE_OPEN.search(text, pos)
        if o is None:
            return out
        para_end = text.find("\n", o.end())
        para_end = len(text) if para_end < 0 else para_end
        closes = [c.start() for c in _SINGLE_CLOSE.finditer(text, o.end(), para_end)
                  if c.start() - o.end() <= MAX_QUOTE_CHARS]
        if not closes:
            pos = o.end()
            continue
        end = next((c for c in closes if not _POSSESSIVE_CLOSE.match(text, c - 1)), closes[-1])
        out.append((o.end(), end))
        pos = end + 1


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quoted passage's words, without the quotation marks, in order."""
    return list(_quote_spans(text))


@lru_cache(maxsize=8)  # mentions and quotes both ask for the same article's spans
def _quote_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []

    def add(s: int, e: int) -> None:
        if not text[s:e].strip():
            return
        if any(a - 1 <= s < b + 1 or a - 1 < e <= b + 1 for a, b in spans):
            return
        spans.append((s, e))

    for pattern in (_DOUBLE_CURLY, _STRAIGHT, _GUILLEMETS, _SINGLE_CURLY):
        for m in pattern.finditer(text):
            add(m.start(1), m.end(1))
    for s, e in _straight_single(text):
        add(s, e)
    for m in _UNCLOSED.finditer(text):
        add(m.start(1), m.end(1))
    for s, e in _unclosed_straight(text):
        add(s, e)
    spans.sort()
    return tuple(spans)


def inside_quotes(pos: int, spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (pos, 1 << 60)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _pick(mentions: list[Mention], registry: ActorRegistry) -> Mention | None:
    """The speaker among the mentions of a speaker phrase: a person first, then anyone."""
    def kind(m: Mention) -> ActorKind | None:
        a = registry.get(m.actor_id)
        return a.kind if a else None
    people = [m for m in mentions if kind(m) is ActorKind.PERSON]
    if people:
        named = [m for m in people if m.kind is not MentionKind.PRONOUN]
        return (named or people)[0]
    # an organisation speaks before the country it belongs to ("Kremlin" over "Russia")
    orgs = [m for m in mentions if kind(m) in (ActorKind.ORGANISATION, ActorKind.GROUP)]
    pool = orgs or mentions
    return pool[0] if pool else None


def _label(who: str) -> str:
    who = re.sub(r"\s+", " ", who).strip(" ,;:-\u2013\u2014")
    return re.sub(r"^(?:and|but|so)\s+", "", who)


class _Context:
    def __init__(self, text: str, sents: list[Sentence], mentions: list[Mention],
                 registry: ActorRegistry, spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.sents = sents
        self.starts = [s.start for s in sents]
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.mstarts = [m.start for m in self.mentions]
        self.registry = registry
        self.spans = spans

    def sentence_at(self, pos: int) -> Sentence:
        i = max(0, bisect.bisect_right(self.starts, pos) - 1)
        return self.sents[i]

    def mentions_in(self, a: int, b: int, *, outside_quotes: bool = True) -> list[Mention]:
        lo = bisect.bisect_left(self.mstarts, a)
        hi = bisect.bisect_left(self.mstarts, b)
        found = self.mentions[lo:hi]
        if outside_quotes:
            found = [m for m in found if not inside_quotes(m.start, self.spans)]
        return found

    def speaker_in(self, a: int, b: int) -> str | None:
        m = _pick(self.mentions_in(a, b), self.registry)
        return m.actor_id if m else None


# A clause ending in a colon that names the speaker first ("Zelensky was blunt:") is this short.
MAX_COLON_WORDS = 6
# A longer clause before a colon still introduces its subject's words when that subject is the
# only person in it and stands near its start ("His defence minister, Boris Pistorius, went
# further in an interview with ZDF:"); past this length it is a sentence of its own.
MAX_COLON_CLAUSE_WORDS = 20
MAX_SUBJECT_LEAD_WORDS = 4
_POSSESSIVES = frozenset({"his", "her", "its", "their"})
_COLON_LEAD = re.compile(
    r"[\s\u2022*\u2013\u2014-]*(?P<who>[^:.!?\u201c\u201d\"\n]{1,160}?)\s*:\s*")
# "Trump ... accused Zelensky of lying and added:": the verb shares the clause's subject.
_COORDINATED = re.compile(rf"\b(?:and|but)\s+{_AUX}$")
# The capitalised word right before a speech verb: its subject, named or not ("Li told").
_NAME_BEFORE = re.compile(rf"\b([A-Z][\w'\u2019.-]*)\s+{_AUX}$")
# An unnamed subject right before the verb ("one of them wrote", "a European diplomat said").
_UNNAMED_SUBJECT = re.compile(
    r"\b(?:one|some|many|several|two|three|a|an|another)\s+(?:of\s+(?:them|the(?:\s+[\w-]+)?)\s+"
    r"|[\w-]+\s+){0,3}?(?:them|officials?|diplomats?|sources?|aides?|advis[eo]rs?|persons?|"
    r"people|residents?|soldiers?|witness(?:es)?|analysts?|observers?|experts?|lawmakers?|"
    rf"insiders?)\s+{_AUX}$", re.IGNORECASE)
# Subject mentions further than this before the verb (or the aside before it) are not its subject.
SUBJECT_REACH = 90


def _subject_of(ctx: _Context, first: Sentence, verb_at: int, *,
                adjacent: bool = False) -> Mention | None:
    """The subject of the speech verb at `verb_at`: the mention closest before it, past an aside
    ("Lavrov, speaking in Moscow on Friday, said"); the clause's first actor when the verb is
    coordinated ("... and added"); nobody when an unknown name stands right before the verb.
    With `adjacent`, only a mention that ends right before the verb (or its aside) counts."""
    text = ctx.text
    before = text[first.start:verb_at]
    if _COORDINATED.search(before):
        lead = ctx.mentions_in(first.start, verb_at)
        # the clause's subject opens it ("Liberal candidate Darcy Moen, ..., congratulated
        # Whitford but said"): an actor further in is an object, not the one speaking
        if lead and len(text[first.start:lead[0].start].split()) <= MAX_SUBJECT_LEAD_WORDS:
            return _pick(lead[:1], ctx.registry)
        return None
    # "Lavrov, speaking in Moscow on Friday, said:": skip the aside before the verb
    aside = _ASIDE_END.search(text, max(first.start, verb_at - 120), verb_at)
    subj_end = aside.start() if aside else verb_at
    near = ctx.mentions_in(max(first.start, subj_end - SUBJECT_REACH), subj_end)
    # "The Russian embassy in London said": the place after the subject does not speak
    while len(near) > 1:
        place = _PLACE_BEFORE.search(text, max(first.start, near[-1].start - 12),
                                     near[-1].start)
        if place is None or not _AUX_ONLY.fullmatch(text, near[-1].end, subj_end):
            break
        subj_end = place.start()
        near = near[:-1]
    if aside is not None and not [m for m in near if _is_person(ctx, m)
                                  and not _POSSESSIVE_AFTER.match(text, m.end)
                                  and m.text.lower() not in _POSSESSIVES]:
        # "The opposition's defence spokesman, Andrew Hastie, said": the aside is the name
        named = [m for m in ctx.mentions_in(aside.start(), verb_at) if _is_person(ctx, m)
                 and m.kind is not MentionKind.PRONOUN]
        if named and all(m.actor_id == named[0].actor_id for m in named):
            return named[0]
    if _unknown_subject(ctx, first, verb_at) is not None:
        return None  # "Li told his hosts": the speaker is someone the engine does not know
    if adjacent:
        tail = text[near[-1].end:subj_end] if near else ""
        tail = _PLACE_AFTER.sub("", tail, count=1)  # "The Ukrainian delegation in Geneva"
        if not near or (tail.strip() and not _AUX_ONLY.fullmatch(tail)):
            return None
    # the mention closest to the verb is its subject ("Responding ..., Trump stated")
    pick = _pick(near[-1:], ctx.registry) if near else None
    if pick is None and not adjacent:
        pick = _pick(ctx.mentions_in(first.start, verb_at), ctx.registry)
    return pick


_PLACE_AFTER = re.compile(
    r"^\s+(?:in|at|of|from)\s+(?:the\s+)?[A-Z][\w'\u2019-]*"
    r"(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w'\u2019-]*){0,4}")
_PLACE_BEFORE = re.compile(r"\s+(?:in|at|of|from)\s+(?:the\s+)?$")
_AUX_ONLY = re.compile(rf"\s*(?:\([^()\n]{{1,24}}\)\s*)?{_AUX}")
# "Zelensky's chief of staff, Andriy Yermak, wrote": a possessive is not the subject
_POSSESSIVE_AFTER = re.compile(r"['\u2019]s?\b")


def _is_person(ctx: _Context, m: Mention) -> bool:
    a = ctx.registry.get(m.actor_id)
    return a is not None and a.kind is ActorKind.PERSON


def _unknown_subject(ctx: _Context, first: Sentence, verb_at: int) -> str | None:
    """Who speaks when the engine knows no actor for it: an unnamed source, or the capitalised
    word right before the verb (or its aside) when no mention covers it."""
    text = ctx.text
    aside = _ASIDE_END.search(text, max(first.start, verb_at - 120), verb_at)
    subj_end = aside.start() if aside else verb_at
    unnamed = _UNNAMED_SUBJECT.search(text, max(first.start, subj_end - 60), subj_end)
    if unnamed is not None:
        return unnamed.group().strip()
    name = _NAME_BEFORE.search(text, max(first.start, subj_end - 40), subj_end)
    if name is None or name.group(1).lower() in _PRONOUNS:
        return None
    if _PLACE_BEFORE.search(text, max(first.start, name.start(1) - 12), name.start(1)):
        return None  # "The Ukrainian delegation in Geneva said": a place, not the speaker
    covered = ctx.mentions_in(max(first.start, name.start(1) - 60), name.end(1))
    return None if any(m.start <= name.start(1) < m.end for m in covered) else name.group(1)


def _colon_speaker(ctx: _Context, head_start: int, head: str) -> Mention | None:
    """The speaker of a clause ending in a colon with no speech verb: "Zelensky: “...”",
    "Zelensky was blunt: “...”", or the one person who is a longer clause's subject."""
    c = _COLON_LEAD.fullmatch(head)
    n_words = len(c.group("who").split()) if c else 0
    if c and n_words <= MAX_COLON_WORDS:
        a = head_start + c.start("who")
        lead = ctx.mentions_in(a, a + 2)
        pick = _pick(lead, ctx.registry) if lead else None
        if pick is not None:
            return pick
    if c and n_words <= MAX_COLON_CLAUSE_WORDS:
        # "His defence minister, Boris Pistorius, went further in an interview: “...”"
        a = head_start + c.start("who")
        people = [m for m in ctx.mentions_in(a, head_start + len(head))
                  if m.text.lower() not in _POSSESSIVES and _is_person(ctx, m)]
        if people and len(ctx.text[a:people[0].start].split()) <= MAX_SUBJECT_LEAD_WORDS \
                and all(m.actor_id == people[0].actor_id for m in people):
            return people[0]
    return None


def _lead_in_speaker(ctx: _Context, first: Sentence, head_start: int,
                     head: str) -> Mention | None:
    """Who speaks the words after `head`, a clause ending in a colon: the subject of its speech
    verb ("He went on:"), else the clause's speaker ("Tusk was more cautious:")."""
    m = _last_lead_in(head)
    if m is not None:
        return _subject_of(ctx, first, head_start + m.start("verb"))
    return _colon_speaker(ctx, head_start, head)


# A Markdown block quote: a paragraph opened by ">" (live blogs and explainers set a speaker's
# words so, after a lead-in ending in a colon, with no quotation marks).
_BLOCK = re.compile(r"^[ \t]*>[ \t]?(?P<body>\S[^\n]*)$", re.MULTILINE)


def _block_quotes(ctx: _Context) -> list[Quote]:
    """Each block-quoted paragraph after a lead-in that names its speaker ("He went on:",
    "Tusk was more cautious:"), and the block quotes that follow it straight on."""
    text = ctx.text
    out: list[Quote] = []
    if ">" not in text:
        return out
    prev: Quote | None = None
    for m in _BLOCK.finditer(text):
        s, e = m.start("body"), m.end("body")
        if any(a < e and s < b for a, b in ctx.spans):
            prev = None
            continue  # quotation marks already make it a quote
        before = text[:m.start()].rstrip()
        speaker: Mention | None = None
        if prev is not None and not text[prev.end:m.start()].replace(">", "").strip():
            out.append(Quote(start=s, end=e, text=text[s:e].strip(), speaker=prev.speaker,
                             speaker_label=prev.speaker_label, cue="continuation"))
            prev = out[-1]
            continue
        if before.endswith(":"):
            first = ctx.sentence_at(len(before) - 1)
            head_start = max(first.start, before.rfind("\n") + 1)
            speaker = _lead_in_speaker(ctx, first, head_start, before[head_start:])
        prev = None
        if speaker is not None:
            out.append(Quote(start=s, end=e, text=text[s:e].strip(), speaker=speaker.actor_id,
                             speaker_label=speaker.text, cue="before"))
            prev = out[-1]
    return out


# "according to a source in the Foreign Ministry": an unnamed source, whatever it is in.
_UNNAMED_SOURCE = re.compile(r"(?:an?|one|two|three|several|unnamed|anonymous)\s+(?:[\w-]+\s+)?"
                             r"(?:sources?|officials?|diplomats?|insiders?|people)\b",
                             re.IGNORECASE)
_APPOSED = re.compile(r",\s+[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*){0,3}\s*(?:,|$)")


def _according_who(who: str) -> str:
    """The source "according to" names: up to the first comma ("a source in the Foreign
    Ministry, Moscow's negotiators ..."), or through a name apposed to a title ("the Vice
    Speaker of the upper chamber, Konstantin Kosachev,")."""
    comma = who.find(",")
    if comma < 0:
        return who
    apposed = _APPOSED.match(who, comma)
    return who[:apposed.end()].rstrip(", ") if apposed else who[:comma]


# A description standing for someone just named ("the SPD leader", "the 63-year-old", "the
# former banker") when the registry cannot resolve it.
_EPITHET = re.compile(
    r"the\s+(?:[\w'\u2019-]+\s+){0,3}?(?:leader|chief|head|politician|lawmaker|veteran|"
    r"official|minister|senator|diplomat|economist|banker|general|mayor|governor|"
    r"\d{2}-year-old)", re.IGNORECASE)


def _previous_subject(ctx: _Context, first: Sentence) -> str | None:
    """The one person the sentence before names, as its subject (in its first words), when the
    sentence with the description names no other person outside quotes."""
    if first.index == 0:
        return None
    prev = ctx.sents[first.index - 1]
    people = [m for m in ctx.mentions_in(prev.start, prev.end)
              if _is_person(ctx, m) and m.kind is not MentionKind.PRONOUN]
    if not people or any(m.actor_id != people[0].actor_id for m in people):
        return None
    if len(ctx.text[prev.start:people[0].start].split()) > MAX_SUBJECT_LEAD_WORDS:
        return None
    if any(_is_person(ctx, m) and m.actor_id != people[0].actor_id
           for m in ctx.mentions_in(first.start, first.end)):
        return None
    return people[0].actor_id


def _attribute(q: Quote, ctx: _Context, prev_end: int) -> None:
    text = ctx.text
    first = ctx.sentence_at(q.start)
    last = ctx.sentence_at(max(q.start, q.end - 1))
    close = q.end + 1  # past the closing mark
    tail_end = last.end
    # the next quote in the same sentence bounds the tail ("...," he said, "...")
    nxt = next((s for s, _ in ctx.spans if s > q.end), None)
    if nxt is not None and nxt - 1 < tail_end:
        tail_end = nxt - 1
    tail = text[close:tail_end]
    # 1. "...," Trump said / "...," the Russian president told reporters
    m = _AFTER_WHO_VERB.match(tail)
    # "Lavrov, who met Rubio in Riyadh, said": the relative clause is not the speaker phrase
    core = _APPOSITIVE.sub(" ", m.group("who")) if m else ""
    if m and len(core.split()) <= MAX_SPEAKER_WORDS and \
            not re.search(r"\b(?:that|which|who|because|while|when)\b", core) and \
            not re.match(r"\s*(?:with|to|for|in|on|at|from|by|of|and|but|or|as|after|before)\b",
                         core):
        a, b = close + m.start("who"), close + m.end("who")
        q.speaker = ctx.speaker_in(a, b)
        q.speaker_label = _label(m.group("who"))
        q.cue = "after"
        if q.speaker is None and _EPITHET.fullmatch(m.group("who").strip()):
            q.speaker = _previous_subject(ctx, first)  # "...," the SPD leader said
        if q.speaker or m.group("who").strip().lower() in _PRONOUNS:
            return
    # 2. "...," said Trump
    m = _AFTER_VERB_WHO.match(tail)
    if m:
        a, b = close + m.start("who"), close + m.end("who")
        first_words = text[a:b].split()
        speaker = ctx.speaker_in(a, min(b, a + 60))
        if speaker and first_words and (first_words[0][:1].isupper()
                                         or first_words[0].lower() in {"the", "he", "she"}):
            q.speaker, q.speaker_label, q.cue = speaker, _label(text[a:b]), "after"
            return
        # "...," said a spokeswoman for the ministry, Anna Ivanova.: the name after the title
        named = _APPOSED_NAME.match(text, b)
        if speaker is None and named is not None:
            people = [x for x in ctx.mentions_in(named.start(1), named.end(1))
                      if _is_person(ctx, x) and x.kind is MentionKind.NAME]
            if people and people[0].start == named.start(1):
                q.speaker, q.speaker_label, q.cue = (people[0].actor_id, people[0].text,
                                                     "after")
                return
    # 3. Trump said: "..." / stating, "..." / ...,” he said, “...”
    head_start = max(first.start, prev_end)
    head = text[head_start:q.start - 1]
    m = _last_lead_in(head)
    if m is not None:
        verb_at = head_start + m.start("verb")
        verb = m.group("verb")
        pick: Mention | None
        if _PARTICIPLE.search(verb) and re.search(r",\s*$", text[head_start:verb_at]):
            # "..., stating, '...'": the subject of the main clause speaks
            pick = _pick(ctx.mentions_in(first.start, verb_at), ctx.registry)
        else:
            pick = _subject_of(ctx, first, verb_at)
        q.speaker = pick.actor_id if pick else None
        q.cue = "between" if prev_end > first.start else "before"
        unknown = None if pick else _unknown_subject(ctx, first, verb_at)
        if unknown is not None:
            q.speaker_label = unknown  # someone named but unknown: no other actor speaks
            return
        q.speaker_label = pick.text if pick else (
            _label(text[max(first.start, verb_at - 60):verb_at]) or None)
        if q.speaker:
            return
    elif prev_end < 0:
        pick = _colon_speaker(ctx, head_start, head)
        if pick is not None:
            q.speaker, q.speaker_label, q.cue = pick.actor_id, pick.text, "before"
            return
    # 4. "... ," according to Matt Viser / according to sources cited by The Washington Post
    sentence_text = text[first.start:last.end]
    m = _ACCORDING.search(sentence_text)
    if m:
        a = first.start + m.start("who")
        who = _according_who(m.group("who"))
        b = a + len(who)
        q.speaker = None if _UNNAMED_SOURCE.match(who) else ctx.speaker_in(a, b)
        q.speaker_label = "according to " + _label(who)
        q.cue = "according"
        return
    # 4b. "In her view, the measures were “...”" / "in the words of the minister, “...”"
    v = _IN_VIEW.search(text, first.start, q.start)
    if v is not None:
        who = "who" if v.group("who") else "who2"
        speaker = ctx.speaker_in(v.start(who), v.end(who))
        if speaker is not None:
            q.speaker, q.speaker_label, q.cue = speaker, _label(v.group(who)), "according"
            return
    # 5. A quoted phrase inside reported speech: "Trump stated that ... a “very good call”"
    for frame in _VERB_AT.finditer(text, first.start, max(first.start, q.start - 1)):
        if inside_quotes(frame.start(), ctx.spans):
            continue
        if _INFINITIVE_BEFORE.search(text, max(first.start, frame.start() - 4), frame.start()):
            continue  # "refused to say how many ...": not the verb that frames the quote
        if _NOUN_BEFORE.search(text, max(first.start, frame.start() - 12), frame.start()):
            continue  # "rejected claims that ...", "his remarks": a noun, not a verb
        if frame.group() == "asked" and re.search(
                r",\s*$", text[max(first.start, frame.start() - 3):frame.start()]):
            continue  # "Champagne, asked whether ..., said": an aside, not the frame
        if _PARTICIPLE.search(frame.group()) and re.search(
                r",\s*$", text[max(first.start, frame.start() - 3):frame.start()]):
            # "..., insisting only that the numbers would be '...'": the main clause's subject
            lead = [m for m in ctx.mentions_in(first.start, frame.start())
                    if _is_person(ctx, m)]
            pick = lead[0] if lead else None
        else:
            pick = _subject_of(ctx, first, frame.start(), adjacent=True)
        if pick is not None:
            q.speaker, q.speaker_label, q.cue = pick.actor_id, pick.text, "reported"
        break


def find_quotes(text: str, sents: list[Sentence], mentions: list[Mention], *,
                registry: ActorRegistry) -> list[Quote]:
    """Every quoted passage of at least MIN_QUOTE_WORDS words or with a speech verb beside it,
    with its speaker when the text says who it is."""
    if not sents:
        return []
    spans = find_quote_spans(text)
    ctx = _Context(text, sents, mentions, registry, spans)
    quotes: list[Quote] = []
    prev_end = -1
    prev_sentence = -1
    for s, e in spans:
        q = Quote(start=s, end=e, text=text[s:e].strip())
        sent = ctx.sentence_at(s)
        _attribute(q, ctx, prev_end if prev_sentence == sent.index else -1)
        prev_end, prev_sentence = e + 1, ctx.sentence_at(max(s, e - 1)).index
        if q.words < MIN_QUOTE_WORDS and q.speaker is None:
            continue  # a scare quote ("freeze", "root causes")
        if q.words < MIN_QUOTE_WORDS and q.cue not in {"after", "before", "between"} and not (
                (q.cue == "reported" and q.words >= MIN_REPORTED_WORDS)
                or _FIRST_PERSON.search(q.text)):
            continue
        quotes.append(q)
    _continue_speakers(quotes, ctx)
    quotes.extend(_transcript_turns(ctx))
    quotes.extend(_block_quotes(ctx))
    quotes.sort(key=lambda q: q.start)
    _open_paragraphs(quotes, ctx)
    return quotes


# A transcript turn: a paragraph opened by the speaker's name and a colon ("MARCO RUBIO: ...",
# "Vladimir Putin: ..."). One such paragraph is a headline or a live-blog line; a transcript has
# at least this many.
MIN_TURNS = 2
MAX_TURN_NAME_WORDS = 4
# The name may carry a title ("SEN. ROGER HALLORAN"), a party tag ("(R-OH)") and a role after a
# comma ("MICHAEL BRANDT, FORMER DEFENSE OFFICIAL"); a magazine Q&A sets it in bold
# ("**Havrylenko:**").
_TURN = re.compile(
    r"^(?:\*\*|__)?(?P<who>(?:(?:SEN|REP|GOV|GEN|DR|MR|MRS|MS|PROF|Sen|Rep|Gov|Gen|Dr|Mr|Mrs|Ms|"
    r"Prof)\.?[ ]+)?(?P<name>[A-Z][A-Za-z.'\u2019-]*(?:[ ][A-Z][A-Za-z.'\u2019-]*){0,3})"
    r"(?:[ ]*\([^()\n]{1,24}\))?(?:,[ ]+(?P<role>[A-Z][A-Za-z.'\u2019 -]{1,40}))?)"
    r"(?:\*\*|__)?:(?:\*\*|__)?[ \t]+(?P<body>\S[^\n]*)$", re.MULTILINE)
# A role after the name that marks the one asking, not answering ("KATE RIORDAN, CNN ANCHOR").
_ASKER_ROLE = re.compile(r"\b(?:anchor|host|moderator|interviewer|correspondent|reporter|"
                         r"byline)\b", re.IGNORECASE)
# A radio transcript names the host on a line of its own ("STEVE INSKEEP, HOST:").
_ROLE_LINE = re.compile(
    r"^(?:\*\*|__)?(?P<name>[A-Z][A-Za-z.'\u2019-]*(?:[ ][A-Z][A-Za-z.'\u2019-]*){0,3}),[ ]+"
    r"(?P<role>[A-Z][A-Za-z.'\u2019 -]{1,40})(?:\*\*|__)?:[ \t]*$", re.MULTILINE)
# Interviewers' and audience turns: questions, not anyone's statement.
_ASKER = frozenset({"q", "question", "questions", "interviewer", "host", "moderator", "audience",
                    "reporter", "journalist", "answer", "a", "note", "editor's note"})


def _transcript_turns(ctx: _Context) -> list[Quote]:
    """Each answer in a transcript as a quote by the person named at the start of its paragraph:
    the name as written there, or a capitalised ("RUBIO") form of a person the article names."""
    text = ctx.text
    if ":" not in text:
        return []
    turns = [m for m in _TURN.finditer(text) if m.group("who").lower() not in _ASKER]
    if len(turns) < MIN_TURNS:
        return []
    # the host's later turns go by surname alone ("RIORDAN:"): theirs too are questions
    askers = {m.group("name").split()[-1].upper() for m in turns
              if m.group("role") and _ASKER_ROLE.search(m.group("role"))}
    askers.update(m.group("name").split()[-1].upper() for m in _ROLE_LINE.finditer(text)
                  if _ASKER_ROLE.search(m.group("role")))
    turns = [m for m in turns if m.group("name").split()[-1].upper() not in askers]
    people: dict[str, str] = {}  # "MARCO RUBIO" and "RUBIO" -> "rubio"
    for x in ctx.mentions:
        a = ctx.registry.get(x.actor_id)
        if a is not None and a.kind is ActorKind.PERSON and x.kind is MentionKind.NAME:
            people.setdefault(x.text.upper(), x.actor_id)
            people.setdefault(x.text.split()[-1].upper(), x.actor_id)
    out: list[Quote] = []
    for m in turns:
        s, e = m.start("body"), m.end("body")
        if any(a < e and s < b for a, b in ctx.spans):
            continue  # "Zelensky: “...”": the marks already make it a quote
        if text[s:e].rstrip().endswith("?"):
            continue  # the interviewer's turn: a question put to the guest, not a position
        who = m.group("name")
        named = ctx.mentions_in(m.start("name"), m.end("name"), outside_quotes=False)
        pick = _pick(named, ctx.registry) if named else None
        speaker = pick.actor_id if pick else people.get(who.upper()) or people.get(
            who.split()[-1].upper())
        if speaker is not None:
            out.append(Quote(start=s, end=e, text=text[s:e].strip(), speaker=speaker,
                             speaker_label=who, cue="transcript"))
    return out


_CLOSING = frozenset("\u201d\"\u2019\u00bb'")


def _open_paragraphs(quotes: list[Quote], ctx: _Context) -> None:
    """A quoted paragraph left open (news style for a quote that runs on) belongs to the
    speaker of the quote that opens the next paragraph."""
    for i in range(len(quotes) - 2, -1, -1):
        q, nxt = quotes[i], quotes[i + 1]
        if q.speaker is not None or nxt.speaker is None:
            continue
        closed = q.end < len(ctx.text) and ctx.text[q.end] in _CLOSING
        between = ctx.text[q.end:nxt.start - 1]
        if not closed and not between.strip():
            q.speaker, q.speaker_label, q.cue = nxt.speaker, nxt.speaker_label, "continuation"


def _continue_speakers(quotes: list[Quote], ctx: _Context) -> None:
    """An unattributed quote that opens its sentence right after an attributed quote continues
    that speaker, when nobody else is named in between."""
    for i, q in enumerate(quotes):
        if i == 0:
            continue
        prev = quotes[i - 1]
        if prev.speaker is None or (q.speaker is not None and q.cue != "continuation"):
            continue
        sent = ctx.sentence_at(q.start)
        prev_sent = ctx.sentence_at(max(prev.start, prev.end - 1))
        adjacent = sent.index - prev_sent.index <= 1
        if q.speaker is None and (q.speaker_label or "").lower() in _PRONOUNS:
            # "They emphasized that '...'" right after the group's own quote
            if adjacent:
                q.speaker, q.cue = prev.speaker, "continuation"
            continue
        opens = not ctx.text[sent.start:q.start - 1].strip()
        # the previous quote's own attribution ("said Tom Becker, a spokesman for House Speaker
        # Daniel Reyes") names people who do not speak next
        between = ctx.mentions_in(max(prev.end, prev_sent.end), q.start)
        others = [m for m in between if m.actor_id != prev.speaker
                  and (a := ctx.registry.get(m.actor_id)) is not None
                  and a.kind is ActorKind.PERSON]
        if opens and adjacent and not others and q.cue == "":
            q.speaker, q.speaker_label, q.cue = prev.speaker, prev.speaker_label, "continuation"
