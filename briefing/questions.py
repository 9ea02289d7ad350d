"""Open questions: explicit and cue-based, normalised, merged and settled across articles."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from briefing import dates
from briefing.models import (
    Certainty,
    CleanArticle,
    Mention,
    MentionKind,
    QuestionStatus,
    RaisedQuestion,
    Sentence,
    Statement,
    StatementKind,
    StoredQuestion,
    StoredStatement,
)
from briefing.topics import find_topics

# A question nobody has raised or settled for this long drops out of digests and /brief: a fast
# story answers or abandons its questions within weeks (the seeds' questions of 10 February were
# settled by 13 February); a month leaves room for slow diplomacy without listing dead questions.
STALE_AFTER_DAYS = 30
# Two questions are one when their extra concepts overlap at least this much (Jaccard) or one
# set contains the other; one shared concept of two is enough ("meeting+venue" vs "meeting+date").
SAME_FACETS = 0.5
# How many of an article's most mentioned people stand in for actors a question does not name
# ("the conversation remains unconfirmed" is about the two leaders the article follows).
MAIN_ACTORS = 2
UNKNOWN_HEAD = "unknown"  # the head of a question whose matter has no content word
# A matter longer than this many words is cut: the rest is usually a second clause.
MAX_MATTER_WORDS = 18
# Explicit questions with fewer content words than this are rhetorical or empty ("What next?").
MIN_CONTENT_WORDS = 2

# --- concepts: the nouns questions are about ---------------------------------------------------


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    pattern: re.Pattern[str]
    thing: bool  # a thing a question can be about (head); otherwise a facet (confirm, details)
    anchors: tuple[str, ...] = ()  # substrings one of which every match holds (a cheap pre-test)


def _top_level(words: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(words):
        if ch == "(" and (i == 0 or words[i - 1] != "\\"):
            depth += 1
        elif ch == ")" and words[i - 1] != "\\":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(words[start:i])
            start = i + 1
    parts.append(words[start:])
    return parts


def _anchor(alternative: str) -> str:
    """The literal text every match of one alternative must contain ("" when there is none)."""
    i = 0
    while i < len(alternative) and alternative[i] == "(":  # skip leading groups
        depth = 0
        for j in range(i, len(alternative)):
            depth += {"(": 1, ")": -1}.get(alternative[j], 0)
            if depth == 0:
                i = j + 1
                break
        if i < len(alternative) and alternative[i] == "?":
            i += 1
    m = re.match(r"[a-z' -]+", alternative[i:])
    literal = m.group() if m else ""
    end = i + len(literal)
    if literal and end < len(alternative) and alternative[end] in "?*{":
        literal = literal[:-1]  # the last character is optional
    return literal.strip()


def _c(cid: str, label: str, words: str, *, thing: bool = True) -> Concept:
    anchors = tuple(_anchor(a) for a in _top_level(words))
    return Concept(cid, label, re.compile(rf"\b(?:{words})\b", re.IGNORECASE), thing,
                   () if "" in anchors else anchors)


# Order matters only for ties at one position: longer phrases ("peace talks") come first.
CONCEPTS: tuple[Concept, ...] = (
    _c("negotiation", "negotiations", r"peace talks|peace process|negotiat\w*|mediation"),
    _c("contact", "contacts", r"contacts?|exchanges?|communications?|conversations?|"
       r"(?:phone )?calls?|talks|talking|talked|spoke|spoken|speak|speaking|discussions?|"
       r"dialogues?|"
       r"channels?|interactions?|discuss|discusses|discussed|discussing"),
    _c("meeting", "meeting", r"meet(?!\s+(?:\w+\s+)?halfway)|meets|meeting|meetings|met|summits?|"
       r"encounters?|"
       r"face-to-face|sit-down|in-person"),
    _c("visit", "visit", r"visits?|visited|visiting|trips?"),
    _c("delegation", "delegation", r"delegations?|envoys?|negotiators?|negotiating teams?"),
    _c("invitation", "invitation", r"invitations?|invited?|invites"),
    # "plan to" is the verb ("he plans to visit") unless a determiner makes it the noun
    _c("plan", "plan", r"(?:(?<=\ba )|(?<=\bthe )|(?<=\bno )|(?<=\bhis )|(?<=\bher )|"
       r"(?<=\bany )|(?<=\bits )|(?<=\btheir )|(?<=\bpeace ))plans?|plans?(?!\s+to\b)|"
       r"frameworks?|roadmaps?|blueprints?|strateg(?:y|ies)|proposals?|"
       r"initiatives?|peace formula"),
    _c("agreement", "agreement", r"agreements?|deals?|accords?|treaty|treaties|settlement|"
       r"breakthroughs?"),
    _c("concession", "concessions", r"concessions?|compromises?|cede|ceding|give up|yield"),
    _c("ceasefire", "ceasefire", r"cease-?fires?|truces?|armistice"),
    _c("sanctions", "sanctions", r"sanctions?|embargo|tariffs?"),
    _c("troops", "troops", r"troops|soldiers|peacekeep\w*|forces|deploy\w*"),
    _c("aid", "aid", r"aid|weapons|arms|military support|funding|ammunition|missiles?"),
    _c("election", "elections", r"elections?|vote|votes|ballot|polls?"),
    _c("territory", "territory", r"territor\w*|land|regions?|borders?|annex\w*"),
    _c("nato", "NATO", r"nato"),
    _c("guarantee", "security guarantees", r"(?:security )?guarantees?"),
    _c("prisoner", "prisoners", r"prisoners?|detainees?|captives?|hostages?"),
    _c("attack", "attack", r"attacks?|strikes?|explosions?|blasts?|bombing|shelling|drones?"),
    _c("casualties", "casualties", r"casualt\w+|death toll|deaths?|killed|wounded|injured"),
    _c("consult", "consultation", r"consult\w*|involved|involvement|included|be part of|"
       r"a seat at the table|a say"),
    _c("outcome", "outcome", r"influence|impact|effects?|outcomes?|results?|lead to|trajectory"),
    _c("response", "response", r"respon(?:se|ses|d|ded)|reactions?|repl(?:y|ies)"),
    _c("precondition", "preconditions", r"pre-?conditions?|conditions|demands"),
    _c("confirm", "confirmation", r"confirm\w*|unconfirmed|den(?:y|ied|ial)|verif\w+|"
       r"acknowledg\w+", thing=False),
    _c("details", "details", r"details?|specifics|terms|substance", thing=False),
    _c("initiator", "initiator",
       r"initiat(?:or|ors|ed|e|es|ing)|first to|first move|reach(?:ed)? out",
       thing=False),
    _c("place", "place", r"venues?|locations?|hosts?|hosted|hosting", thing=False),
    _c("time", "timing", r"dates?|timing|timeline|timetable", thing=False),
    _c("feasibility", "feasibility", r"feasib\w+|viab\w+|realistic", thing=False),
)
CONCEPTS_BY_ID = {c.id: c for c in CONCEPTS}
# Facets that say what kind of answer is wanted, not what the question is about.
ANSWER_FACETS = frozenset({"confirm", "details", "time", "place"})

_FUTURE = re.compile(
    r"\b(?:will|would|shall|going to|planned|planning|being planned|in the works|being prepared|"
    r"potential|possible|possibly|prospects?|upcoming|next|expected|lead to|future|might|could|"
    r"likely)\b|\w['\u2019]ll\b", re.IGNORECASE)

WH = (r"(?:whether|if|when|where|who|whom|whose|why|which|to what (?:extent|degree)|what|"
      r"how(?:\s+(?:many|much|long|far|soon))?)")
_WH_START = re.compile(rf"^\s*({WH})\b", re.IGNORECASE)
AUX = ("is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could",
       "should", "may", "might", "must", "does", "do", "did", "shall")
_AUX_RE = "|".join(AUX)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = _words(
    'a an the of to in on at for by with from about and or but if whether when where who whom '
    'whose why which what how is are was were be been being has have had do does did will '
    'would can could should may might must shall it its this that these those there their '
    'they them he she his her him we our you your i me my not no any some such as so than '
    'then also very more most much many just only even exactly really still yet already '
    'perhaps ever all both each other another into over under up out off again further once '
    'here now'
)
_VAGUE = _words(
    'next ahead lies lie happens happen happened mean means matter now then else going'
)

# --- cues --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    name: str
    pattern: re.Pattern[str]
    form: str  # "after": the matter follows; "before": it precedes; "sentence": the whole sentence
    aspect: str  # what is asked when no wh-word says it: whether, what, details, response
    facets: tuple[str, ...] = ()
    triggers: frozenset[str] = frozenset()  # words one of which the sentence must hold
    needs: frozenset[str] = frozenset()  # and, when given, one of these too (a negation)


def _cue(name: str, pattern: str, form: str, aspect: str, *facets: str) -> Cue:
    return Cue(name, re.compile(pattern, re.IGNORECASE), form, aspect, facets,
               _words(_TRIGGERS[name]), _words(_ALSO_NEEDED.get(name, "")))


# A cue's regex runs only on sentences holding one of its words: a set lookup per sentence
# instead of two dozen regexes (the detector went from 40 ms to a few ms per article).
_TRIGGERS: dict[str, str] = {
    "neither confirm nor deny": "deny denied denies",
    "remains unclear":
        "unclear clear uncertain unknown known undecided question mystery guess impossible hard "
        "difficult clarity certainty murky hazy opaque unresolved",
    "remains to be seen": "seen",
    "declined to specify":
        "specify specified say said disclose disclosed reveal revealed explain explained elaborate "
        "elaborated clarify clarified indicate indicated detail detailed confirm confirmed tell "
        "told answer answered decide decided announce announced drawn indication word speculate "
        "comment neither questioned queried doubted doubts address addressed stated",
    "asked without saying": "asked without",
    "it would be interesting to find out":
        "interesting important worth useful crucial instructive determine establish ascertain "
        "figure understand work verify into investigating probing examining assessing know "
        "wondered wondering see",
    "nobody knows": "knows know say tell explain explained said answer answered",
    "doubts remain": "doubt doubts unanswered",
    "asked and evaded": "asked",
    "the question is": "question questions unknown unknowns",
    "questions remain": "question questions clarification",
    "speculation is mounting over whether": "speculation",
    "generated speculation": "speculation",
    "too early to say": "early soon premature",
    "has not confirmed": "confirm confirmed verify confirmation",
    "remains unconfirmed": "unconfirmed unverified confirmed verified confirm verify",
    "remains undisclosed":
        "undisclosed wraps secret disclosed public released revealed published named identified "
        "explained established specified",
    "remains uncertain":
        "uncertain unclear unknown doubt question undecided mystery seen worked finalised "
        "finalized negotiated guess certain clear known settled assured unexplained unresolved "
        "undetermined investigation review subject determined decided announced clarified "
        "matter story another different separate disputed contested dispute agreed murky opaque "
        "hazy vague sketchy shrouded hard difficult impossible air limbo obvious",
    "has not disclosed":
        "disclose disclosed reveal revealed release released public published named identified "
        "name identify specify specified",
    "no details":
        "details specifics information timeline timetable explanation discuss into figure figures "
        "numbers estimate breakdown available",
    "no announcement":
        "announcement decision date timeline timetable announced decided set scheduled finalised "
        "finalized determined agreed draft text proposal agreement circulated published "
        "presented tabled",
    "did not rule out": "rule ruled",
    "no timeline": "timeline timetable date timeframe time",
    "no date given": "timeline timetable date timeframe",
    "not drawn on": "drawn",
    "not yet scheduled": "scheduled set fixed decided finalised finalized announced",
    "no indication that": "indication indications sign signs",
    "conflicting accounts": "conflicting contradictory differing contrasting competing",
    "no claim of responsibility": "responsibility",
    "no explanation": "explanation reason",
    "remained silent": "silent quiet tight-lipped mum coy cagey reticent",
    "divided over": "divided split odds",
    "unaware of": "unaware aware",
    "not aware of any": "aware",
    "has not commented":
        "comment commented respond responded response reaction word react reply replied reached "
        "available",
}
# Cues built on a negation ("did not specify", "has yet to confirm") also need one of these tokens
# ("didn't" splits into "didn" and "t").
_NEGATORS = ("not didn doesn hasn haven wouldn couldn declined refused failed unable neither "
             "yet never no refrained nobody none unwilling reluctant")
_ALSO_NEEDED: dict[str, str] = {
    "neither confirm nor deny": _NEGATORS,
    "declined to specify": _NEGATORS + " gave give gives offered provided nor questioned queried "
                                       "doubted doubts",
    "has not confirmed": _NEGATORS,
    "has not disclosed": _NEGATORS,
    "did not rule out": _NEGATORS,
    "has not commented": _NEGATORS + " comment from",
    "no details": _NEGATORS + " scarce sketchy thin unclear",
    "no announcement": "no yet",
    "no timeline": _NEGATORS + " gave given gives give offered provided set",
    "no date given": _NEGATORS,
    "not drawn on": _NEGATORS,
    "not yet scheduled": "not",
    "no indication that": "no",
    "not aware of any": "not",
    "nobody knows": "nobody no no-one not don doesn didn nor",
    # "Asked when ..., he said only that ..." asks only when the answer evades
    "asked and evaded": "only declined refused not review early unclear dodged sidestepped "
                        "evaded wouldn didn paused hesitated deflected shrugged due",
}
_TOKEN = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _tokens(text: str) -> frozenset[str]:
    return frozenset(_TOKEN.findall(text.lower()))


def _cues_for(text: str) -> list[Cue]:
    words = _tokens(text)
    return [c for c in CUES if not c.triggers.isdisjoint(words)
            and (not c.needs or not c.needs.isdisjoint(words))]


_NEG = (r"(?:declined|refused|failed|did not|didn['\u2019]t|would not|wouldn['\u2019]t|could not|"
        r"couldn['\u2019]t|does not|doesn['\u2019]t|has not|hasn['\u2019]t|have not|"
        r"haven['\u2019]t|had not|was unable|were unable|is unable|are unable|"
        r"(?:has|have|had) yet|"
        r"(?:(?:has|have|had)\s+been|is|are|was|were)\s+(?:unwilling|reluctant))")

CUES: tuple[Cue, ...] = (
    _cue("neither confirm nor deny",
         r"\b(?:neither|would neither|did neither)\s+confirm(?:ed|s)?\s+nor\s+den(?:y|ied|ies)\b"
         rf"|\b{_NEG}\s+(?:to\s+)?(?:immediately\s+)?confirm\s+or\s+deny\b",
         "after", "whether", "confirm"),
    _cue("remains unclear",
         r"(?:n['\u2019]t (?:yet |immediately |entirely |fully )?clear|\b(?:unclear|"
         r"not (?:yet |immediately |entirely |fully )?clear|uncertain|unknown|"
         r"not (?:yet |immediately )?known|undecided|an open question|a mystery|murky|hazy|opaque|"
         r"unresolved|"
         r"any(?:one|body)['\u2019]s guess|"
         r"(?:impossible|hard|difficult) to (?:say|tell|know|predict|judge)|"
         r"far from (?:clear|certain)|(?:no|little|scant)\s+(?:clarity|certainty)(?:\s+yet)?"
         r"(?:\s+(?:on|about|as to|over))?))"
         rf"\b[^.?!;]{{0,25}}?(?={WH}\b)", "after", "whether"),
    _cue("remains to be seen", rf"\bremains? to be seen\b[,:]?\s*(?={WH}\b)|"
         r"\b(?:is|are) yet to be seen\b\s*", "after", "whether"),
    _cue("declined to specify",
         rf"\b{_NEG}\s+(?:to\s+)?(?:immediately\s+|publicly\s+|yet\s+)?(?:specif(?:y|ied)|sa(?:y|id)|"
         r"disclosed?|reveal(?:ed)?|explain(?:ed)?|elaborated?(?: on)?|clarif(?:y|ied)|"
         r"indicated?|detail(?:ed)?|confirm(?:ed)?|tell|told|answer(?:ed)?|decided?|announced?|"
         r"be drawn (?:on|into)|speculate(?: on| about)?|comment(?: on)?|address(?:ed)?)"
         rf"(?:\s+(?:exactly|precisely|publicly|reporters|journalists))?\s*(?:on\s+|for\s+)?"
         rf"(?={WH}\b)"
         rf"|\b(?:gave|give|gives|offered|provided)\s+no\s+(?:clear\s+)?indication\s+(?:of\s+|"
         rf"as\s+to\s+)?(?={WH}\b)|\bno\s+word\s+(?:yet\s+)?(?:on|about|as\s+to)\s+(?={WH}\b)"
         rf"|\bno\s+(?:clear\s+)?indication\s+(?:yet\s+)?(?:of\s+|as\s+to\s+)?(?={WH}\b)"
         r"|\b(?:neither|no)\s+(?:\w+\s+){0,2}?(?:will|would|can|could|did)\s+(?:yet\s+)?"
         rf"(?:say|explain|disclose|reveal|confirm)\s+(?={WH}\b)"
         r"|\b(?:neither|no)\s+(?:\w+\s+){0,2}?(?:has|have|had)\s+(?:yet\s+|publicly\s+)*"
         rf"(?:said|explained|disclosed|revealed|confirmed|specified)\s+(?={WH}\b)"
         r"|\bneither\s+\w+(?:\s+\w+)?\s+nor\s+\w+(?:\s+\w+)?\s+(?:has|have|had)\s+(?:yet\s+)?"
         r"(?:publicly\s+)?(?:said|disclosed|revealed|explained|confirmed|specified)\s+"
         rf"(?:publicly\s+)?(?={WH}\b)"
         rf"|\b(?:questioned|queried|doubted|doubts)\s+(?=(?:whether|if|how|why)\b)"

         r"|\b(?:was|were|is|are|has been|have been|had been)\s+not\s+(?:immediately\s+|yet\s+)?"
         rf"(?:specified|disclosed|stated|said|explained|revealed|made clear)\s+(?={WH}\b)",
         "after", "whether"),
    # "MPs asked how many vessels had been stopped": a question put and not yet answered (a
    # sentence-initial "Asked ..." is "asked and evaded"; "were asked" is a survey); "backed the
    # plan without saying what it would contribute"
    _cue("asked without saying",
         r"(?<=\w\s)(?<!\bwhen\s)(?<!\bwas\s)(?<!\bwere\s)(?<!\bbeen\s)(?<!\bbeing\s)"
         # "Reyes asked Whitcomb directly whether ...": the one asked may stand in between
         r"asked\s+(?:(?:him|her|them|[A-Z][\w'\u2019-]+)\s+)?"
         r"(?:directly\s+|publicly\s+|repeatedly\s+|again\s+)?"
         rf"(?=(?:whether|if|how|why|when|what|who|which)\b)"
         r"|\bwithout\s+(?:publicly\s+|yet\s+)?(?:saying|specifying|explaining|disclosing|"
         rf"revealing|detailing|indicating|spelling\s+out)\s+(?={WH}\b)",
         "after", "whether"),
    _cue("it would be interesting to find out",
         r"\b(?:interesting|important|worth|useful|crucial|instructive)\s+(?:to\s+)?(?:find out|"
         rf"know|learn|ask|asking|see|understand|establish)\s+(?={WH}\b)"
         r"|\b(?:trying|seeking|working|unable|struggling|still|yet)\s+to\s+(?:determine|"
         r"establish|find out|ascertain|figure out|understand|work out|verify)\s+"
         rf"(?={WH}\b)|\b(?:looking into|investigating|probing|examining|assessing)\s+(?={WH}\b)"
         r"|\b(?:demand(?:ed|s|ing)?|want(?:s|ed)?|sought|seeking)\s+to\s+know\s+"
         rf"(?={WH}\b)|\b(?:wondered|wondering)\s+(?={WH}\b)"
         rf"|\b(?:waiting|wait|waits|watching|watch)\s+to\s+see\s+(?={WH}\b)",
         "after", "whether"),
    _cue("asked and evaded", rf"^\s*(?:When\s+)?[Aa]sked\s+(?:by\s+(?:the\s+)?[A-Z][\w.'-]*"
         rf"(?:\s+[A-Z][\w.'-]*){{0,3}}\s+)?(?:about\s+|on\s+)?(?={WH}\b)"
         # "Champagne, asked on Tuesday whether ..., said only that": the aside after a name
         rf"|,\s*(?:when\s+)?asked\s+(?:(?:on|last|this|late|early)\s+\w+\s+)?"
         rf"(?:about\s+|on\s+)?(?={WH}\b)",
         "after", "whether"),
    _cue("nobody knows", rf"\b(?:no one|nobody|no-one)\s+(?:yet\s+|really\s+)?knows"
         rf"(?:\s+\w+){{0,3}}?\s+(?={WH}\b)"
         r"|\b(?:no one|nobody|no-one)(?:\s+(?!(?:that|who|which)\b)[\w-]+){0,5}?\s+"
         r"(?:has|have|had|did|would|will|could|can|is able to)\s+(?:yet\s+|publicly\s+|really\s+)*"
         r"(?:say|said|tell|told|explain|explained|answer|answered)\s+(?:\w+\s+)?"
         rf"(?={WH}\b)"
         # "Nor has anyone explained what would happen ..."
         r"|\bnor\s+(?:has|have|had|did|does|do|will|would|can|could)\s+(?:anyone|anybody|"
         r"any\s+[\w-]+)\s+(?:yet\s+|publicly\s+|really\s+)*(?:say|said|tell|told|explain|"
         rf"explained|answer|answered|disclose|disclosed)\s+(?:\w+\s+)?(?={WH}\b)"
         r"|\b(?:do|does)(?:\s+not|n['\u2019]t)\s+"
         rf"(?:yet\s+|really\s+|fully\s+|even\s+)?know\s+(?={WH}\b)",
         "after", "whether"),
    _cue("the question is",
         r"\b(?:the|a|one|another|key|big|main|open|unanswered|central)\s+(?:\w+\s+)?"
         r"(?:questions?|unknowns?)\s+"
         rf"(?:now\s+|still\s+)?(?:is|are|remains?|was|arises)\s*:?\s*(?={WH}\b)",
         "after", "whether"),
    _cue("questions remain",
         r"\bquestions?\s+(?:remain|are left|were left)\s+unanswered\b[,:]?\s*(?:including\s+|"
         r"such as\s+|about\s+|over\s+|on\s+)?|"
         r"\b(?:seeking|sought|seeks|asked for|requested|requesting|demanded|demanding)\s+"
         r"(?:urgent\s+|further\s+)?clarification\s+(?:of|on|about|over|from\s+\w+\s+(?:on|about))\s+|"
         r"\bquestions?\s+(?:also\s+|still\s+)?(?:remains?|persists?|lingers?|arises?|surround|"
         r"have been raised|"
         r"were raised|are being (?:raised|asked))\s+(?:about|over|as to|on|around)?\s*|"
         r"\b(?:rais(?:es|ed|ing)|pos(?:es|ed|ing)|prompt(?:s|ed|ing))\s+(?:\w+\s+)?"
         r"questions?\s+(?:about|over|as to|on|around|of)\s+", "after", "what"),
    _cue("doubts remain",
         r"\bdoubts?\s+(?:remain|persist|linger|grow|are growing|have been raised|were raised)?\s*"
         r"(?:about|over|as to|on)\s+|\bcast(?:s|ing)?\s+(?:fresh\s+|new\s+|serious\s+)?doubts?\s+"
         r"(?:on|over)\s+|\bunanswered\s+questions?\s+(?:about|over|on|as to)\s+",
         "after", "what"),
    _cue("speculation is mounting over whether",
         r"\bspeculation\s+(?:is\s+|has\s+been\s+|was\s+)?(?:mounting|growing|rife|swirling|"
         r"intensif\w+|rising)\s+(?:over|about|on|as to)\s+", "after", "whether"),
    _cue("generated speculation",
         r"\b(?:fuel(?:l)?(?:ed|ing|s)?|spark(?:ed|ing|s)?|generat(?:ed|ing|es)|prompt(?:ed|ing|s)|"
         r"trigger(?:ed|ing|s)?|stok(?:ed|ing|es)|rais(?:ed|ing|es))\s+(?:\w+\s+)?speculation\b",
         "before", "whether"),
    _cue("too early to say",
         r"\b(?:too early|too soon|premature)\s+to\s+(?:say|tell|talk|speak|speculate|judge|"
         r"predict|comment|know)\b\s*(?:about|on|of)?\s*", "after", "whether"),
    _cue("has not confirmed",
         rf"\b(?:has|have|had)\s+(?:not|yet to)\s+(?:officially\s+|publicly\s+|independently\s+)?"
         rf"confirm(?:ed)?\b|\b{_NEG}\s+(?:to\s+)?(?:immediately\s+|officially\s+|publicly\s+|"
         r"independently\s+)?(?:confirm|verify)\b|\bno\s+(?:official\s+|independent\s+|"
         r"immediate\s+)?confirmation\s+(?:of|that|from\s+\w+(?:\s+\w+)?\s+of)\s+|"
         r"\b(?:neither|no)\s+(?:side|party|government|"
         r"one|country|official)\s+(?:has|have|had)\s+(?:publicly\s+|officially\s+)?confirmed\b",
         "after", "whether", "confirm"),
    _cue("remains unconfirmed",
         r"\b(?:remains?|remained|is|are|was|were|has been|have been)\s+"
         r"(?:still\s+|so far\s+|officially\s+)?(?:unconfirmed|unverified|not (?:yet )?"
         r"(?:officially |independently )?(?:confirmed|verified))\b|"
         r"\b(?:has|have|had)\s+(?:still\s+|so far\s+)?not\s+(?:yet\s+)?been\s+"
         r"(?:officially\s+|independently\s+)?(?:confirmed|verified)\b|"
         r"\b(?:could|can)(?: not|not|n['\u2019]t) be (?:independently )?(?:confirmed|verified)\b",
         "before", "whether", "confirm"),
    _cue("remains undisclosed",
         r"\b(?:remains?|remained|is|are|was|were|has been|have been)\s+"
         r"(?:still\s+|so far\s+|yet\s+)?(?:undisclosed|under wraps|secret|not (?:yet )?"
         r"(?:disclosed|made public|released|revealed|published|named|identified|explained|"
         r"established|specified))\b|"
         r"\b(?:has|have|had)\s+(?:still\s+|so far\s+)?not\s+(?:yet\s+)?been\s+(?:disclosed|"
         r"made public|released|revealed|published|named|identified|explained|established|"
         r"specified)\b",
         "before", "what", "details"),
    _cue("remains uncertain",
         r"\b(?:(?:to|will|would|shall)\s+be\s+(?:determined|decided|agreed|set|fixed|clarified|"
         r"announced)\s+(?:later|at a later (?:date|stage|time)|in due course|separately|"
         r"through diplomatic channels)|"
         r"(?:has|have|had)\s+yet\s+to\s+be\s+(?:agreed|decided|determined|settled|"
         r"finali[sz]ed|worked out)|"
         r"(?:remains?|remained|is|are|was|were)\s+(?:still\s+|also\s+|highly\s+)?(?:uncertain|"
         r"unclear|unknown|in doubt|an open question|undecided|to be seen|"
         r"any(?:one|body)['\u2019]s guess|up in the air|in limbo|"
         r"a mystery|unexplained|unresolved|undetermined|under (?:investigation|review)|"
         r"(?:another|a different|a separate) (?:matter|question|story)|disputed|contested|"
         r"in dispute|murky|opaque|hazy|vague|sketchy|shrouded in (?:mystery|secrecy)|"
         r"(?:hard|difficult|impossible) to (?:verify|say|know|tell|assess|gauge|judge|establish|"
         r"predict|confirm)|"
         r"(?:yet )?to be (?:determined|decided|confirmed|announced|clarified|settled)|"
         r"the subject of (?:an? )?(?:\w+ )?(?:investigation|inquiry|probe|review|debate|"
         r"speculation)|"
         r"far from (?:certain|clear|assured|obvious)|not (?:yet )?(?:certain|clear|known|settled|"
         r"obvious)|"
         r"(?:now |still )?(?:the|a|an) (?:central|key|big|main|open|unanswered|crucial|burning) "
         r"question|"
         r"(?:still\s+)?being (?:worked out|finali[sz]ed|negotiated))\b(?!\s*(?:whether|if|when|"
         r"where|who|why|how|what|which)\b))", "before", "what"),
    _cue("has not disclosed",
         r"\b(?:has|have|had|did)\s+not\s+(?:yet\s+|publicly\s+)?(?:disclosed?|revealed?|"
         r"released?|made public|published|named|identified)\b|\b(?:declined|refused)\s+to\s+"
         r"(?:disclose|reveal|name|identify)\b|"
         # "He did not specify the composition of the delegation": a thing, not a clause
         r"\b(?:(?:has|have|had|did)\s+not|declined\s+to|refused\s+to)\s+(?:yet\s+)?"
         r"specif(?:y|ied)\s+(?=(?:the|its|his|her|their|any)\s)|\b(?:neither|no)\s+(?:side|party|government|one|"
         r"country|official)\s+(?:has|have|had)\s+(?:publicly\s+)?(?:disclosed|revealed|released|"
         r"made public)\b", "after", "what", "details"),
    _cue("no details",
         r"\b(?:gave|give|gives|offered|offer|provided|provide|released|shared)\s+no\s+"
         r"(?:further\s+|other\s+|more\s+)?(?:details|specifics|information|timeline|timetable|"
         r"explanation|figures?|numbers|estimate|breakdown)\b|"
         r"\bno\s+(?:further\s+|other\s+|more\s+)?(?:details|specifics)\s+(?:\w+\s+){0,5}?"
         r"(?:were|was|have been|has been)\s+(?:given|provided|released|disclosed|offered|"
         r"made available)\b|"
         r"\b(?:refrained|declined|refused|failed)\s+(?:from\s+|to\s+)(?:providing|provide|giving|"
         r"give|offering|offer|going into|go into)\s+(?:any\s+)?(?:details|specifics)\b|"
         r"\bdetails\s+(?:\w+\s+){0,5}?(?:remain|remained|were|are)\s+(?:scarce|sketchy|thin|"
         r"unclear)\b|\b(?:declined|refused|would not|did not)\s+(?:to\s+)?(?:discuss|go into)\b|"
         r"\bdetails\s+(?:\w+\s+){0,5}?(?:were|are|was|is)\s+not\s+(?:immediately\s+|yet\s+)?"
         r"(?:available|known)\b",
         "after", "details", "details"),
    _cue("not drawn on",
         rf"\b{_NEG}\s+(?:to\s+)?be\s+drawn\s+(?:on|into|about)\s+(?!{WH}\b)", "after", "what"),
    _cue("not yet scheduled",
         r"\b(?:(?:has|have|had)\s+not\s+(?:yet\s+)?been|(?:is|are|was|were)\s+not\s+yet)\s+"
         r"(?:scheduled|set|fixed|decided|finali[sz]ed|announced)\b", "before", "when"),
    _cue("no indication that",
         r"\b(?:gave|give|gives|offered|provided|showed|shows)\s+no\s+(?:clear\s+)?(?:indication|sign)s?"
         r"\s+(?:that\s+)?(?!of\b|as\b)", "after", "whether"),
    _cue("conflicting accounts",
         r"\b(?:conflicting|contradictory|differing|contrasting|competing)\s+(?:reports|accounts|"
         r"claims|versions|statements|narratives)\s+(?:about|of|over|on|as to)\s+",
         "after", "what"),
    _cue("no claim of responsibility",
         r"\b(?:no one|nobody|no-one|no group|none)\s+(?:has|have|had)\s+(?:yet\s+)?claimed\s+"
         r"responsibility\s+(?:for\s+)?", "after", "who"),
    _cue("no timeline",
         r"\b(?:did not|didn['\u2019]t|would not|wouldn['\u2019]t|declined to|refused to|"
         r"could not|failed to)\s+(?:give|provide|offer|set|put)\s+(?:a|any)\s+(?:timeline|"
         r"timetable|date|time ?frame)\s+(?:for|of|on)\s+|\bno\s+(?:timeline|timetable|date|"
         r"time ?frame)\s+(?:was|has been|had been)\s+(?:given|set|offered)\s+(?:for|of)\s+|"
         r"\b(?:gave|given|gives|give|offered|provided|set)\s+no\s+(?:timeline|timetable|date|"
         r"time ?frame)\s+"
         r"(?:for|of|on)\s+", "after", "when"),
    # "... it would hold talks 'as early as possible,' but did not give a date.": the date of
    # what the clause before announced
    _cue("no date given",
         r"\b(?:did not|didn['\u2019]t|would not|wouldn['\u2019]t|declined to|refused to|"
         r"could not|failed to)\s+(?:give|provide|offer|set|put)\s+(?:a|any)\s+(?:specific\s+|"
         r"firm\s+|precise\s+|new\s+)?(?:timeline|timetable|date|time ?frame)\s*(?=[.;!]|$)",
         "before", "when"),
    _cue("no explanation",
         r"\bno\s+(?:official\s+|immediate\s+|clear\s+)?(?:explanation|reason)\s+"
         r"(?:(?:was|has been|had been)\s+(?:given|offered)\s+)?(?:for|of)\s+|"
         r"\b(?:declined|refused|failed|did not|would not)\s+(?:to\s+)?(?:give|provide|offer)\s+"
         r"(?:a|any)\s+(?:reason|explanation)\s+(?:for|of)\s+",
         "after", "why"),
    _cue("no announcement",
         r"\bno\s+(?:official\s+|formal\s+)?(?:announcement|decision|date|timeline|timetable|"
         r"draft(?:\s+text)?|text|proposal|agreement)"
         r"(?:\s+(?:or|and|nor)\s+(?:venue|location|place|date|time|agenda))?\s+"
         r"(?:has|have|had)\s+(?:yet\s+)?been\s+(?:made|set|announced|released|given|reached|"
         r"fixed|agreed|scheduled|confirmed|circulated|published|presented|tabled)\b|"
         r"\b(?:has|have|is|are)\s+yet\s+to\s+be\s+(?:announced|decided|set|scheduled|finali[sz]ed|"
         r"determined|agreed)\b", "sentence", "whether"),
    _cue("did not rule out",
         r"\b(?:did not|didn['\u2019]t|would not|wouldn['\u2019]t|has not|hasn['\u2019]t|have not|"
         r"haven['\u2019]t|refused to|declined to|could not|cannot|can['\u2019]t)\s+"
         r"(?:yet\s+)?rul(?:e|ed)\s+out\b",
         "after", "whether"),
    _cue("remained silent",
         r"\b(?:(?:has|have|had)\s+(?:remained|kept|stayed|been)|is|are|was|were|remains?|"
         r"remained)\s+(?:largely\s+|conspicuously\s+|notably\s+)?(?:silent|quiet|tight-lipped|"
         r"mum|coy|cagey|reticent)\s+(?:about|on|over|regarding)\s+",
         "after", "whether", "confirm"),
    _cue("divided over",
         r"\b(?:are|were|remain|is|was)\s+(?:deeply\s+|sharply\s+)?(?:divided|split|at odds)\s+"
         r"(?:on|over|about|as to)\s+", "after", "what"),
    _cue("unaware of",
         rf"\b(?:unaware|not aware)\s+of\s+(?={WH}\b)", "after", "what"),
    _cue("not aware of any",
         r"\b(?:is|are|was|were|am)\s+not\s+aware\s+of\s+(?=any\b)", "after", "whether"),
    _cue("has not commented",
         r"\b(?:has|have|had|did)\s+not\s+(?:yet\s+|publicly\s+|immediately\s+|officially\s+)*"
         r"(?:commented|comment|responded|respond|replied|reply)\b(?:\s+(?:publicly|officially))?|"
         r"\b(?:could|can)(?: not|not|n['\u2019]t)\s+(?:immediately\s+)?be\s+reached\s+for\s+"
         r"comment\b|\b(?:was|were|is|are)\s+not\s+(?:immediately\s+)?available\s+for\s+"
         r"comment\b|"
         r"\bdeclined\s+to\s+comment\b|\bno\s+(?:immediate\s+|official\s+)?(?:comment|response|"
         r"reaction|word)\s+from\b|\b(?:neither|no)\s+(?:\w+\s+){1,2}?(?:would|will|has|have|did|"
         r"could)\s+(?:immediately\s+)?(?:comment|respond)\b|\b(?:has|have|had)\s+yet\s+to\s+"
         r"(?:comment|respond|react|reply)\b",
         "after", "response"),
)

# A full stop that ends "U.S.", "U.N." or "Mr." ends no clause ("elected U.S. president").
_NOT_ABBREVIATION = "".join(
    rf"(?<!\b{a})" for a in ("[A-Z]\\.[A-Z]", "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep",
                             "Gov", "Lt", "Col", "Sgt", "Prof", "Jr", "Sr"))
_CLAUSE_END = re.compile(rf"\s*(?:[;:\u2014\u2013(]|\s-\s|,\s+(?:but|while|although|though|as|and|"
                         r"which|with|adding|saying|even)\b|,\s+\w+ing\b|"
                         r",\s+(?:[\w'\u2019-]+\s+){0,5}?(?:said|says|added|told|warned|noted|"
                         r"wrote|paused|hesitated|shrugged|smiled|laughed|deflected)\b|"
                         r"\s+and\s+(?=whether|if|how|what|"
                         rf"when|who|why)|{_NOT_ABBREVIATION}\.(?:\s|$)|\?|!|$)")
# inside a noun phrase, "or the ..." / "and the ..." starts a second matter
_NP_SPLIT = re.compile(r"\s+(?:or|and)\s+(?=(?:the|a|an|its|their|his|her|whether|how|what)\b)",
                       re.IGNORECASE)
_TRAILING = re.compile(r"(?:\s+(?:so far|as of yet|as yet|yet|for now|at the moment|at this time|"
                       r"publicly|officially|has|have|had|is|are|was|were|been|also|already|"
                       r"still|would|will))+$", re.IGNORECASE)
_PRONOUN_LED = re.compile(r"^(?:it|this|that|they|them|their|its|his|her|these|those)\b",
                          re.IGNORECASE)
_CLAUSE_START = re.compile(r"(?:^|[,;:\u2014\u2013(]|\s-\s)\s*(?:(?:while|although|though|but|"
                           r"however|and|as|since|because|whereas|yet)\b,?\s*)*", re.IGNORECASE)
_LEADING_FILLER = re.compile(
    r"^(?:(?:and|but|so|or|yet|then|now|still|also|however|perhaps|most|crucially|importantly|"
    r"above all|first|second|finally|thus)\b[\s,]*)+", re.IGNORECASE)
_NP_TRIM = re.compile(r"^(?:about|over|on|as to|around|of|that|for|regarding|concerning|into)\s+",
                      re.IGNORECASE)
_POTENTIAL = re.compile(r"^(?:the\s+)?(?:potential|possibility|prospect|likelihood|chance|"
                        r"idea)s?\s+(?:of|for)\s+", re.IGNORECASE)
_MODIFIER_DROP = re.compile(r"\b(?:potential|possible|any|exactly|precisely)\s+", re.IGNORECASE)
_DEMONSTRATIVE = re.compile(r"\b(?:these|those|this|that|such)\b(?=\s+(?!(?:to|is|are|was|were|"
                            r"has|have|had|will|would|can|could|may|might|should|must|does|did|"
                            r"do|be|been|the|a|an|and|or|of|in|on|at|it|he|she|they|we|year|"
                            r"week|month|morning|afternoon|evening|time|weekend|summer|winter|"
                            r"spring|autumn)\b)[a-z])",
                            re.IGNORECASE)
_QUOTES = re.compile(r"[\u201c\u201d\"]|(?<!\w)['\u2018\u2019]|['\u2018\u2019](?!\w)")

# --- words -------------------------------------------------------------------------------------

_IRREGULAR_PAST = {
    "took": "take", "was": "be", "were": "be", "had": "have", "did": "do", "made": "make",
    "said": "say", "told": "tell", "met": "meet", "spoke": "speak", "came": "come", "went": "go",
    "gave": "give", "got": "get", "knew": "know", "saw": "see", "began": "begin", "held": "hold",
    "sent": "send", "led": "lead", "left": "leave", "brought": "bring", "thought": "think",
    "found": "find", "became": "become", "wrote": "write", "chose": "choose", "won": "win",
    "lost": "lose", "struck": "strike", "sought": "seek", "meant": "mean", "put": "put",
    "set": "set", "felt": "feel", "kept": "keep", "ran": "run", "paid": "pay", "heard": "hear",
    "agreed": "agree", "fought": "fight", "rose": "rise", "fell": "fall", "drew": "draw",
    "broke": "break", "stood": "stand", "understood": "understand", "withdrew": "withdraw",
    "occurred": "occur", "referred": "refer", "preferred": "prefer", "called": "call",
    "spent": "spend", "built": "build", "bought": "buy", "sold": "sell", "caught": "catch",
    "taught": "teach", "lent": "lend", "hid": "hide", "shot": "shoot", "fled": "flee",
    "dealt": "deal", "flew": "fly", "grew": "grow", "threw": "throw", "drove": "drive",
    "forgot": "forget", "forgave": "forgive", "oversaw": "oversee", "underwent": "undergo",
    "withheld": "withhold", "upheld": "uphold", "overthrew": "overthrow", "shook": "shake",
    "ate": "eat", "sank": "sink", "hung": "hang", "stuck": "stick", "swore": "swear",
    "wore": "wear", "tore": "tear", "bore": "bear", "slept": "sleep", "swept": "sweep",
}
# Verbs that are no head for a question ("will Moscow send a delegation" is about a delegation).
_COMMON_VERBS = _words("send sends make makes take takes give gives get gets go goes come comes "
                       "say says hold holds reach reaches begin begins start starts become lead "
                       "leads receive receives accept accepts attend attends agree agrees decide "
                       "decides happen happens join joins")
_PRONOUNS = _words("it he she they we you i")
# Verbs whose subject is the wh-word itself ("what happens next", "what comes after the truce").
_SUBJECT_VERBS = _words("happens happened comes came follows followed remains remained matters "
                        "changes changed lies emerges emerged")
_HAVE = {"has": "does", "have": "do", "had": "did"}
_DETERMINERS = _words("the a an his her its their these those this that our your my any some no "
                      "every each")
_PLURAL_END = re.compile(r"(?:s|es)$")


def _base_form(verb: str) -> str:
    low = verb.lower()
    if low in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[low]
    if low.endswith("ied"):
        return low[:-3] + "y"
    stem = low[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] in "bdgmnprt":
        return stem[:-1]
    if re.search(r"(?:[^aeiou][aeiou][csvz]|[aeiou]s|[^aeiou][aeiou]t|ng|rg)$", stem) and \
            not re.search(r"(?:ea|ai|oa|ee)[a-z]$", stem):
        return stem + "e"
    return stem


def lemma(word: str) -> str:
    """A crude lemma for matching: lower case, possessive and plural endings removed."""
    w = word.lower().strip("'\u2019.,;:!?\u201c\u201d\"()")
    w = re.sub(r"['\u2019]s$", "", w)
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def content_words(text: str) -> list[str]:
    return list(_content_words(text))


@lru_cache(maxsize=8192)
def _content_words(text: str) -> tuple[str, ...]:
    return tuple(lemma(w) for w in re.findall(r"[A-Za-z][A-Za-z'\u2019-]*", text)
                 if w.lower() not in _STOP and len(w) > 2)


@lru_cache(maxsize=8192)
def find_concepts(text: str) -> tuple[str, ...]:
    """Concept ids in `text`, in order of first appearance."""
    low = text.lower()
    hits: list[tuple[int, int, str]] = []
    for order, c in enumerate(CONCEPTS):
        if c.anchors and not any(a in low for a in c.anchors):
            continue
        m = c.pattern.search(text)
        if m:
            hits.append((m.start(), order, c.id))
    return tuple(cid for _, _, cid in sorted(hits))


@lru_cache(maxsize=8192)
def _concept_set(text: str) -> frozenset[str]:
    return frozenset(find_concepts(text))


@lru_cache(maxsize=8192)
def _content_set(text: str) -> frozenset[str]:
    return frozenset(_content_words(text))


@lru_cache(maxsize=8192)
def sentence_topics(text: str) -> tuple[str, ...]:
    """Topic ids of a sentence (cached: events, questions and settling ask for the same ones)."""
    return tuple(find_topics(text))


# --- keys --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionKey:
    aspect: str  # whether, future, when, where, who, what, how, why, details, response, ...
    head: str  # the concept (or word) the question is about
    facets: frozenset[str]
    actors: frozenset[str]

    def render(self) -> str:
        return "|".join((self.aspect, self.head, "+".join(sorted(self.facets)),
                         "+".join(sorted(self.actors))))


@lru_cache(maxsize=8192)
def parse_key(key: str) -> QuestionKey | None:
    parts = key.split("|")
    if len(parts) != 4:
        return None
    aspect, head, facets, actors = parts
    return QuestionKey(aspect, head, frozenset(f for f in facets.split("+") if f),
                       frozenset(a for a in actors.split("+") if a))


def _aspect(wh: str | None, default: str, matter: str) -> str:
    aspect = default
    if wh:
        w = wh.lower().split()[0]
        aspect = {"if": "whether", "whom": "who", "whose": "who", "which": "what"}.get(w, w)
        if wh.lower().startswith("how ") and wh.lower().split()[1] in ("many", "much"):
            aspect = "how-many"
    if aspect in ("whether", "when", "where") and _FUTURE.search(matter):
        return "future"
    return aspect


def build_key(matter: str, *, wh: str | None, cue: Cue | None,
              actors: tuple[str, ...]) -> QuestionKey:
    """The merge key of a question: what is asked, about which thing, with which extra concepts."""
    concepts = find_concepts(matter)
    things = [c for c in concepts if CONCEPTS_BY_ID[c].thing]
    facets = set(concepts) | set(cue.facets if cue else ())
    if things:
        head = things[0]
    elif (rest := [c for c in concepts if c not in ANSWER_FACETS]):
        head = rest[0]
    else:
        words = [w for w in content_words(matter) if w not in _VAGUE and not _verb_like(w)
                 and w not in _COMMON_VERBS]
        head = words[0] if words else UNKNOWN_HEAD
        facets |= set(words[1:3])
    facets.discard(head)
    aspect = _aspect(wh, cue.aspect if cue else "whether", matter)
    return QuestionKey(aspect, head, frozenset(facets), frozenset(actors))


# --- wording -----------------------------------------------------------------------------------


def _tidy(text: str) -> str:
    text = _QUOTES.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:.-\u2014\u2013")
    return text


def _plural(np: str) -> bool:
    head = re.split(r"\s+(?:of|for|with|between|about|on|in|by|to|from|that|which|who|whether)"
                    r"\s+", np.strip())[0]
    words = [w.lower() for w in head.split() if not w.lower().endswith("ed")]
    last = words[-1] if words else ""
    return bool(_PLURAL_END.search(last)) and not last.endswith(("ss", "us", "is", "'s", "\u2019s"))


def _np(text: str) -> str:
    np = _tidy(_NP_TRIM.sub("", text.strip()))
    np = _NP_SPLIT.split(np)[0]
    np = _TRAILING.sub("", np).strip()
    np = _DEMONSTRATIVE.sub("the", np)
    np = re.sub(r"^any\b", "the", np, flags=re.IGNORECASE)
    return np


_NUMBER_WORDS = _words("two three four five six seven eight nine ten both several many few")
_THIRD_PERSON = re.compile(r"^[a-z]+[^s'\u2019]s$")


def _present_base(verb: str) -> str:
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("shes", "ches", "sses", "xes", "zes", "oes")):
        return verb[:-2]
    return verb[:-1]


def _verb_like(word: str) -> bool:
    return word in _IRREGULAR_PAST or (word.endswith("ed") and len(word) > 4)


def invert(wh: str, clause: str) -> str:
    """An embedded question as a direct one: "when these talks took place" -> "When did ..."."""
    clause = _tidy(_DEMONSTRATIVE.sub("the", clause))
    clause = re.sub(r"^(?:exactly|precisely|just|really)\s+", "", clause, flags=re.IGNORECASE)
    clause = re.sub(r",?\s*\bif any\b,?", "", clause, flags=re.IGNORECASE)
    words = clause.split()
    w = wh.lower()
    if not words:
        return ""
    if w in ("what", "who") and words[0].lower() in _SUBJECT_VERBS:
        return _cap(f"{wh} {clause}?")  # "what happens if Russia says no": asks the subject
    if (w in ("what", "which") or w.startswith(("how many", "how much"))) and len(words) > 1 \
            and words[0].islower() and words[0] not in AUX and words[0] not in _DETERMINERS \
            and words[0] not in _PRONOUNS and not _verb_like(words[0]):
        # "what role the president played", "how many troops Russia has sent": the noun joins
        # the wh-phrase, and the rest is inverted unless the noun is the subject
        wh, words = f"{wh} {words[0]}", words[1:]
        while len(words) > 1 and words[0].islower() and words[0] not in _STOP \
                and words[0] not in AUX and not _verb_like(words[0]):
            wh, words = f"{wh} {words[0]}", words[1:]  # "what security guarantees are ..."
        if wh.lower().endswith(" of") and words:  # "how many of the promised tanks"
            while words and words[0].lower() not in AUX and not (
                    _verb_like(words[0].lower()) and wh.split()[-1].lower() not in _DETERMINERS):
                wh, words = f"{wh} {words[0]}", words[1:]
            if not words:
                return _cap(f"{wh}?")
        w = wh.lower()
        if words[0].lower() in AUX or _verb_like(words[0].lower()):
            return _cap(f"{wh} {' '.join(words)}?")
        clause = " ".join(words)
    first = words[0].lower()
    subject_question = w in ("who", "what", "which") and (
        first in AUX or first.endswith("ed") or first in _IRREGULAR_PAST
        or (first.endswith("s") and first not in _DETERMINERS and words[0].islower()
            and len(words) > 1 and words[1].lower() in _STOP))
    if subject_question:
        return _cap(f"{wh} {clause}?")
    head = "" if w in ("whether", "if") else wh + " "
    for i, word in enumerate(words[:10]):
        low = word.lower()
        if i > 0 and words[i - 1].lower() in _PRONOUNS and low not in AUX and _verb_like(low):
            # "whether they occurred before he was elected": the pronoun's past verb leads,
            # not a later clause's auxiliary
            rest = [*words[:i], _base_form(low), *words[i + 1:]]
            return _cap(f"{head}did {' '.join(rest)}?")
        if low in AUX:
            break
    for i, word in enumerate(words[:10]):
        if word.lower() in AUX and i > 0:
            low = word.lower()
            after = words[i + 1].lower() if i + 1 < len(words) else ""
            if low in _HAVE and after not in AUX and not _verb_like(after) \
                    and after not in ("been", "not", "yet", "already", "never"):
                # "whether the bank had enough reserves": have as the main verb takes do
                rest = [*words[:i], "have", *words[i + 1:]]
                return _cap(f"{head}{_HAVE[low]} {' '.join(rest)}?")
            rest = words[:i] + words[i + 1:]
            return _cap(f"{head}{low} {' '.join(rest)}?")
    for i, word in enumerate(words[:10]):
        low = word.lower()
        if i > 0 and words[i - 1].lower() in _DETERMINERS:
            continue  # "the detained journalists": an adjective, not the verb
        if i > 0 and _THIRD_PERSON.search(low) and words[i - 1].lower() not in _STOP \
                and words[i - 1].lower() not in _NUMBER_WORDS \
                and not words[i - 1].lower().endswith("s") \
                and (i + 1 == len(words) or words[i + 1].lower() != "of"):
            # "whether the coalition survives the vote" -> "Does the coalition survive ...?"
            rest = [*words[:i], _present_base(low), *words[i + 1:]]
            return _cap(f"{head}does {' '.join(rest)}?")
        if i > 0 and (low in _IRREGULAR_PAST or (low.endswith("ed") and len(low) > 4)):
            rest = [*words[:i], _base_form(low), *words[i + 1:]]
            return _cap(f"{head}did {' '.join(rest)}?")
    if w in ("whether", "if"):
        return _cap(f"is it so that {clause}?")
    return _cap(f"{wh} is it that {clause}?")


def _cap(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,?])", r"\1", text)
    return text[:1].upper() + text[1:]


# --- detection ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    cue: str
    question: str
    key: QuestionKey
    context: tuple[str, ...] = ()  # who the question is about when its words name nobody


def _clause_after(text: str, pos: int) -> str:
    rest = text[pos:]
    m = _CLAUSE_END.search(rest, 1)
    clause = rest[: m.start()] if m else rest
    words = clause.split()
    return " ".join(words[:MAX_MATTER_WORDS])


def _clause_before(text: str, pos: int) -> str:
    head = text[:pos]
    starts = list(_CLAUSE_START.finditer(head))
    start = starts[-1].end() if starts else 0
    words = head[start:].split()
    return " ".join(words[-MAX_MATTER_WORDS:])


def _article_actors(mentions: list[Mention]
                    ) -> tuple[tuple[str, ...], dict[str, set[str]], dict[str, str]]:
    """In one pass: the article's main people, every surface form and the short name of each."""
    counts: Counter[str] = Counter()
    people: set[str] = set()
    forms: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for m in mentions:
        actor, text, kind = m.actor_id, m.text, m.kind
        counts[actor] += 1
        if kind != MentionKind.NAME:
            people.add(actor)
        if kind != MentionKind.PRONOUN and len(text) > 2:
            forms.setdefault(actor, set()).add(text.lower())
        if kind == MentionKind.NAME and text[:1].isupper():
            current = names.get(actor)
            if current is None or len(text) < len(current):
                names[actor] = text
    ranked = [a for a, _ in counts.most_common() if not people or a in people]
    return tuple(ranked[:MAIN_ACTORS]), forms, names


def _main_actors(mentions: list[Mention]) -> tuple[str, ...]:
    """The people an article is about: most mentioned actors referred to by pronoun or title."""
    counts = Counter(m.actor_id for m in mentions)
    people = {m.actor_id for m in mentions if m.kind != MentionKind.NAME}
    ranked = [a for a, _ in counts.most_common() if not people or a in people]
    return tuple(ranked[:MAIN_ACTORS])


def _surface_forms(mentions: list[Mention]) -> dict[str, set[str]]:
    """Every way the article names each actor ("Donald Trump", "Trump", "the Kremlin leader")."""
    forms: dict[str, set[str]] = {}
    for m in mentions:
        if m.kind != MentionKind.PRONOUN and len(m.text) > 2:
            forms.setdefault(m.actor_id, set()).add(m.text.lower())
    return forms


def _short_names(mentions: list[Mention]) -> dict[str, str]:
    """The shortest proper name of each actor, for writing pronouns out ("his" -> "Trump's")."""
    names: dict[str, str] = {}
    for m in mentions:
        if m.kind == MentionKind.NAME and m.text[:1].isupper():
            current = names.get(m.actor_id)
            if current is None or len(m.text) < len(current):
                names[m.actor_id] = m.text
    return names


_POSSESSIVE = frozenset({"his", "her", "its", "their"})


def _resolve_pronouns(sent: Sentence, mentions: list[Mention], names: dict[str, str]) -> str:
    """The sentence with resolved personal pronouns written as names, for readable questions."""
    text = sent.text
    pronouns = sorted((m for m in mentions if m.sentence == sent.index
                       and m.kind == MentionKind.PRONOUN and m.actor_id in names),
                      key=lambda m: m.start, reverse=True)
    for m in pronouns:
        a, b = m.start - sent.start, m.end - sent.start
        if not (0 <= a < b <= len(text)):
            continue
        word = text[a:b].lower()
        name = names[m.actor_id]
        if word in _POSSESSIVE:
            name += "'s"
        elif word not in ("he", "she", "him"):
            continue
        text = text[:a] + name + text[b:]
    return text


def _has_word(low: str, form: str) -> bool:
    start = low.find(form)
    while start != -1:
        end = start + len(form)
        if (start == 0 or not low[start - 1].isalnum()) and \
                (end == len(low) or not low[end].isalnum()):
            return True
        start = low.find(form, start + 1)
    return False


def _actors_in(matter: str, forms: dict[str, set[str]]) -> tuple[str, ...]:
    low = matter.lower()
    return tuple(sorted(a for a, fs in forms.items() if any(_has_word(low, f) for f in fs)))


def _sentence_thing(text: str) -> str | None:
    things = [c for c in find_concepts(text) if CONCEPTS_BY_ID[c].thing]
    return things[0] if things else None


_OWN_MATTER = re.compile(r"\s+(?:for|of|on)\s+(?:the\s+|a\s+|an\s+)?\w")


def _cue_question(cue: Cue, text: str, m: re.Match[str]) -> tuple[str, str, str | None] | None:
    """(wording, matter, wh-word) for one cue match; None when there is no matter to ask about."""
    if cue.form == "sentence":
        thing = _sentence_thing(text)
        if thing is None:
            return None
        return f"What has been decided about the {CONCEPTS_BY_ID[thing].label}?", text, None
    if cue.name == "no date given":
        planned = _PLANNED.search(_QUOTES.sub("", text[:m.start()]))
        if planned is None:
            return None
        pred = _SOON.sub("", planned["pred"]).strip(" ,")
        if not pred:
            return None
        return (_cap(f"when will {planned['subj']} {pred}?"),
                f"{planned['subj']} {pred}", "when")
    if cue.form == "before":
        before = _clause_before(text, m.start())
        if not _has_content(before):  # "Key details, including the size, have yet to be agreed"
            before = " ".join(text[:m.start()].split(",")[0].split()[-MAX_MATTER_WORDS:])
        spoken = list(_SPEECH.finditer(before))
        if spoken:  # "the secretary said only that the timetable [was under review]"
            before = before[spoken[-1].end():]
        wh_subject = _WH_START.match(before)
        if wh_subject:  # "Whether the deal will survive remains to be seen."
            clause = before[wh_subject.end():]
            return (invert(wh_subject[1], clause), before, wh_subject[1]) if clause.split() \
                else None
        matter = _np(before)
        if before.strip() and text.lstrip().startswith(before.strip()):
            matter = _sentence_initial(matter)
        if _PRONOUN_LED.match(matter) and not find_concepts(matter):
            return None
        if len(content_words(matter)) == 0:
            return None
        return _wording_for_np(cue, matter), matter, None
    after = _clause_after(text, m.end())
    after = _ABOUT_QUESTIONS.sub("", after)  # "did not respond to questions about whether ..."
    after = _PREP_BEFORE_WH.sub("", after)  # "no details on how the truce would be monitored"
    wh = _WH_START.match(after)
    if wh:
        clause = after[wh.end():]
        if not clause.split():
            # "... detained several people but did not say how many"
            counted = _VAGUE_COUNT.search(text, 0, m.start())
            if counted is not None and wh[1].lower() in ("how many", "how much"):
                matter = f"{counted['noun']} {counted['verb']}"
                verb = "was" if wh[1].lower() == "how much" else "were"
                return (_cap(f"{wh[1]} {counted['noun']} {verb} {counted['verb']}?"), matter,
                        wh[1])
            # "... that the talks have stalled, but neither side will say why"
            # "... said blackouts would continue, but did not say for how long"
            earlier = re.search(r"\b(?:that|said|says)\s+([^,;]+?)\s*,?\s*(?:but|and|yet)?\s*$",
                                text[:m.start()], re.IGNORECASE)
            if earlier is None:
                return None
            clause = earlier[1]
        to_verb = re.match(r"\s*to\s+(.+)", clause)
        subject = _lower_first(_np(_clause_before(text, m.start())))
        if to_verb and _has_content(subject):
            # "The EU has not decided whether to extend the sanctions": the subject decides
            w = wh[1].lower()
            lead = "" if w in ("whether", "if") else f"{wh[1]} "
            return _cap(f"{lead}will {subject} {_tidy(to_verb[1])}?"), after, wh[1]
        return invert(wh[1], clause), after, wh[1]
    if cue.name == "no indication that" and after.split():
        return invert("whether", after), after, "whether"
    if after.lower().startswith("that "):
        clause = _tidy(after[5:])
        if not clause:
            return None
        return _cap(f"has it been confirmed that {clause}?") if "confirm" in cue.facets else \
            _cap(f"is it true that {clause}?"), after, None
    matter = _np(after.split(",")[0])  # a noun phrase ends at the first comma
    if re.match(r"^(?:during|in|at|from|with|to|after|before|since|when|while|because)\b",
                matter, re.IGNORECASE):
        matter = ""  # "refrained from providing specifics during the interview": no object
    if not content_words(matter) or (_PRONOUN_LED.match(matter) and not find_concepts(matter)):
        subject = _np(_clause_before(text, m.start()))
        if cue.aspect == "response" and _has_content(subject):
            return _cap(f"how will {_lower_first(subject)} respond?"), subject, None
        thing = _sentence_thing(text)
        if cue.aspect == "details" and thing is not None:
            return f"What are the details of the {CONCEPTS_BY_ID[thing].label}?", text, None
        return None
    if cue.aspect == "response":
        if m.group().rstrip().lower().endswith("from"):  # "no comment from the Kremlin"
            who = re.split(r"\s+(?:to|on|about|over|regarding)\s+", matter)[0]
            return _cap(f"how will {_lower_first(who)} respond?"), matter, None
        if re.match(r"^(?:to\s+)?(?:a\s+|the\s+)?requests?\s+for\s+comment", matter, re.I):
            matter = ""
        subject = _np(_clause_before(text, m.start()))
        neither = re.match(r"(?:neither|no)\s+((?:\w+\s+){0,1}\w+?)\s+(?:would|will|has|have|did|"
                           r"could)\b", m.group(), re.IGNORECASE)
        if neither:  # "Neither company would comment": the company is who has not answered
            subject = f"the {neither[1]}"
        who = _lower_first(subject) if _has_content(subject) else "they"
        if not matter:
            return _cap(f"how will {who} respond?"), subject, None
        return _cap(f"how will {who} respond {_with_prep(matter)}?"), matter, None
    return _wording_for_np(cue, matter), matter, None


# "said (that) a new round would take place, but did not give a date": what is planned
_PLANNED = re.compile(
    r"\b(?:that|said|says|announced|added)\s+(?P<subj>(?:(?!\bthat\b)[^,;])+?)\s+"
    r"(?:would|will)\s+(?P<pred>[^;]+?)\s*,?\s*(?:but|and|yet)?\s*$", re.IGNORECASE)
_SOON = re.compile(r"\b(?:as (?:early|soon) as possible|soon|shortly|in due course)\b",
                   re.IGNORECASE)
# "detained several people": the count a later "but did not say how many" asks for
_VAGUE_COUNT = re.compile(
    r"\b(?P<verb>[a-z]+ed)\s+(?:several|some|many|a number of|dozens of|scores of|hundreds of|"
    r"thousands of|a few|an unspecified number of|an undisclosed number of)\s+(?P<noun>[a-z]+)")
# "What happens next? Officials would not say.": a refusal with no object refuses the question
# just asked
_ELLIPTIC_REFUSAL = re.compile(
    rf"\b{_NEG}\s+(?:to\s+)?(?:immediately\s+|publicly\s+)?(?:say|said|comment|elaborate|"
    r"specify|answer|tell|explain)\b(?:\s+(?:so far|yet|publicly|either))?\s*[.!]?\s*$",
    re.IGNORECASE)


def _has_content(np: str) -> bool:
    """Whether a phrase holds any word besides function words ("the EU" does; "it" does not)."""
    return any(w.lower() not in _STOP for w in re.findall(r"[A-Za-z]+", np))


def _sentence_initial(np: str) -> str:
    """Lower-case a sentence-initial common noun ("Details of the plan" -> "details of ...")."""
    words = np.split()
    if len(words) > 1 and words[0][:1].isupper() and words[0][1:].islower() \
            and words[1][:1].islower() and "'" not in words[0] and "\u2019" not in words[0] \
            and lemma(words[0]) in _COMMON_HEADS:
        return np[:1].lower() + np[1:]
    return np


# Nouns that open a sentence as common words, not names ("Details of ...", "Terms of ...").
_COMMON_HEADS = _words("detail term condition cause fate source identity motive number outcome "
                       "future result content extent scale size cost timing date location "
                       "whereabout status nature origin reason scope price name key main further "
                       "full exact precise final report claim talk plan deal news rumour rumor "
                       "figure estimate account allegation")


def _lower_first(np: str) -> str:
    """Lower-case a leading function word ("The White House" -> "the White House")."""
    first = np.split()[0] if np.split() else ""
    return np[:1].lower() + np[1:] if first.lower() in _STOP else np


_ABOUT_QUESTIONS = re.compile(r"^\s*(?:to\s+)?(?:(?:a|the)\s+)?(?:questions?|queries|requests? for "
                             r"comment)\s+(?:about|on|over|regarding|as to)\s+(?=(?:whether|if|"
                             r"when|where|who|why|how|what|which)\b)", re.IGNORECASE)


_SPEECH = re.compile(r"\b(?:said|says|told|added|noted|stressed|warned|insisted)\s+(?:only\s+)?"
                     r"(?:that\s+)?", re.IGNORECASE)


_PREP_BEFORE_WH = re.compile(r"^\s*(?:on|about|over|as to|of|regarding)\s+(?=(?:whether|if|when|"
                             r"where|who|why|how|what|which)\b)", re.IGNORECASE)


def _with_prep(matter: str) -> str:
    return matter if re.match(r"^(?:to|on)\b", matter, re.IGNORECASE) else f"to {matter}"


def _wording_for_np(cue: Cue, np: str) -> str:
    bare = _MODIFIER_DROP.sub("", _POTENTIAL.sub("", np)).strip()
    lower = _lower_first(bare)
    plural = _plural(bare)
    if "confirm" in cue.facets:
        return _cap(f"{'have' if plural else 'has'} {lower} been confirmed?")
    if cue.aspect == "details":
        if re.match(r"^(?:the\s+)?(?:details|specifics|terms)\b", lower):
            return _cap(f"what are {lower}?")
        return _cap(f"what are the details of {lower}?")
    if cue.name in ("remains undisclosed", "has not disclosed"):
        return _cap(f"what {'are' if plural else 'is'} {lower}?")
    if cue.aspect == "when":
        if re.search(r"\s(?:that|which|who)$", lower):  # "... depend on talks that [have not]"
            lower = re.sub(r"\s+(?:that|which|who)$", "", lower)
            lower = re.split(r"\s(?:on|of|for|to|about|with|in|by|from)\s", lower)[-1]
        return _cap(f"when will {lower} happen?")
    if cue.aspect == "who":
        return _cap(f"who is behind {lower}?")
    if cue.aspect == "why":
        return _cap(f"what explains {lower}?")
    if cue.aspect == "whether":
        if cue.name == "not aware of any":
            lower = re.sub(r"^the\s+", "any ", lower)
            return _cap(f"{'are' if plural else 'is'} there {lower}?")
        if cue.name == "did not rule out":
            return _cap(f"is {lower} possible?")
        return _cap(f"will there be {lower}?")
    return _cap(f"what is known about {lower}?")


def _explicit(text: str) -> list[tuple[int, int, str]]:
    """(start, end, question text) of genuine open questions written out in the sentence."""
    out: list[tuple[int, int, str]] = []
    quoted = dates.quote_spans(text)
    seg_start = 0
    for qm in re.finditer(r"\?", text):
        seg = text[seg_start:qm.end()]
        colon = max(seg.rfind(":"), -1)
        base = seg_start + colon + 1 if colon >= 0 else seg_start
        body = text[base:qm.end()]
        seg_start = qm.end()
        if any(a <= qm.start() < b for a, b in quoted) and (
                _FIRST_PERSON.search(body) or not _ASKED.search(text)):
            # a quoted question in the first or second person ("Why should we give up our
            # land?") is rhetorical; one an analyst asks about others is an open question
            continue
        if re.search(r",\s*(?:right|no|isn['\u2019]t it|don['\u2019]t you think|ok|okay)\?$",
                     body, re.IGNORECASE):
            continue
        if _ANSWERED_AT_ONCE.match(text[qm.end():]):
            continue  # "Is this a good deal? Yes, the minister insisted." asks nothing
        lead = len(body) - len(body.lstrip(" \u201c\u2018\"'"))
        body, base = body[lead:], base + lead
        start = _question_start(body)
        q = _LEADING_FILLER.sub("", body[start:].strip()).strip()
        q = re.sub(r"^[,\s]+", "", q)
        if len([w for w in content_words(q) if w not in _VAGUE]) < MIN_CONTENT_WORDS:
            continue
        out.append((base + start, qm.end(), q))
    return out


_FIRST_PERSON = re.compile(r"\b(?:I|we|our|us|me|my|you|your)\b|\b(?:I|we)['\u2019]", re.IGNORECASE)
_ASKED = re.compile(r"\b(?:asked|asks|wondered|wonders|questioned|said|says|wrote|added)\b",
                    re.IGNORECASE)
_ANSWERED_AT_ONCE = re.compile(r"\s*(?:yes|no|of course|not really|certainly|absolutely|"
                               r"probably|perhaps not|hardly)\b", re.IGNORECASE)


def _question_start(body: str) -> int:
    """Where the question begins: the first clause that opens with a wh-word or auxiliary."""
    opener = re.compile(rf"(?:^|[,;:\u2014\u2013]\s*)(?:(?:and|but|so|or|perhaps|most|"
                        rf"crucially|importantly|then)\b[\s,]*)*\s*(?={WH}\b|(?:{_AUX_RE})\b)",
                        re.IGNORECASE)
    m = opener.search(body)
    return m.start() if m and m.start() < len(body) else 0


def _explicit_wording(q: str, forms: dict[str, set[str]]) -> tuple[str, str | None]:
    q = _tidy(q.rstrip("?")) if q.endswith("?") else _tidy(q)
    q = _DEMONSTRATIVE.sub("the", q)
    wh = _WH_START.match(q)
    first = q.split()[0].lower() if q.split() else ""
    if wh:
        return _cap(q + "?"), wh[1]
    if first in AUX:
        return _cap(q + "?"), "whether"
    # a verbless heading question, "A Meeting in the Works?": title case off except for names
    names = {w for fs in forms.values() for f in fs for w in f.split()}
    words = [w if w.lower() in names else w.lower() for w in q.split()]
    return _cap(f"is there {' '.join(words)}?"), "whether"


def detect_questions(article: CleanArticle, sents: list[Sentence], mentions: list[Mention],
                     statements: list[Statement]) -> list[RaisedQuestion]:
    """Explicit questions and cues of what is not known, each with a wording and a merge key."""
    main: tuple[str, ...] = ()
    forms: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    prepared = False
    out: list[RaisedQuestion] = []
    previous_raised = False
    previous_explicit: list[_Found] = []
    stated_topics = {st.sentence: tuple(dict.fromkeys(t.topic for t in st.topics))
                     for st in statements if st.topics}
    for sent in sents:
        raised_here = False
        cues = [c for c in _cues_for(sent.text) if c.pattern.search(sent.text)]
        if "?" not in sent.text and not cues:
            if previous_explicit and _ELLIPTIC_REFUSAL.search(sent.text):
                f = previous_explicit[-1]
                out.append(RaisedQuestion(sentence=sent.index, text=sent.text,
                                          question=f.question, key=f.key.render(),
                                          cue="declined to specify",
                                          actors=tuple(sorted(f.context)),
                                          topics=sentence_topics(sent.text)))
            previous_raised, previous_explicit = False, []
            continue
        if not prepared:  # the article's actors, read once and only if a sentence may ask
            main, forms, names = _article_actors(mentions)
            by_sentence: dict[int, list[Mention]] = {}
            for mention in mentions:
                by_sentence.setdefault(mention.sentence, []).append(mention)
            prepared = True
        in_sentence = by_sentence.get(sent.index, [])
        sentence_actors = tuple(dict.fromkeys(m.actor_id for m in in_sentence))
        text = _resolve_pronouns(sent, in_sentence, names)
        found: list[_Found] = []
        for s, e, q in _explicit(text):
            wording, wh = _explicit_wording(q, forms)
            actors = _actors_in(q, forms)
            context = actors or tuple(dict.fromkeys((*sentence_actors, *main)))
            found.append(_Found(s, e, "explicit", wording,
                                build_key(q, wh=wh, cue=None, actors=actors), context))
        for cue in cues:
            for m in cue.pattern.finditer(text):
                if any(f.start <= m.start() < f.end or f.start <= m.end() + 2 <= f.end
                       or m.start() <= f.start <= m.end() + 2 for f in found):
                    continue  # the cue introduces a question written out: "questions remain: ..."
                if cue.form == "sentence" and previous_raised \
                        and not _OWN_MATTER.match(text, m.end()):
                    # "No date has been set." goes on about the question just raised; "no date
                    # has been announced for a summit" names a matter of its own
                    continue
                made = _cue_question(cue, text, m)
                if made is None:
                    continue
                wording, matter, wh = made
                actors = _actors_in(matter, forms)
                context = actors or tuple(dict.fromkeys((*sentence_actors, *main)))
                key = build_key(matter, wh=wh, cue=cue, actors=actors)
                if cue.aspect == "response":
                    facets = (key.facets | {key.head}) - {"response"}
                    key = QuestionKey("response", "response", facets, key.actors)
                if "confirm" in cue.facets:
                    # who has not confirmed: "The Kremlin has not confirmed", "unconfirmed by X"
                    who = _clause_before(text, m.start()) + " " + \
                        (_clause_after(text, m.end()) if cue.form == "before" else "")
                    holders = [a for a in _actors_in(who, forms) if a not in _actors_in(matter,
                                                                                      forms)]
                    key = QuestionKey(key.aspect, key.head,
                                      key.facets | {f"{BY}{a}" for a in holders}, key.actors)
                found.append(_Found(m.start(), m.end(), cue.name, wording, key, context))
        seen: set[str] = set()
        topics: tuple[str, ...] = ()
        if found:  # the statement stage has read the sentence's topics already, when it kept it
            known = stated_topics.get(sent.index)
            topics = known if known is not None else sentence_topics(sent.text)
        for f in sorted(found, key=lambda f: f.start):
            rendered = f.key.render()
            if rendered in seen:
                continue
            seen.add(rendered)
            raised_here = True
            out.append(RaisedQuestion(sentence=sent.index, text=sent.text, question=f.question,
                                      key=rendered, cue=f.cue, actors=tuple(sorted(f.context)),
                                      topics=topics))
        previous_raised = raised_here
        previous_explicit = [f for f in found if f.cue == "explicit"]
    return out


@lru_cache(maxsize=4096)
def has_cue(text: str) -> bool:
    """Whether a sentence says something is not known (so it cannot be an answer)."""
    return any(c.pattern.search(text) for c in _cues_for(text))


# --- across articles ---------------------------------------------------------------------------


def _key_of(q: RaisedQuestion | StoredQuestion) -> QuestionKey | None:
    """The parsed key; its actors are those the question's words name (maybe none)."""
    return parse_key(q.key)


def _context(q: RaisedQuestion | StoredQuestion, key: QuestionKey) -> frozenset[str]:
    """Who the question is about: named actors, else the sentence's and the article's people."""
    return key.actors or frozenset(q.actors)


# Facet prefix naming who has not confirmed: it says who can settle the question, not what it asks.
BY = "by-"


def facets_match(a: frozenset[str], b: frozenset[str]) -> bool:
    a = frozenset(f for f in a if not f.startswith(BY))
    b = frozenset(f for f in b if not f.startswith(BY))
    if a <= b or b <= a:
        return True
    return len(a & b) / len(a | b) >= SAME_FACETS


def same_question(a: RaisedQuestion | StoredQuestion, b: RaisedQuestion | StoredQuestion) -> bool:
    """Whether two questions ask the same thing: same aspect, same head, compatible facets, and
    the same actors (two shared when both name two or more)."""
    ka, kb = _key_of(a), _key_of(b)
    if ka is None or kb is None:
        return a.key == b.key
    if ka.aspect != kb.aspect or ka.head != kb.head:
        return False
    if ka.head == UNKNOWN_HEAD:
        return a.key == b.key and a.question == b.question  # nothing to compare but the words
    if not facets_match(ka.facets - _ASPECT_FACETS, kb.facets - _ASPECT_FACETS):
        return False
    if not ka.actors or not kb.actors:
        # "Has the conversation been confirmed?" names nobody: its article's people must meet
        ca, cb = _context(a, ka), _context(b, kb)
        return not ca or not cb or bool(ca & cb)
    # "What did Trump and Xi discuss?" is not "What did Trump and Putin discuss?": pairs must match
    return len(ka.actors & kb.actors) >= min(2, len(ka.actors), len(kb.actors))


# facets implied by the aspect: "where" and "place" say the same, so they never tell apart
_ASPECT_FACETS = frozenset({"place", "time"})

_HEDGE = re.compile(r"\b(?:potential|possible|possibly|probably|may|might|could|likely|"
                    r"expected|reportedly|see if|perhaps|hope|hopes|would|plans? to|considering)\b",
                    re.IGNORECASE)
_BACKSHIFT = re.compile(r"(\b(?:said|says|told\s+\w+|announced|confirmed|stated)\b[^.;]{0,60}?)"
                        r"\bwould\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|no|never|neither|nor|none|denied|den(?:y|ies)|without|"
                      r"unconfirmed|rumou?red)\b|n['\u2019]t\b", re.IGNORECASE)
_CONFIRMED = re.compile(r"\b(?:confirm(?:ed|s)?|acknowledg(?:ed|es)|verified|officially)\b",
                        re.IGNORECASE)
_BY_BOTH = re.compile(r"\b(?:both (?:sides|parties|governments|leaders|capitals|\w+ and \w+)|"
                      r"officially|each side|the two sides)\b", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:in|at|host(?:s|ed)?(?:\s+\w+)?|to)\s+(?:the\s+)?"
                    r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*(?!['\u2019\w])")
_DECIDED = re.compile(r"\b(?:agreed|will|scheduled|set for|announced|confirmed|named|chose|"
                      r"picked|proposed|suggested|invited)\b|\w['\u2019]ll\b", re.IGNORECASE)
# "named Saudi Arabia as a potential host", "chose Geneva as the venue"
_NAMED_PLACE = re.compile(r"\b(?:named|chose|picked|proposed|suggested|offered)\s+(?:the\s+)?"
                          r"[A-Z]\w+(?:\s+[A-Z]\w+)*\s+as\s+(?:a|an|the)?\s*(?:\w+\s+)?"
                          r"(?:host|venue|location|site)\b")


@dataclass(frozen=True)
class _Facts:
    hedged: bool
    negated: bool
    confirmed: bool
    by_both: bool
    place: bool
    decided: bool


@lru_cache(maxsize=8192)
def _facts(text: str) -> _Facts:
    """What a statement's wording says, read once per text (settling compares it with many)."""
    # "Peskov said the delegation would be led by ...": reported speech moves "will" to "would"
    plain = _BACKSHIFT.sub(r"\1", text)
    return _Facts(hedged=bool(_HEDGE.search(plain)), negated=bool(_NEGATED.search(text)),
                  confirmed=bool(_CONFIRMED.search(text)), by_both=bool(_BY_BOTH.search(text)),
                  place=bool(_PLACE.search(text) or _NAMED_PLACE.search(text)),
                  decided=bool(_DECIDED.search(text)))


# A speaker talking for both sides ("we discussed", "our meeting") stands in for the other actor.
_FOR_BOTH = re.compile(r"\b(?:we|us|our|both)\b|\bwe['\u2019]", re.IGNORECASE)


# "the delegation will be led by Vladimir Medinsky": a statement that names who
_NAMES_SOMEONE = re.compile(r"\b(?:led|headed|chaired|represented|initiated|ordered|authori[sz]ed)"
                            r"\s+by\s+(?:\w+\s+){0,3}?[A-Z]\w+")


def _published(q: StoredQuestion) -> date | None:
    days = [c.article.published.date() for c in q.raised_in if c.article.published]
    if days:
        return min(days)
    return q.first_seen.date() if q.first_seen else None


class SettlingTraits(NamedTuple):
    """What settling reads of each statement of a new article first, read once: the article
    is compared with a hundred known questions. Pure, so the batch path's workers read them
    and the process that stores only compares (`settling_traits`). A tuple: it comes back
    from the workers pickled (see contradictions.ClaimTraits)."""

    concepts: frozenset[str]
    words: frozenset[str]
    cue: bool  # has_cue: the statement says something is not known


def settling_traits(text: str) -> SettlingTraits:
    """The words settling looks a question's head up in, and whether the statement says
    something is not known (most statements of the generated corpus name some question's
    head and get that far). What it says of plans, places and dates (`_facts`) is read only
    for the few statements that pass those tests (6 % of them, bench/)."""
    return SettlingTraits(_concept_set(text), _content_set(text), has_cue(text))


def settles(question: StoredQuestion, statement: StoredStatement,
            traits: SettlingTraits | None = None) -> QuestionStatus | None:
    """ANSWERED or PARTLY_ANSWERED when a later statement settles the question, else None.
    `traits` are the statement's `settling_traits`, when they were read beforehand."""
    st = statement.statement
    key = _key_of(question)
    if key is None:
        return None
    text = st.text
    concepts = traits.concepts if traits is not None else _concept_set(text)
    words = traits.words if traits is not None else _content_set(text)
    if key.head not in concepts and key.head not in words:
        return None  # the cheapest test first: most statements are about something else
    if st.kind == StatementKind.QUESTION or text.rstrip().endswith("?"):
        return None
    if any(c.article.id == statement.article.id for c in question.raised_in):
        return None
    if traits.cue if traits is not None else has_cue(text):
        return None  # the statement itself says it is not known
    needed = {f for f in key.facets - ANSWER_FACETS - {"feasibility"} if not f.startswith(BY)}
    if not needed <= concepts | words:
        return None
    involved = {*st.about, *(a for a in (st.holder, st.speaker) if a)}
    silent = {f[len(BY):] for f in key.facets if f.startswith(BY)}
    # the question's actors must be in the statement: both of a pair ("Trump and Putin had a
    # call"), or one when that one is speaking ("We discussed Ukraine", Trump wrote), or the
    # party that had not confirmed ("The Kremlin confirmed ...")
    wanted = 1 if st.speaker in key.actors and _FOR_BOTH.search(text) else \
        min(len(key.actors), 2)
    if key.actors and len(key.actors & involved) < wanted and not silent & involved:
        return None
    context = _context(question, key)
    if not key.actors and context and not context & involved and not silent & involved:
        return None  # a question naming nobody is settled only about its article's actors
    facts = _facts(text)
    hedged = facts.hedged or st.certainty in (Certainty.SPECULATIVE, Certainty.UNCONFIRMED)
    certain = st.certainty == Certainty.CONFIRMED or not hedged
    negated = facts.negated
    published = statement.article.published.date() if statement.article.published else None
    if key.aspect == "whether":
        if "confirm" in key.facets:
            if not facts.confirmed or negated:
                return None
            # answered when both sides confirm, or every party that had not confirmed now does
            if facts.by_both or (silent and silent <= involved):
                return QuestionStatus.ANSWERED
            return QuestionStatus.PARTLY_ANSWERED
        if negated:
            return None
        return QuestionStatus.ANSWERED if certain and not hedged else \
            QuestionStatus.PARTLY_ANSWERED
    if key.aspect == "future":
        if negated:
            return None
        has_place = facts.place
        # a date the future question can be about lies ahead of the statement, not behind it
        has_date = any(d.precision == "day" and (published is None or d.value >= published)
                       for d in dates.find_dates(text, published))
        if has_place or has_date or facts.decided:
            if has_place and has_date and not hedged:
                return QuestionStatus.ANSWERED
            return QuestionStatus.PARTLY_ANSWERED
        return None
    if key.aspect == "when":
        raised = _published(question)
        found = [d for d in dates.find_dates(text, published) if d.precision == "day"]
        # a question about when something happened is answered by a date before it was asked
        if raised is not None:
            found = [d for d in found if d.value <= raised]
        if not found or negated:
            return None
        return QuestionStatus.ANSWERED if certain else QuestionStatus.PARTLY_ANSWERED
    if key.aspect == "where":
        if not facts.place or negated:
            return None
        return QuestionStatus.PARTLY_ANSWERED if hedged else QuestionStatus.ANSWERED
    if key.aspect == "who":
        if negated or not (needed or _NAMES_SOMEONE.search(text)):
            return None
        return QuestionStatus.PARTLY_ANSWERED if hedged else QuestionStatus.ANSWERED
    # what, how, why, details, response: one of the actors the question is about, on the record
    # about the matter, goes some way ("We discussed Ukraine, the Middle East ...", said Trump)
    if negated or hedged or not (key.facets - ANSWER_FACETS) <= concepts:
        return None
    # (a question naming nobody by name is about its article's people: one of them must speak;
    # a minister elsewhere mentioning "the Trump-Putin talks" tells nothing of what they said)
    if st.kind in (StatementKind.DIRECT_QUOTE, StatementKind.REPORTED_SPEECH) and \
            st.speaker is not None and (not context or st.speaker in context):
        return QuestionStatus.PARTLY_ANSWERED
    return None


def settlements(known: Sequence[StoredQuestion], statements: Sequence[StoredStatement],
                traits: Sequence[SettlingTraits] | None = None,
                ) -> list[tuple[StoredQuestion, StoredStatement, QuestionStatus]]:
    """(question, statement, status) for each known question these statements settle: what
    asking `settles` of every pair gives, question by question and statement by statement in
    order, a question's search ending at its first answer. `traits`: the statements'
    `settling_traits` in their order, when read beforehand (else read here).

    Only pairs whose statement names the question's head are asked: a new article's 35
    statements against 100 known questions are 3,500 pairs, of which a handful share a head.
    """
    by_head: dict[str, list[int]] = defaultdict(list)  # head word -> statement positions
    for i, st in enumerate(statements):
        words = traits[i].concepts | traits[i].words if traits is not None else \
            _concept_set(st.statement.text) | _content_set(st.statement.text)
        for word in words:
            by_head[word].append(i)
    out = []
    for question in known:
        key = _key_of(question)
        if key is None:
            continue
        for i in by_head.get(key.head, ()):
            status = settles(question, statements[i],
                             traits[i] if traits is not None else None)
            if status is not None:
                out.append((question, statements[i], status))
                if status == QuestionStatus.ANSWERED:
                    break
    return out


def is_stale(question: StoredQuestion, now: datetime) -> bool:
    """An unsettled question nobody has raised again for STALE_AFTER_DAYS."""
    if question.status == QuestionStatus.ANSWERED:
        return False
    last = question.last_seen or question.first_seen
    if last is None:
        return False
    if last.tzinfo is None and now.tzinfo is not None:
        now = now.replace(tzinfo=None)
    elif last.tzinfo is not None and now.tzinfo is None:
        last = last.replace(tzinfo=None)
    return now - last > timedelta(days=STALE_AFTER_DAYS)
