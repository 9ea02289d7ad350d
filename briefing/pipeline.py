"""Runs the per-article stages in order: one article in, everything found in it out."""

from __future__ import annotations

from briefing import clean, events, mentions, questions, sentences, stance, stories
from briefing.actors import ActorRegistry
from briefing.known_dates import apply_known_dates
from briefing.models import ArticleInput, ProcessedArticle


def process_article(doc: ArticleInput, *, registry: ActorRegistry) -> ProcessedArticle:
    """Every record one article becomes. Pure: no I/O, no clock."""
    article = clean.clean_article(doc)
    sents = sentences.split_sentences(article.text)
    found = mentions.find_mentions(article, sents, registry=registry)
    statements = stance.extract_statements(article, sents, found.mentions, registry=found.registry)
    return ProcessedArticle(
        article=article,
        sentences=sents,
        actors=found.actors,
        mentions=found.mentions,
        statements=statements,
        events=apply_known_dates(events.extract_events(article, sents, found.mentions),
                                 doc.known_dates, sents, found.mentions),
        questions=questions.detect_questions(article, sents, found.mentions, statements),
        fingerprint=stories.fingerprint(article.text),
    )
