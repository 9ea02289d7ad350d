"""The stance cue pattern with its first-character gates finds exactly what the plain one finds."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from briefing import patterns, stance

ROOT = Path(__file__).resolve().parent.parent.parent
# Sentences that exercise every kind of cue, contractions and clause breaks included.
EXTRA = [
    "He doesn't want a ceasefire; she isn't against it, but wants guarantees.",
    "Moscow won\u2019t accept it unless Kyiv drops its NATO bid \u2013 only a fair deal will do.",
    "They cannot, and no longer will, support sanctions relief without conditions.",
    "Ukraine must be part of any talks, and that is non-negotiable.",
    "Dialogue isn\u2019t a weakness, and talks are not a sign of weakness either.",
]


def _plain() -> re.Pattern[str]:
    """The pattern as written before the gates: the reference."""
    sources = (stance._DOUBLE_NEG, stance._INCLUSION, stance._ONLY, stance._CONDITIONAL,
               stance._OPPOSE,
               stance._NEG, stance._SUPPORT)
    return re.compile(
        r"(?P<brk>[;:\u2013\u2014]|,\s+(?:and|but|which|who|whom|whose|a|an)\b)"
        r"|\b(?:" + "|".join(
            f"(?P<{name}>{p.pattern.removeprefix(chr(92) + 'b')})"
            for name, p in zip(stance._CUE_ORDER, sources, strict=True))
        + r"|(?P<brk2>but|however|although|whereas|while|(?:and|or),?\s+that)\b)")


def _texts() -> list[str]:
    out = list(EXTRA)
    for path in [*sorted((ROOT / "seeds").glob("*.txt")),
                 *sorted((ROOT / "tests" / "engine").glob("test_*.py"))]:
        source = path.read_text()
        if path.suffix == ".py":
            out.extend(n.value for n in ast.walk(ast.parse(source))
                       if isinstance(n, ast.Constant) and isinstance(n.value, str))
        else:
            out.extend(source.splitlines())
    return [t.lower() for t in out]


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[str | None, int, int]]:
    return [(m.lastgroup, m.start(), m.end()) for m in pattern.finditer(text)]


def test_gated_cues_match_the_plain_pattern() -> None:
    plain = _plain()
    for text in _texts():
        assert _found(stance._CUES, text) == _found(plain, text), text


def test_cues_without_contractions_match_where_there_is_no_contraction() -> None:
    plain = _plain()
    for text in _texts():
        if not any(c in text for c in stance._CONTRACTIONS):
            assert _found(stance._CUES_NO_CONTRACTION, text) == _found(plain, text), text


def test_first_chars_of_a_plain_alternation() -> None:
    import re._parser as sre_parser

    assert patterns.first_chars(list(sre_parser.parse(r"(?:ab|c[de]|f?g)"))) == (
        {"a", "c", "f", "g"}, False)
    assert patterns.first_chars(list(sre_parser.parse(r"\w+n't"))) is None
    assert patterns.first_chars(list(sre_parser.parse(r"(?:x)?"))) == ({"x"}, True)


def test_gated_report_verbs_match_the_plain_pattern() -> None:
    plain = re.compile(rf"\b{stance._AUX}(?P<verb>{stance.REPORT_VERBS})\b")
    for text in _texts():
        for t in (text, text.title()):
            assert [(m.span(), m.span("verb")) for m in stance._REPORT.finditer(t)] == [
                (m.span(), m.span("verb")) for m in plain.finditer(t)], t


def test_noun_end_searched_from_the_tail_finds_what_a_full_search_finds() -> None:
    for text in _texts():
        for cut in range(0, len(text), 7):
            subject = text[:cut] + "  "
            tail = max(0, len(subject.rstrip()) - stance.NOUN_END_CHARS)
            full = stance._NOUN_END.search(subject)
            assert (stance._NOUN_END.search(subject, tail) is None) == (full is None), subject


def test_every_match_of_a_prechecked_pattern_holds_one_of_its_words() -> None:
    pairs = [(stance._MEDIA, stance._MEDIA_WORDS), (stance._DENIED, stance._DENIED_WORDS),
             (stance._UNCONFIRMED, stance._UNCONFIRMED_WORDS),
             (stance._CONFIRMED, stance._CONFIRMED_WORDS), (stance._IF_WORD, stance._IF_WORDS),
             (stance._SPECULATIVE, stance._SPECULATIVE_WORDS)]
    for text in _texts():
        for pattern, words in pairs:
            for m in pattern.finditer(text):
                assert stance._has_any(m.group(), words), (pattern.pattern[:30], m.group())


def test_title_before_of_searched_from_the_tail_finds_what_a_full_search_finds() -> None:
    extra = ["Secretary of State", "the Kremlin SPOKESPERSON\nof", "deputy head of the chief of",
             "ex-commissioner of", "Chairwoman\n of the board"]
    for text in [*extra, *_texts()]:
        for t in (text, text.title()):
            for m in stance._OF.finditer(t):
                tail = max(0, m.start() - stance.TITLE_CHARS)
                assert (stance._TITLE_BEFORE_OF.search(t, tail, m.start()) is None) == (
                    stance._TITLE_BEFORE_OF.search(t, 0, m.start()) is None), t


def test_no_reporting_or_trailing_verb_comes_before_the_first_reporting_verb() -> None:
    # _reported_speaker stops early where _REPORT finds nothing, else searches from its match
    def spans(found: Iterator[re.Match[str]]) -> list[tuple[int, int]]:
        return [m.span() for m in found]

    for text in _texts():
        for t in (text, text.title(), text.upper(), "unsaid " + text):
            first = stance._REPORT.search(t)
            if first is None:
                assert stance._TRAILING_VERB.search(t) is None, t
                continue
            assert spans(stance._TRAILING_VERB.finditer(t, first.start())) == spans(
                stance._TRAILING_VERB.finditer(t)), t
            assert spans(stance._REPORT.finditer(t, first.start())) == spans(
                stance._REPORT.finditer(t)), t


def _forms(alternative: str) -> list[str]:
    """Every text an alternative of a verb list matches, with one space between words."""
    forms = [""]
    i = 0
    while i < len(alternative):
        if alternative.startswith("\\s+", i):
            options, i = [" "], i + 3
        elif alternative[i] == "[":
            end = alternative.index("]", i)
            options, i = list(alternative[i + 1:end]), end + 1
        else:
            options, i = [alternative[i]], i + 1
        if alternative[i:i + 1] == "?":
            options, i = [*options, ""], i + 1
        forms = [f + o for f in forms for o in options]
    return forms


def test_a_sentence_with_a_reporting_verb_holds_one_of_the_verb_words() -> None:
    # _reported_speaker searches only sentences whose words include one of these
    verbs = [f for alt in stance.REPORT_VERBS.split("|") for f in _forms(alt)]
    synthetic = [f"The minister {verb} on Monday." for verb in verbs]
    for text in synthetic:
        assert stance._REPORT.search(text), text  # the forms are right
    for text in [*synthetic, *_texts()]:
        for t in (text, text.title(), text.upper()):
            words = set(stance._WORDS.findall(t))
            if stance._REPORT.search(t):
                assert not stance._REPORT_WORDS.isdisjoint(words), t
            if stance._TRAILING_VERB.search(t):
                assert not stance._TRAILING_WORDS.isdisjoint(words), t
