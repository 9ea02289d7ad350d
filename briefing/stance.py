"""Statements with kind, certainty and a stance per topic; an actor's stance from its evidence."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Protocol

from briefing.actors import MEDIA, OFFICE_OF, ActorRegistry
from briefing.clean import looks_like_headline
from briefing.models import (
    ActorKind,
    Attribution,
    Certainty,
    CleanArticle,
    Evidence,
    Mention,
    MentionKind,
    Sentence,
    StanceLabel,
    StancePoint,
    Statement,
    StatementKind,
    TopicStance,
)
from briefing.patterns import first_char_gate
from briefing.quotes import Quote, _pick, find_quotes, inside_quotes
from briefing.topics import topic_spans

# --- cue lexicons ------------------------------------------------------------------------------

# Characters either side of a topic term that its stance cues may sit in. News clauses put the
# governing verb within about eight words of its object ("has expressed willingness to meet").
WINDOW_BEFORE = 60
WINDOW_AFTER = 45
# A mention this close to a sentence's start is its subject ("Moscow has not.").
LEAD_CHARS = 20
# A subject phrase longer than this before the reporting verb is a clause, not a speaker.
MAX_SUBJECT_WORDS = 25

REPORT_VERBS = (
    r"said|says|told|tells|wrote|writes|noted|notes|added|stated|states|stressed|stresses|"
    r"insisted|insists|warned|warns|argued|argues|claimed|claims|explained|declared|"
    r"announced|acknowledged|acknowledges|emphasi[sz]ed|emphasi[sz]es|remarked|replied|"
    r"responded|suggested|suggests|indicated|indicates|pointed\s+out|expressed|expresses|"
    r"laid\s+out|called\s+for|calls\s+for|urged|urges|rejected|rejects|ruled\s+out|"
    r"demanded|demands|proposed|proposes|agreed|agrees|confirmed|confirms|denied|denies|"
    r"reiterated|named|invited|assured|signall?ed|threatened|advocated|cautioned|"
    r"spoke\s+in\s+favou?r|spoke\s+out|outlined|accused|welcomed|praised|critici[sz]ed|"
    r"condemned|questioned|denounced|promised|vowed|pledged|admitted|conceded|hinted|"
    r"revealed|asserted|recalled|predicted|reaffirmed|underlined|underscored|"
    r"dismissed|refused|offered|announced|tweeted|posted|has\s+said|has\s+stated|"
    r"reported|reports|wrote"
)
_AUX = (r"(?:(?:has|have|had|also|further|repeatedly|frequently|again|previously|earlier|"
        r"once\s+again|reportedly|publicly|later|then|firmly|strongly|openly)\s+)*")
# gated: most words cannot start an auxiliary or a reporting verb (30 -> 18 us a sentence)
_REPORT = re.compile(
    rf"\b{first_char_gate(f'{_AUX}(?:{REPORT_VERBS})')}{_AUX}(?P<verb>{REPORT_VERBS})\b")
_TRAILING_VERBS = (r"said|says|told|wrote|added|noted|stated|stressed|insisted|warned|confirmed|"
                   r"announced|explained|argued|claimed|reported|emphasi[sz]ed|declared")
_TRAILING_VERB = re.compile(rf"\b(?:{_TRAILING_VERBS})\b")


def _key_words(alternation: str) -> frozenset[str]:
    """Every form of each alternative's longest word, for an alternation of words written with
    letters, one-letter classes ("[sz]"), optional letters ("l?") and "\\s+" between words."""
    out: set[str] = set()
    for alt in alternation.split("|"):
        word = max(alt.split("\\s+"), key=len)
        forms = [""]
        i = 0
        while i < len(word):
            if word[i] == "[":
                end = word.index("]", i)
                options, i = list(word[i + 1:end]), end + 1
            else:
                options, i = [word[i]], i + 1
            if word[i:i + 1] == "?":
                options, i = [*options, ""], i + 1
            forms = [f + o for f in forms for o in options]
        out.update(forms)
    return frozenset(out)


# A match of _REPORT or _TRAILING_VERB holds each word of its verb as a whole word (a run of
# word characters between non-word ones): a sentence whose words include none is not searched.
_REPORT_WORDS = _key_words(REPORT_VERBS)
_TRAILING_WORDS = _key_words(_TRAILING_VERBS)
_WORDS = re.compile(r"\w+")
_SUBORDINATE = re.compile(r"\b(?:that|which|who)\b|[;\u201c\u201d\"]")
_CONJ_START = re.compile(r"\s*(?:and|but|or)\b")
# A speaker phrase after the claim ("..., seven European nations and the European Commission
# have stated") is a noun phrase: longer than this, it is a clause of its own.
MAX_SPEAKER_WORDS = 12
_MEDIA = re.compile(
    r"\baccording\s+to\s+(?:(?:unnamed|anonymous|informed|several|two|three|multiple)\s+)?"
    r"(?:sources|reports?|a\s+report|media|officials|people|diplomats|insiders|the\s+outlet|"
    r"the\s+newspaper|the\s+publication|an?\s+(?:official|source|insider))"
    r"|\bsources?\s+(?:familiar|close|with\s+knowledge|said|say|says|told|cited|in\b)"
    r"|\breportedly\b|\b(?:was|were|has\s+been|have\s+been|is|are)\s+reported\b"
    r"|\breports?\s+(?:indicate|suggest|say|said|claim)|\bcited\s+by\b|\bas\s+reported\s+by\b"
    r"|\bpeople\s+familiar\b|\bunnamed\s+(?:officials|sources)|\bmedia\s+reports?\b"
    r"|\bthose\s+with\s+knowledge\b|\bwith\s+knowledge\s+of\b"
    r"|\baccording\s+to\b")  # matched on lower-case text
_MEDIA_SOURCE = re.compile(
    r"\b(?:according\s+to|cited\s+by|reported\s+by|report\s+(?:by|in)|told)\s+"
    r"(?P<src>(?:(?:sources|officials|people)\s+(?:cited\s+by|quoted\s+by|familiar\s+with\s+"
    r"[^,.]{0,40}?|close\s+to)\s+)?(?:the\s+)?[A-Z][\w.'\u2019&-]*(?:\s+[A-Z][\w.'\u2019&-]*){0,4})")

_DENIED = re.compile(r"\b(?:denied|denies|deny|refuted|dismissed\s+(?:the\s+)?reports?|"
                     r"called\s+(?:the\s+)?reports?\s+(?:false|fake)|false\s+reports?)\b")
_UNCONFIRMED = re.compile(
    r"\b(?:unconfirmed|not\s+(?:been\s+)?(?:officially\s+)?confirmed|neither\s+confirm\w*|"
    r"did\s+not\s+confirm|has\s+not\s+confirmed|have\s+not\s+confirmed|rumou?red|"
    r"allegedly|alleged|unverified|could\s+not\s+be\s+(?:independently\s+)?verified|"
    r"not\s+confirm\s+or\s+deny|remains?\s+unclear)\b")
_NOR_DENY = re.compile(r"\bnot\s+confirm\s+or\s+deny|neither\s+confirm")
_CONFIRMED = re.compile(r"\b(?:confirmed|confirms|officially|announced)\b")
_SPECULATIVE = re.compile(
    r"\b(?:may|might|could|would|likely|unlikely|possibly|perhaps|probably|appears?\s+to|"
    r"seems?\s+to|speculat\w+|potentially|expected\s+to|scenario|if)\b")

_NEG = re.compile(  # "not only words", "not just talk": no negation
    # "no date had been agreed for a meeting": the date is negated, not the meeting
    r"\b(?:not(?!\s+(?:only|just|merely)\b)|no(?!\s+(?:date|timeline|timetable|venue)\b)|"
    r"never|cannot|nor|neither|without(?!\s+(?:delay|hesitation|further\s+delay))|hardly|no\s+longer|\w+n['\u2019]t)\b",
    re.IGNORECASE)
_OPPOSE = re.compile(
    # "Opposition leader Yair Lapid backed it": a title, not opposition
    r"\b(?:reject\w*|oppos(?!ition\s+(?:leader|part(?:y|ies)|lawmakers?|mps?|figures?|"
    r"politicians?|deputies|senators?|members?|groups?|bloc|candidates?)\b)\w+|illegitimate|legitimate\s+targets?|unlawful|counterproductive|futile|pointless|(?:vot\w+|argu\w+|spoke|speak\w*|came\s+out|campaign\w*|"
    r"(?:is|are|was|were))\s+against|refus\w+(?!\s+to\s+(?:say|comment|disclose|specify|confirm|reveal|discuss|answer|elaborate|"
    r"be\s+drawn))|rul(?:e|ed|es|ing)\s+out|off\s+the\s+table|"
    r"unacceptable|unrealistic|impractical|unlikely|impossible|no\s+way|dismiss\w*|"
    r"denounc\w+|condemn\w*|out\s+of\s+the\s+question|non-starter|red\s+line|"
    r"not\s+going\s+to\s+happen|veto\w*|block\w*|resist\w*|warn\w*\s+against|"
    r"cautioned\s+\w+\s+against|(?:not|no\s+longer)\s+on\s+the\s+table|"
    r"(?:is|are|was|were|remains?)\s+(?:not|no\s+longer|never)"
    r"(?!\s+(?:been\s+)?(?:afraid|scared|shy|only|just)\b)|isn['\u2019]t|aren['\u2019]t|"
    # "a ceasefire would only give Kyiv a pause to regroup": dismissed as serving the other side
    r"(?:can|could|will|would)\s+only\s+(?:give|serve|help|allow|benefit|embolden|encourage|"
    r"prolong|reward|play\s+into)|"
    # a threat against the thing: "any European troops sent to Ukraine will be destroyed"
    r"(?:will|would|shall)\s+be\s+(?:destroyed|annihilated|wiped\s+out|crushed|shot\s+down|"
    r"treated\s+as\s+(?:a\s+)?(?:legitimate\s+)?targets?)|"
    # a challenge in court: "will challenge the ban in the Court of Justice"
    r"(?:will|would|to|shall)\s+challenge|legal\s+challenge|"
    # harm to an order everyone wants kept: "the confiscation ... undermines the financial order"
    r"undermin(?:e|es|ed|ing)(?=\s+(?:the\s+|our\s+|an?\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:order|stability|security|peace|trust|law|credibility|sovereignty|process|talks|"
    r"efforts?|unity|system)\b)|"
    # a warning of harm from the thing: "warned that tariffs on allies 'will hurt the wrong
    # people'" (harm to Russia is what sanctions are for, so not that)
    r"warn(?:s|ed|ing)?\s+that(?=\s+(?:[\w'-]+[\"\u201d\u2019]?\s+){0,6}?[\"\u201c\u2018]?"
    r"(?:will|would|could)\s+(?:only\s+)?(?:hurt|harm|damage|backfire)\b"
    r"(?!\s+(?:russia|moscow|the\s+kremlin|putin|the\s+russian)))|"
    # named a wrong: "would be treated as 'theft'", "the idea was 'madness'"
    r"theft|robbery|piracy|blackmail|madness|"
    # the diplomatic words for a measure one rejects: "unfriendly steps", "illegal sanctions"
    r"unfriendly|illegal|"
    # "The Russians said no": a refusal in two words
    r"(?:said|says|say|saying)\s+no(?=\s+to\b|[,.;\s]*$|,))\b",
    re.IGNORECASE)
_SUPPORT = re.compile(
    r"\b(?:wants?|wanted|wanting|hopes?|hoped|hoping|support\w*|backs?|backed|backing|"
    r"favou?r\w*|call(?:s|ed|ing)?\s+(?:for|on)|advocat\w+|push(?:es|ed|ing)?\s+for|urg\w+|seek\w*|"
    r"sought|ready|willing\w*|prepared\s+to|open\s+to|agree\w*|commit\w*|welcom\w+|endors\w+|"
    r"propos\w+|confident|optimis\w+|okay\s+with|ok\s+with|fine\s+with|must|should|"
    r"needs?\s+to|need\s+for|necessary|crucial|essential|vital|desire|aim\w*|determined|"
    r"promis\w+|vow\w*|pledg\w+|work\s+toward|try\s+and\s+get|try\s+to|facilitate|"
    r"insist\w*|demand\w*|keen|eager|intend\w*|plan\w*\s+to|looks?\s+forward|achiev\w+|"
    r"expect\w*|would\s+like|ha(?:ve|s|d)\s+to|like\s+to|let's|let\s+us|invit\w+|offer\w*|host\w*|"
    r"in\s+favou?r|concrete\s+plan|possible|keep\w*|maintain\w*|extend\w*|continu\w+|"
    r"step\w*\s+up|increas\w+|send\w*|provid\w+|deliver\w*|boost\w*|reach\w*|"
    r"too\s+(?:slow|little|late)|speed\w*\s+up|need(?:s|ed)?|interested[\"\u201d\u2019']?\s+in|push(?:es|ed|ing)?|"
    # a vote for it, a deal "within reach", "the first step toward", reform "unavoidable"
    r"vot(?:e|es|ed|ing)\s+for|within\s+reach|first\s+step|step\s+toward|"
    r"unavoidable|inevitable|indispensable|overdue|champion(?:s|ed|ing)|"
    # "Kyiv accepted an unconditional ceasefire", "said yes to a ceasefire", "Ukraine belongs
    # in NATO"
    r"accept(?:s|ed|ing)?|(?:said|says|say|saying)\s+yes|belong(?:s|ed)?\s+in|"
    # a lawmaker's support for a bill: "I'm a co-sponsor", "proud to join this effort"
    r"co-?sponsor\w*|proud\s+to\s+(?:join|support|back|co-?lead|introduce|sponsor))\b",
    re.IGNORECASE)
_CONDITIONAL = re.compile(
    r"\b(?:(?:pre)?conditions?(?!\s+of\s+anonymity)|only\s+if|on\s+condition(?!\s+of\s+anon)|provided\s+(?:that|it)|(?<!for\s)as\s+long\s+as|"
    r"unless|(?:can|could|will|would)\s+only(?!\s+(?:give|serve|help|allow|benefit|embolden|"
    r"encourage|prolong|reward|play\s+into))|but\s+(?:also\s+)?(?:wants?|wanted|demands?|"
    r"demanded|insists?|insisted|requires?|required|needs?|needed)\s+(?:\w+\s+){0,3}?"
    r"(?:guarantees?|assurances?|conditions?|security)|"
    r"only\s+(?:be\s+)?(?:reached|achieved|possible|after|once|when|via|through)|must\s+first|"
    r"first\s+must|root\s+causes|subject\s+to|depends?\s+on|depending\s+on|"
    r"insist\w*\s+that\s+[^.]{0,60}\bmust|demand\w*\s+that|guarantees?\s+that|"
    r"must\s+be\s+(?:part\s+of|involved|included|at\s+the\s+table)|must\s+have\s+a\s+say|"
    r"only\s+a\s+\w+\s+(?:agreement|deal|peace)|in\s+order\s+to|requires?|prerequisite|"
    r"if\s+(?:and\s+only\s+if\s+)?(?:ukraine|russia|kyiv|kiev|moscow|they|he|she|the)\b|"
    # "A ceasefire, yes, if it comes with guarantees"; "elections, but not under martial law"
    r"yes,?\s+(?:but\s+)?(?:only\s+)?if\b|not\s+at\s+any\s+(?:price|cost)|"
    # "no ceasefire until the territorial question is closed": a condition, not a date
    r"until(?!\s+(?:now|recently|then|last|this|next|early|late|mid|the\s+end|\d))\s+(?:the|a|an|"
    r"it|they|russia|ukraine|kyiv|kiev|moscow|all|every)\b|"
    # "ready for talks but would not accept a deal that did not end the war"
    r"but\s+(?:would|will)\s+not\s+accept\s+(?:a|an|any)\s+[\w-]+\s+(?:that|which|without)\b|"
    r"not\s+(?:under|during|while|until|before)\s+(?:martial|the\s+war|wartime|the\s+current)|"
    # "We want this war to end, but it has to end in a way ...", "talks, yes, but any deal
    # must include ...": what is wanted comes with a requirement
    r"(?<=\bbut\s)(?:it|this|that|any\s+[\w-]+|the\s+[\w-]+|such\s+an?\s+[\w-]+)\s+"
    r"(?:must|has\s+to|have\s+to|needs\s+to|will\s+have\s+to)\b)",
    re.IGNORECASE)
_ONLY = re.compile(r"\b(?:only\s+(?:a|an|the|with|through|via|by)|in\s+exchange\s+for|"
                   r"in\s+return\s+for|"
                   # what one is "not afraid of" is accepted; what nothing works "without", wanted
                   r"(?:not|never)\s+(?:been\s+)?(?:afraid|scared|shy)\s+(?:of|to)|"
                   r"(?:^|(?<=^[\"\u201c\u2018']))without|"
                   # "every day without a ceasefire costs lives": what is missed is wanted
                   r"(?:every|each)\s+(?:day|week|month|hour)\s+without)\b",
                   re.IGNORECASE)
# A negative judgement denied is a positive one: "dialogue is not a sign of weakness",
# "sanctions are no mistake". Tried before the opposition and negation cues at one place.
_DOUBLE_NEG = re.compile(
    r"\b(?:(?:(?:is|are|was|were|be)\s+)?(?:not|no|never|hardly)|(?:isn|aren|wasn|weren)['\u2019]t)"
    r"\s+(?:a\s+|an\s+)?(?:sign\s+of\s+|act\s+of\s+|show\s+of\s+)?(?:weakness|mistake|"
    r"error|threat|crime|betrayal|capitulation|luxury|taboo|obstacle|danger|sin|failure|"
    r"favou?r\s+to\s+(?:russia|moscow|the\s+kremlin))\b", re.IGNORECASE)
# "X must be part of Y": X is wanted (supports), Y is conditional on it.
_INCLUSION = re.compile(r"\bmust\s+(?:be\s+(?:part\s+of|involved|included|at\s+the\s+table)|"
                        r"have\s+a\s+say|take\s+part)", re.IGNORECASE)
# Topic words whose presence means the opposite of the topic's "supports" meaning.
CONTRA: dict[str, re.Pattern[str]] = {
    "nato": re.compile(r"\b(?:renounc\w+|abandon\w*|give\s+up|drop\w*|neutral\w*|"
                       r"non-aligned|outside\s+(?:of\s+)?nato|never\s+join)\b"),
    "territory": re.compile(
        r"\b(?:territorial\s+integrity|(?:return\w*|restor\w+)\s+[^.]{0,40}\bborders|regain\w*|"
        r"liberat\w+|reclaim\w*|come\s+back|de-?occupation|recaptur\w+|retake|"
        r"sovereignty|"
        # "borders cannot be changed by force"
        r"(?:changed|redrawn|altered|moved|taken)\s+by\s+force)\b"),
    "sanctions": re.compile(r"\b(?:lift\w*|eas(?:e|ed|ing)|relief|remov\w+|scrap\w*|"
                            r"roll\w*\s+back|drop\w*|unfreez\w+)\b"),
    "military-aid": re.compile(r"\b(?:cut\w*|halt\w*|stop\w*|suspend\w*|pause\w*|freez\w+|"
                               r"end(?:ed|ing)?|reduc\w+|withh[oe]ld\w*)\b"),
    "ceasefire": re.compile(r"\b(?:escalat\w+|offensive|intensify\w*|fight\s+on|"
                            r"continue\s+the\s+war|keep\s+fighting)\b"),
}
_IF_WORD = re.compile(r"\b(?:if|unless|whether)\b")
_IF_WORDS = ("if", "unless", "whether")  # every match of _IF_WORD holds one
_STRONG_IF = re.compile(r"only\s+(?:if|after|once|when)|provided\s+(?:that|it)|as\s+long\s+as|"
                        r"(?<=\bbut\s)|"
                        r"on\s+condition|but\s+|"
                        r"if\s+and\s+only\s+if|yes,?\s|not\s+(?:under|during|while|until|"
                        r"before|at\s+any)\s")
# What right after a term shows it is not the topic: "a meeting of his Security Council".
NOT_THE_TOPIC: dict[str, re.Pattern[str]] = {
    "summit": re.compile(r"\s+of\s+(?:the|his|her|its|their|a)\b|"
                         # a body's own sitting: "after a cabinet meeting"
                         r"(?<=cabinet meeting)|(?<=board meeting)|(?<=party meeting)|"
                         r"(?<=council meeting)|(?<=committee meeting)|(?<=staff meeting)",
                         re.IGNORECASE),
    # "would vote against the bill", "votes on the package": a vote in a chamber, not an election
    "elections": re.compile(r"(?:(?<=vote)|(?<=votes))\s+(?:for|against|on|in\s+favou?r)\b",
                            re.IGNORECASE),
    # "as long as the money isn't held hostage to unrelated demands": an idiom
    "prisoner-exchange": re.compile(r"(?<=hostage)\s+(?:to|by)\s+(?!hamas|militants|"
                                    r"gunmen|captors|terrorists)", re.IGNORECASE),
}
# What right before a term shows it is not the topic: a chamber's vote is not an election.
NOT_THE_TOPIC_BEFORE: dict[str, re.Pattern[str]] = {
    "elections": re.compile(
        r"\b(?:commons|senate|house|parliamentary|parliament's|congressional|bundestag|knesset|"
        r"assembly|cabinet|confidence|procedural|floor|council|committee|final|bipartisan|"
        r"enough)\s+$|"
        # a whip's count: "supply the votes", "lacks the votes" ("have the vote" may be an
        # election's)
        r"\b(?:supply|supplies|supplied|lack|lacks|lacked)\s+the\s+$",
        re.IGNORECASE),
}
# The longest of those words and its space ("parliamentary ").
BEFORE_CHARS = 16
# An economic measure named beside its Russian target is a sanction: "a 25% tariff on goods
# from any country still buying Russian oil", "restrictions on Russian banks", "the ban" in a
# sentence about Russian gas. Searched on lower-case text that names Russia.
_MEASURE = re.compile(r"\b(?:tariffs?|penalt(?:y|ies)|restrictions|bans?|duties|levies)\b")
_RUSSIA_WORDS = ("russia", "moscow", "kremlin")
# One of these is inside every match of _MEASURE: a sentence with none is not searched.
_MEASURE_WORDS = ("tariff", "penalt", "restrictions", "ban", "duties", "levies")
# Making Russia pay is what sanctions, seized assets and reparations are for: "Russia must
# pay for the damage", "Putin should pay for it", "to raise the cost of Russia's aggression".
# Searched on lower-case text holding one of _PAY_WORDS.
_PAY = re.compile(
    r"\b(?:russia|moscow|putin|the\s+kremlin|the\s+aggressor)\s+(?:must|should|will|"
    r"has\s+to|needs\s+to|is\s+going\s+to|ought\s+to)\s+pay\b"
    r"|\bmak(?:e|es|ing)\s+(?:russia|moscow|putin|the\s+kremlin|the\s+aggressor)\s+pay\b"
    r"|\b(?:raise|raises|raising|increase|increasing|drive\s+up)\s+the\s+(?:cost|price)\s+"
    r"(?:of|for)\s+(?:russia|moscow|putin|the\s+kremlin)")
_PAY_WORDS = ("pay", "cost", "price")
# Europe's place in the talks named without the topic's words: "Europe had to be at the
# table", "European leaders must be in the room". Searched on lower-case text naming Europe.
_SEAT = re.compile(
    r"\b(?:europe|europeans|the\s+eu|european\s+(?:union|leaders|countries|partners|allies))"
    r"\b(?:\s+[\w']+){0,4}?\s+(?:(?:at|to)\s+the\s+(?:negotiating\s+)?table|in\s+the\s+room)\b")
# Topic-specific words that mean doing what the topic's "supports" describes.
PRO: dict[str, re.Pattern[str]] = {
    "energy": re.compile(r"\b(?:restor\w+|rebuild\w*|repair\w*|protect\w*|shield\w*|"
                         r"spar(?:e|es|ed|ing)|reconstruct\w*)\b"),
    "territory": re.compile(r"\b(?:trade|swap\w*|exchang\w+|give\s+up|hand\w*\s+over|"
                            r"surrender\w*|withdraw\w*\s+from|concession\w*|"
                            r"recogni[sz]\w*)\b"),
    "sanctions": re.compile(r"\b(?:impos\w+|tighten\w*|threat\w*|new\s+sanctions|"
                            r"extend\w*|more\s+sanctions|stay\w*|remain\w*|in\s+place|"
                            r"add(?:s|ed|ing)?|expand\w*|widen\w*|tough\w*|package|"
                            # "will put a 25% tariff on goods from ...", "slapped duties on"
                            r"(?:put|puts|putting|slap\w*)\s+(?:an?\s+|new\s+|more\s+)?"
                            r"(?:\d+%\s+)?(?:tariffs?|sanctions|penalt(?:y|ies)|duties|levies)|"
                            # what _PAY finds: "Russia must pay", "raise the cost of Russia's"
                            r"(?:must|should|will|to|needs\s+to|ought\s+to)\s+pay|"
                            r"mak\w+\s+[\w\s]{1,20}?\s+pay|rais\w+\s+the\s+(?:cost|price))\b"),
}
# Verbs that put a position in someone else's mind: "Trump said Putin wants peace".
_ASCRIBE = re.compile(
    rf"^\s*(?:\([^)]{{1,40}}\)\s*)?(?:,[^,.]{{1,40}},\s*)?"
    rf"(?:also\s+|really\s+|genuinely\s+|now\s+|truly\s+|sincerely\s+|clearly\s+|still\s+|{_AUX})?(?P<verb>wants?|wanted|believes?|believed|"
    r"thinks?|thought|hopes?|hoped|would\s+like|(?:is|was|seemed|seems|appeared|appears)\s+"
    r"(?:also\s+|not\s+|still\s+)?(?:ready|willing|open|prepared|keen|eager|determined|committed|interested|"
    r"not\s+interested|unwilling|reluctant)|shares?|shared|intends?|seeks?|sought|"
    r"does\s+not\s+want|doesn['\u2019]t\s+want|did\s+not\s+want|refuses?|insisted|insists|"
    r"(?:has|had|have)\s+(?:long\s+)?(?:insisted|demanded|said|been\s+saying)|"
    r"demanded|demands|agreed|agrees)\b", re.IGNORECASE)
# A position the subject of a clause takes in so many words, inside someone's quote or report:
# "Kyiv accepted an unconditional ceasefire", "the Kremlin asks for more territory", "The
# Ukrainians said yes". Read only for an actor that starts its clause (_CLAUSE_SUBJECT), so
# "the deal that Russia rejected" stays the speaker's sentence.
_ASCRIBE_ACT = re.compile(
    r"^\s*(?:also\s+|has\s+|have\s+|had\s+|already\s+|now\s+|still\s+)*(?:"
    r"accept(?:s|ed)|reject(?:s|ed)|asks?\s+for|asked\s+for|(?:is|are)\s+asking\s+for|"
    r"(?:said|says)\s+(?:yes|no)\b|says)\b", re.IGNORECASE)
_CLAUSE_SUBJECT = re.compile(
    r"(?:^|[,;:]|\b(?:said|says|told\s+\w+|thinks?|believes?)\s+(?:that\s+)?)"
    r"\s*[\"\u201c\u2018']?\s*(?:the\s+)?$", re.IGNORECASE)
# "the president "wants the killing to stop"": a quote may open between the actor and its verb
_OPEN_QUOTE = re.compile(r"\s*[\"\u201c\u2018]")
_OBLIGED = re.compile(r"\s+(?:must|should|(?:has|have|will\s+have|would\s+have)\s+to|"
                      r"needs\s+to|ought\s+to)\b")
_PRONOUN_LABELS = frozenset({"he", "she", "they", "we", "i", "it"})
_IF_BEFORE = re.compile(r"\b(?:if|unless|whether|once|when|until|till)\b[^,;]*$",
                        re.IGNORECASE)
_QUESTION_END = re.compile(r"\?[\"'\u201d\u2019)]*$")


@dataclass
class _Sent:
    sent: Sentence
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


def _kind_of(registry: ActorRegistry, actor_id: str | None) -> ActorKind | None:
    a = registry.get(actor_id) if actor_id else None
    return a.kind if a else None


Span = tuple[int, int]

# One pass over a sentence finds every cue; where two kinds could match at one place the
# earlier kind here wins ("no way" is opposition, not a bare negation; "only a fair deal" is a
# requirement, not a condition; "must be part of" is inclusion, not a bare "must").
_CUE_ORDER = ("dneg", "incl", "only", "cond", "opp", "neg", "sup")
# "don't", "isn't": the one negation that can start with any letter, and the costliest to try at
# every word; sentences without "n't" (most) are searched without it.
_NEG_CONTRACTION = r"|\w+n['\u2019]t"
_CONTRACTIONS = ("n't", "n\u2019t")


def _gated(name: str, source: str) -> str:
    """A named group behind a look-ahead for its possible first characters: the engine skips the
    group's many alternatives at a word that cannot start it, and matches exactly as before."""
    return f"{first_char_gate(source)}(?P<{name}>{source})"


def _cue_pattern(*, contractions: bool) -> re.Pattern[str]:
    sources = [p.pattern.removeprefix(chr(92) + "b") for p in (
        _DOUBLE_NEG, _INCLUSION, _ONLY, _CONDITIONAL, _OPPOSE, _NEG, _SUPPORT)]
    if not contractions:
        neg = sources[_CUE_ORDER.index("neg")]
        if _NEG_CONTRACTION not in neg:
            raise RuntimeError("_NEG changed: update _NEG_CONTRACTION")
        sources[_CUE_ORDER.index("neg")] = neg.replace(_NEG_CONTRACTION, "", 1)
    return re.compile(  # clause breaks first: where one clause ends and another begins
        r"(?P<brk>[;:\u2013\u2014]|,\s+(?:and|but|which|who|whom|whose|a|an)\b)"
        r"|\b(?:" + "|".join(_gated(n, src) for n, src in zip(_CUE_ORDER, sources, strict=True))
        + r"|(?P<brk2>but|however|although|whereas|while|(?:and|or),?\s+that)\b)")


# One pass over a sentence finds every cue; where two kinds could match at one place the
# earlier kind here wins ("no way" is opposition, not a bare negation; "only a fair deal" is a
# requirement, not a condition; "must be part of" is inclusion, not a bare "must").
_CUES = _cue_pattern(contractions=True)
_CUES_NO_CONTRACTION = _cue_pattern(contractions=False)
# one word-boundary test per place, then the kinds in order; "but wants guarantees" is a
# condition before it is a clause break


class _Cues:
    """Where each kind of stance cue sits in one sentence, found once per sentence."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = low = text.lower()
        found: dict[str, list[Span]] = {name: [] for name in (*_CUE_ORDER, "brk", "brk2")}
        cues = _CUES if any(c in low for c in _CONTRACTIONS) else _CUES_NO_CONTRACTION
        for m in cues.finditer(low):
            found[m.lastgroup or ""].append((m.start(), m.end()))
        self.breaks = sorted(found["brk"] + found["brk2"])
        self.ifs = ([m.start() for m in _IF_WORD.finditer(low)]
                    if _has_any(low, _IF_WORDS) else [])
        self.neg, self.opp, self.sup = found["neg"], found["opp"], found["sup"] + found["dneg"]
        self.cond, self.incl, self.only = found["cond"], found["incl"], found["only"]
        # "..., but only if the US provides a backstop" governs the whole main clause
        self.strong_if = [sp for sp in self.cond if _STRONG_IF.match(low, sp[0])]
        self._pro: dict[str, list[Span]] = {}
        self._contra: dict[str, list[Span]] = {}

    def pro(self, topic: str) -> list[Span]:
        if topic not in self._pro:
            pattern = PRO.get(topic)
            self._pro[topic] = _spans(pattern, self.low) if pattern else []
        return self._pro[topic]

    def contra(self, topic: str) -> list[Span]:
        if topic not in self._contra:
            pattern = CONTRA.get(topic)
            self._contra[topic] = _spans(pattern, self.low) if pattern else []
        return self._contra[topic]

    def window(self, s: int, e: int) -> tuple[int, int]:
        """The clause around a term: up to WINDOW_BEFORE/AFTER characters, cut at breaks."""
        lo = max(s - WINDOW_BEFORE, 0)
        hi = min(e + WINDOW_AFTER, len(self.text))
        for a, b in self.breaks:
            if lo < b <= s:
                lo = b
            if e <= a < hi:
                hi = a
        return lo, hi


def _spans(pattern: re.Pattern[str], text: str) -> list[Span]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


_CLAUSE_MARK = re.compile(r"[,;]")


def _within(spans: list[Span], lo: int, hi: int) -> bool:
    # a loop, not any() over a generator: 0.2-0.6 us instead of 0.9-2.9 for the empty or
    # short lists this is called with a dozen times per topic term
    for a, b in spans:  # noqa: SIM110
        if lo <= a and b <= hi:
            return True
    return False


def label_topic(sent_text: str, topic: str, spans: list[Span], orientation: int = 1, *,
                others: list[Span] | None = None, cues: _Cues | None = None) -> StanceLabel:
    """The stance a sentence takes on a topic, read from cues near the topic's terms.

    With no term in the sentence (a topic carried over from the sentence before), the whole
    sentence is the window and `orientation` is -1 when the carried reference was to the
    opposite of the topic's "supports" meaning ("return to 2014 borders ... that's unlikely").
    Negations belong to the nearest term: they do not reach past another topic's term
    (`others`).
    """
    cues = cues or _Cues(sent_text)
    labels: set[StanceLabel] = set()
    contra = cues.contra(topic)
    pro = cues.pro(topic)
    # another topic's term that is this topic's own cue ("trade our land") does not cut
    own = pro + contra
    others = [o for o in others if not _within(own, o[0] - 1, o[1] + 1)] if others else []
    windows = [(s, e) for s, e in spans] or [(len(sent_text), len(sent_text))]
    ifs = cues.ifs
    for s, e in windows:
        lo, hi = cues.window(s, e) if spans else (0, len(sent_text))
        near = lo
        for _, b in others:
            if near < b <= s:
                near = b
        if _within(cues.cond, s, e):
            labels.add(StanceLabel.CONDITIONAL)  # "root causes": the term names a condition
            continue
        if ifs and any(lo <= p < s for p in ifs):
            if _closed_if(sent_text, ifs, s):
                # "If he doesn't, the sanctions bill is ready": the main clause under a condition
                labels.add(StanceLabel.CONDITIONAL)
            continue  # the term sits in an if-clause: a hypothetical, not a position on it
        # polarity cues stop where an if-clause starts ("sanctions if Moscow refused a truce")
        hi_pol = hi
        for p in ifs:
            if e <= p < hi_pol:
                hi_pol = p
        opp = _within(cues.opp, near, s) or _within(cues.opp, e, hi_pol)
        neg = _within(cues.neg, near, s)
        con = _within(contra, lo, hi_pol)
        pro_hit = _within(pro, lo, hi_pol)
        # what "only" requires is wanted ("only a fair agreement with security guarantees")
        required = bool(cues.only) and any(
            max(lo, s - 40) <= a and b <= s and not _CLAUSE_MARK.search(sent_text[b:s])
            for a, b in cues.only)
        head = min(hi, e + 25)
        # a condition governs the term unless the term is itself what is demanded or
        # demanded against ("insisting that Ukraine must renounce its NATO aspirations")
        if spans and not (opp or con or required or pro_hit) and (
                _within(cues.cond, lo, s)
                or (_within(cues.cond, e, head) and not _within(cues.incl, e, head))
                or _within(cues.strong_if, e, len(sent_text))):
            labels.add(StanceLabel.CONDITIONAL)
            continue
        flips = int(opp) + int(neg) + int(con)
        support = (required or _within(cues.sup, lo, hi_pol) or _within(cues.incl, e, head)
                   or pro_hit)
        if not (support or flips):
            continue
        sign = (-1) ** flips * orientation
        labels.add(StanceLabel.SUPPORTS if sign > 0 else StanceLabel.OPPOSES)
    return _combine(labels)


def _closed_if(text: str, ifs: list[int], s: int) -> bool:
    """Whether the last "if" before `s` opens a clause closed by a comma before `s`: the term
    is then in the main clause the condition governs ("If Russia refuses, sanctions follow")."""
    p = max(p for p in ifs if p < s)
    if text[p:p + 2].lower() != "if":
        return False  # "unless", "whether"
    comma = text.find(",", p, s)
    return comma >= 0 and not text[comma + 1:s].strip().lower().startswith(("and", "but", "or"))


def _combine(labels: set[StanceLabel]) -> StanceLabel:
    if StanceLabel.CONDITIONAL in labels:
        return StanceLabel.CONDITIONAL
    if not labels:
        return StanceLabel.UNCLEAR
    # one label is itself; two different positions at once ("supports" beside "mixed") are
    # mixed (picking one of a set would change with the process's hash seed)
    return next(iter(labels)) if len(labels) == 1 else StanceLabel.MIXED


def _orientation(sent_text: str, topic: str, spans: list[Span],
                 cues: _Cues | None = None) -> tuple[int, int]:
    """How a later "that"/"it" refers back to the topic: (as a proposition, as a thing).

    "Ukraine cannot go into NATO. And I'm okay with that": "that" is the negated proposition
    (-1). "Ukraine will not be admitted to NATO. I don't think it's practical to have it": "it"
    is the membership itself (+1). Words against the topic's meaning ("return to the 2014
    borders") turn both around.
    """
    cues = cues or _Cues(sent_text)
    prop, thing = 1, 1
    for s, e in spans[:1]:
        lo, hi = cues.window(s, e)
        if _within(cues.contra(topic), lo, hi):
            prop, thing = -prop, -thing
        if any(lo <= a and b <= s and not _within(cues.opp, a - 12, b + 12)
               for a, b in cues.neg):
            prop = -prop
    return prop, thing


# "have it", "join it": a pronoun that stands for the thing, not for a whole proposition
_THING_IT = re.compile(r"\b(?:have|join|get|want|accept|support|oppose|reject|grant|allow)\s+it\b",
                       re.IGNORECASE)


# Words one of which every match of the pattern contains (each alternative names one), so a
# lower-case text with none of them is not searched: a substring test costs far less than a
# regex pass over the sentence. Keep in step with the patterns.
_MEDIA_WORDS = ("according", "source", "report", "cited", "people", "unnamed", "media",
                "knowledge")
_DENIED_WORDS = ("den", "refuted", "dismissed", "called", "false")
_UNCONFIRMED_WORDS = ("confirm", "rumo", "alleged", "verified", "unclear")
_CONFIRMED_WORDS = ("confirm", "officially", "announced")
_SPECULATIVE_WORDS = ("may", "might", "could", "would", "likely", "possibly", "perhaps",
                      "probably", "appear", "seem", "speculat", "potentially", "expected",
                      "scenario", "if")


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    for w in words:  # noqa: SIM110  a loop costs a third of any() over a generator
        if w in text:
            return True
    return False


def _certainty(text: str, kind: StatementKind) -> Certainty:
    if "confirm" in text and _NOR_DENY.search(text):
        return Certainty.UNCONFIRMED
    if _has_any(text, _DENIED_WORDS) and _DENIED.search(text):
        return Certainty.DENIED
    if _has_any(text, _UNCONFIRMED_WORDS) and _UNCONFIRMED.search(text):
        return Certainty.UNCONFIRMED
    if kind in (StatementKind.DIRECT_QUOTE, StatementKind.REPORTED_SPEECH):
        return Certainty.CONFIRMED
    if kind is StatementKind.QUESTION:
        return Certainty.SPECULATIVE
    if _has_any(text, _SPECULATIVE_WORDS) and _SPECULATIVE.search(text):
        return Certainty.SPECULATIVE
    if _has_any(text, _CONFIRMED_WORDS) and _CONFIRMED.search(text):
        return Certainty.CONFIRMED
    return Certainty.REPORTED


def _outside(ms: list[Mention], spans: list[tuple[int, int]]) -> list[Mention]:
    return [m for m in ms if not inside_quotes(m.start, spans)]


_ACCORDING_TO = re.compile(r"\baccording\s+to\b", re.IGNORECASE)
# How far after "according to" the person it names may be ("according to the Vice Speaker of
# the Russian parliament's upper chamber, Konstantin Kosachev").
ACCORDING_REACH = 160


def _according_to_person(s: _Sent, registry: ActorRegistry) -> Mention | None:
    m = _ACCORDING_TO.search(s.sent.text)
    if m is None:
        return None
    lo = s.sent.start + m.end()
    for x in s.mentions:
        if lo <= x.start < lo + ACCORDING_REACH and x.kind is not MentionKind.PRONOUN \
                and _kind_of(registry, x.actor_id) is ActorKind.PERSON:
            return x
    return None


def _possessive(text: str, m: Mention, base: int) -> bool:
    """"His acknowledgment", "Trump's claims": the mention qualifies a noun, it does not speak."""
    if m.kind is MentionKind.PRONOUN:
        return m.text.lower() in {"his", "her", "hers", "their", "its"}
    return text[m.end - base:m.end - base + 2] in ("\u2019s", "'s")


_OF = re.compile(r"\s+of\s+")
_PASSIVE_END = re.compile(r"\b(?:been|being|be|was|were|is|are)(?:\s+(?:not|never|also|already|"
                          r"reportedly|officially|publicly))*\s*$")
# A wire dateline ("MOSCOW, Feb 18 (Reuters) -") names a place and an agency, not a speaker.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{1,30}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?"
                       r"\s*(?:\([^)]{1,30}\))?\s*[-\u2013\u2014]+\s*")
_RELATIVE_ASIDE = re.compile(r",\s*(?:who|which|whose)\b[^,]{0,120},")
_UNNAMED = re.compile(
    r"\b(?:an?|one|two|three|several)\s+(?:senior\s+|top\s+|former\s+|western\s+|"
    r"european\s+|u\.?s\.?\s+|russian\s+|ukrainian\s+|white\s+house\s+|kremlin\s+|"
    r"administration\s+|government\s+|military\s+|intelligence\s+|diplomatic\s+){0,3}"
    r"(?:officials?|sources?|diplomats?|aides?|persons?|people|insiders?|advis[eo]rs?)\b",
    re.IGNORECASE)
_TITLE_BEFORE_OF = re.compile(
    r"(?i:secretary|minister|head|chief|president|director|governor|speaker|chairman|"
    r"chairwoman|chair|member|leader|mayor|spokesman|spokeswoman|spokesperson|commissioner|"
    r"ambassador|envoy|commander|deputy)$")
# _TITLE_BEFORE_OF's longest titles ("spokesperson", "commissioner") and the newline "$" may
# stand before: a match starts no earlier than this before where the search ends, so it starts
# there instead of trying every place of a long subject.
TITLE_CHARS = 13


def _head_of(subject: str) -> str:
    """The subject up to its first "of" phrase: "The official Kremlin readout" of "... of the
    call"; but "Secretary of State Marco Rubio" is one title and name."""
    for m in _OF.finditer(subject):
        if not _TITLE_BEFORE_OF.search(subject, max(0, m.start() - TITLE_CHARS), m.start()):
            return subject[:m.start()]
    return subject


# _NOUN_END's longest word ("these", "whose"): a match ends where the subject's text ends, so it
# starts no earlier than this before it, and the search starts there.
NOUN_END_CHARS = 5
_NOUN_END = re.compile(r"(?:['\u2019]s|\b(?:the|his|her|their|its|our|these|those|such|any|no|"
                       r"of|and|a|an|whose))\s*$", re.IGNORECASE)
_LEAD_CLAUSE = re.compile(r"\s*(?:while|although|though|since|because|as|when|after|before|"
                          r"despite|if)\b[^,]*,", re.IGNORECASE)
_SUBORDINATE_SUBJECT = re.compile(r"\b(?:that|which|who|whether|if)\b", re.IGNORECASE)


def _reported_speaker(s: _Sent, registry: ActorRegistry,
                      qspans: list[tuple[int, int]]) -> tuple[str | None, str | None, int]:
    """(speaker, label, end of the reporting verb in the sentence) for reported speech."""
    if not s.mentions:
        return None, None, 0  # nobody named, nobody to speak
    text = s.sent.text
    words = set(_WORDS.findall(text))
    first = None if _REPORT_WORDS.isdisjoint(words) else _REPORT.search(text)
    if first is None:
        # no reporting verb: every trailing verb is one too, so neither search below finds any
        return None, None, 0
    # both searches below start at the first reporting verb: before it there is none
    after = first.start()
    base = s.sent.start
    dateline = _DATELINE.match(text)
    if dateline:
        s = _Sent(s.sent, [m for m in s.mentions if m.start >= base + dateline.end()], s.quotes)
    # "..., Kremlin spokesman Dmitry Peskov has said." / "..., both sides have confirmed."
    verbs = ([] if _TRAILING_WORDS.isdisjoint(words)
             else list(_TRAILING_VERB.finditer(text, after)))
    if verbs:
        v = verbs[-1]
        rest = text[v.end():]
        comma = text.rfind(",", 0, v.start())
        who = text[comma + 1:v.start()] if comma >= 0 else ""
        if (comma >= 0 and len(rest.split(",", 1)[0]) <= 60 and len(rest) <= 230
                and 0 < len(who.split()) <= MAX_SPEAKER_WORDS
                and not _SUBORDINATE.search(who) and not _CONJ_START.match(who)
                and not inside_quotes(base + v.start(), qspans)):
            a, b = base + comma + 1, base + v.start()
            pick = _pick([x for x in s.mentions if a <= x.start < b], registry)
            if pick is not None:
                return pick.actor_id, who.strip(), v.end()
    for m in _REPORT.finditer(text, after):
        if inside_quotes(base + m.start(), qspans):
            continue
        subject = text[:m.start()]
        if _PASSIVE_END.search(subject):
            continue  # passive: "none have been confirmed", "Ukraine was not invited"
        if _NOUN_END.search(subject, max(0, len(subject.rstrip()) - NOUN_END_CHARS)):
            continue  # a noun, not a verb: "Trump's claims", "the states"
        # "Macron, who will visit Washington on Monday, said": the aside is not a clause
        subject = _RELATIVE_ASIDE.sub(lambda x: " " * len(x.group()), subject)
        lead = _LEAD_CLAUSE.match(subject)
        if lead:
            subject = " " * lead.end() + subject[lead.end():]
        if _SUBORDINATE_SUBJECT.search(subject):
            return None, None, 0  # the first reporting verb sits in a subordinate clause
        if len(subject.split()) > MAX_SUBJECT_WORDS:
            return None, None, 0
        # "The official Kremlin readout of the Putin-Trump call": the head is before "of"
        head = _head_of(subject)
        skip = len(subject) - len(subject.lstrip())
        cands = _outside([x for x in s.mentions
                          if base + skip <= x.start < base + len(head)], qspans)
        if not cands:  # "..., claiming control over a portion of X, Ukraine ... has denounced"
            cands = _outside([x for x in s.mentions
                              if base + skip <= x.start < base + len(subject)
                              and text[x.end - base:x.end - base + 2] not in ("\u2019s", "'s")],
                             qspans)[-1:]
        if not cands:
            continue
        cands = [x for x in cands if not _possessive(text, x, base)]
        pick = _pick(cands, registry)
        if pick is not None:
            return pick.actor_id, pick.text, m.end()
    return None, None, 0


def _ascribed_holder(s: _Sent, speaker: str | None, after: int,
                     registry: ActorRegistry) -> str | None:
    """An actor other than the speaker whose wish or view the sentence reports."""
    text = s.sent.text
    for m in s.mentions:
        rel = m.start - s.sent.start
        if m.actor_id == speaker:
            continue
        rest = text[m.end - s.sent.start:]
        opened = _OPEN_QUOTE.match(rest)
        # before the words reported, unless a quote of them opens right after the actor
        # ("said the president "wants the killing to stop" and would "look at ...")
        if rel < after and not opened:
            continue
        if _kind_of(registry, m.actor_id) is None:
            continue
        if m.kind is MentionKind.NAME and text[m.end - s.sent.start:][:2] in ("\u2019s", "'s"):
            continue  # "Putin's thoughts" is not Putin thinking
        if opened:
            rest = " " + rest[opened.end():]
        if _IF_BEFORE.search(text, max(0, rel - 25), rel):
            continue
        if _ASCRIBE.match(rest):
            return m.actor_id
        if _ASCRIBE_ACT.match(rest) and _CLAUSE_SUBJECT.search(text, 0, rel):
            return m.actor_id
    return None


def _office_holder(registry: ActorRegistry, actor_id: str | None,
                   on: date | None) -> str | None:
    """The head an office speaks for ("the Kremlin" -> the Russian president on that day)."""
    if actor_id not in OFFICE_OF:
        return actor_id
    title, of = OFFICE_OF[actor_id]
    head = registry.holder_of(title, of, on)
    return head.id if head else actor_id


_SET_ATTR = object.__setattr__
_STATEMENT_FIELDS = frozenset(Statement.model_fields)
_TOPIC_STANCE_FIELDS = frozenset(TopicStance.model_fields)


def _statement(*, sentence: int, text: str, quote: str | None, speaker: str | None,
               speaker_label: str | None, holder: str | None, about: tuple[str, ...],
               topics: tuple[TopicStance, ...], kind: StatementKind, certainty: Certainty,
               attribution: Attribution) -> Statement:
    """What Statement(...) gives for these values, without validating them: they are built
    here with the right types, and validation cost about 7 us a statement (model_construct
    costs more still)."""
    st = Statement.__new__(Statement)
    _SET_ATTR(st, "__dict__", {
        "sentence": sentence, "text": text, "quote": quote, "speaker": speaker,
        "speaker_label": speaker_label, "holder": holder, "about": about, "topics": topics,
        "kind": kind, "certainty": certainty, "attribution": attribution})
    _SET_ATTR(st, "__pydantic_fields_set__", set(_STATEMENT_FIELDS))
    _SET_ATTR(st, "__pydantic_extra__", None)
    _SET_ATTR(st, "__pydantic_private__", None)
    return st


def _topic_stance(topic: str, stance: StanceLabel) -> TopicStance:
    """What TopicStance(topic=..., stance=...) gives, without validating: see _statement."""
    ts = TopicStance.__new__(TopicStance)
    _SET_ATTR(ts, "__dict__", {"topic": topic, "stance": stance})
    _SET_ATTR(ts, "__pydantic_fields_set__", set(_TOPIC_STANCE_FIELDS))
    _SET_ATTR(ts, "__pydantic_extra__", None)
    _SET_ATTR(ts, "__pydantic_private__", None)
    return ts


def extract_statements(article: CleanArticle, sents: list[Sentence], mentions: list[Mention], *,
                       registry: ActorRegistry) -> list[Statement]:
    """Each sentence that carries a position or a claim, with speaker, holder and stances."""
    text = article.text
    on = article.published.date() if article.published else None
    quotes = find_quotes(text, sents, mentions, registry=registry)
    qspans = sorted((q.start, q.end) for q in quotes)
    all_spans = qspans
    rows = [_Sent(s) for s in sents]
    for m in mentions:
        if 0 <= m.sentence < len(rows):
            rows[m.sentence].mentions.append(m)
    starts = [s.start for s in sents]
    for q in quotes:
        i = max(0, bisect.bisect_right(starts, q.start) - 1)
        while i < len(rows) and rows[i].sent.start < q.end:
            if q.start < rows[i].sent.end:
                rows[i].quotes.append(q)
            i += 1

    out: list[Statement] = []
    headline = headline_topics(article.title)
    # topic -> (orientation as a proposition, as a thing), of the previous sentence
    prev_topics: dict[str, tuple[int, int]] = {}
    prev_holder: str | None = None
    prev_quote: Quote | None = None
    for r in rows:
        s = r.sent
        if not r.quotes and looks_like_headline(s.text) and not s.text.endswith("?"):
            prev_topics, prev_holder, prev_quote = {}, None, None
            continue
        low = s.text.lower()
        media = None if r.quotes or not _has_any(low, _MEDIA_WORDS) else _MEDIA.search(low)
        if not r.quotes and not r.mentions and not media:
            # nobody speaks and nobody is named: no statement, and nothing to carry on
            prev_topics, prev_holder, prev_quote = {}, None, None
            continue
        speaker: str | None = None
        label: str | None = None
        quote_text: str | None = None
        verb_end = 0
        attributed = [q for q in r.quotes if q.speaker]
        main_quote = max(attributed or r.quotes, key=lambda q: q.words, default=None)
        if main_quote is not None and (main_quote.speaker or main_quote.words >= 3):
            kind = StatementKind.DIRECT_QUOTE
            speaker, label = main_quote.speaker, main_quote.speaker_label
            parts = [text[max(q.start, s.start):min(q.end, s.end)].strip() for q in r.quotes
                     if q.speaker == main_quote.speaker]
            quote_text = " \u2026 ".join(p for p in parts if p) or None
            verb_end = 0 if main_quote.start <= s.start + 1 else main_quote.start - s.start
            attribution = Attribution.ON_RECORD if speaker else Attribution.REPORTED
            unnamed = _UNNAMED.search(s.text) if speaker is None else None
            if unnamed:
                # "a White House official, who spoke on condition of anonymity, said '...'"
                kind, label = StatementKind.MEDIA_REPORT, unnamed.group()
        elif media and (person := _according_to_person(r, registry)) is not None:
            # "..., according to Konstantin Kosachev": a person on the record
            kind, attribution = StatementKind.REPORTED_SPEECH, Attribution.ON_RECORD
            speaker, label = person.actor_id, person.text
        elif media:
            kind = StatementKind.MEDIA_REPORT
            attribution = Attribution.REPORTED
            src = _MEDIA_SOURCE.search(s.text)
            if src:
                a = s.start + src.start("src")
                b = s.start + src.end("src")
                orgs = [m for m in r.mentions if a <= m.start < b
                        and _kind_of(registry, m.actor_id) is ActorKind.ORGANISATION]
                speaker = orgs[0].actor_id if orgs else None
                label = src.group("src").strip()
            else:
                label = "media reports"
        else:
            speaker, label, verb_end = _reported_speaker(r, registry, all_spans)
            if speaker in MEDIA:
                # "Reuters reported that ...": the outlet reports, it holds no position
                kind, attribution = StatementKind.MEDIA_REPORT, Attribution.REPORTED
            elif speaker is not None:
                kind = StatementKind.REPORTED_SPEECH
                attribution = Attribution.ON_RECORD
            elif "?" in s.text and _QUESTION_END.search(s.text):
                kind, attribution = StatementKind.QUESTION, Attribution.ANALYSIS
            else:
                kind, attribution = StatementKind.ANALYSIS, Attribution.ANALYSIS

        outside = _outside(r.mentions, all_spans) if kind is not StatementKind.DIRECT_QUOTE \
            else r.mentions
        holder = speaker
        if kind is StatementKind.MEDIA_REPORT:
            # the outlet reports; the position is its subject's
            subjects = [m for m in outside if m.actor_id != speaker
                        and m.start >= s.start + verb_end]
            subjects = subjects or [m for m in outside if m.actor_id != speaker]
            people = [m for m in subjects if _kind_of(registry, m.actor_id) is ActorKind.PERSON]
            holder = (people or subjects)[0].actor_id if subjects else None
        if kind is StatementKind.REPORTED_SPEECH:
            holder = _office_holder(registry, speaker, on)
        ascribed = _ascribed_holder(r, speaker, verb_end, registry) if speaker else None
        own = registry.get(speaker) if speaker else None
        if own is not None and ascribed in own.member_of:
            ascribed = None  # Zelensky saying Ukraine is ready speaks for himself
        if ascribed is not None and ascribed != holder:
            holder = ascribed
            if attribution is Attribution.ON_RECORD:
                attribution = Attribution.ASCRIBED
        if holder is None:
            # the sentence's grammatical subject: its first actor outside any quote; but one
            # under an obligation ("Ukraine must give up ...") is what someone demands of it,
            # not its own position
            holder = outside[0].actor_id if outside and not _OBLIGED.match(
                s.text, outside[0].end - s.start) else None
            if kind is StatementKind.DIRECT_QUOTE and holder is None and prev_quote is not None:
                holder = prev_quote.speaker

        is_claim = kind in (StatementKind.DIRECT_QUOTE, StatementKind.REPORTED_SPEECH,
                            StatementKind.MEDIA_REPORT)
        if not (is_claim and (speaker or label or quote_text)) and holder is None:
            prev_topics, prev_holder, prev_quote = {}, None, main_quote
            continue

        # topics: the sentence's own, or carried over from the sentence before when this one
        # continues a quote or a reported position without naming the topic ("it", "that")
        spans_by_topic: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for topic, a, b in topic_spans(s.text):
            not_it = NOT_THE_TOPIC.get(topic)
            if not_it is not None and not_it.match(s.text, b):
                continue  # "a meeting of the Security Council" is not a summit
            not_it = NOT_THE_TOPIC_BEFORE.get(topic)
            if not_it is not None and not_it.search(s.text, max(0, a - BEFORE_CHARS), a):
                continue  # "a Commons vote" is not an election
            spans_by_topic[topic].append((a, b))
        if _has_any(low, _RUSSIA_WORDS) and _has_any(low, _MEASURE_WORDS):
            for measure in _MEASURE.finditer(low):
                held = spans_by_topic["sanctions"]
                if not any(a <= measure.start() < b for a, b in held):
                    held.append(measure.span())
                    held.sort()
        if _has_any(low, _PAY_WORDS):
            for paid in _PAY.finditer(low):
                held = spans_by_topic["sanctions"]
                if not any(a < paid.end() and paid.start() < b for a, b in held):
                    held.append(paid.span())
                    held.sort()
        if "europe" in low or "the eu" in low:
            for seat in _SEAT.finditer(low):
                held = spans_by_topic["europe-role"]
                if not any(a < seat.end() and seat.start() < b for a, b in held):
                    held.append(seat.span())
                    held.sort()
        topics: dict[str, StanceLabel] = {}
        # cues for a sentence without topics of its own are read only if it carries some on
        cues = _Cues(s.text) if spans_by_topic else None
        for topic, spans in spans_by_topic.items():
            others = [sp for t, sps in spans_by_topic.items() if t != topic for sp in sps]
            topics[topic] = label_topic(s.text, topic, spans, others=others, cues=cues)
        # a quote goes on with the topic of the same quote's earlier sentence, or of the
        # reported-speech lead-in just before it ("... will not be admitted to NATO." "I don't
        # think it's practical to have it")
        continues = kind is StatementKind.DIRECT_QUOTE and (
            (prev_quote is not None and main_quote is prev_quote)
            or (prev_quote is None and holder is not None and holder == prev_holder))
        own_orient: dict[str, tuple[int, int]]
        # "We have agreed to a ceasefire. Moscow has not.": a sentence about someone else
        # does not carry the speaker's stance on
        lead_actor = next((m for m in r.mentions if m.start - s.start < LEAD_CHARS), None)
        if lead_actor is not None and lead_actor.actor_id not in (speaker, holder):
            continues = False
        if not topics and continues and prev_topics:
            own_orient = {}
            cues = _Cues(s.text)
            for topic, (prop, thing) in prev_topics.items():
                used = thing if _THING_IT.search(s.text) else prop
                topics[topic] = label_topic(s.text, topic, [], used, cues=cues)
                own_orient[topic] = (used, used)
        else:
            own_orient = {t: _orientation(s.text, t, sp, cues)
                          for t, sp in spans_by_topic.items()}
        if not topics and headline and holder and kind in _CLAIM_KINDS:
            topics.update(_headline_stances(s.text, low, headline))

        if speaker and label and label.lower() in _PRONOUN_LABELS:
            actor = registry.get(speaker)
            label = actor.name if actor else label  # "he said": show who "he" is
        if (is_claim and (speaker or label or quote_text)) or (topics and holder):
            about_ids = [m.actor_id for m in r.mentions if m.actor_id != speaker]
            if holder and holder != speaker:
                about_ids.insert(0, holder)
            out.append(_statement(
                sentence=s.index, text=s.text, quote=quote_text, speaker=speaker,
                speaker_label=label, holder=holder, about=tuple(dict.fromkeys(about_ids)),
                topics=tuple(_topic_stance(t, st) for t, st in topics.items()),
                kind=kind, certainty=_certainty(low, kind),
                attribution=attribution))
        decisive = {t for t, st in topics.items() if st is not StanceLabel.UNCLEAR}
        prev_topics = {t: o for t, o in own_orient.items() if t in decisive}
        prev_holder = holder
        prev_quote = main_quote if main_quote is not None else None
    return out


HEADLINE_SKIP = frozenset({"summit"})
# Someone's words, not the author's: the only sentences a headline's matter is carried to.
_CLAIM_KINDS = (StatementKind.DIRECT_QUOTE, StatementKind.REPORTED_SPEECH,
                StatementKind.MEDIA_REPORT)
# A position taken in so many words ("rejected", "voted for", "welcomed"): what a sentence
# that names no topic needs before it is read as a stance on the headline's matter.
_TAKE_POSITION = re.compile(
    r"\b(?:reject\w*|oppos(?:e|es|ed|ing)\b|vot\w+\s+(?:against|for)|rul\w+\s+out|dismiss\w*|denounc\w+|"
    r"condemn\w*|challenge|block\w*|veto\w*|theft|robbery|piracy|blackmail|madness|accept\w*|"
    r"unacceptable|destroyed|support\w*|back(?:s|ed|ing)?|welcom\w+|endors\w+|champion\w*|"
    r"in\s+favou?r|call\w*\s+for|push\w*\s+for|urg\w+|advocat\w+|defend\w*|"
    # a lawmaker's support for a bill: "I'm a co-sponsor", "proud to join this effort"
    r"co-?sponsor\w*|proud\s+to\s+(?:join|support|back|co-?lead|introduce|sponsor))\b")
# Words that point back at the matter: "the plan", "such penalties", "any deployment"; the
# headline term's own head noun is added per article ("the assets" after "Frozen assets").
_POINTER = (r"\b(?:the|this|that|these|those|such|any|its|their|his|her)\s+"
            r"(?:[\w-]+\s+){{0,2}}?(?:plan|idea|proposal|offer|measures?|bill|deal|ban|loan|"
            r"force|move|decision|mission|agreement|package|scheme|initiative|penalties|"
            r"deployment|listings?|law|legislation|tariffs?|mechanism|efforts?{head})\b"
            # what is asked of others: "urge my colleagues to move it quickly"
            r"|\b(?:move|pass|adopt|approve|sign|back|support|join)\s+(?:it|them)\b")


_CLAUSE_JOIN = re.compile(r"[,;]|\b(?:and|but)\b")


@cache
def _pointer(head: str) -> re.Pattern[str]:
    return re.compile(_POINTER.format(head=f"|{re.escape(head)}" if head else ""))


def _headline_stances(text: str, low: str, headline: tuple[str, str]
                      ) -> dict[str, StanceLabel]:
    """A position in words that name no topic ("also rejected the plan", "would vote against
    any deployment") on what the article is about: only with a verb of position and words
    that point back at the matter, and not inside an if-clause."""
    topics, head = headline
    if_word = _IF_WORD.search(low) if _has_any(low, _IF_WORDS) else None
    main = low[:if_word.start()] if if_word else low
    cue = _TAKE_POSITION.search(main)
    if cue is None or not (_pointer(head).search(main)
                           or main.startswith(" it", cue.end())):
        return {}
    cues = _Cues(text[:len(main)])
    out: dict[str, StanceLabel] = {}
    for topic in topics.split():
        lab = label_topic(text[:len(main)], topic, [], cues=cues)
        if lab is StanceLabel.SUPPORTS and if_word and not _CLAUSE_JOIN.search(
                main, cue.end()):
            # "would back the plan if Washington took part"; but in "backed the proposal and
            # would hold Hamas responsible if it collapsed" the condition is the other clause's
            lab = StanceLabel.CONDITIONAL
        if lab is not StanceLabel.UNCLEAR:
            out[topic] = lab
    return out


def headline_topics(title: str | None) -> tuple[str, str] | None:
    """The topics of a headline that names one matter (space-separated: every topic of its
    topic terms, "EU ban on Russian gas" is both sanctions and economy) and its first term's
    last word; None when it names two matters or none ("Trump and Putin discuss ceasefire and
    summit"), as then a sentence's topic is a guess."""
    if not title:
        return None
    # a meeting is a headline's occasion more often than its matter ("Macron hosts coalition
    # as Europe weighs force"): it is carried to no sentence
    spans = [sp for sp in topic_spans(title) if sp[0] not in HEADLINE_SKIP]
    by_term: dict[tuple[int, int], set[str]] = defaultdict(set)
    for t, a, b in spans:
        by_term[(a, b)].add(t)
    # one matter, perhaps named twice ("secondary tariffs on buyers of Russian oil")
    if not by_term or len({frozenset(ts) for ts in by_term.values()}) != 1:
        return None
    _, a, b = spans[0]
    head = title[a:b].lower().split()[-1]
    return " ".join(dict.fromkeys(t for t, _, _ in spans)), head


# --- an actor's stance from its evidence ------------------------------------------------------

# How much each kind of evidence counts when no on-record evidence settles the label: an
# actor's own words count fully, media reports half, others' ascriptions and the author's
# analysis less (the product shows them, but they are not the actor on the record).
ATTRIBUTION_WEIGHT: dict[Attribution, float] = {
    Attribution.ON_RECORD: 1.0,
    Attribution.REPORTED: 0.5,
    Attribution.ASCRIBED: 0.4,
    Attribution.ANALYSIS: 0.2,
}
# A label needs this share of the weighted evidence to win outright; below it the stance is
# mixed. Two thirds: one dissenting item of equal weight against two agreeing ones still wins.
WIN_SHARE = 0.66
_DECISIVE = (StanceLabel.SUPPORTS, StanceLabel.OPPOSES, StanceLabel.CONDITIONAL,
             StanceLabel.MIXED)


class _Published(Protocol):
    @property
    def published(self) -> datetime | None: ...


class StanceEvidence(Protocol):
    """What the stance rule reads of a piece of evidence (an Evidence has it all)."""

    @property
    def stance(self) -> StanceLabel: ...
    @property
    def attribution(self) -> Attribution: ...
    @property
    def article(self) -> _Published: ...


def _day(ev: StanceEvidence) -> date | None:
    return ev.article.published.date() if ev.article.published else None


def label_of(evidence: Sequence[StanceEvidence]) -> StanceLabel:
    """An actor's stance on a topic from its evidence: `summarise`'s label without the history
    (the digest asks it of hundreds of pairs, from lean records)."""
    decisive = [e for e in evidence if e.stance in _DECISIVE]
    if not decisive:
        return StanceLabel.UNCLEAR
    on_record = [e for e in decisive if e.attribution is Attribution.ON_RECORD]
    if on_record:
        # the latest day the actor spoke on the record decides, by majority on that day
        latest = max((_day(e) or date.min) for e in on_record)
        counts: dict[StanceLabel, int] = defaultdict(int)
        for e in on_record:
            if (_day(e) or date.min) == latest:
                counts[e.stance] += 1
        top = max(counts.values())
        leaders = {lab for lab, n in counts.items() if n == top}
        return next(iter(leaders)) if len(leaders) == 1 else _combine(leaders)
    weights: dict[StanceLabel, float] = defaultdict(float)
    for e in decisive:
        weights[e.stance] += ATTRIBUTION_WEIGHT[e.attribution]
    total = sum(weights.values())
    best, w = max(weights.items(), key=lambda kv: kv[1])
    return best if w / total >= WIN_SHARE else StanceLabel.MIXED


def _moves_history(e: Evidence) -> bool:
    return e.attribution is not Attribution.ANALYSIS and e.certainty is not Certainty.SPECULATIVE


def summarise(evidence: list[Evidence]) -> tuple[StanceLabel, list[StancePoint]]:
    """The overall label and its history (dated changes, oldest first) from evidence listed
    newest first. The latest on-record evidence decides; without any, a weighted vote."""
    if not evidence:
        return StanceLabel.UNCLEAR, []
    label = label_of(evidence)
    # a change in the history needs evidence of the actor's position: the author's analysis or
    # a speculation about what the actor might do moves no point (it still weighs in the vote)
    moving = [e for e in evidence if _moves_history(e)]
    days = sorted({d for e in moving if (d := _day(e)) is not None})
    history: list[StancePoint] = []
    for d in days:
        upto = [e for e in moving if (_day(e) or date.min) <= d]
        point = label_of(upto)
        if point is StanceLabel.UNCLEAR and not history:
            continue
        if not history or history[-1].stance != point:
            history.append(StancePoint(date=d, stance=point))
    return label, history
