"""Finds date expressions in news sentences and resolves them against the publication date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

Precision = Literal["day", "week", "month", "year"]

MONTHS: dict[str, int] = {}
for _no in range(1, 13):
    MONTHS[calendar.month_name[_no].lower()] = _no
    MONTHS[calendar.month_abbr[_no].lower()] = _no
MONTHS["sept"] = 9

WEEKDAYS: dict[str, int] = {calendar.day_name[i].lower(): i for i in range(7)}

# Month names must be capitalised ("May", not the verb "may"); abbreviations need a day number
# beside them, so "Sun" or "Mar" alone never count. Weekday abbreviations are never read.
_MONTH_FULL = "|".join(calendar.month_name[i] for i in range(1, 13))
_MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_MONTH = rf"(?:{_MONTH_FULL}|(?:{_MONTH_ABBR})\.?)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_WEEKDAY = "|".join(calendar.day_name[i] for i in range(7))
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "a": 1, "an": 1}

_ISO = re.compile(rf"\b({_YEAR})-(0[1-9]|1[0-2])-([0-2]\d|3[01])\b")
_DAY_MONTH = re.compile(rf"\b({_DAY})\s+(?:of\s+)?({_MONTH})(?:,?\s+({_YEAR}))?(?![\w-])")
_MONTH_DAY = re.compile(rf"\b({_MONTH})\s+({_DAY})(?![\d:])(?:,?\s+({_YEAR}))?\b")
_MONTH_YEAR = re.compile(
    rf"\b(?:(?:in|since|until|till|by|from|during|of|for|early|late|mid-?|last|next|this|"
    rf"and|or|to)\s+)({_MONTH_FULL})(?:\s+({_YEAR}))?\b")
_WEEKDAY_RE = re.compile(rf"\b(?:(last|next|this|on|coming|past)\s+)?({_WEEKDAY})(?:'s|\u2019s)?\b")
_SIMPLE_REL = re.compile(r"\b(yesterday|today|tomorrow|tonight|last night|overnight|"
                         r"this (?:morning|afternoon|evening))\b", re.IGNORECASE)
# Days from the publication day: "last night" was the evening before a morning paper's date.
_SIMPLE_OFFSET = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "last night": -1,
                  "overnight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0}
_PERIOD_REL = re.compile(
    r"\b(?:(earlier|later)\s+)?(last|this|next|past|previous|coming)\s+(week|month|year)(?:'s)?\b",
    re.IGNORECASE)
_AGO = re.compile(r"\b(\d{1,2}|one|two|three|four|five|six|seven|a|an)\s+(day|week)s?\s+ago\b",
                  re.IGNORECASE)

# Words that put a clause in the future, so "on Friday" means the next Friday. The words are
# searched behind a look-ahead for their first letters (the search leaves most places at the first
# test), and "'ll" only where there is an apostrophe: a third of the cost of one pattern with
# "\w'll" tried at every character (tests/engine/test_dates.py pins them equal).
_FUTURE_WORDS = (r"will|shall|won't|going to|is to|are to|due|set to|scheduled|expected to|"
                 r"plans? to|planned|planning|intends? to|would|upcoming|to be held|is to be|"
                 r"are to be")
_FUTURE = re.compile(rf"\b(?=[adegipstuw])(?:{_FUTURE_WORDS})\b", re.IGNORECASE)
_FUTURE_CONTRACTION = re.compile(r"\w'll\b|\w\u2019ll\b", re.IGNORECASE)
_APOSTROPHES = ("'", "\u2019")
_CLAUSE_BREAK = re.compile(r"[,;:\u2014\u2013(]|\s-\s|\b(?=[bw])(?:while|but|which|who)\b")
# After the date a "that" clause is another clause too: "on Wednesday rejected any deal that would
# recognise ..." and "said on Friday that he would visit" are past, whatever the clause says.
_AFTER_BREAK = re.compile(
    r"[,;:\u2014\u2013(]|\s-\s|\b(?=[bwt])(?:while|but|which|who|that)\b")
# how far back from the date expression the tense words are looked for (words of one clause)
TENSE_WINDOW_CHARS = 80
# "scheduled for March", "by June", "next April": a bare month after these lies ahead
_FORWARD_WORDS = frozenset({"for", "by", "until", "till", "next"})
_CHAIN_WORDS = frozenset({"and", "or", "to"})
_QUOTE_SPAN = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    value: date  # the first day of the period for week, month and year precision
    precision: Precision
    relative: bool  # resolved against the publication date, not printed in full


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotations: relative dates inside them are the speaker's, not the page's.

    A sentence cut out of a quotation running over several sentences has a closing mark with no
    opening one (quoted from its start) or an opening mark with no closing one (quoted to its end).
    """
    spans = [(m.start(), m.end()) for m in _QUOTE_SPAN.finditer(text)]
    first_open, first_close = text.find("\u201c"), text.find("\u201d")
    if first_close != -1 and (first_open == -1 or first_close < first_open):
        spans.append((0, first_close + 1))
    last_open, last_close = text.rfind("\u201c"), text.rfind("\u201d")
    if last_open != -1 and last_open > last_close:
        spans.append((last_open, len(text)))
    return spans


def is_future(text: str, start: int) -> bool:
    """Whether the clause holding the expression at `start` speaks of the future."""
    window = text[max(0, start - TENSE_WINDOW_CHARS):start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    after = text[start:start + TENSE_WINDOW_CHARS]
    cut = _AFTER_BREAK.search(after)
    after = after[: cut.start()] if cut else after
    return _is_future_clause(window) or _is_future_clause(after)


def _is_future_clause(clause: str) -> bool:
    if _FUTURE.search(clause):
        return True
    return any(a in clause for a in _APOSTROPHES) and bool(_FUTURE_CONTRACTION.search(clause))


def _day_number(token: str) -> int:
    return int(re.sub(r"\D", "", token))


def _month_number(token: str) -> int:
    return MONTHS[token.rstrip(".").lower()]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, base: date | None, future: bool) -> int | None:
    """The year of a yearless date: the nearest one on the side of `base` the tense points to."""
    if base is None:
        return None
    this_year = _safe_date(base.year, month, day)
    if this_year is None:
        return None
    if future:
        return base.year if this_year >= base else base.year + 1
    return base.year if this_year <= base else base.year - 1


def _weekday_date(weekday: int, base: date, *, modifier: str | None, future: bool) -> date:
    back = (base.weekday() - weekday) % 7  # 0..6 days back to that weekday
    if modifier in ("next", "coming") or (modifier != "last" and modifier != "past" and future):
        ahead = (weekday - base.weekday()) % 7 or 7  # "on Friday" said on a Friday: a week on
        return base + timedelta(days=ahead)
    if modifier in ("last", "past") and back == 0:
        back = 7
    return base - timedelta(days=back)


def _period(unit: str, which: str, base: date) -> tuple[date, Precision]:
    step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[which]
    if unit == "week":
        monday = base - timedelta(days=base.weekday())
        return monday + timedelta(weeks=step), "week"
    if unit == "month":
        index = base.year * 12 + base.month - 1 + step
        return date(index // 12, index % 12 + 1, 1), "month"
    return date(base.year + step, 1, 1), "year"


# Every date expression holds a digit or one of these words: sentences without any (most of them)
# skip the dozen regexes below.
_HINT_WORDS = frozenset(
    [*MONTHS, *WEEKDAYS, "yesterday", "today", "tomorrow", "tonight", "week", "weeks", "month",
     "months", "year", "years", "ago", "sep", "night", "overnight", "morning", "afternoon",
     "evening"])
_DIGIT = re.compile(r"\d")
_SIMPLE_WORDS = frozenset({"yesterday", "today", "tomorrow", "tonight", "night", "overnight",
                           "morning", "afternoon", "evening"})
_PERIOD_WORDS = frozenset({"week", "month", "year"})
_HINT_TOKEN = re.compile(r"[a-z]+")


def has_date_hint(text: str) -> bool:
    """Cheap test: could the text hold a date expression at all?"""
    return bool(_DIGIT.search(text)) or not _HINT_WORDS.isdisjoint(
        _HINT_TOKEN.findall(text.lower()))


def find_dates(text: str, published: date | None) -> list[DateMatch]:
    """Date expressions in `text`; relative ones only with `published` and outside quotes."""
    return list(_find_dates(text, published))


@lru_cache(maxsize=4096)
def _find_dates(text: str, published: date | None) -> tuple[DateMatch, ...]:
    tokens = set(_HINT_TOKEN.findall(text.lower()))
    digits = bool(_DIGIT.search(text))
    if not digits and _HINT_WORDS.isdisjoint(tokens):
        return ()  # has_date_hint's test on the words read once: most sentences stop here
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    quotes: list[tuple[int, int]] | None = None  # read when a relative date needs them

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def in_quote(s: int) -> bool:
        nonlocal quotes
        if quotes is None:
            quotes = quote_spans(text)
        return any(a <= s < b for a, b in quotes)

    def add(m: re.Match[str], value: date | None, precision: Precision, relative: bool,
            group: int = 0) -> None:
        s, e = m.start(group), m.end(group)
        if value is None or not free(s, e):
            return
        taken.append((s, e))
        found.append(DateMatch(s, e, text[s:e], value, precision, relative))

    months = not tokens.isdisjoint(MONTHS)
    for m in _ISO.finditer(text) if digits and "-" in text else ():
        add(m, _safe_date(int(m[1]), int(m[2]), int(m[3])), "day", False)
    for m in _DAY_MONTH.finditer(text) if digits and months else ():
        month, day = _month_number(m[2]), _day_number(m[1])
        year = int(m[3]) if m[3] else _year_for(month, day, published, is_future(text, m.start()))
        add(m, _safe_date(year, month, day) if year else None, "day", not m[3])
    for m in _MONTH_DAY.finditer(text) if digits and months else ():
        month, day = _month_number(m[1]), _day_number(m[2])
        year = int(m[3]) if m[3] else _year_for(month, day, published, is_future(text, m.start()))
        add(m, _safe_date(year, month, day) if year else None, "day", not m[3])
    chained_future: bool | None = None  # "for February or March": March follows February
    for m in _MONTH_YEAR.finditer(text) if months else ():
        month = MONTHS[m[1].lower()]
        word = m[0].split()[0].lower()
        if m[2]:
            add(m, date(int(m[2]), month, 1), "month", False, group=1)
        elif published is not None:
            if word in _CHAIN_WORDS and chained_future is not None:
                future = chained_future
            else:
                future = word in _FORWARD_WORDS or is_future(text, m.start())
            chained_future = future
            year = _year_for(month, 1, published.replace(day=1), future)
            add(m, date(year, month, 1) if year else None, "month", True, group=1)
    if published is None:
        found.sort(key=lambda d: d.start)
        return tuple(found)
    for m in _AGO.finditer(text) if "ago" in tokens else ():
        if in_quote(m.start()):
            continue
        n = int(m[1]) if m[1].isdigit() else _NUMBER_WORDS[m[1].lower()]
        if m[2].lower() == "day":
            add(m, published - timedelta(days=n), "day", True)
        else:
            monday = published - timedelta(weeks=n)
            add(m, monday - timedelta(days=monday.weekday()), "week", True)
    for m in _SIMPLE_REL.finditer(text) if not tokens.isdisjoint(_SIMPLE_WORDS) else ():
        if in_quote(m.start()):
            continue
        offset = _SIMPLE_OFFSET[" ".join(m[1].lower().split())]
        add(m, published + timedelta(days=offset), "day", True)
    for m in _PERIOD_REL.finditer(text) if not tokens.isdisjoint(_PERIOD_WORDS) else ():
        if in_quote(m.start()):
            continue
        value, precision = _period(m[3].lower(), m[2].lower(), published)
        add(m, value, precision, True)
    for m in _WEEKDAY_RE.finditer(text) if not tokens.isdisjoint(WEEKDAYS) else ():
        if in_quote(m.start()):
            continue
        modifier = m[1].lower() if m[1] and m[1].lower() != "on" else None
        weekday = WEEKDAYS[m[2].lower()]
        add(m, _weekday_date(weekday, published, modifier=modifier,
                             future=is_future(text, m.start())), "day", True)
    found.sort(key=lambda d: d.start)
    return tuple(found)
