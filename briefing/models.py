"""Typed values the engine takes in and gives out: the contract with storage/ and bot/."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class StanceLabel(StrEnum):
    SUPPORTS = "supports"
    OPPOSES = "opposes"
    CONDITIONAL = "conditional"
    MIXED = "mixed"
    UNCLEAR = "unclear"


class Attribution(StrEnum):
    """Who is speaking, as the reader must see it."""

    ON_RECORD = "on_record"  # the actor, in their own words or reported speech
    REPORTED = "reported"  # media or unnamed sources say so
    ASCRIBED = "ascribed"  # someone else says what the actor thinks or wants
    ANALYSIS = "analysis"  # the author's own analysis or opinion


class StatementKind(StrEnum):
    DIRECT_QUOTE = "direct_quote"
    REPORTED_SPEECH = "reported_speech"
    MEDIA_REPORT = "media_report"
    ANALYSIS = "analysis"
    QUESTION = "question"


class Certainty(StrEnum):
    CONFIRMED = "confirmed"
    REPORTED = "reported"
    UNCONFIRMED = "unconfirmed"
    DENIED = "denied"
    SPECULATIVE = "speculative"


class ActorKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    COUNTRY = "country"
    GROUP = "group"


class QuestionStatus(StrEnum):
    OPEN = "open"
    PARTLY_ANSWERED = "partly_answered"
    ANSWERED = "answered"


class MentionKind(StrEnum):
    NAME = "name"  # "Vladimir Putin", "Putin"
    DESCRIPTION = "description"  # "the Russian president", "the Kremlin leader"
    PRONOUN = "pronoun"  # "he", "she"


# --- actors and topics -------------------------------------------------------------------------


class Role(Frozen):
    """A title held by a person, optionally for a period ("president of russia", 2012-05-07..)."""

    title: str
    of: str | None = None  # actor id of the country or organisation
    start: date | None = None
    end: date | None = None


class Actor(Frozen):
    id: str  # stable slug: "putin", "european-leaders", "sergey-lavrov"
    name: str  # display name: "Vladimir Putin"
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    member_of: tuple[str, ...] = ()  # "peskov" -> ("kremlin",); "macron" -> ("european-leaders",)
    discovered: bool = False  # found in text, not in the built-in registry


class Topic(Frozen):
    id: str  # "ceasefire"
    label: str  # "Ceasefire"
    synonyms: tuple[str, ...] = ()
    supports_means: str = ""  # what "supports" means for this topic, shown to users


# --- one article ------------------------------------------------------------------------------


class KnownDate(Frozen):
    """The date of a development the text reports without printing it, known from elsewhere
    (an editor, the source's metadata): the events of sentences containing `of` take it."""

    date: date
    of: str = Field(min_length=3)


class ArticleInput(BaseModel):
    """An article as a source hands it over, before any processing."""

    text: str
    title: str | None = None
    url: str | None = None
    path: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: datetime | None = None
    published_inferred: bool = False
    published_from: str | None = None  # where the date came from: "feed", "page", "htmldate"
    source_id: int | None = None
    known_dates: tuple[KnownDate, ...] = ()


class CleanArticle(BaseModel):
    """Article metadata plus text cleaned of page noise."""

    text: str
    title: str | None = None
    url: str | None = None  # canonical: tracking parameters stripped
    path: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: datetime | None = None
    published_inferred: bool = False
    content_hash: str
    about_author: str | None = None  # "About the author" blocks are kept as metadata, not text


class Sentence(Frozen):
    index: int
    start: int  # offsets into CleanArticle.text
    end: int
    text: str
    paragraph: int = 0


class Mention(Frozen):
    sentence: int
    start: int  # offsets into CleanArticle.text
    end: int
    text: str
    actor_id: str
    kind: MentionKind = MentionKind.NAME


class TopicStance(Frozen):
    topic: str  # topic id
    stance: StanceLabel


class Statement(Frozen):
    """A sentence that carries a position or a claim."""

    sentence: int
    text: str  # the whole source sentence
    quote: str | None = None  # the quoted words, when it is a direct quote
    speaker: str | None = None  # actor id of who is speaking, if an actor
    speaker_label: str | None = None  # e.g. "sources cited by The Washington Post"
    # actor id whose position this is (Trump saying what Putin wants: putin)
    holder: str | None = None
    about: tuple[str, ...] = ()  # actor ids the statement is about
    topics: tuple[TopicStance, ...] = ()
    kind: StatementKind
    certainty: Certainty
    attribution: Attribution


class Event(Frozen):
    """A dated development."""

    sentence: int
    date: date
    date_inferred: bool = False  # true when resolved from a relative expression or the pub date
    summary: str  # the source sentence
    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


class RaisedQuestion(Frozen):
    """An explicit question or a cue of what is not known, as found in one article."""

    sentence: int
    text: str  # the whole source sentence
    # normalised wording, e.g. "When did the contacts between Trump and Putin take place?"
    question: str
    key: str  # merge key: questions with similar keys across articles are one question
    cue: str  # "explicit", "remains unclear whether", "declined to specify", ...
    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


class ProcessedArticle(BaseModel):
    """Everything the engine found in one article; stored whole or not at all."""

    article: CleanArticle
    sentences: list[Sentence] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)  # every actor mentioned, incl. discovered
    mentions: list[Mention] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    questions: list[RaisedQuestion] = Field(default_factory=list)
    fingerprint: list[int] = Field(default_factory=list)  # near-duplicate signature (stories)


# --- what queries return ----------------------------------------------------------------------


class ArticleRef(Frozen):
    id: int
    url: str | None = None
    path: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: datetime | None = None
    published_inferred: bool = False


class StoredStatement(Frozen):
    """A statement as read back from the store, with its article."""

    id: int
    statement: Statement
    article: ArticleRef


class Evidence(Frozen):
    statement_id: int
    text: str
    quote: str | None = None
    speaker: str | None = None
    speaker_label: str | None = None
    attribution: Attribution
    stance: StanceLabel
    certainty: Certainty
    kind: StatementKind
    article: ArticleRef


class StancePoint(Frozen):
    date: date
    stance: StanceLabel


class Cited(Frozen):
    text: str
    article: ArticleRef


class StoredQuestion(Frozen):
    id: int
    question: str
    key: str
    status: QuestionStatus
    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    raised_in: tuple[Cited, ...] = ()
    answered_by: tuple[Cited, ...] = ()
    first_seen: datetime | None = None
    last_seen: datetime | None = None
