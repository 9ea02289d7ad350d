"""Dated developments (placeholder)."""

from __future__ import annotations

from briefing.models import CleanArticle, Event, Mention, Sentence


def extract_events(article: CleanArticle, sents: list[Sentence],
                   mentions: list[Mention]) -> list[Event]:
    return []
