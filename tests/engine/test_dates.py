"""The tense test of date resolution: its gated patterns find what the plain ones find."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from briefing import dates

ROOT = Path(__file__).resolve().parent.parent.parent
# Texts with every tense word, contractions, case twins (long s, dotless i) and clause breaks.
EXTRA = [
    "He'll go on Friday, but she won\u2019t; THEY\u2019LL meet - on Monday which is set to",
    "WON'T meet on Monday, but \u017fcheduled; it \u0131s to be held on Sunday (upcoming)",
    "while who which but that; whole whichever butter thatch \u2014 whomever",
    "Plans to meet, planned, planning, intends to go, Due, going to, expected to, would",
]
# The tense patterns as first written: the reference.
_FUTURE = re.compile(rf"\b(?:{dates._FUTURE_WORDS})\b|\w'll\b|\w\u2019ll\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:\u2014\u2013(]|\s-\s|\bwhile\b|\bbut\b|\bwhich\b|\bwho\b")
_AFTER_BREAK = re.compile(_CLAUSE_BREAK.pattern + r"|\bthat\b")


def _plain_is_future(text: str, start: int) -> bool:
    window = text[max(0, start - dates.TENSE_WINDOW_CHARS):start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    after = text[start:start + dates.TENSE_WINDOW_CHARS]
    cut = _AFTER_BREAK.search(after)
    after = after[: cut.start()] if cut else after
    return bool(_FUTURE.search(window) or _FUTURE.search(after))


def _texts() -> list[str]:
    out = list(EXTRA)
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out.extend(path.read_text().splitlines())
    for path in sorted((ROOT / "tests" / "engine").glob("test_*.py")):
        out.extend(n.value for n in ast.walk(ast.parse(path.read_text()))
                   if isinstance(n, ast.Constant) and isinstance(n.value, str))
    return out


def test_gated_tense_test_finds_what_the_plain_patterns_find() -> None:
    for text in _texts():
        for start in range(0, len(text) + 1, 7):
            assert dates.is_future(text, start) == _plain_is_future(text, start), (text, start)


def test_gated_clause_breaks_match_the_plain_patterns() -> None:
    def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
        return [m.span() for m in pattern.finditer(text)]

    for text in _texts():
        assert spans(dates._CLAUSE_BREAK, text) == spans(_CLAUSE_BREAK, text), text
        assert spans(dates._AFTER_BREAK, text) == spans(_AFTER_BREAK, text), text
