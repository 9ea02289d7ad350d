"""The sentence splitter: abbreviations, initials, quotes, headlines, offsets."""

from __future__ import annotations

from pathlib import Path

from briefing import sentences
from briefing.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_titles_and_abbreviations_do_not_end_sentences() -> None:
    assert texts("Mr. Smith met Gen. Jones and Sen. Brown on Feb. 3. They talked.") == [
        "Mr. Smith met Gen. Jones and Sen. Brown on Feb. 3.", "They talked."]


def test_us_inside_a_sentence_and_at_its_end() -> None:
    assert texts("The U.S. envoy arrived. Aid was cut by the U.S. The move angered Kyiv.") == [
        "The U.S. envoy arrived.", "Aid was cut by the U.S.", "The move angered Kyiv."]


def test_middle_initials() -> None:
    assert texts("Donald J. Trump spoke. John F. Kennedy did not.") == [
        "Donald J. Trump spoke.", "John F. Kennedy did not."]


def test_number_abbreviation() -> None:
    assert texts("Resolution No. 2202 passed. No one objected.") == [
        "Resolution No. 2202 passed.", "No one objected."]


def test_question_inside_quote_followed_by_attribution_stays_one_sentence() -> None:
    assert texts("\u201cWill it end?\u201d the minister asked. Nobody answered.") == [
        "\u201cWill it end?\u201d the minister asked.", "Nobody answered."]
    assert texts('"Is this peace?" Maria Lopez asked. She left.') == [
        '"Is this peace?" Maria Lopez asked.', "She left."]


def test_sentence_ending_inside_quotes_splits_after_the_closing_mark() -> None:
    assert texts("He said: \u201cWe are ready.\u201d Talks begin today.") == [
        "He said: \u201cWe are ready.\u201d", "Talks begin today."]


def test_each_line_is_a_boundary_for_headlines() -> None:
    out = split_sentences("Talks Resume in Geneva\nThe delegations met. They left.")
    assert [s.text for s in out] == ["Talks Resume in Geneva", "The delegations met.",
                                     "They left."]
    assert [s.paragraph for s in out] == [0, 1, 1]


def test_offsets_point_into_the_text() -> None:
    text = "First one.  Second one!\n\nThird?"
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text


def test_time_abbreviation() -> None:
    assert texts("The call began at 5 p.m. on Monday and lasted an hour.") == [
        "The call began at 5 p.m. on Monday and lasted an hour."]


def test_ellipsis_ends_a_sentence() -> None:
    assert texts("We had a good talk\u2026 Nobody knew his thoughts.") == [
        "We had a good talk\u2026", "Nobody knew his thoughts."]


def test_word_before_a_stop_is_what_the_pattern_captures() -> None:
    root = Path(__file__).resolve().parent.parent.parent
    paras = ["U.S.  ", "Mr.", "e.g.", "'-.x. y", "Dr.\u2019s. ", "\u00e9t\u00e9. ",
             "a\u2003b\u00a0 ", "x" * 60 + ".", "-'.", "No. 3", "  "]
    for path in sorted((root / "seeds").glob("*.txt")):
        paras.extend(path.read_text().splitlines())
    for para in paras:
        for dot in range(len(para) + 1):
            m = sentences._WORD_BEFORE.search(
                para, max(0, dot - sentences.WORD_BEFORE_CHARS), dot)
            assert sentences.word_before(para, dot) == (m.group(1) if m else ""), (para, dot)
