"""Splits news text into sentences with offsets: abbreviations, initials, quotes, headlines."""

from __future__ import annotations

import re

from briefing.models import Sentence

# Titles and other abbreviations after which a full stop never ends a sentence.
TITLES = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt",
    "adm", "maj", "cmdr", "cpl", "pvt", "rev", "hon", "pres", "amb", "st", "mt", "ft", "messrs",
    "mme", "mlle", "sr", "jr", "vs", "v", "etc", "cf", "approx", "est", "dept", "govt", "fig",
    "vol", "pp", "ave", "blvd", "rd", "corp", "inc", "ltd", "co", "bros", "univ", "assn",
    "gens", "sens", "reps", "supt", "insp", "cdr", "brig", "lieut", "atty", "al",
})
# Abbreviations that only stay inside a sentence before a number ("No. 3", "Feb. 12").
BEFORE_NUMBER = frozenset({
    "no", "nos", "art", "sec", "p", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "ch", "para",
})
MONTHS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                    "dec"})
# Words that start a new sentence after an abbreviation such as "U.S." that can also end one.
SENTENCE_STARTERS = frozenset({
    "The", "A", "An", "It", "He", "She", "They", "We", "I", "This", "That", "These", "Those",
    "But", "And", "However", "In", "On", "At", "His", "Her", "Their", "Its", "Our", "There",
    "Meanwhile", "After", "Before", "While", "When", "If", "As", "Asked", "According", "Some",
    "Many", "Both", "Such", "So", "Yet", "Still", "Now", "Earlier", "Later", "Last", "Since",
})
_SPEECH = (r"(?:said|says|asked|asks|told|tells|wrote|writes|added|adds|noted|notes|stated|"
           r"insisted|stressed|warned|remarked|replied|continued|explained|declared|argued)")

_CANDIDATE = re.compile(r"(?:[.!?]+|\u2026)[\"'\u201d\u2019)\]]*(?=\s+|$)")
# The word right before a full stop: _WORD_BEFORE's match, read with str methods (a third of
# the cost of the search, which tries every place of its window); tests pin the two equal.
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'\u2019-]*)\s*$")
WORD_BEFORE_CHARS = 40  # how far back the word is looked for
_WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.'\u2019-"
_NOT_LETTERS = ".'\u2019-"
_AFTER_QUOTE_ATTRIBUTION = re.compile(
    rf"^\s+(?:(?:[A-Z][\w'\u2019.-]*\s+){{1,4}}|he\s+|she\s+|they\s+)(?:has\s+|had\s+)?{_SPEECH}\b")
_PARAGRAPH = re.compile(r"[^\n]+")
_HAS_WORD = re.compile(r"\w")


def _is_boundary(para: str, end: int, punct: str) -> bool:
    """Whether the punctuation ending at `end` (exclusive) closes a sentence."""
    rest = para[end:]
    nxt = rest.lstrip()
    if not nxt:
        return True
    first = nxt[0]
    closes_quote = punct[-1] in "\"'\u201d\u2019)]"
    if first.islower() or first in ",;:":
        return False  # "...?” he asked." / "U.S. forces"
    if closes_quote and punct.rstrip("\"'\u201d\u2019)]")[-1:] in "?!," and \
            _AFTER_QUOTE_ATTRIBUTION.match(rest):
        # “Will it end?” Trump asked. A quote closed by a full stop ends its sentence: “... for.”
        # He added that ... is the next one, whoever "he" is.
        return False
    if "." not in punct or punct.rstrip("\"'\u201d\u2019)]")[-1] != ".":
        return True
    dot = end - len(punct) + punct.index(".")
    word = word_before(para, dot)
    if not word:
        return True
    low = word.lower().rstrip(".")
    if low in TITLES:
        return False
    if low in BEFORE_NUMBER:
        return not nxt[:1].isdigit()
    if len(word) == 1 and word.isupper():
        # "Donald J. Trump": an initial; but "... Plan B. The ..." ends a sentence
        return _next_token(nxt) in SENTENCE_STARTERS
    if _ABBREVIATION.fullmatch(word + "."):
        # "U.S.", "a.m.", "e.g.": a sentence ends here only if a sentence obviously starts
        return _next_token(nxt) in SENTENCE_STARTERS or first in "\"\u201c"
    return True


_NEXT_WORD = re.compile(r"[\w'\u2019-]+")
_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?")


def _next_token(nxt: str) -> str:
    next_word = _NEXT_WORD.match(nxt)
    return next_word.group() if next_word else ""


def word_before(para: str, dot: int) -> str:
    """What _WORD_BEFORE.search(para, max(0, dot - WORD_BEFORE_CHARS), dot) captures, or "":
    the run of word characters before the trailing spaces, from its first letter (para holds
    no line break, so "$" is the window's end; str.rstrip() strips what \\s matches)."""
    head = para[max(0, dot - WORD_BEFORE_CHARS):dot].rstrip()
    return head[len(head.rstrip(_WORD_CHARS)):].lstrip(_NOT_LETTERS)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets into `text`; every line is a paragraph and ends a sentence."""
    out: list[Sentence] = []
    para_no = 0
    for para_m in _PARAGRAPH.finditer(text):
        para = para_m.group()
        if not para.strip():
            continue
        base = para_m.start()
        start = 0
        for m in _CANDIDATE.finditer(para):
            if _is_boundary(para, m.end(), m.group()):
                _emit(out, text, base, start, m.end(), para_no)
                start = m.end()
        _emit(out, text, base, start, len(para), para_no)
        para_no += 1
    return out


def _emit(out: list[Sentence], text: str, base: int, start: int, end: int, para_no: int) -> None:
    chunk = text[base + start:base + end]
    stripped = chunk.strip()
    if not stripped or not _HAS_WORD.search(stripped):
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = base + start + lead
    out.append(_sentence(len(out), s, s + len(stripped), stripped, para_no))


_SET_ATTR = object.__setattr__
_SENTENCE_FIELDS = frozenset(Sentence.model_fields)


def _sentence(index: int, start: int, end: int, text: str, paragraph: int) -> Sentence:
    """What Sentence.model_construct gives for these values, without its per-field work: the
    values are built here with the right types, and a few dozen per article add up."""
    sent = Sentence.__new__(Sentence)
    _SET_ATTR(sent, "__dict__", {"index": index, "start": start, "end": end, "text": text,
                                 "paragraph": paragraph})
    _SET_ATTR(sent, "__pydantic_fields_set__", set(_SENTENCE_FIELDS))
    _SET_ATTR(sent, "__pydantic_extra__", None)
    _SET_ATTR(sent, "__pydantic_private__", None)
    return sent
