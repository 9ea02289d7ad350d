"""Cleaning: page noise leaves the text, paragraphs and metadata stay."""

from __future__ import annotations

import re
from pathlib import Path

from briefing import clean as clean_module
from briefing.clean import canonical_url, clean_article, content_hash
from briefing.models import ArticleInput, CleanArticle


def clean(text: str, title: str | None = None) -> tuple[str, CleanArticle]:
    art = clean_article(ArticleInput(text=text, title=title))
    return art.text, art


def test_markdown_and_html_images_are_removed() -> None:
    text, _ = clean("![](https://x.example/a.webp)\nThe minister spoke on Monday.\n"
                    '<img src="b.jpg" alt="x"> The talks resumed.')
    assert "https://" not in text and "<img" not in text
    assert "The minister spoke on Monday." in text
    assert "The talks resumed." in text


def test_share_counters_and_comment_prompts_are_removed() -> None:
    text, _ = clean("12 Shares\nOfficials met in Geneva.\nLeave a comment\nGreat article!")
    assert text == "Officials met in Geneva."


def test_comment_form_tail_is_cut() -> None:
    text, _ = clean("The vote is on Sunday.\n\nLeave a Reply\n\nYour email address will not be "
                    "published. Required fields are marked *\nName")
    assert text == "The vote is on Sunday."


def test_read_also_and_its_related_headlines_are_removed() -> None:
    text, _ = clean("The summit ended without a deal.\nRead also:\nWhy the summit failed\n"
                    "Five things to know about the talks\n\nDiplomats will meet again in May.")
    assert "Read also" not in text and "Why the summit failed" not in text
    assert "Five things" not in text
    assert "Diplomats will meet again in May." in text


def test_read_also_on_one_line_is_removed() -> None:
    text, _ = clean("Prices rose.\nRead more: Oil jumps after the strike\nPrices fell later.")
    assert text == "Prices rose.\n\nPrices fell later."


def test_about_the_author_becomes_metadata() -> None:
    text, art = clean("The war goes on.\nAbout the author. Jane Roe, columnist.\n"
                      "The editorial staff does not always share the opinions of the authors.")
    assert text == "The war goes on."
    assert art.about_author is not None
    assert "Jane Roe" in art.about_author
    assert "editorial staff" in art.about_author


def test_category_list_markers_are_removed_but_prose_bullets_stay() -> None:
    text, _ = clean("The parliament voted.\n- News\n- The opposition walked out of the chamber "
                    "before the vote.")
    assert "- News" not in text
    assert "walked out of the chamber" in text


def test_paragraphs_are_kept() -> None:
    text, _ = clean("First paragraph here.\nSecond paragraph here.")
    assert text.split("\n\n") == ["First paragraph here.", "Second paragraph here."]


def test_headline_line_becomes_title_when_none_given() -> None:
    text, art = clean("Leaders Agree to Meet in Geneva\nThe two leaders agreed to meet.")
    assert art.title == "Leaders Agree to Meet in Geneva"
    assert text == "The two leaders agreed to meet."


def test_first_line_equal_to_the_given_title_is_dropped() -> None:
    text, art = clean("Talks resume\nNegotiators met again.", title="Talks resume")
    assert text == "Negotiators met again."


def test_a_first_sentence_is_not_mistaken_for_a_headline() -> None:
    text, art = clean("The talks resumed on Monday.\nThey lasted an hour.")
    assert art.title is None
    assert text.startswith("The talks resumed")


def test_byline_becomes_author() -> None:
    text, art = clean("By Anna Keller\nThe ceasefire held overnight.")
    assert art.author == "Anna Keller"
    assert text == "The ceasefire held overnight."


def test_byline_under_a_headline_and_credit_lines() -> None:
    text, art = clean("Talks Stall in Riyadh\nBy Jane Porter\nThe talks stalled.\n"
                      "Contributing: Mark Lee in Kyiv.")
    assert art.title == "Talks Stall in Riyadh" and art.author == "Jane Porter"
    assert text == "The talks stalled."


def test_canonical_url_strips_tracking() -> None:
    assert canonical_url("https://Example.com/a/?utm_source=x&id=3#top") == \
        "https://example.com/a?id=3"


def test_content_hash_ignores_case_and_whitespace() -> None:
    assert content_hash("A  b\nC") == content_hash("a b c")


ROOT = Path(__file__).resolve().parent.parent.parent


def _headline_as_first_written(line: str) -> bool:
    line = line.strip()
    words = line.split()
    return (0 < len(words) <= clean_module.HEADLINE_MAX_WORDS
            and not re.search(r"[.!:;,\u2026]$", line)
            and line[:1].isupper() and not line.endswith(("\u201d", '"')))


def test_headline_test_gives_what_its_first_form_gives() -> None:
    lines = ["", " ", "Putin Talks", "Putin talks.", "Putin talks\u2026", "Putin: \u201cNo\u201d",
             "Putin said \"no\"", "putin talks", " Trump Plan \n", "Trump Plan\n.", "A " * 25,
             "Talks, Then More Talks;", "\u00c9lys\u00e9e Palace Readout"]
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text()
        lines += [*text.splitlines(), *re.split(r"(?<=[.!?])\s+", text)]
    for line in lines:
        assert clean_module.looks_like_headline(line) == _headline_as_first_written(line), line


def test_lines_keep_their_single_spaces_and_lose_runs_and_tabs() -> None:
    text, _ = clean("The  minister\tspoke \u00a0on Monday.\nThe talks resumed.")
    assert text == "The minister spoke on Monday.\n\nThe talks resumed."
