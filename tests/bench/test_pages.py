"""The web benchmark's pages: outlet-sized, varied, and the article extractable from them."""

from __future__ import annotations

from bench import corpus, pages
from briefing import extract

SAMPLE = 60


def _pages() -> list[tuple[str, bytes]]:
    return [(g.doc.text, pages.article_page(g.doc, seed=i))
            for i, g in enumerate(corpus.generate(SAMPLE, seed=21))]


def test_pages_spread_over_the_documented_sizes() -> None:
    low, high = pages.PAGE_KB
    sizes = sorted(len(body) / 1024 for _, body in _pages())
    assert low <= sizes[0] and sizes[-1] <= high
    # spread over the range, not all of one weight
    assert sizes[3 * len(sizes) // 4] - sizes[len(sizes) // 4] > (high - low) / 4


def test_the_same_seed_gives_the_same_page() -> None:
    doc = next(iter(corpus.generate(1, seed=21))).doc
    assert pages.article_page(doc, seed=5) == pages.article_page(doc, seed=5)
    assert pages.article_page(doc, seed=5) != pages.article_page(doc, seed=6)


def test_extraction_finds_the_article_and_none_of_the_chrome() -> None:
    for text, body in _pages()[:8]:
        doc = extract.extract_page(body, url="https://news.example/story")
        paragraphs = [p for p in text.split("\n") if p.strip()]
        assert paragraphs[0] in doc.text and paragraphs[-1] in doc.text
        for chrome in ("Get the morning briefing", "Leave a reply", "All rights reserved"):
            assert chrome not in doc.text
