"""Typed answers of the query use cases, and their JSON form of the machine contract."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from briefing.models import (
    Actor,
    ArticleRef,
    Cited,
    Evidence,
    QuestionStatus,
    StanceLabel,
    StancePoint,
    StoredQuestion,
    StoredStatement,
    Topic,
)
from briefing.ports import AuditEntry, SourceInfo, StoredContradiction, Subscription


def article_json(a: ArticleRef) -> dict[str, Any]:
    return {"id": a.id, "url": a.url, "path": a.path, "outlet": a.outlet, "title": a.title,
            "published": a.published.isoformat() if a.published else None}


def cited_json(c: Cited) -> dict[str, Any]:
    return {"text": c.text, "article": article_json(c.article)}


def question_json(q: StoredQuestion) -> dict[str, Any]:
    return {"id": q.id, "question": q.question, "status": str(q.status),
            "raised_in": [cited_json(c) for c in q.raised_in],
            "answered_by": [cited_json(c) for c in q.answered_by],
            "first_seen": q.first_seen.isoformat() if q.first_seen else None}


class StanceAnswer(BaseModel):
    actor: Actor
    topic: Topic
    stance: StanceLabel
    evidence: list[Evidence]
    history: list[StancePoint]
    open_questions: list[StoredQuestion] = Field(default_factory=list)
    names: dict[str, str] = Field(default_factory=dict)  # actor id -> display name

    def to_json(self) -> dict[str, Any]:
        return {
            "actor": {"id": self.actor.id, "name": self.actor.name},
            "topic": {"id": self.topic.id, "label": self.topic.label},
            "stance": str(self.stance),
            "evidence": [{"text": e.text, "quote": e.quote, "speaker": e.speaker,
                          "attribution": str(e.attribution), "stance": str(e.stance),
                          "certainty": str(e.certainty), "article": article_json(e.article)}
                         for e in self.evidence],
            "history": [{"date": p.date.isoformat(), "stance": str(p.stance)}
                        for p in self.history],
            "open_questions": [question_json(q) for q in self.open_questions],
        }


class QuotesAnswer(BaseModel):
    actor: Actor
    topic: Topic | None = None
    quotes: list[StoredStatement]
    names: dict[str, str] = Field(default_factory=dict)

    def to_json(self) -> list[dict[str, Any]]:
        return [{"speaker": q.statement.speaker, "quote": q.statement.quote,
                 "text": q.statement.text, "article": article_json(q.article)}
                for q in self.quotes]


class QuestionsAnswer(BaseModel):
    topic: Topic | None = None
    questions: list[StoredQuestion]
    answered_view: bool = False
    now: datetime

    def to_json(self) -> list[dict[str, Any]]:
        return [question_json(q) for q in self.questions]


class TimelineItem(BaseModel):
    date: date
    date_inferred: bool
    summary: str
    actors: list[str]
    sources: list[ArticleRef]


class TimelineAnswer(BaseModel):
    query: str | None = None
    items: list[TimelineItem]
    names: dict[str, str] = Field(default_factory=dict)

    def to_json(self) -> list[dict[str, Any]]:
        return [{"date": i.date.isoformat(), "date_inferred": i.date_inferred,
                 "summary": i.summary, "actors": i.actors,
                 "sources": [article_json(a) for a in i.sources]} for i in self.items]


class KeyStance(BaseModel):
    actor: Actor
    topic: Topic
    stance: StanceLabel
    evidence: Evidence


class BriefAnswer(BaseModel):
    query: str | None = None
    developments: list[TimelineItem]
    stances: list[KeyStance]
    questions: list[StoredQuestion]
    contradictions: list[StoredContradiction]
    names: dict[str, str] = Field(default_factory=dict)
    now: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "developments": TimelineAnswer(items=self.developments).to_json(),
            "stances": [{"actor": {"id": s.actor.id, "name": s.actor.name},
                         "topic": {"id": s.topic.id, "label": s.topic.label},
                         "stance": str(s.stance), "text": s.evidence.text,
                         "article": article_json(s.evidence.article)} for s in self.stances],
            "open_questions": [question_json(q) for q in self.questions],
            "contradictions": [contradiction_json(c) for c in self.contradictions],
        }


def contradiction_json(c: StoredContradiction) -> dict[str, Any]:
    return {"id": c.id, "matter": c.matter,
            "sides": [{"text": s.statement.text, "speaker": s.statement.speaker,
                       "article": article_json(s.article)} for s in (c.first, c.second)]}


class SourcesAnswer(BaseModel):
    sources: list[SourceInfo]

    def to_json(self) -> list[dict[str, Any]]:
        return [s.model_dump(mode="json") for s in self.sources]


class AuditAnswer(BaseModel):
    entries: list[AuditEntry]


class Notice(BaseModel):
    """A short confirmation ("Source 3 paused."), optionally with details lines."""

    title: str
    lines: list[str] = Field(default_factory=list)
    ok: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "title": self.title, "lines": self.lines}


class SubscriptionAnswer(BaseModel):
    subscription: Subscription | None
    message: str
    next_post: datetime | None = None


class HelpAnswer(BaseModel):
    command: str | None = None
    entries: list[tuple[str, str, list[str]]]  # (usage, summary, examples)


__all__ = [
    "AuditAnswer", "BriefAnswer", "HelpAnswer", "KeyStance", "Notice", "QuestionStatus",
    "QuestionsAnswer", "QuotesAnswer", "SourcesAnswer", "StanceAnswer", "SubscriptionAnswer",
    "TimelineAnswer", "TimelineItem", "article_json", "contradiction_json", "question_json",
]
