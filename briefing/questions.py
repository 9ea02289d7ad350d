"""Open questions (placeholder)."""

from __future__ import annotations

from briefing.models import CleanArticle, Mention, RaisedQuestion, Sentence, Statement


def detect_questions(article: CleanArticle, sents: list[Sentence], mentions: list[Mention],
                     statements: list[Statement]) -> list[RaisedQuestion]:
    return []
