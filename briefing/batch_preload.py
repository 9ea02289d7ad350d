"""Imported by the ingest forkserver: loads the engine and trafilatura and runs each once, so
that every worker forked from it starts warm (briefing/batch.py)."""

from __future__ import annotations

import logging

from briefing import extract
from briefing.actors import ActorRegistry
from briefing.models import ArticleInput
from briefing.pipeline import process_article

# A first call builds lazy state (trafilatura's and htmldate's parsers and caches, patterns
# compiled on first use): about 0.25 s here, paid once in the server, not in each worker.
_PARAGRAPHS = (
    "Foreign Minister Anna Kowalska said on Tuesday that the talks in Geneva would resume "
    "next week, after two days of meetings between the delegations.",
    "“We want a ceasefire before the winter,” she told reporters outside the hotel, adding "
    "that both sides had agreed on the agenda.",
    "It remains unclear whether Moscow will send a delegation; a Kremlin spokesman declined "
    "to specify who would attend the next round.",
    "Officials briefed on the plan said a prisoner exchange could follow within a month if "
    "the talks hold.",
)
_PAGE = ("<html><head><title>Talks resume</title>"
         "<meta property='article:published_time' content='2025-03-18T09:00:00Z'></head>"
         "<body><article><h1>Talks resume</h1>"
         + "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
         + "</article></body></html>").encode()


def warm_up() -> None:
    """Never raises: a failed import would stop the forkserver, and every batch with it."""
    try:
        _warm_up()
    except Exception:  # a cold worker is slower, not wrong
        logging.getLogger(__name__).warning("warming the ingest workers failed", exc_info=True)


def _warm_up() -> None:
    page = extract.extract_page(_PAGE, url="https://example.org/news/talks-resume")
    process_article(ArticleInput(text=page.text, title=page.title, url=page.url,
                                 published=page.published), registry=ActorRegistry())


warm_up()
