"""The SQL unit of work and its repositories; they hand the engine pydantic values, never rows."""

from __future__ import annotations

import builtins
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from operator import itemgetter
from types import TracebackType
from typing import Any, Self

from sqlalchemy import (
    JSON,
    Engine,
    Integer,
    Select,
    String,
    Text,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    text,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import NullType
from sqlmodel import Session, SQLModel

from briefing.contradictions import ClaimSource
from briefing.errors import ArticleExists
from briefing.models import (
    Actor,
    ActorKind,
    ArticleRef,
    Attribution,
    Certainty,
    Cited,
    Event,
    Evidence,
    ProcessedArticle,
    QuestionStatus,
    Role,
    StanceLabel,
    Statement,
    StatementKind,
    StoredQuestion,
    StoredStatement,
    TopicStance,
)
from briefing.ports import (
    AnswerLinkRecord,
    AuditEntry,
    DevelopmentFacts,
    DevelopmentRecord,
    DigestRecord,
    EventRecord,
    HeldEvidence,
    SourceInfo,
    SourceUpdate,
    StanceRecord,
    StoredContradiction,
    StoredEvent,
    Subscription,
    TouchedQuestion,
)
from storage.tables import (
    ActorAliasRow,
    ActorRow,
    ArticleBandRow,
    ArticleRow,
    AuditRow,
    ContradictionRow,
    EventRow,
    EventTagRow,
    MentionRow,
    PostedDigestRow,
    QuestionAnswerRow,
    QuestionRaiseRow,
    QuestionRow,
    QuestionTagRow,
    SentenceRow,
    SourceRow,
    StatementActorRow,
    StatementRow,
    StatementTopicRow,
    StoryRow,
    SubscriptionRow,
    TopicRow,
)


def _insert_ignore(session: Session, table: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those whose key exists (two ingests may add one actor at once)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    tbl = table.__table__
    stmt: Any
    # executemany of one cached statement: a multi-VALUES statement is compiled afresh each time
    if dialect == "postgresql":
        stmt = postgresql.insert(tbl).on_conflict_do_nothing()
    else:
        stmt = sqlite.insert(tbl).on_conflict_do_nothing()
    session.execute(stmt, rows)


# Article ids per query when loading article refs (Postgres: at most 65,535 parameters).
ARTICLE_REF_CHUNK = 10_000


def _insert_many(session: Session, table: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """One executemany INSERT of plain rows (no ORM objects: they cost more than the SQL); on
    Postgres a COPY, in the session's transaction: psycopg sends an executemany as one
    statement per row, ~20 µs of this process's time each, and an ingest writes ~300 rows
    this way (bench/). The rows must share their keys, values of plain types."""
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    tbl: Any = table.__table__
    conn = session.connection()
    driver = conn.connection.driver_connection
    if conn.dialect.name != "postgresql":
        # the driver's executemany with each column's own bind processor (what SQLAlchemy's
        # executemany applies, without its work per row and parameter: ~5 µs a row, bench/)
        binds = [tbl.c[c].type._cached_bind_processor(conn.dialect) for c in columns]
        values = [tuple(row[c] if bind is None else bind(row[c])
                        for c, bind in zip(columns, binds, strict=True)) for row in rows]
        cur = driver.cursor()
        try:
            cur.executemany(f'INSERT INTO "{tbl.name}" ({names}) '
                            f'VALUES ({", ".join("?" * len(columns))})', values)
        finally:
            cur.close()
        return
    # JSON columns go as their text, as SQLAlchemy's JSON type writes it (None as 'null')
    as_json = [isinstance(tbl.c[c].type, JSON) for c in columns]
    with driver.cursor() as cur, cur.copy(
            f'COPY "{tbl.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if j else row[c]
                            for c, j in zip(columns, as_json, strict=True)])


def _insert_with_new_ids(session: Session, table: type[SQLModel],
                         rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows under new ids, ascending in the order of `rows`, and return the ids; the
    same ids an INSERT ... RETURNING would give them, for a fraction of its cost: SQLite ran
    a RETURNING insert of many rows as one statement per row (35 for an article's
    statements, 16 for its events), and on Postgres the rows go by COPY (see _insert_many).

    SQLite gives a new row max(id) + 1 (the tables have no AUTOINCREMENT), and its writers
    take turns: a caller that has written in its transaction (the ingest has stored the
    article row) holds the database's write lock until it ends, so nobody else can take these
    ids meanwhile; one that has not could meet a writer in between, and then fails (the id is
    taken, or its snapshot is stale) rather than storing anything wrong. Postgres hands out
    the ids from the table's sequence, as the column's default would."""
    if not rows:
        return []
    tbl: Any = table.__table__
    if session.get_bind().dialect.name == "postgresql":
        ids = sorted(session.connection().exec_driver_sql(
            f"SELECT nextval(pg_get_serial_sequence('{tbl.name}', 'id')) "
            f"FROM generate_series(1, %(n)s)", {"n": len(rows)}).scalars())
    else:
        assert session.connection().in_transaction()
        top = session.connection().exec_driver_sql(
            f'SELECT max(id) FROM "{tbl.name}"').scalar() or 0
        ids = list(range(top + 1, top + 1 + len(rows)))
    _insert_many(session, table, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
    return ids


def _insert_returning_ids(session: Session, table: type[SQLModel],
                          rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows in one statement and return their new ids, in the order of `rows`."""
    if not rows:
        return []
    tbl: Any = table.__table__
    return list(session.scalars(
        insert(tbl).returning(tbl.c.id, sort_by_parameter_order=True), rows))


def _id_in(session: Session, column: Any, ids: Iterable[int]) -> Any:
    """`column IN ids` as one bound value: a JSON array on SQLite, an array on Postgres.

    A plain IN list is rendered afresh at every execution, one parameter per id (~10 µs each:
    1.5 ms for the 150 statements an ingest cross-checks, four times over; bench/)."""
    return _in_values(session, column, [int(i) for i in ids], Integer)


def _in_values(session: Session, column: Any, values: list[Any], element: Any) -> Any:
    """`column IN values` as one bound value (see _id_in), values of the SQL type `element`."""
    if session.get_bind().dialect.name == "postgresql":
        return column == func.any(bindparam("values", values, type_=postgresql.ARRAY(element)))
    return column.in_(select(literal_column("value"))
                      .select_from(func.json_each(bindparam("values", json.dumps(values)))))


def _like_any(column: Any, terms: Sequence[str]) -> Any:
    """The column holds any of the words; a word's % and _ are matched as themselves."""
    return or_(*(func.lower(column).like(f"%{_like_escaped(t.lower())}%", escape="\\")
                 for t in terms))


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Values remembered per raw row (see _RowMemo): enough for every candidate of a few hundred
# ingests (150 statements, 100 questions and 50 articles an ingest), a few MB.
ROW_MEMO_SIZE = 20_000


class _RowMemo:
    """Values built from raw rows (the driver's values: no SQLAlchemy type processing),
    remembered by the whole row: building is a function of the row's values alone, so the
    same row read again gives an equal value without building it again. The ingest's
    cross-checks read mostly the same candidates article after article (the newest
    statements of the same people, the questions of the same topics); parsing them again
    (JSON, datetimes, models) was a third of reading them (bench/). Per dialect, as the raw
    values differ; forgotten all at once when full."""

    def __init__(self, build: Any, *, size: int = ROW_MEMO_SIZE) -> None:
        self.build = build
        self.size = size
        self.built: dict[tuple[Any, ...], Any] = {}

    def __call__(self, dialect: Any, rows: Iterable[Sequence[Any]]) -> builtins.list[Any]:
        out = []
        for row in rows:
            key = (dialect.name, *row)
            value = self.built.get(key)
            if value is None:
                if len(self.built) >= self.size:
                    self.built.clear()
                value = self.built[key] = self.build(dialect, row)
            out.append(value)
        return out


def _raw(column: Any) -> Any:
    """A column read as the driver hands it over (no result processing): for _RowMemo."""
    return type_coerce(column, NullType())


def _processor(column: Any, dialect: Any) -> Any:
    """What SQLAlchemy applies to a raw value of this column when it reads it."""
    process = column.type._cached_result_processor(dialect, None)
    return process if process is not None else (lambda value: value)


def _article_ref(row: ArticleRow) -> ArticleRef:
    assert row.id is not None
    return ArticleRef(id=row.id, url=row.url, path=row.path, outlet=row.outlet, title=row.title,
                      published=row.published, published_inferred=row.published_inferred)


# An article's ref columns, read beside the rows that cite it (one query, not two: loading refs
# by a list of ids cost more in SQLAlchemy than the search itself, bench/); see _ref_of.
_REF_COLUMNS = (ArticleRow.id.label("article_id"), ArticleRow.url, ArticleRow.path,
                ArticleRow.outlet, ArticleRow.title,
                ArticleRow.published.label("article_published"), ArticleRow.published_inferred)


def _ref_of(row: Any, refs: dict[int, ArticleRef]) -> ArticleRef:
    """The ArticleRef of a row read with _REF_COLUMNS as its last columns, one per article
    (kept in `refs`). By position: a row's attributes by name cost ten times as much (0.4 µs
    each, a tenth of /brief's Python time over 350 rows, bench/)."""
    ref = refs.get(row[-7])
    if ref is None:
        aid, url, path, outlet, title, published, inferred = row[-7:]
        ref = refs[aid] = ArticleRef(id=aid, url=url, path=path, outlet=outlet, title=title,
                                     published=published, published_inferred=inferred)
    return ref


def _news_time(published: Any, ingested_at: Any) -> Any:
    """When a record became news: its article's published time when known, else ingestion."""
    return func.coalesce(published, ingested_at)


def _digest_record(row: PostedDigestRow) -> DigestRecord:
    return DigestRecord(channel=row.channel, day=row.day, status=row.status, owner=row.owner,
                        claimed_at=row.claimed_at, posted_at=row.posted_at, ts=row.ts,
                        attempts=row.attempts, error=row.error)


class _Repo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _read(self, statement: Any, params: dict[str, Any] | None = None) -> Any:
        """Core rows of a read run on the session's connection, without the ORM's work per
        statement (0.13 of 0.21 ms for a one-row read, bench/). Nothing is flushed first: for
        the commands' reads, which run in transactions of their own."""
        return self.s.connection().execute(statement, params)

    def _read_current(self, statement: Any, params: dict[str, Any] | None = None) -> Any:
        """_read after flushing what the session holds (nothing, on the ingest's path: it
        writes with Core), for reads inside a writing transaction."""
        self.s.flush()
        return self._read(statement, params)

    def _articles(self, ids: Iterable[int]) -> dict[int, ArticleRef]:
        wanted = sorted(set(ids))
        out: dict[int, ArticleRef] = {}
        # in chunks: Postgres takes at most 65,535 parameters in one statement, and a digest
        # over 100,000 articles asked for 98,000 refs at once (bench/)
        for start in range(0, len(wanted), ARTICLE_REF_CHUNK):
            # the columns an ArticleRef needs: whole rows would read every article's text
            rows = self.s.execute(
                select(ArticleRow.id, ArticleRow.url, ArticleRow.path, ArticleRow.outlet,
                       ArticleRow.title, ArticleRow.published, ArticleRow.published_inferred)
                .where(ArticleRow.id.in_(wanted[start:start + ARTICLE_REF_CHUNK])))
            out.update({aid: ArticleRef(id=aid, url=url, path=path, outlet=outlet, title=title,
                                        published=published, published_inferred=inferred)
                        for aid, url, path, outlet, title, published, inferred in rows})
        return out

    def _statements(self, rows: Sequence[StatementRow]) -> list[StoredStatement]:
        """Turn statement rows into StoredStatements, loading their links in two queries."""
        ids = [r.id for r in rows if r.id is not None]
        if not ids:
            return []
        about: dict[int, list[str]] = defaultdict(list)
        for sid, actor in self.s.exec(
                select(StatementActorRow.statement_id, StatementActorRow.actor_id)
                .where(StatementActorRow.statement_id.in_(ids))
                .where(StatementActorRow.role == "about")):
            about[sid].append(actor)
        topics: dict[int, list[TopicStance]] = defaultdict(list)
        for sid, topic, stance in self.s.exec(
                select(StatementTopicRow.statement_id, StatementTopicRow.topic_id,
                       StatementTopicRow.stance)
                .where(StatementTopicRow.statement_id.in_(ids))):
            topics[sid].append(TopicStance(topic=topic, stance=StanceLabel(stance)))
        articles = self._articles(r.article_id for r in rows)
        out = []
        for r in rows:
            assert r.id is not None
            st = Statement(
                sentence=r.sentence_idx, text=r.text, quote=r.quote, speaker=r.speaker_id,
                speaker_label=r.speaker_label, holder=r.holder_id,
                about=tuple(sorted(about[r.id])), topics=tuple(topics[r.id]),
                kind=StatementKind(r.kind), certainty=Certainty(r.certainty),
                attribution=Attribution(r.attribution))
            out.append(StoredStatement(id=r.id, statement=st, article=articles[r.article_id]))
        return out


    def _statements_by_id(self, ids: Sequence[int]) -> list[StoredStatement]:
        """StoredStatements for these ids in their order, read as plain columns (Core) in
        three queries and built without re-validating what the store gave: the ingest's
        cross-checks load 150 a time, and ORM rows cost more than the SQL (bench/)."""
        if not ids:
            return []
        st, sa, stp = (StatementRow.__table__.c, StatementActorRow.__table__.c,
                       StatementTopicRow.__table__.c)
        wanted = list(ids)
        rows = {r[0]: r for r in self.s.execute(
            select(st.id, st.article_id, st.sentence_idx, st.text, st.quote, st.speaker_id,
                   st.speaker_label, st.holder_id, st.kind, st.certainty, st.attribution)
            .where(_id_in(self.s, st.id, wanted)))}
        about: dict[int, list[str]] = defaultdict(list)
        for sid, actor in self.s.execute(select(sa.statement_id, sa.actor_id)
                                         .where(_id_in(self.s, sa.statement_id, wanted))
                                         .where(sa.role == "about")):
            about[sid].append(actor)
        topics: dict[int, list[TopicStance]] = defaultdict(list)
        for sid, topic, stance in self.s.execute(select(stp.statement_id, stp.topic_id,
                                                        stp.stance)
                                                 .where(_id_in(self.s, stp.statement_id, wanted))):
            topics[sid].append(TopicStance.model_construct(topic=topic,
                                                           stance=StanceLabel(stance)))
        articles = self._articles(r[1] for r in rows.values())
        out = []
        for sid in wanted:
            r = rows.get(sid)
            if r is None:
                continue
            (_, aid, sentence, said, quote, speaker, label, holder, kind, certainty,
             attribution) = r
            statement = Statement.model_construct(
                sentence=sentence, text=said, quote=quote, speaker=speaker,
                speaker_label=label, holder=holder, about=tuple(sorted(about[sid])),
                topics=tuple(topics[sid]), kind=StatementKind(kind),
                certainty=Certainty(certainty), attribution=Attribution(attribution))
            out.append(StoredStatement.model_construct(id=sid, statement=statement,
                                                       article=articles[aid]))
        return out


# --- articles ----------------------------------------------------------------------------------


@_RowMemo
def _story_candidates(dialect: Any, row: Sequence[Any]) -> tuple[int, int | None, list[int]]:
    aid, story, fingerprint = row
    return aid, story, (json.loads(fingerprint) if fingerprint is not None else None) or []


class SqlArticleRepo(_Repo):
    def find_duplicate(self, *, url: str | None, content_hash: str) -> ArticleRef | None:
        cond = ArticleRow.content_hash == content_hash
        if url:
            cond = or_(cond, ArticleRow.url == url)
        row = self.s.exec(select(ArticleRow).where(cond).limit(1)).first()
        return _article_ref(row[0]) if row else None

    def get(self, article_id: int) -> ArticleRef | None:
        row = self.s.get(ArticleRow, article_id)
        return _article_ref(row) if row else None

    def count(self) -> int:
        return int(self.s.exec(select(func.count()).select_from(ArticleRow)).one()[0])

    def latest_published(self) -> datetime | None:
        return self.s.exec(select(func.max(ArticleRow.published))).one()[0]

    def add(self, processed: ProcessedArticle, *, source_id: int | None,
            now: datetime) -> ArticleRef:
        a = processed.article
        try:
            (aid,) = _insert_returning_ids(self.s, ArticleRow, [
                {"url": a.url, "path": a.path, "outlet": a.outlet, "title": a.title,
                 "author": a.author, "published": a.published,
                 "published_inferred": a.published_inferred, "text": a.text,
                 "about_author": a.about_author, "content_hash": a.content_hash,
                 "source_id": source_id, "fingerprint": processed.fingerprint or None,
                 "ingested_at": now}])
        except IntegrityError as exc:  # url and content_hash are unique (store_article)
            raise ArticleExists(f"already stored: {a.url or a.content_hash}") from exc
        # Core executemany: building a SQLModel object per row cost more than the SQL (bench/)
        _insert_many(self.s, SentenceRow, [
            {"article_id": aid, "idx": s.index, "start": s.start, "end": s.end,
             "paragraph": s.paragraph, "text": s.text} for s in processed.sentences])
        self._upsert_actors(processed.actors, now=now)
        _insert_many(self.s, MentionRow, [
            {"article_id": aid, "sentence_idx": m.sentence, "start": m.start, "end": m.end,
             "text": m.text[:500], "actor_id": m.actor_id, "kind": str(m.kind)}
            for m in processed.mentions])
        return ArticleRef(id=aid, url=a.url, path=a.path, outlet=a.outlet, title=a.title,
                          published=a.published, published_inferred=a.published_inferred)

    def add_bands(self, article_id: int, bands: Sequence[str]) -> None:
        _insert_many(self.s, ArticleBandRow, [{"article_id": article_id, "band": b}
                                              for b in sorted(set(bands))])

    def story_candidates(self, bands: Sequence[str], *,
                         limit: int) -> list[tuple[int, int | None, list[int]]]:
        """(article id, story id, fingerprint) of stored articles sharing any band: the
        `limit` sharing the most (the likeliest near-copies), newest first among equals."""
        if not bands:
            return []
        band = ArticleBandRow.__table__.c
        shared = (select(band.article_id.label("aid"), func.count().label("n"))
                  .where(band.band.in_(sorted(set(bands)))).group_by(band.article_id)
                  .order_by(func.count().desc(), band.article_id.desc()).limit(limit)).subquery()
        rows = self._read_current(select(ArticleRow.id, ArticleRow.story_id,
                                         cast(ArticleRow.fingerprint, Text))
                                  .join(shared, shared.c.aid == ArticleRow.id)
                                  .order_by(shared.c.n.desc(), ArticleRow.id.desc()))
        return _story_candidates(self.s.get_bind().dialect, rows)

    def assign_story(self, article_id: int, *, story_id: int | None, wire_copy_of: int | None,
                     headline: str | None, now: datetime) -> int:
        if story_id is None:
            (story_id,) = _insert_returning_ids(self.s, StoryRow, [
                {"headline": headline, "first_seen": now, "last_seen": now}])
        else:
            story_t = StoryRow.__table__
            self.s.execute(update(story_t).where(story_t.c.id == story_id)
                           .values(last_seen=now))
        # on the table (Core): an ORM update also works out which loaded objects it changes
        article_t = ArticleRow.__table__
        self.s.execute(update(article_t).where(article_t.c.id == article_id)
                       .values(story_id=story_id, wire_copy_of=wire_copy_of))
        return story_id

    def stories_since(self, when: datetime, *, limit: int) -> list[tuple[int, list[ArticleRef],
                                                                          int]]:
        """Stories with articles ingested since `when`: (story id, its new articles, number
        of independent sources among them: wire copies count once)."""
        rows = self.s.exec(select(ArticleRow).where(ArticleRow.ingested_at >= when)
                           .order_by(ArticleRow.published.desc()).limit(limit))
        groups: dict[int, list[ArticleRow]] = defaultdict(list)
        for (r,) in rows:
            groups[r.story_id or -(r.id or 0)].append(r)
        out = []
        for sid, arts in groups.items():
            independent = sum(1 for a in arts if a.wire_copy_of is None)
            out.append((sid, [_article_ref(a) for a in arts], max(independent, 1)))
        return out

    def stories_between(self, start: datetime, end: datetime, *, late_from: datetime,
                        limit: int) -> list[tuple[int, list[ArticleRef], int]]:
        """Digest (issue 5): stories_since judged by news time; see the port's docstring."""
        news = _news_time(ArticleRow.published, ArticleRow.ingested_at)
        # on time (news time in the window) or late; spelt as ranges of the published and
        # ingested_at indexes: a condition on the news time read every article (bench/)
        ingested = (ArticleRow.ingested_at >= start) & (ArticleRow.ingested_at < end)
        on_time = (ArticleRow.published >= start) & (ArticleRow.published < end)
        late = ingested & (ArticleRow.published.is_(None) | (ArticleRow.published >= late_from))
        # the columns an ArticleRef needs, not the article text
        rows = self.s.execute(
            select(ArticleRow.id, ArticleRow.url, ArticleRow.path, ArticleRow.outlet,
                   ArticleRow.title, ArticleRow.published, ArticleRow.published_inferred,
                   ArticleRow.story_id, ArticleRow.wire_copy_of)
            .where(or_(on_time, late))
            .order_by(news.desc(), ArticleRow.id.desc()).limit(limit))
        groups: dict[int, list[ArticleRef]] = defaultdict(list)
        independent: dict[int, int] = defaultdict(int)
        for aid, url, path, outlet, title, published, inferred, story, wire in rows:
            key = story or -aid
            groups[key].append(ArticleRef(id=aid, url=url, path=path, outlet=outlet,
                                          title=title, published=published,
                                          published_inferred=inferred))
            independent[key] += wire is None
        return [(sid, arts, max(independent[sid], 1)) for sid, arts in groups.items()]

    def _upsert_actors(self, actors: Sequence[Actor], *, now: datetime) -> None:
        """Store the article's actors not stored yet, and any new alias of a discovered one.

        The registry's actors are stored once with their aliases (only discovered actors'
        aliases are read back: `SqlActorRepo.discovered`); an article names about fifty, and
        inserting each with its aliases every time cost more than asking which are stored."""
        if not actors:
            return
        stored = set(self.s.scalars(select(ActorRow.id).where(
            _in_values(self.s, ActorRow.id, sorted({a.id for a in actors}), String))))
        _insert_ignore(self.s, ActorRow, [
            {"id": a.id, "name": a.name, "kind": str(a.kind), "member_of": list(a.member_of),
             "roles": [r.model_dump(mode="json") for r in a.roles], "discovered": a.discovered,
             "first_seen": now} for a in actors if a.id not in stored])
        _insert_ignore(self.s, ActorAliasRow, [
            {"actor_id": a.id, "alias": alias[:300]}
            for a in actors if a.id not in stored or a.discovered
            for alias in sorted({a.name, *a.aliases})])


class SqlActorRepo(_Repo):
    def discovered(self) -> list[Actor]:
        rows = self.s.exec(select(ActorRow).where(ActorRow.discovered == True))  # noqa: E712
        actors = [r for (r,) in rows]
        aliases: dict[str, list[str]] = defaultdict(list)
        if actors:
            for aid, alias in self.s.exec(
                    select(ActorAliasRow.actor_id, ActorAliasRow.alias)
                    .where(ActorAliasRow.actor_id.in_([a.id for a in actors]))):
                aliases[aid].append(alias)
        return [Actor(id=r.id, name=r.name, kind=ActorKind(r.kind),
                      aliases=tuple(sorted(a for a in aliases[r.id] if a != r.name)),
                      roles=tuple(Role.model_validate(x) for x in r.roles or []),
                      member_of=tuple(r.member_of or ()), discovered=True) for r in actors]

    def with_evidence(self) -> list[str]:
        """Actors who hold or speak in some statement (those links equal the statements'
        holder_id and speaker_id). Read by hopping along the (holder|speaker, published, id)
        indexes, one probe per actor: DISTINCT over the links read all of them, close to a
        second at 100,000 articles (bench/)."""
        found: set[str] = set()
        for column in ("holder_id", "speaker_id"):
            found.update(a for (a,) in self.s.execute(text(
                f"WITH RECURSIVE hop(a) AS (SELECT MIN({column}) FROM statement UNION ALL "
                f"SELECT (SELECT MIN({column}) FROM statement WHERE {column} > hop.a) "
                f"FROM hop WHERE hop.a IS NOT NULL) SELECT a FROM hop WHERE a IS NOT NULL")))
        return sorted(found)


# --- statements ---------------------------------------------------------------------------------


# Positions in an evidence row (SqlStatementRepo._evidence_read's columns): rows are read by
# position, as by name each column cost ten times as much (see _ref_of).
_EV_HOLDER, _EV_BRANCH = 5, 11
_EV_NEWEST = itemgetter(9, 0)  # (published, id): the order of the dated reads


def _held_evidence(row: Any, refs: dict[int, ArticleRef]) -> HeldEvidence:
    """An _evidence_read row as evidence, with whose position it is."""
    (sid, said, quote, speaker, label, holder, kind, certainty, attribution, _, stance,
     *_) = row
    return HeldEvidence(holder, Evidence(
        statement_id=sid, text=said, quote=quote, speaker=speaker, speaker_label=label,
        attribution=attribution, stance=stance or StanceLabel.UNCLEAR, certainty=certainty,
        kind=kind, article=_ref_of(row, refs)))


@lru_cache(maxsize=64)
def _newest_claims_of(actors: int, dialect: str) -> Any:
    """(id, text, kind, article id, outlet, published, actor ids joined by spaces) of the
    newest statements naming any of `actors` actors (:a0, :a1, ...), outside article :exclude,
    newest first: a UNION ALL of each actor's newest-first read along the (actor, statement)
    index, each stopping at :per_actor rows, merged in the database. Written as SQL once per
    number of actors: building it as an expression cost more than running it."""
    reads = " UNION ALL ".join(
        f"SELECT sid FROM (SELECT statement_id AS sid FROM statement_actor "
        f"WHERE actor_id = :a{i} ORDER BY statement_id DESC LIMIT :per_actor) AS r{i}"
        for i in range(actors))
    # the newest :per_actor of the union hold the newest :limit outside the article (it has
    # :per_actor - :limit statements): only those are looked up
    concat = "string_agg" if dialect == "postgresql" else "group_concat"
    return text(f"SELECT s.id, s.text, s.kind, s.article_id, a.outlet, a.published, "
                f"(SELECT {concat}(actor_id, ' ') FROM statement_actor "
                f"WHERE statement_id = s.id) AS actors "
                f"FROM (SELECT DISTINCT sid FROM ({reads}) AS u "
                f"ORDER BY sid DESC LIMIT :per_actor) AS d "
                f"JOIN statement AS s ON s.id = d.sid JOIN article AS a ON a.id = s.article_id "
                f"WHERE s.article_id != :exclude ORDER BY s.id DESC LIMIT :limit")


@_RowMemo
def _claim_sources(dialect: Any, row: Sequence[Any]) -> ClaimSource:
    sid, said, kind, aid, outlet, published, actors = row
    return ClaimSource(id=sid, text=said, kind=StatementKind(kind),
                       actors=frozenset(actors.split()), article_id=aid, outlet=outlet,
                       published=_processor(ArticleRow.__table__.c.published, dialect)(published))


class SqlStatementRepo(_Repo):
    def add_all(self, article: ArticleRef, processed: ProcessedArticle,
                *, now: datetime) -> list[StoredStatement]:
        # one INSERT ... RETURNING for the statements, one executemany per link table: a
        # flush per statement made this the slowest part of an ingest (bench/)
        self.s.flush()
        ids = _insert_with_new_ids(self.s, StatementRow, [
            {"article_id": article.id, "sentence_idx": st.sentence, "text": st.text,
             "quote": st.quote, "speaker_id": st.speaker,
             "speaker_label": (st.speaker_label or None) and st.speaker_label[:500],
             "holder_id": st.holder, "kind": str(st.kind), "certainty": str(st.certainty),
             "attribution": str(st.attribution), "published": article.published,
             "ingested_at": now} for st in processed.statements])
        actor_links: list[dict[str, Any]] = []
        topic_links: list[dict[str, Any]] = []
        out = []
        for sid, st in zip(ids, processed.statements, strict=True):
            links = {(a, "about") for a in st.about}
            if st.speaker:
                links.add((st.speaker, "speaker"))
            if st.holder:
                links.add((st.holder, "holder"))
            actor_links += [{"statement_id": sid, "actor_id": a, "role": r} for a, r in links]
            seen: set[str] = set()
            for ts in st.topics:
                if ts.topic not in seen:
                    seen.add(ts.topic)
                    topic_links.append({"statement_id": sid, "topic_id": ts.topic,
                                        "stance": str(ts.stance)})
            out.append(StoredStatement(id=sid, statement=st, article=article))
        _insert_many(self.s, StatementActorRow, actor_links)
        _insert_many(self.s, StatementTopicRow, topic_links)
        return out

    def _newest_by(self, column: Any, actor_ids: Sequence[str], topic_id: str | None,
                   terms: Sequence[str], *, limit: int,
                   where: Any = None) -> builtins.list[Any]:
        """Statements whose holder or speaker (`column`) is one of the actors, newest published
        first, undated last.

        Read along the (actor, published, id) index (migration 0003): the dated ones newest
        first, then the undated ones, each read stopping at `limit`; the topic is checked per
        row. Joining the link tables and sorting every match took seconds at 100,000 articles
        (bench/). A statement's holder and speaker links equal its holder_id and speaker_id.
        Plain rows, not ORM objects: building those cost more than the query."""
        filters = []
        if topic_id:
            filters.append(select(StatementTopicRow.statement_id)
                           .where(StatementTopicRow.statement_id == StatementRow.id)
                           .where(StatementTopicRow.topic_id == topic_id).exists())
        if terms:
            filters.append(_like_any(StatementRow.text, terms))
        if where is not None:
            filters.append(where)
        if len(actor_ids) > MANY_ACTORS:
            # "any of a hundred actors" (/brief over everyone with evidence) matches most
            # statements: walking all statements newest first and keeping the listed actors'
            # beats gathering every statement of every actor and sorting them (bench/). When
            # the walk finds `limit` dated ones, they are the answer; else the general read.
            scan = (select(StatementRow.__table__)
                    .where(column.is_not(None), StatementRow.published.is_not(None), *filters)
                    .order_by(StatementRow.published.desc(), StatementRow.id.desc())
                    .limit(MANY_ACTORS_SCAN * limit))
            wanted = set(actor_ids)
            kept = [r for r in self.s.execute(scan) if getattr(r, column.key) in wanted]
            if len(kept) >= limit:
                return kept[:limit]
        q = select(StatementRow.__table__).where(column.in_(list(actor_ids)), *filters)
        dated = (q.where(StatementRow.published.is_not(None))
                 .order_by(StatementRow.published.desc(), StatementRow.id.desc()).limit(limit))
        rows = list(self.s.execute(dated))
        if len(rows) < limit:
            undated = (q.where(StatementRow.published.is_(None))
                       .order_by(StatementRow.id.desc()).limit(limit - len(rows)))
            rows += list(self.s.execute(undated))
        return rows

    def for_actor_topic(self, actor_ids: Sequence[str], *, topic_id: str | None,
                        terms: Sequence[str] = (), limit: int) -> list[StoredStatement]:
        return self._statements(self._newest_by(StatementRow.holder_id, actor_ids, topic_id,
                                                terms, limit=limit))

    def quotes(self, actor_ids: Sequence[str], *, topic_id: str | None,
               terms: Sequence[str] = (), limit: int) -> list[StoredStatement]:
        spoken = StatementRow.kind.in_((StatementKind.DIRECT_QUOTE.value,
                                        StatementKind.REPORTED_SPEECH.value))
        return self._statements(self._newest_by(StatementRow.speaker_id, actor_ids, topic_id,
                                                terms, limit=limit, where=spoken))

    def evidence(self, holders: Sequence[str] | None, *, topic_ids: Sequence[str | None],
                 terms: Sequence[str] = (),
                 limit: int) -> dict[str | None, list[HeldEvidence]]:
        """Evidence for /stance and /brief: what for_actor_topic reads, as the columns an
        Evidence shows with the topic's stance picked in SQL, every topic's dated read in one
        statement. for_actor_topic took four queries per topic and built each statement with
        its actor and topic links, which these answers never show (bench/).

        `holders` None reads everyone's evidence: the holder only has to be set (every holder
        of a statement is an actor with evidence)."""
        out: dict[str | None, list[HeldEvidence]] = {t: [] for t in topic_ids}
        if not topic_ids or (holders is not None and not holders):
            return out
        scan = holders is None or len(holders) > MANY_ACTORS
        # a few actors on many topics (/brief <actor>): each topic's newest stored statements
        # first, the actors' index only where that window is full and holds too few of theirs
        windowed = holders is not None and not scan and len(topic_ids) > 1 and \
            all(t is not None for t in topic_ids)
        # as in _newest_by: for everyone or for many actors, walk the statements newest first
        # (keeping the actors' in Python); for a few actors, read each one's index
        reads = [self._evidence_read(i, topic_id, None if scan else holders, terms,
                                     dated=True, limit=limit if holders is None else
                                     (MANY_ACTORS_SCAN * limit if scan else limit),
                                     windowed=windowed)
                 for i, topic_id in enumerate(topic_ids)]
        found: dict[int, list[Any]] = defaultdict(list)
        query = reads[0] if len(reads) == 1 else union_all(*(select(r.subquery())
                                                             for r in reads))
        for row in self._read(query):
            found[row[_EV_BRANCH]].append(row)
        full = self._full_windows(topic_ids, limit) if windowed else set()
        for i, topic_id in enumerate(topic_ids):
            rows = sorted(found[i], key=_EV_NEWEST, reverse=True)
            if i in full and len(rows) < limit:  # the window missed older ones: read them
                rows = list(self._read(self._evidence_read(i, topic_id, holders, terms,
                                                           dated=True, limit=limit)))
            if holders is not None and scan:
                wanted = set(holders)
                kept = [r for r in rows if r[_EV_HOLDER] in wanted]
                rows = kept[:limit] if len(kept) >= limit else list(self._read(
                    self._evidence_read(i, topic_id, holders, terms, dated=True, limit=limit)))
            if len(rows) < limit:
                rows += list(self._read(self._evidence_read(
                    i, topic_id, holders, terms, dated=False, limit=limit - len(rows))))
            found[i] = rows
        refs: dict[int, ArticleRef] = {}
        for i, topic_id in enumerate(topic_ids):
            out[topic_id] = [_held_evidence(r, refs) for r in found[i]]
        return out

    def _full_windows(self, topic_ids: Sequence[str | None], limit: int) -> set[int]:
        """The positions of the topics with at least a window's worth of statements (for the
        others the window read every statement of the topic)."""
        width = EVERYONE_RECENT * limit
        st = StatementTopicRow
        counts = [select(literal(i).label("branch"), func.count().label("n")).select_from(
                      select(st.statement_id).where(st.topic_id == topic_id)
                      .limit(width).subquery())
                  for i, topic_id in enumerate(topic_ids)]
        return {branch for branch, n in self._read(union_all(*counts)) if n >= width}

    @staticmethod
    def _evidence_read(branch: int, topic_id: str | None, holders: Sequence[str] | None,
                       terms: Sequence[str], *, dated: bool, limit: int,
                       windowed: bool = False) -> Select[Any]:
        """One topic's evidence rows, newest first (see _newest_by for the plan); `branch`
        tells the topics apart in a union."""
        st = StatementTopicRow
        on_statement = st.statement_id == StatementRow.id
        if topic_id is not None:
            stance = select(st.stance).where(on_statement, st.topic_id == topic_id)
        else:  # the statement's first topic, as its links are read back in key order
            stance = select(st.stance).where(on_statement).order_by(st.topic_id).limit(1)
        q = (select(StatementRow.id, StatementRow.text, StatementRow.quote,
                    StatementRow.speaker_id, StatementRow.speaker_label, StatementRow.holder_id,
                    StatementRow.kind, StatementRow.certainty, StatementRow.attribution,
                    StatementRow.published, stance.scalar_subquery().label("stance"),
                    literal(branch).label("branch"), *_REF_COLUMNS)
             .join(ArticleRow, ArticleRow.id == StatementRow.article_id))
        if topic_id is not None:
            q = q.where(select(st.statement_id).where(on_statement, st.topic_id == topic_id)
                        .exists())
        if terms:
            q = q.where(_like_any(StatementRow.text, terms))
        if dated and topic_id is not None and (windowed or holders is None):
            # Everyone's evidence on a topic (/brief with no query, every topic), or a few
            # actors' on every topic (/brief <actor>): walking all statements (or the actor's)
            # newest first until `limit` have the topic took seconds for a rare topic at
            # 100,000 articles (bench/). The topic's newest stored statements, along its
            # (topic, statement) index, then by date: the same as long as articles are stored
            # roughly in the order they were published (`evidence` reads the actors' own
            # index where the window holds too few of theirs).
            recent = (select(st.statement_id).where(st.topic_id == topic_id)
                      .order_by(st.statement_id.desc()).limit(EVERYONE_RECENT * limit))
            q = q.where(StatementRow.id.in_(recent),
                        StatementRow.holder_id.is_not(None) if holders is None
                        else StatementRow.holder_id.in_(list(holders)))
            return (q.where(StatementRow.published.is_not(None))
                    .order_by(StatementRow.published.desc(), StatementRow.id.desc()).limit(limit))
        if dated and holders is not None and len(holders) == 1:
            # One holder, read along its (holder, published, id) index: the holder as a range
            # of one and first in the sort key (the same order) leave that walk the only plan
            # without a sort. Asked with "=", Postgres dropped the constant from the sort and
            # walked every statement newest first keeping the holder's: 85,000 rows and
            # 120-380 ms for /stance putin ceasefire at 100,000 articles, 19 ms this way.
            (holder,) = holders
            return (q.where(StatementRow.holder_id >= holder, StatementRow.holder_id <= holder,
                            StatementRow.published.is_not(None))
                    .order_by(StatementRow.holder_id.desc(), StatementRow.published.desc(),
                              StatementRow.id.desc()).limit(limit))
        q = q.where(StatementRow.holder_id.is_not(None) if holders is None
                    else StatementRow.holder_id.in_(list(holders)))
        if dated:
            return (q.where(StatementRow.published.is_not(None))
                    .order_by(StatementRow.published.desc(), StatementRow.id.desc()).limit(limit))
        return (q.where(StatementRow.published.is_(None)).order_by(StatementRow.id.desc())
                .limit(limit))

    def get_many(self, ids: Sequence[int]) -> list[StoredStatement]:
        if not ids:
            return []
        rows = self.s.exec(select(StatementRow).where(StatementRow.id.in_(list(ids))))
        return self._statements([r for (r,) in rows])

    def since(self, when: datetime, *, limit: int) -> list[StoredStatement]:
        rows = self.s.exec(select(StatementRow).where(StatementRow.ingested_at >= when)
                           .order_by(StatementRow.id.desc()).limit(limit))
        return self._statements([r for (r,) in rows])

    def claim_candidates(self, actor_ids: Sequence[str], *, exclude_article: int,
                         excluded_statements: int, limit: int) -> list[ClaimSource]:
        """Earlier statements naming these actors (as holder, speaker or subject), newest
        first, as the contradiction rules read them, for the ingest's cross-check.

        Each actor is read newest first along its (actor, statement id) index and stops after
        `limit` rows, so the cost does not grow with the store; the newest `limit` of their
        union are the newest `limit` overall. (An OR of IN-subqueries read every statement of
        the actors first: bench/.) Actor ids are slugs, without spaces."""
        keys = sorted(set(actor_ids))
        if not keys:
            return []
        # each actor's read takes as many more as the excluded article has (the caller knows
        # how many), so that article's own statements (the newest) never crowd the others out
        params: dict[str, Any] = {f"a{i}": a for i, a in enumerate(keys)}
        dialect = self.s.get_bind().dialect
        rows = self._read_current(_newest_claims_of(len(keys), dialect.name),
                                  {**params, "per_actor": limit + excluded_statements,
                                   "limit": limit, "exclude": exclude_article})
        return _claim_sources(dialect, rows)

    def topics_with_evidence(self, actor_ids: Sequence[str]) -> list[str]:
        q = (select(StatementTopicRow.topic_id, func.count())
             .join(StatementActorRow,
                   StatementActorRow.statement_id == StatementTopicRow.statement_id)
             .where(StatementActorRow.role == "holder")
             .group_by(StatementTopicRow.topic_id)
             .order_by(func.count().desc()))
        if actor_ids:
            q = q.where(StatementActorRow.actor_id.in_(list(actor_ids)))
        return [t for t, _ in self.s.exec(q)]


    def stances_in(self, article_ids: Sequence[int], *, limit: int) -> list[StanceRecord]:
        """Digest (issue 5): the stances held in these articles' newest `limit` statements
        with a holder, as plain tuples."""
        if not article_ids:
            return []
        ids = list(article_ids)
        held = (StatementRow.article_id.in_(ids), StatementRow.holder_id.is_not(None))
        # the newest `limit` statements are those from the limit-th newest on: a range, so
        # the topics are read by one join instead of a list of 25,000 statement ids
        newest = list(self.s.scalars(select(StatementRow.id).where(*held)
                                     .order_by(StatementRow.id.desc()).limit(limit)))
        if not newest:
            return []
        lo, hi = newest[-1], newest[0]
        # a statement's published time is its article's: read once per article, not parsed
        # once per stance (tens of thousands on a busy day)
        published: dict[int, datetime | None] = dict(self.s.execute(
            select(ArticleRow.id, ArticleRow.published).where(ArticleRow.id.in_(ids))).all())
        # Core rows, not ORM ones: the ORM's per-row work was most of this read (bench/); the
        # range on both sides lets Postgres walk the topic table's key instead of hashing it
        rows = self.s.connection().execute(
            select(StatementRow.id, StatementRow.article_id, StatementRow.holder_id,
                   StatementTopicRow.topic_id, StatementTopicRow.stance,
                   StatementRow.attribution)
            .join(StatementTopicRow, StatementTopicRow.statement_id == StatementRow.id)
            .where(*held)
            .where(StatementRow.id >= lo).where(StatementRow.id <= hi)
            .where(StatementTopicRow.statement_id >= lo)
            .where(StatementTopicRow.statement_id <= hi)
            # in key order, as the digest picks the first statements of a change as evidence
            .order_by(StatementTopicRow.statement_id, StatementTopicRow.topic_id)).all()
        return [StanceRecord(sid, aid, holder, topic, stance, attribution, published[aid])
                for sid, aid, holder, topic, stance, attribution in rows]

    def history_of(self, pairs: Sequence[tuple[str, str]], *, since: datetime,
                   until: datetime, per_pair: int) -> list[StanceRecord]:
        """Digest (issue 5): the newest `per_pair` stances of each (holder, topic), as plain
        tuples: a busy day touches dozens of pairs, too many to load as full statements.

        One short read per pair, newest first: with the (holder_id, published) index it walks
        one index range and stops at `per_pair`. Undated statements (news time = ingestion)
        are few and read in one query for all pairs.
        """
        if not pairs:
            return []
        cols = (StatementRow.id, StatementRow.article_id, StatementRow.holder_id,
                StatementTopicRow.topic_id, StatementTopicRow.stance, StatementRow.attribution,
                StatementRow.published, StatementRow.ingested_at)
        dated = (select(*cols)
                 .join(StatementTopicRow,
                       (StatementTopicRow.statement_id == StatementRow.id)
                       & (StatementTopicRow.topic_id == bindparam("topic")))
                 .where(StatementRow.holder_id == bindparam("holder"))
                 .where(StatementRow.published >= since).where(StatementRow.published < until)
                 .order_by(StatementRow.published.desc(), StatementRow.id.desc())
                 .limit(per_pair))
        found: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
        for holder, topic in pairs:
            found[(holder, topic)] = list(self.s.execute(dated, {"holder": holder,
                                                                 "topic": topic}))
        # undated: statements first (by the published index), then their topics (by key)
        undated = {sid: (aid, holder, attribution, ingested) for sid, aid, holder, attribution,
                   ingested in self.s.execute(
                       select(StatementRow.id, StatementRow.article_id, StatementRow.holder_id,
                              StatementRow.attribution, StatementRow.ingested_at)
                       .where(StatementRow.published.is_(None))
                       .where(StatementRow.holder_id.in_(sorted({h for h, _ in pairs})))
                       .where(StatementRow.ingested_at >= since)
                       .where(StatementRow.ingested_at < until))}
        if undated:
            for sid, topic, stance in self.s.execute(
                    select(StatementTopicRow.statement_id, StatementTopicRow.topic_id,
                           StatementTopicRow.stance)
                    .where(StatementTopicRow.statement_id.in_(list(undated)))):
                aid, holder, attribution, ingested = undated[sid]
                if (holder, topic) in found:
                    found[(holder, topic)].append(
                        (sid, aid, holder, topic, stance, attribution, None, ingested))
        out = []
        for rows in found.values():
            rows.sort(key=lambda r: (r[6] or r[7], r[0]), reverse=True)
            for sid, aid, holder, topic, stance, attribution, published, _ in rows[:per_pair]:
                out.append(StanceRecord(sid, aid, holder, topic, stance, attribution, published))
        out.sort(key=lambda r: r.statement_id, reverse=True)
        return out

# --- questions, events, contradictions ----------------------------------------------------------


# Above this many actors, an actor's-statements read walks all statements newest first and keeps
# the actors' (reading up to MANY_ACTORS_SCAN times the limit) instead of reading each actor's.
MANY_ACTORS = 20
MANY_ACTORS_SCAN = 4
# Everyone's evidence on a topic is chosen by date among this many times the limit of the
# topic's newest stored statements (SqlStatementRepo._evidence_read).
EVERYONE_RECENT = 4
# Raises loaded per candidate question at ingestion: the first stored, which date the question
# (briefing.questions reads the earliest day among them).
CANDIDATE_RAISES = 5
# Raises listed per question in answers (/questions, /brief, /stance): a screen shows the first
# and a count; the first stored ones are kept.
LISTED_RAISES = 20


# Questions whose first raises are read in one statement (SQLite allows 500 UNION terms).
RAISE_READS_PER_QUERY = 100

# The columns a question's citations are read as (its raises' and answers' text and article),
# typed as the tables' columns (datetimes come back in UTC).
_CITED_COLUMNS = {"kind": Integer, "question_id": Integer, "ord": Integer, "text": Text,
                  **{name: ArticleRow.__table__.c[column].type for name, column in (
                      ("article_id", "id"), ("url", "url"), ("path", "path"),
                      ("outlet", "outlet"), ("title", "title"),
                      ("article_published", "published"),
                      ("published_inferred", "published_inferred"))}}
_CITED_ARTICLE = ("a.id AS article_id, a.url, a.path, a.outlet, a.title, "
                  "a.published AS article_published, a.published_inferred")


@lru_cache(maxsize=128)
def _citations_of(questions: int) -> Any:
    """The citations of `questions` questions (:q0, :q1, ...) with their articles' refs, in one
    statement: the first :per_question raises of each (kind 0, in raise order; each read
    stops at its limit along the (question_id, id) index) and every answering statement
    (kind 1, by statement id). Written as SQL once per number of questions."""
    raises = " UNION ALL ".join(
        f"SELECT * FROM (SELECT question_id, id, article_id, text FROM question_raise "
        f"WHERE question_id = :q{i} ORDER BY id LIMIT :per_question) AS r{i}"
        for i in range(questions))
    ids = ", ".join(f":q{i}" for i in range(questions))
    return text(
        f"SELECT 0 AS kind, r.question_id, r.id AS ord, r.text, {_CITED_ARTICLE} "
        f"FROM ({raises}) AS r JOIN article AS a ON a.id = r.article_id "
        f"UNION ALL "
        f"SELECT 1 AS kind, qa.question_id, qa.statement_id AS ord, s.text, {_CITED_ARTICLE} "
        f"FROM question_answer AS qa JOIN statement AS s ON s.id = qa.statement_id "
        f"JOIN article AS a ON a.id = s.article_id WHERE qa.question_id IN ({ids})"
    ).columns(**_CITED_COLUMNS)


def _tags(actors: Iterable[str], topics: Iterable[str]) -> set[str]:
    return {f"actor:{a}" for a in actors} | {f"topic:{t}" for t in topics}


def _aware(when: Any) -> Any:
    """SQLite hands datetimes back naive (stored as UTC); Postgres hands them back aware."""
    return when.replace(tzinfo=UTC) if when is not None and when.tzinfo is None else when


def _question(r: QuestionRow) -> StoredQuestion:
    """A question row without its raises or answers."""
    assert r.id is not None
    return StoredQuestion(id=r.id, question=r.question, key=r.key,
                          status=QuestionStatus(r.status), actors=tuple(r.actors or ()),
                          topics=tuple(r.topics or ()), first_seen=r.first_seen,
                          last_seen=r.last_seen)


@_RowMemo
def _candidate_questions(dialect: Any, row: Sequence[Any]) -> StoredQuestion:
    """A question row read raw (JSON as text, datetimes as the driver gives them) as
    SqlQuestionRepo.candidates returns it."""
    qid, question, key, status, qa, qt, first, last = row
    seen = _processor(QuestionRow.__table__.c.first_seen, dialect)
    return StoredQuestion.model_construct(
        id=qid, question=question, key=key, status=QuestionStatus(status),
        actors=tuple((json.loads(qa) if qa is not None else None) or ()),
        topics=tuple((json.loads(qt) if qt is not None else None) or ()), raised_in=(),
        answered_by=(), first_seen=seen(first), last_seen=seen(last))


class SqlQuestionRepo(_Repo):
    def candidates(self, *, topics: Sequence[str], actors: Sequence[str],
                   limit: int) -> builtins.list[StoredQuestion]:
        """The questions on these topics or actors raised most recently, for merging and
        settling at ingest: the question rows alone, without raises or answers.

        Merging reads a question's key, actors and words; settling reads its status and when it
        was first raised (`first_seen`). Loading raises cost one query per question, 100 per
        ingest (bench/)."""
        tags = _tags(actors, topics)
        q = (select(QuestionRow.id, QuestionRow.question, QuestionRow.key, QuestionRow.status,
                    cast(QuestionRow.actors, Text), cast(QuestionRow.topics, Text),
                    _raw(QuestionRow.first_seen), _raw(QuestionRow.last_seen))
             .order_by(QuestionRow.last_seen.desc(), QuestionRow.id.desc()).limit(limit))
        if tags:
            # checked per question while the last_seen index is read newest first: an
            # IN-subquery collects every question of a busy topic and sorts them all
            q = q.where(select(QuestionTagRow.question_id)
                        .where(QuestionTagRow.question_id == QuestionRow.id)
                        .where(QuestionTagRow.tag.in_(sorted(tags))).exists())
        return _candidate_questions(self.s.get_bind().dialect, self._read_current(q))

    def add(self, question: str, key: str, *, actors: Sequence[str], topics: Sequence[str],
            raised_by_statement: int | None, raised_in_article: int, sentence_text: str,
            now: datetime) -> int:
        # on the tables (Core): ORM objects and their flush cost more than the SQL (bench/)
        (qid,) = _insert_returning_ids(self.s, QuestionRow, [
            {"question": question, "key": key[:500], "status": QuestionStatus.OPEN.value,
             "actors": list(actors), "topics": list(topics), "first_seen": now,
             "last_seen": now}])
        _insert_many(self.s, QuestionTagRow, [{"question_id": qid, "tag": t}
                                              for t in sorted(_tags(actors, topics))])
        _insert_many(self.s, QuestionRaiseRow, [
            {"question_id": qid, "article_id": raised_in_article,
             "statement_id": raised_by_statement, "text": sentence_text, "seen_at": now}])
        return qid

    def add_raise(self, question_id: int, *, article_id: int, sentence_text: str,
                  now: datetime) -> None:
        self.add_raises([(question_id, sentence_text)], article_id=article_id, now=now)

    def add_raises(self, raises: Sequence[tuple[int, str]], *, article_id: int,
                   now: datetime) -> None:
        """(question id, sentence) raises in one article, in two statements."""
        if not raises:
            return
        _insert_many(self.s, QuestionRaiseRow, [
            {"question_id": qid, "article_id": article_id, "text": said, "seen_at": now}
            for qid, said in raises])
        # an older article ingested late never moves last_seen back, nor first_seen forward
        q = QuestionRow.__table__.c
        self.s.execute(
            update(QuestionRow.__table__)
            .where(_id_in(self.s, q.id, sorted({qid for qid, _ in raises})))
            .where(or_(q.last_seen < now, q.first_seen > now))
            .values(last_seen=case((q.last_seen < now, now), else_=q.last_seen),
                    first_seen=case((q.first_seen > now, now), else_=q.first_seen)))

    def settle(self, question_id: int, *, status: QuestionStatus, statement_id: int,
               now: datetime) -> None:
        _insert_ignore(self.s, QuestionAnswerRow, [
            {"question_id": question_id, "statement_id": statement_id, "status": status.value,
             "at": now}])
        # an answer is never downgraded to a partial answer by a later partial one
        q = QuestionRow.__table__.c
        self.s.execute(update(QuestionRow.__table__).where(q.id == question_id)
                       .where(q.status != QuestionStatus.ANSWERED.value)
                       .values(status=status.value, settled_at=now))

    def list(self, *, topic_id: str | None, terms: Sequence[str] = (),
             statuses: Sequence[QuestionStatus], limit: int,
             seen_since: datetime | None = None) -> builtins.list[StoredQuestion]:
        """The questions alone, without raises or answers (`cite` adds them to those kept):
        /brief shows 5 of the 50 it reads, /stance 5 of 20, and reading every question's
        citations was most of their reads (bench/). The staleness cut is made here, before
        the limit: cut after it, a store's oldest questions filled the limit and went stale,
        and the answer was empty while newer questions were open."""
        qt = QuestionRow.__table__.c
        settled_only = set(statuses) <= {QuestionStatus.ANSWERED, QuestionStatus.PARTLY_ANSWERED}
        newest = (qt.settled_at.desc(), qt.id.desc()) if settled_only else \
            (qt.last_seen.desc(), qt.id.desc())
        q = (select(qt.id, qt.question, qt.key, qt.status, qt.actors, qt.topics, qt.first_seen,
                    qt.last_seen)
             .where(qt.status.in_([s.value for s in statuses]))
             .order_by(*newest)
             .limit(limit))
        if seen_since is not None:
            q = q.where(or_(qt.status == QuestionStatus.ANSWERED.value,
                            qt.last_seen >= seen_since))
        if topic_id:
            q = q.where(qt.id.in_(select(QuestionTagRow.question_id)
                                  .where(QuestionTagRow.tag == f"topic:{topic_id}")))
        if terms:
            raised = select(QuestionRaiseRow.question_id).where(
                _like_any(QuestionRaiseRow.text, terms))
            q = q.where(or_(_like_any(qt.question, terms), qt.id.in_(raised)))
        return [StoredQuestion(id=qid, question=question, key=key, status=status,
                               actors=tuple(qa or ()), topics=tuple(qtopics or ()),
                               first_seen=first, last_seen=last)
                for qid, question, key, status, qa, qtopics, first, last in self._read(q)]

    def cite(self, questions: Sequence[StoredQuestion]) -> builtins.list[StoredQuestion]:
        """These questions with their first LISTED_RAISES stored raises (a question a story
        keeps raising gathers thousands: loading them all took seconds per command at 100,000
        articles, bench/) and every statement answering them, each with its article: one
        statement per RAISE_READS_PER_QUERY questions."""
        raised: dict[int, list[Cited]] = defaultdict(list)
        answered: dict[int, list[Cited]] = defaultdict(list)
        refs: dict[int, ArticleRef] = {}
        ids = [q.id for q in questions]
        for start in range(0, len(ids), RAISE_READS_PER_QUERY):
            chunk = ids[start:start + RAISE_READS_PER_QUERY]
            params: dict[str, Any] = {f"q{i}": qid for i, qid in enumerate(chunk)}
            rows = sorted(self._read(_citations_of(len(chunk)),
                                         {**params, "per_question": LISTED_RAISES}),
                          key=lambda r: (r.kind, r.question_id, r.ord))
            for r in rows:
                (answered if r.kind else raised)[r.question_id].append(
                    Cited(text=r.text, article=_ref_of(r, refs)))
        return [q.model_copy(update={"raised_in": tuple(raised[q.id]),
                                     "answered_by": tuple(answered[q.id])})
                for q in questions]

    def changed_since(self, when: datetime, *, limit: int) -> builtins.list[StoredQuestion]:
        q = (select(QuestionRow)
             .where(or_(QuestionRow.first_seen >= when, QuestionRow.settled_at >= when))
             .order_by(QuestionRow.id.asc()).limit(limit))
        return self._load([r for (r,) in self.s.exec(q)])

    def touched_by(self, article_ids: Sequence[int], *, until: datetime,
                   limit: int) -> builtins.list[TouchedQuestion]:
        """Digest (issue 5): questions raised in or settled by statements of these articles,
        without raises or answers: a question a story keeps raising gathers thousands, and
        loading every one took most of a digest at 100,000 articles (bench/)."""
        if not article_ids:
            return []
        ids = list(article_ids)
        raised_now = set(self.s.scalars(
            select(QuestionRaiseRow.question_id).where(QuestionRaiseRow.article_id.in_(ids))
            .distinct()))
        # the articles' statements as a range of ids too: without it Postgres merged the
        # answers with every statement of the store along its key (2.5 s at 100,000). Their
        # ids are read by article (`id + 0`: for min(id) alone Postgres walked the key too).
        lo, hi = self.s.execute(select(func.min(StatementRow.id + 0),
                                       func.max(StatementRow.id + 0))
                                .where(StatementRow.article_id.in_(ids))).one()
        settled_now = set() if lo is None else set(self.s.scalars(
            select(QuestionAnswerRow.question_id)
            .join(StatementRow, StatementRow.id == QuestionAnswerRow.statement_id)
            .where(StatementRow.article_id.in_(ids))
            .where(StatementRow.id >= lo).where(StatementRow.id <= hi)
            .where(QuestionAnswerRow.statement_id >= lo)
            .where(QuestionAnswerRow.statement_id <= hi).distinct()))
        wanted = sorted(raised_now | settled_now)[:limit]
        if not wanted:
            return []
        # raised before: one raise in another article known at `until` is enough, and a
        # question's raises are read oldest first along (question_id, id), so it is found
        # early. A subquery with a limit, not EXISTS: Postgres turns EXISTS into a join that
        # hashes every raise of the store.
        older = (select(QuestionRaiseRow.id)
                 .join(ArticleRow, ArticleRow.id == QuestionRaiseRow.article_id)
                 .where(QuestionRaiseRow.question_id == QuestionRow.id)
                 .where(QuestionRaiseRow.article_id.not_in(ids))
                 .where(or_(ArticleRow.published.is_(None), ArticleRow.published < until))
                 .order_by(QuestionRaiseRow.id).limit(1).scalar_subquery())
        before = set(self.s.scalars(
            select(QuestionRow.id)
            .where(QuestionRow.id.in_(sorted(raised_now.intersection(wanted))))
            .where(older.is_not(None))))
        rows = [r for (r,) in self.s.exec(
            select(QuestionRow).where(QuestionRow.id.in_(wanted)).order_by(QuestionRow.id))]
        return [TouchedQuestion(_question(r), r.id in raised_now, r.id in before) for r in rows]

    def raises_of(self, question_ids: Sequence[int], *, until: datetime,
                  new_articles: Sequence[int], per_question: int,
                  ) -> dict[int, tuple[Cited, ...]]:
        """Digest (issue 5): the first raises of each question known at `until`; see the port.

        One short read per question along (question_id, id), a page at a time: an article
        dated after `until` (ingested before it, not a new one) is passed over."""
        new = set(new_articles)
        page = (select(QuestionRaiseRow.id, QuestionRaiseRow.article_id, QuestionRaiseRow.text,
                       ArticleRow.published)
                .join(ArticleRow, ArticleRow.id == QuestionRaiseRow.article_id)
                .where(QuestionRaiseRow.question_id == bindparam("qid"))
                .where(QuestionRaiseRow.id > bindparam("after"))
                # a superset of "known": every new article was ingested before `until`
                .where(or_(ArticleRow.published.is_(None), ArticleRow.published < until,
                           ArticleRow.ingested_at < until))
                .order_by(QuestionRaiseRow.id).limit(per_question))
        found: dict[int, list[tuple[int, str]]] = {}
        for qid in question_ids:
            kept: list[tuple[int, str]] = []
            after = 0
            while len(kept) < per_question:
                rows = list(self.s.execute(page, {"qid": qid, "after": after}))
                kept += [(aid, said) for _, aid, said, published in rows
                         if aid in new or published is None or _aware(published) < until]
                if len(rows) < per_question:
                    break
                after = rows[-1][0]
            found[qid] = kept[:per_question]
        arts = self._articles(aid for v in found.values() for aid, _ in v)
        return {qid: tuple(Cited(text=said, article=arts[aid]) for aid, said in v)
                for qid, v in found.items()}

    def answer_links(self, question_ids: Sequence[int]) -> builtins.list[AnswerLinkRecord]:
        """Digest (issue 5): every statement that settles one of these questions, lean."""
        if not question_ids:
            return []
        return [AnswerLinkRecord(qid, sid, status, aid, _aware(published))
                for qid, sid, status, aid, published in self.s.execute(
                    select(QuestionAnswerRow.question_id, QuestionAnswerRow.statement_id,
                           QuestionAnswerRow.status, StatementRow.article_id,
                           StatementRow.published)
                    .join(StatementRow, StatementRow.id == QuestionAnswerRow.statement_id)
                    .where(QuestionAnswerRow.question_id.in_(list(question_ids)))
                    .order_by(QuestionAnswerRow.question_id, QuestionAnswerRow.statement_id))]

    def unresolved(self, until: datetime, *, fresh_after: datetime,
                   limit: int) -> builtins.list[tuple[StoredQuestion, datetime]]:
        """Digest (issue 5): open questions as of `until`, oldest first; see the port.

        Per question, its first raise and whether it was raised lately are two short walks of
        the (question_id, seen_at) index (migration 0004), each stopping at its first raise
        from an article dated before `until`: grouping every raise with its article read the
        whole raise table, seconds at 100,000 articles (bench/). A raise's seen time is its
        article's news time, except for an article dated after its own ingestion (seen then)."""
        def seen(order: Any) -> Any:
            # a subquery with a limit, never pulled up into a join over all raises; the
            # article is checked per raise walked, as the digest lists only raises from
            # articles dated before it (raises_of)
            return (select(QuestionRaiseRow.seen_at)
                    .join(ArticleRow, ArticleRow.id == QuestionRaiseRow.article_id)
                    .where(QuestionRaiseRow.question_id == QuestionRow.id)
                    .where(QuestionRaiseRow.seen_at < until)
                    .where(or_(ArticleRow.published.is_(None), ArticleRow.published < until))
                    .order_by(order).limit(1).scalar_subquery())
        first = seen(QuestionRaiseRow.seen_at.asc()).label("first")
        answered = (select(QuestionAnswerRow.question_id)
                    .join(StatementRow, StatementRow.id == QuestionAnswerRow.statement_id)
                    .where(QuestionAnswerRow.question_id == QuestionRow.id)
                    .where(QuestionAnswerRow.status == QuestionStatus.ANSWERED.value)
                    .where(_news_time(StatementRow.published, StatementRow.ingested_at) < until))
        fresh = (select(QuestionRow.id, first)
                 .where(seen(QuestionRaiseRow.seen_at.desc()) >= fresh_after)
                 .where(~answered.exists())).subquery()
        found = list(self.s.execute(
            select(fresh.c.id, fresh.c.first).where(fresh.c.first.is_not(None))
            .order_by(fresh.c.first, fresh.c.id).limit(limit)))
        rows = {r.id: r for (r,) in self.s.exec(
            select(QuestionRow).where(QuestionRow.id.in_([qid for qid, _ in found])))}
        return [(_question(rows[qid]), _aware(first)) for qid, first in found]

    def _load(self, rows: Sequence[QuestionRow], *,
              with_answers: bool = True) -> builtins.list[StoredQuestion]:
        """StoredQuestions with every raise."""
        ids = [r.id for r in rows]
        if not ids:
            return []
        raises: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for qid, aid, said in self.s.execute(
                select(QuestionRaiseRow.question_id, QuestionRaiseRow.article_id,
                       QuestionRaiseRow.text)
                .where(QuestionRaiseRow.question_id.in_(ids)).order_by(QuestionRaiseRow.id)):
            raises[qid].append((aid, said))
        answers: dict[int, list[int]] = defaultdict(list)
        for qid, sid in self.s.exec(
                select(QuestionAnswerRow.question_id, QuestionAnswerRow.statement_id)
                .where(QuestionAnswerRow.question_id.in_(ids))) if with_answers else ():
            answers[qid].append(sid)
        stmts = {s.id: s for s in SqlStatementRepo(self.s).get_many(
            [sid for v in answers.values() for sid in v])}
        arts = self._articles(aid for v in raises.values() for aid, _ in v)
        out = []
        for r in rows:
            assert r.id is not None
            out.append(StoredQuestion(
                id=r.id, question=r.question, key=r.key, status=QuestionStatus(r.status),
                actors=tuple(r.actors or ()), topics=tuple(r.topics or ()),
                raised_in=tuple(Cited(text=t, article=arts[a]) for a, t in raises[r.id]),
                answered_by=tuple(Cited(text=stmts[s].statement.text, article=stmts[s].article)
                                  for s in answers[r.id] if s in stmts),
                first_seen=r.first_seen, last_seen=r.last_seen))
        return out


def _newest_events(columns: Sequence[Any], *, topic_id: str | None, actor_ids: Sequence[str],
                   terms: Sequence[str], limit: int) -> Select[Any]:
    """The newest `limit` events of a topic, of actors or with words, newest first: the columns
    a timeline shows, with their article's ref in the same read (three queries with ORM rows
    cost more than the search, bench/), and `columns`."""
    q = (select(EventRow.id, EventRow.day, EventRow.date_inferred, EventRow.summary,
                EventRow.actors, *columns, *_REF_COLUMNS)
         .join(ArticleRow, ArticleRow.id == EventRow.article_id))
    # tags checked per event (EXISTS on the tag table's key) while the day index is read
    # newest first: an IN-subquery collected every event of the topic and sorted them all,
    # seconds at 100,000 articles (bench/)
    if topic_id:
        q = q.where(select(EventTagRow.event_id)
                    .where(EventTagRow.event_id == EventRow.id)
                    .where(EventTagRow.tag == f"topic:{topic_id}").exists())
    if actor_ids:
        q = q.where(select(EventTagRow.event_id)
                    .where(EventTagRow.event_id == EventRow.id)
                    .where(EventTagRow.tag.in_([f"actor:{a}" for a in actor_ids]))
                    .exists())
    if terms:
        q = q.where(_like_any(EventRow.summary, terms))
    return q.order_by(EventRow.day.desc(), EventRow.id.desc()).limit(limit)


class SqlEventRepo(_Repo):
    def add_all(self, article: ArticleRef, events: Sequence[Event], *, now: datetime) -> None:
        self.s.flush()
        ids = _insert_with_new_ids(self.s, EventRow, [
            {"article_id": article.id, "sentence_idx": ev.sentence, "day": ev.date,
             "date_inferred": ev.date_inferred, "summary": ev.summary,
             "actors": list(ev.actors), "topics": list(ev.topics), "ingested_at": now}
            for ev in events])
        _insert_many(self.s, EventTagRow, [
            {"event_id": eid, "tag": t}
            for eid, ev in zip(ids, events, strict=True) for t in _tags(ev.actors, ev.topics)])

    def _load(self, q: Select[Any]) -> list[StoredEvent]:
        rows = [r for (r,) in self.s.exec(q)]
        arts = self._articles(r.article_id for r in rows)
        story: dict[int, int | None] = {}
        if arts:
            story = {i: st for i, st in self.s.exec(
                select(ArticleRow.id, ArticleRow.story_id)
                .where(ArticleRow.id.in_(list(arts))))}
        return [StoredEvent(id=r.id, article=arts[r.article_id], story_id=story.get(r.article_id),
                            event=Event(sentence=r.sentence_idx, date=r.day,
                                        date_inferred=r.date_inferred, summary=r.summary,
                                        actors=tuple(r.actors or ()),
                                        topics=tuple(r.topics or ())))
                for r in rows]

    def timeline(self, *, topic_id: str | None, actor_ids: Sequence[str] = (),
                 terms: Sequence[str] = (), limit: int) -> list[StoredEvent]:
        refs: dict[int, ArticleRef] = {}
        rows = self.s.execute(_newest_events(
            (EventRow.sentence_idx, EventRow.topics, ArticleRow.story_id),
            topic_id=topic_id, actor_ids=actor_ids, terms=terms, limit=limit))
        return [StoredEvent(id=r.id, article=_ref_of(r, refs), story_id=r.story_id,
                            event=Event(sentence=r.sentence_idx, date=r.day,
                                        date_inferred=r.date_inferred, summary=r.summary,
                                        actors=tuple(r.actors or ()),
                                        topics=tuple(r.topics or ())))
                for r in reversed(list(rows))]

    def developments(self, *, topic_id: str | None, actor_ids: Sequence[str] = (),
                     terms: Sequence[str] = (), limit: int) -> list[EventRecord]:
        """The timeline's events as what /timeline and /brief show (plain tuples: a model per
        event and its article cost more than the search, bench/)."""
        refs: dict[int, ArticleRef] = {}
        out = []
        for row in self._read(_newest_events((), topic_id=topic_id, actor_ids=actor_ids,
                                                 terms=terms, limit=limit)):
            eid, day, inferred, summary, actors = row[:5]  # by position: see _ref_of
            out.append(EventRecord(eid, day, inferred, summary, tuple(actors or ()),
                                   _ref_of(row, refs)))
        out.reverse()
        return out

    def near(self, day: date, *, days: int, actor_ids: Sequence[str],
             limit: int) -> list[DevelopmentRecord]:
        """Events dated within `days` of `day` that name one of these actors (any event when
        none are given): the newest `limit`, returned oldest first, with their article's story
        and without its ref (refs and validated models cost more than the read, bench/)."""
        ev, tag = EventRow.__table__.c, EventTagRow.__table__.c
        q = (select(ev.id, ev.article_id, ArticleRow.story_id, ev.day, ev.date_inferred,
                    ev.summary, ev.actors)
             .join(ArticleRow, ArticleRow.id == ev.article_id)
             .where(ev.day >= day - timedelta(days=days))
             .where(ev.day <= day + timedelta(days=days)))
        if actor_ids:
            q = q.where(select(tag.event_id).where(tag.event_id == ev.id)
                        .where(tag.tag.in_([f"actor:{a}" for a in actor_ids])).exists())
        rows = self._read_current(q.order_by(ev.day.desc(), ev.id.desc()).limit(limit)).all()
        return [DevelopmentRecord(eid, aid, story, DevelopmentFacts(
                    when, inferred, summary, tuple(actors or ())))
                for eid, aid, story, when, inferred, summary, actors in reversed(rows)]

    def since(self, when: datetime, *, limit: int) -> list[StoredEvent]:
        q = (select(EventRow).where(EventRow.ingested_at >= when)
             .order_by(EventRow.day.asc(), EventRow.id.asc()).limit(limit))
        return self._load(q)


    def for_articles(self, article_ids: Sequence[int], *, limit: int) -> list[StoredEvent]:
        """Digest (issue 5): the events of these articles, oldest first."""
        if not article_ids:
            return []
        q = (select(EventRow).where(EventRow.article_id.in_(list(article_ids)))
             .order_by(EventRow.day.asc(), EventRow.id.asc()).limit(limit))
        return self._load(q)

class SqlContradictionRepo(_Repo):
    def add(self, *, first: int, second: int, matter: str, now: datetime) -> None:
        a, b = sorted((first, second))
        _insert_ignore(self.s, ContradictionRow, [
            {"first_statement_id": a, "second_statement_id": b, "matter": matter,
             "found_at": now}])

    def list(self, *, topic_id: str | None = None, since: datetime | None = None,
             actor_ids: Sequence[str] = (), terms: Sequence[str] = (),
             limit: int) -> builtins.list[StoredContradiction]:
        c = ContradictionRow.__table__.c
        sides = [c.first_statement_id, c.second_statement_id]
        q = (select(c.id, c.first_statement_id, c.second_statement_id, c.matter, c.found_at)
             .order_by(c.found_at.desc()).limit(limit))
        if since is not None:
            q = q.where(c.found_at >= since)
        if actor_ids:  # either side speaks, holds a position or is about one of them
            q = q.where(select(StatementActorRow.statement_id)
                        .where(StatementActorRow.statement_id.in_(sides))
                        .where(StatementActorRow.actor_id.in_(sorted(set(actor_ids))))
                        .exists())
        if terms:  # the matter or either side's sentence holds one of the words
            q = q.where(or_(_like_any(c.matter, terms),
                            select(StatementRow.id).where(StatementRow.id.in_(sides))
                            .where(_like_any(StatementRow.text, terms)).exists()))
        if topic_id:
            # per contradiction, key lookups on the topic table for either side, in one EXISTS:
            # an IN-subquery read every statement of the topic first, and so did an OR of two
            # EXISTS, which Postgres ran as two hashed subplans (bench/)
            q = q.where(select(StatementTopicRow.statement_id)
                        .where(StatementTopicRow.statement_id.in_(
                            [c.first_statement_id, c.second_statement_id]))
                        .where(StatementTopicRow.topic_id == topic_id).exists())
        return self._with_sides(builtins.list(self._read(q)))

    def _with_sides(self, rows: Sequence[Any]) -> builtins.list[StoredContradiction]:
        """Contradiction rows (id, first and second statement ids, matter, found_at) with both
        statements read back."""
        stmts = self._sides(
            [i for r in rows for i in (r.first_statement_id, r.second_statement_id)])
        return [StoredContradiction(id=r.id, matter=r.matter, first=stmts[r.first_statement_id],
                                    second=stmts[r.second_statement_id], found=r.found_at)
                for r in rows
                if r.first_statement_id in stmts and r.second_statement_id in stmts]

    def _sides(self, ids: Sequence[int]) -> dict[int, StoredStatement]:
        """These statements with their articles, subjects and topics, in one statement: the
        three reads in one UNION ALL, each row tagged with the part it is (0: the statement and
        its article's ref, last; 1: a subject; 2: a topic with its stance). The four queries
        of a statement read were most of reading the three contradictions a brief shows."""
        if not ids:
            return {}
        st, sa, stp = (StatementRow.__table__.c, StatementActorRow.__table__.c,
                       StatementTopicRow.__table__.c)
        wanted = sorted(set(ids))
        statements = (select(literal(0).label("part"), st.id, st.text, st.quote, st.speaker_id,
                             st.speaker_label, st.holder_id, st.kind, st.certainty,
                             st.attribution, st.sentence_idx, *_REF_COLUMNS)
                      .join(ArticleRow, ArticleRow.id == st.article_id)
                      .where(st.id.in_(wanted)))
        width = len(statements.selected_columns)
        about = (select(literal(1), sa.statement_id, sa.actor_id, *[null()] * (width - 3))
                 .where(sa.statement_id.in_(wanted), sa.role == "about"))
        topics = (select(literal(2), stp.statement_id, stp.topic_id, stp.stance,
                         *[null()] * (width - 4))
                  .where(stp.statement_id.in_(wanted)))
        found: dict[int, Any] = {}
        subjects: dict[int, list[str]] = defaultdict(list)
        stances: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for row in self._read(union_all(statements, about, topics)):
            part, sid = row[0], row[1]
            if part == 0:
                found[sid] = row
            elif part == 1:
                subjects[sid].append(row[2])
            else:
                stances[sid].append((row[2], row[3]))
        refs: dict[int, ArticleRef] = {}
        out = {}
        for sid, row in found.items():
            said, quote, speaker, label, holder, kind, certainty, attribution, sentence = row[2:11]
            # topics in the order of their key, as a read of the topic table gives them
            statement = Statement(
                sentence=sentence, text=said, quote=quote, speaker=speaker, speaker_label=label,
                holder=holder, about=tuple(sorted(subjects[sid])),
                topics=tuple(TopicStance(topic=topic, stance=stance)
                             for topic, stance in sorted(stances[sid])),
                kind=kind, certainty=certainty, attribution=attribution)
            out[sid] = StoredStatement(id=sid, statement=statement, article=_ref_of(row, refs))
        return out

    def involving(self, article_ids: Sequence[int], *,
                  limit: int) -> builtins.list[StoredContradiction]:
        """Digest (issue 5): contradictions with either side in one of these articles."""
        if not article_ids:
            return []
        in_articles = select(StatementRow.id).where(
            StatementRow.article_id.in_(list(article_ids)))
        c = ContradictionRow.__table__.c
        q = (select(c.id, c.first_statement_id, c.second_statement_id, c.matter, c.found_at)
             .where(or_(c.first_statement_id.in_(in_articles),
                        c.second_statement_id.in_(in_articles)))
             .order_by(c.id.desc()).limit(limit))
        return self._with_sides(builtins.list(self.s.execute(q)))

# --- sources, channels, digests, audit ----------------------------------------------------------


def _source(row: SourceRow, articles: int = 0) -> SourceInfo:
    return SourceInfo.model_validate({**row.model_dump(), "articles": articles})


class SqlSourceRepo(_Repo):
    def _count(self, source_id: int) -> int:
        return int(self.s.exec(select(func.count()).select_from(ArticleRow)
                               .where(ArticleRow.source_id == source_id)).one()[0])

    def add(self, url: str, *, name: str | None, kind: str, feed_url: str | None,
            added_by: str | None, now: datetime) -> SourceInfo:
        row = SourceRow(url=url, name=name, kind=kind, feed_url=feed_url, added_by=added_by,
                        created=now, next_poll=now)
        self.s.add(row)
        self.s.flush()
        return _source(row)

    def get(self, source_id: int) -> SourceInfo | None:
        row = self.s.get(SourceRow, source_id)
        return _source(row, self._count(source_id)) if row else None

    def by_url(self, url: str) -> SourceInfo | None:
        row = self.s.exec(select(SourceRow).where(
            or_(SourceRow.url == url, SourceRow.feed_url == url))).first()
        return _source(row[0]) if row else None

    def list(self) -> builtins.list[SourceInfo]:
        counts = {sid: n for sid, n in self.s.exec(
            select(ArticleRow.source_id, func.count()).group_by(ArticleRow.source_id))}
        return [_source(r, counts.get(r.id, 0))
                for (r,) in self.s.exec(select(SourceRow).order_by(SourceRow.id))]

    def update(self, source_id: int, change: SourceUpdate) -> SourceInfo:
        row = self.s.get(SourceRow, source_id)
        if row is None:
            raise KeyError(source_id)
        for key, value in change.model_dump(exclude={"clear_error"}, exclude_none=True).items():
            setattr(row, key, value)
        if change.clear_error:
            row.last_error = None
        self.s.add(row)
        self.s.flush()
        return _source(row, self._count(source_id))

    def remove(self, source_id: int) -> None:
        self.s.execute(delete(SourceRow).where(SourceRow.id == source_id))

    def due(self, now: datetime) -> builtins.list[SourceInfo]:
        q = (select(SourceRow).where(SourceRow.paused == False)  # noqa: E712
             .where(or_(SourceRow.next_poll == None, SourceRow.next_poll <= now))  # noqa: E711
             .where(SourceRow.kind != "file").order_by(SourceRow.next_poll))
        return [_source(r) for (r,) in self.s.exec(q)]


class SqlSubscriptionRepo(_Repo):
    def _model(self, row: SubscriptionRow) -> Subscription:
        return Subscription(channel=row.channel, time=row.time, timezone=row.timezone,
                            active=row.active, subscribed_by=row.subscribed_by,
                            created=row.created)

    def upsert(self, sub: Subscription) -> Subscription:
        now = sub.created or datetime.now().astimezone()
        row = self.s.get(SubscriptionRow, sub.channel)
        if row is None:
            row = SubscriptionRow(channel=sub.channel, created=now, updated=now)
        row.time, row.timezone, row.active = sub.time, sub.timezone, sub.active
        row.subscribed_by, row.updated = sub.subscribed_by, now
        self.s.add(row)
        self.s.flush()
        return self._model(row)

    def get(self, channel: str) -> Subscription | None:
        row = self.s.get(SubscriptionRow, channel)
        return self._model(row) if row else None

    def deactivate(self, channel: str) -> bool:
        row = self.s.get(SubscriptionRow, channel)
        if row is None or not row.active:
            return False
        row.active = False
        self.s.add(row)
        return True

    def active(self) -> list[Subscription]:
        rows = self.s.exec(select(SubscriptionRow).where(SubscriptionRow.active == True)  # noqa: E712
                           .order_by(SubscriptionRow.channel))
        return [self._model(r) for (r,) in rows]


class SqlDigestRepo(_Repo):
    def claim(self, channel: str, day: date, *, now: datetime, owner: str) -> bool:
        """Insert the (channel, day) record; the unique constraint lets exactly one caller win.

        A record left 'failed' may be claimed again (a retry), never one that is posted.
        """
        try:
            with self.s.begin_nested():
                self.s.add(PostedDigestRow(channel=channel, day=day, status="claimed",
                                           owner=owner, claimed_at=now, attempts=1))
            return True
        except IntegrityError:
            pass
        result = self.s.execute(
            update(PostedDigestRow)
            .where(PostedDigestRow.channel == channel)
            .where(PostedDigestRow.day == day)
            .where(PostedDigestRow.status == "failed")
            .values(status="claimed", owner=owner, claimed_at=now,
                    attempts=PostedDigestRow.attempts + 1))
        return bool(result.rowcount)

    def status(self, channel: str, day: date) -> PostedDigestRow | None:
        return self.s.exec(select(PostedDigestRow).where(
            PostedDigestRow.channel == channel, PostedDigestRow.day == day)).first()

    def complete(self, channel: str, day: date, *, now: datetime, ts: str | None) -> None:
        self.s.execute(update(PostedDigestRow)
                       .where(PostedDigestRow.channel == channel)
                       .where(PostedDigestRow.day == day)
                       .values(status="posted", posted_at=now, ts=ts, error=None))

    def fail(self, channel: str, day: date, *, now: datetime, error: str) -> None:
        self.s.execute(update(PostedDigestRow)
                       .where(PostedDigestRow.channel == channel)
                       .where(PostedDigestRow.day == day)
                       .values(status="failed", error=error[:2000]))

    def last_posted(self, channel: str) -> datetime | None:
        row = self.s.exec(select(func.max(PostedDigestRow.posted_at))
                          .where(PostedDigestRow.channel == channel)
                          .where(PostedDigestRow.status == "posted")).one()
        return row[0] if row else None


    def take_over(self, channel: str, day: date, *, now: datetime, owner: str,
                  stale_before: datetime) -> bool:
        """Digest (issue 5): claim a 'failed' record or one whose lease has run out.

        One conditional UPDATE: of two clocks taking over at once, exactly one matches.
        """
        result = self.s.execute(
            update(PostedDigestRow)
            .where(PostedDigestRow.channel == channel)
            .where(PostedDigestRow.day == day)
            .where(or_(PostedDigestRow.status == "failed",
                       (PostedDigestRow.status == "claimed")
                       & (PostedDigestRow.claimed_at < stale_before)))
            .values(status="claimed", owner=owner, claimed_at=now,
                    attempts=PostedDigestRow.attempts + 1))
        return bool(result.rowcount)

    def record(self, channel: str, day: date) -> DigestRecord | None:
        rows = [r for (r,) in self.s.exec(select(PostedDigestRow).where(
            PostedDigestRow.channel == channel, PostedDigestRow.day == day))]
        return _digest_record(rows[0]) if rows else None

    def recent(self, *, channel: str | None = None, limit: int) -> list[DigestRecord]:
        q = select(PostedDigestRow).order_by(PostedDigestRow.day.desc(),
                                             PostedDigestRow.id.desc()).limit(limit)
        if channel is not None:
            q = q.where(PostedDigestRow.channel == channel)
        return [_digest_record(r) for (r,) in self.s.exec(q)]

    def note_error(self, channel: str, day: date, *, error: str) -> None:
        self.s.execute(update(PostedDigestRow)
                       .where(PostedDigestRow.channel == channel)
                       .where(PostedDigestRow.day == day)
                       .values(error=error[:2000]))

class SqlAuditRepo(_Repo):
    def record(self, entry: AuditEntry) -> None:
        self.s.add(AuditRow(at=entry.at, user=entry.user, action=entry.action,
                            target=entry.target, result=entry.result))

    def recent(self, *, limit: int) -> list[AuditEntry]:
        rows = self.s.exec(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit))
        return [AuditEntry(at=r.at, user=r.user, action=r.action, target=r.target,
                           result=r.result) for (r,) in rows]


class SqlTopicRepo(_Repo):
    def sync(self, topics: Iterable[tuple[str, str, str]]) -> None:
        """Make the topic table match the taxonomy (id, label, what "supports" means)."""
        for tid, label, means in topics:
            row = self.s.get(TopicRow, tid) or TopicRow(id=tid, label=label)
            row.label, row.supports_means = label, means
            self.s.add(row)


# --- the unit of work ---------------------------------------------------------------------------


class SqlUnitOfWork:
    """One transaction. Leaving the block without `commit()` rolls everything back."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Self:
        self.session = Session(self.engine, expire_on_commit=False)
        s = self.session
        self.articles = SqlArticleRepo(s)
        self.actors = SqlActorRepo(s)
        self.statements = SqlStatementRepo(s)
        self.questions = SqlQuestionRepo(s)
        self.events = SqlEventRepo(s)
        self.contradictions = SqlContradictionRepo(s)
        self.sources = SqlSourceRepo(s)
        self.subscriptions = SqlSubscriptionRepo(s)
        self.digests = SqlDigestRepo(s)
        self.audit = SqlAuditRepo(s)
        self.topics = SqlTopicRepo(s)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)
