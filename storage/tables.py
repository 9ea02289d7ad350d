"""SQLModel tables of the processed article store (the schema Alembic migrates)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class SourceRow(SQLModel, table=True):
    __tablename__ = "source"
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, max_length=2000)
    name: str | None = Field(default=None, max_length=300)
    kind: str = Field(default="page", max_length=20)
    feed_url: str | None = Field(default=None, max_length=2000)
    paused: bool = False
    poll_minutes: int = 30
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=200)
    last_fetched: datetime | None = None
    last_ok: datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    failures: int = 0
    next_poll: datetime | None = Field(default=None, index=True)
    added_by: str | None = Field(default=None, max_length=100)
    created: datetime


class StoryRow(SQLModel, table=True):
    __tablename__ = "story"
    id: int | None = Field(default=None, primary_key=True)
    headline: str | None = Field(default=None, sa_column=Column(Text))
    first_seen: datetime
    last_seen: datetime


class ArticleRow(SQLModel, table=True):
    __tablename__ = "article"
    id: int | None = Field(default=None, primary_key=True)
    url: str | None = Field(default=None, unique=True, max_length=2000)
    path: str | None = Field(default=None, max_length=2000)
    outlet: str | None = Field(default=None, max_length=300)
    title: str | None = Field(default=None, sa_column=Column(Text))
    author: str | None = Field(default=None, max_length=300)
    published: datetime | None = Field(default=None, index=True)
    published_inferred: bool = False
    text: str = Field(sa_column=Column(Text, nullable=False))
    about_author: str | None = Field(default=None, sa_column=Column(Text))
    content_hash: str = Field(unique=True, max_length=64)
    source_id: int | None = Field(default=None, foreign_key="source.id", ondelete="SET NULL")
    story_id: int | None = Field(default=None, foreign_key="story.id", index=True)
    wire_copy_of: int | None = Field(default=None)
    fingerprint: list[int] | None = Field(default=None, sa_column=Column(JSON))
    ingested_at: datetime = Field(index=True)


class ArticleBandRow(SQLModel, table=True):
    """Locality-sensitive-hash bands of an article's fingerprint: near-duplicates share a band."""

    __tablename__ = "article_band"
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    band: str = Field(primary_key=True, max_length=64, index=True)


class SentenceRow(SQLModel, table=True):
    __tablename__ = "sentence"
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    idx: int = Field(primary_key=True)
    start: int
    end: int
    paragraph: int = 0
    text: str = Field(sa_column=Column(Text, nullable=False))


class ActorRow(SQLModel, table=True):
    __tablename__ = "actor"
    id: str = Field(primary_key=True, max_length=120)
    name: str = Field(max_length=300)
    kind: str = Field(max_length=20)
    member_of: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    roles: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    discovered: bool = False
    first_seen: datetime


class ActorAliasRow(SQLModel, table=True):
    __tablename__ = "actor_alias"
    actor_id: str = Field(foreign_key="actor.id", primary_key=True, ondelete="CASCADE")
    alias: str = Field(primary_key=True, max_length=300)


class MentionRow(SQLModel, table=True):
    __tablename__ = "mention"
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    sentence_idx: int
    start: int
    end: int
    text: str = Field(max_length=500)
    actor_id: str = Field(foreign_key="actor.id")  # never read by actor: no index (0006)
    kind: str = Field(max_length=20)


class TopicRow(SQLModel, table=True):
    __tablename__ = "topic"
    id: str = Field(primary_key=True, max_length=120)
    label: str = Field(max_length=200)
    supports_means: str = Field(default="", sa_column=Column(Text))


class StatementRow(SQLModel, table=True):
    __tablename__ = "statement"
    __table_args__ = (
        Index("ix_statement_published", "published"),
        # evidence and quotes of an actor, newest first, read without sorting (migration 0003)
        Index("ix_statement_holder_published", "holder_id", "published", "id"),
        Index("ix_statement_speaker_published", "speaker_id", "published", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    sentence_idx: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    quote: str | None = Field(default=None, sa_column=Column(Text))
    speaker_id: str | None = Field(default=None, max_length=120)
    speaker_label: str | None = Field(default=None, max_length=500)
    holder_id: str | None = Field(default=None, max_length=120)
    kind: str = Field(max_length=30)
    certainty: str = Field(max_length=30)
    attribution: str = Field(max_length=30)
    # denormalised from the article so evidence sorts newest first without a join
    published: datetime | None = None
    ingested_at: datetime


class StatementActorRow(SQLModel, table=True):
    """Which actors a statement involves, and how: speaker, holder or about."""

    __tablename__ = "statement_actor"
    # newest-first reads per actor stop at their limit (migration 0002)
    __table_args__ = (Index("ix_statement_actor_actor_statement", "actor_id", "statement_id"),)
    statement_id: int = Field(foreign_key="statement.id", primary_key=True, ondelete="CASCADE")
    actor_id: str = Field(primary_key=True, max_length=120)
    role: str = Field(primary_key=True, max_length=20)


class StatementTopicRow(SQLModel, table=True):
    __tablename__ = "statement_topic"
    # newest-first reads per topic stop at their limit (migration 0002)
    __table_args__ = (Index("ix_statement_topic_topic_statement", "topic_id", "statement_id"),)
    statement_id: int = Field(foreign_key="statement.id", primary_key=True, ondelete="CASCADE")
    topic_id: str = Field(primary_key=True, max_length=120)
    stance: str = Field(max_length=20)


class EventRow(SQLModel, table=True):
    __tablename__ = "event"
    # newest first by (day, id) without sorting a whole day's events (migration 0005)
    __table_args__ = (Index("ix_event_day_id", "day", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    sentence_idx: int
    day: date  # indexed with the id (0005)
    date_inferred: bool = False
    summary: str = Field(sa_column=Column(Text, nullable=False))
    actors: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    ingested_at: datetime = Field(index=True)


class EventTagRow(SQLModel, table=True):
    """Actor and topic tags of an event, for narrowing a timeline before reading rows."""

    __tablename__ = "event_tag"
    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True, max_length=130, index=True)  # "actor:putin", "topic:nato"


class QuestionRow(SQLModel, table=True):
    __tablename__ = "question"
    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(sa_column=Column(Text, nullable=False))
    key: str = Field(max_length=500, index=True)
    status: str = Field(default="open", max_length=20, index=True)
    actors: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    first_seen: datetime
    last_seen: datetime = Field(index=True)
    settled_at: datetime | None = None


class QuestionTagRow(SQLModel, table=True):
    __tablename__ = "question_tag"
    question_id: int = Field(foreign_key="question.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True, max_length=130, index=True)


class QuestionRaiseRow(SQLModel, table=True):
    """An article (and statement, if any) that raised a question."""

    __tablename__ = "question_raise"
    __table_args__ = (
        # the digest: first and latest raise per question, first raises in order (0004)
        Index("ix_question_raise_question_seen", "question_id", "seen_at"),
        Index("ix_question_raise_question_order", "question_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", ondelete="CASCADE")  # indexed above
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    statement_id: int | None = Field(default=None, foreign_key="statement.id",
                                     ondelete="SET NULL")
    text: str = Field(sa_column=Column(Text, nullable=False))
    seen_at: datetime


class QuestionAnswerRow(SQLModel, table=True):
    """A statement that answers or partly answers a question."""

    __tablename__ = "question_answer"
    __table_args__ = (Index("ix_question_answer_statement", "statement_id"),)  # digest (0004)
    question_id: int = Field(foreign_key="question.id", primary_key=True, ondelete="CASCADE")
    statement_id: int = Field(foreign_key="statement.id", primary_key=True, ondelete="CASCADE")
    status: str = Field(max_length=20)
    at: datetime


class ContradictionRow(SQLModel, table=True):
    __tablename__ = "contradiction"
    __table_args__ = (UniqueConstraint("first_statement_id", "second_statement_id"),)
    id: int | None = Field(default=None, primary_key=True)
    first_statement_id: int = Field(foreign_key="statement.id", ondelete="CASCADE")
    second_statement_id: int = Field(foreign_key="statement.id", ondelete="CASCADE")
    matter: str = Field(sa_column=Column(Text, nullable=False))
    found_at: datetime = Field(index=True)


class SubscriptionRow(SQLModel, table=True):
    __tablename__ = "subscription"
    channel: str = Field(primary_key=True, max_length=40)
    time: str = Field(default="08:00", max_length=5)
    timezone: str = Field(default="UTC", max_length=64)
    active: bool = True
    subscribed_by: str | None = Field(default=None, max_length=40)
    created: datetime
    updated: datetime


class PostedDigestRow(SQLModel, table=True):
    """One channel's digest for one local date: claimed before posting, completed after."""

    __tablename__ = "posted_digest"
    __table_args__ = (UniqueConstraint("channel", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=40)
    day: date
    status: str = Field(max_length=20)  # claimed, posted, failed
    owner: str = Field(max_length=200)
    claimed_at: datetime
    posted_at: datetime | None = None
    ts: str | None = Field(default=None, max_length=40)
    attempts: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text))


class AuditRow(SQLModel, table=True):
    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    user: str = Field(max_length=100)
    action: str = Field(max_length=100)
    target: str = Field(sa_column=Column(Text, nullable=False))
    result: str = Field(sa_column=Column(Text, nullable=False))
