"""Statements with kind, certainty and stance per topic (placeholder)."""

from __future__ import annotations

from briefing.actors import ActorRegistry
from briefing.models import (Attribution, Certainty, CleanArticle, Evidence, Mention, Sentence,
                             StanceLabel, StancePoint,
                             Statement, StatementKind, TopicStance)
from briefing.topics import find_topics


def extract_statements(article: CleanArticle, sents: list[Sentence], mentions: list[Mention], *,
                       registry: ActorRegistry) -> list[Statement]:
    by_sentence: dict[int, list[str]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m.actor_id)
    out = []
    for s in sents:
        topics = find_topics(s.text)
        actors = by_sentence.get(s.index)
        if topics and actors:
            out.append(Statement(
                sentence=s.index, text=s.text, speaker=None, holder=actors[0],
                about=tuple(dict.fromkeys(actors)),
                topics=tuple(TopicStance(topic=t, stance=StanceLabel.UNCLEAR) for t in topics),
                kind=StatementKind.ANALYSIS, certainty=Certainty.REPORTED,
                attribution=Attribution.ANALYSIS))
    return out


def summarise(evidence: list[Evidence]) -> tuple[StanceLabel, list[StancePoint]]:
    """The overall label and its history from evidence listed newest first (placeholder)."""
    if not evidence:
        return StanceLabel.UNCLEAR, []
    return evidence[0].stance, []
