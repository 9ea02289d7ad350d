"""Builds large benchmark stores: real ingestion of distinct articles, then bulk-cloned records."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, select, text

from bench import corpus
from briefing import services
from briefing.topics import TOPICS
from storage import db
from storage.tables import (
    ArticleRow,
    EventRow,
    MentionRow,
    QuestionRaiseRow,
    StatementRow,
    StoryRow,
)
from storage.uow import SqlUnitOfWorkFactory

CACHE = Path(__file__).resolve().parent / ".cache"
# Bump when the corpus or the way stores are built changes: cached stores are then rebuilt.
BUILD_VERSION = 2
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_HOST = ("127.0.0.1", "5432", "postgres")
# Rows per INSERT batch for SQLite (executemany in one transaction).
BATCH_ROWS = 20_000
# An article is ingested this long after its publication time.
INGEST_DELAY = timedelta(minutes=20)
CORPUS_SEED = 7
# SQLite's page cache while building a store (KiB): the default 2 MB makes every index insert
# of a large store a read from disk.
BUILD_CACHE_KIB = 1_000_000


@dataclass(frozen=True)
class StoreSpec:
    size: int  # articles in the store
    distinct: int  # of which this many went through the real pipeline (ingest_article)

    @property
    def days(self) -> int:
        return max(math.ceil(self.size / corpus.ARTICLES_PER_DAY), 1)

    @property
    def end(self) -> datetime:
        """The end of the store's last day: the digest's `now`."""
        return corpus.START + timedelta(days=self.days)

    def key(self) -> str:
        return f"v{BUILD_VERSION}-{self.size}-{self.distinct}"


# --- databases -----------------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def postgres_url(name: str) -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def create_postgres(name: str) -> str:
    admin = create_engine(db.normalise_url(POSTGRES_ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return postgres_url(name)


def drop_postgres(name: str) -> None:
    admin = create_engine(db.normalise_url(POSTGRES_ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _pg_env() -> dict[str, str]:
    return {**os.environ, "PGHOST": POSTGRES_HOST[0], "PGPORT": POSTGRES_HOST[1],
            "PGUSER": POSTGRES_HOST[2]}


def store_for(backend: str, spec: StoreSpec, *, work: Path, log: Any = print) -> tuple[str, str]:
    """A working copy of the store for `spec`: (database URL, Postgres name or file path).

    Built stores are cached in bench/.cache (a SQLite file, a pg_dump archive) and copied on
    later runs, because a run may change its copy (the ingest measure adds articles). The
    articles ingested through the pipeline are the same for every size: they are cached too."""
    CACHE.mkdir(exist_ok=True)
    key = spec.key()
    if backend == "sqlite":
        cached = CACHE / f"store-{key}.db"
        if not cached.exists():
            t0 = time.perf_counter()
            base = _sqlite_base(spec, log=log)
            tmp = CACHE / f"store-{key}.db.building"
            shutil.copyfile(base, tmp)
            finish_store(sqlite_url(tmp), spec, log=log)
            tmp.rename(cached)
            log(f"  built SQLite store of {spec.size:,} in {time.perf_counter() - t0:.0f} s")
        copy = work / f"store-{spec.size}.db"
        shutil.copyfile(cached, copy)
        _settle(copy)
        upgrade_store(sqlite_url(copy), log=log)
        return sqlite_url(copy), str(copy)
    name = f"briefbot_bench_{spec.size}_{os.getpid()}"
    url = create_postgres(name)
    dump = CACHE / f"store-{key}.pgdump"
    t0 = time.perf_counter()
    if dump.exists():
        _pg_restore(dump, name)
        log(f"  restored Postgres store of {spec.size:,} in {time.perf_counter() - t0:.0f} s")
        upgrade_store(url, log=log)
        return url, name
    base = CACHE / f"base-{_base_key(spec)}.pgdump"
    if base.exists():
        _pg_restore(base, name)
    else:
        ingest_distinct(url, spec, log=log)
        _pg_dump(name, base)
    finish_store(url, spec, log=log)
    _pg_dump(name, dump)
    log(f"  built Postgres store of {spec.size:,} in {time.perf_counter() - t0:.0f} s")
    upgrade_store(url, log=log)
    return url, name


def _settle(path: Path) -> None:
    """Writes the copy out before it is measured. Just after copying 5 GB, the kernel is still
    writing the copy's pages back; SQLite's first checkpoints then wait on them (the commit of
    an ingest took 18 ms of wall time instead of 2.5 for the first 60 articles at 100,000):
    a cost of the benchmark's copy, not of a store in use."""
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def upgrade_store(url: str, *, log: Any) -> None:
    """Bring a cached store to the code's schema (migrations added since it was built)."""
    engine = db.make_engine(url)
    try:
        if db.current_revision(engine) != db.head_revision():
            t0 = time.perf_counter()
            db.upgrade(engine)
            log(f"  migrated the store to {db.head_revision()} in "
                f"{time.perf_counter() - t0:.0f} s")
    finally:
        engine.dispose()


def _base_key(spec: StoreSpec) -> str:
    return f"v{BUILD_VERSION}-{spec.distinct}"


def _sqlite_base(spec: StoreSpec, *, log: Any) -> Path:
    base = CACHE / f"base-{_base_key(spec)}.db"
    if not base.exists():
        tmp = CACHE / f"base-{_base_key(spec)}.db.building"
        tmp.unlink(missing_ok=True)
        ingest_distinct(sqlite_url(tmp), spec, log=log)
        tmp.rename(base)
    return base


def _pg_dump(name: str, path: Path) -> None:
    tmp = Path(str(path) + ".tmp")
    subprocess.run(["pg_dump", "-Fc", "-Z", "1", "-f", str(tmp), name], check=True,
                   env=_pg_env())
    tmp.rename(path)


def _pg_restore(path: Path, name: str) -> None:
    subprocess.run(["pg_restore", "--no-owner", "-j", "2", "-d", name, str(path)], check=True,
                   env=_pg_env())
    # a dump carries no planner statistics: without them Postgres plans every read as over an
    # empty table until autovacuum gets round to it, which a live store never shows
    engine = create_engine(db.normalise_url(postgres_url(name)), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()


# --- building -----------------------------------------------------------------------------------


def distinct_articles(spec: StoreSpec) -> list[corpus.GeneratedArticle]:
    """The articles ingested for real: the store's first articles, from its first day."""
    return list(corpus.generate(spec.distinct, seed=CORPUS_SEED, start=corpus.START))


def ingest_distinct(url: str, spec: StoreSpec, *, log: Any = print) -> None:
    """Migrate and ingest `spec.distinct` generated articles through ingest_article."""
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
        uow = SqlUnitOfWorkFactory(engine)
        with uow() as tx:
            tx.topics.sync((t.id, t.label, t.supports_means) for t in TOPICS)
            tx.commit()
        registry = services.load_registry(uow=uow)
        t0 = time.perf_counter()
        for g in distinct_articles(spec):
            assert g.doc.published is not None
            services.ingest_article(g.doc, uow=uow, now=g.doc.published + INGEST_DELAY,
                                    registry=registry)
        log(f"  ingested {spec.distinct:,} distinct articles through the pipeline in "
            f"{time.perf_counter() - t0:.0f} s")
    finally:
        engine.dispose()


def finish_store(url: str, spec: StoreSpec, *, log: Any = print) -> None:
    """Clone the ingested articles' records (new ids, URLs, hashes, outlets and dates) until
    the store holds `spec.size` articles, then refresh the planner's statistics."""
    engine = db.make_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _bulk_pragmas)
    try:
        t0 = time.perf_counter()
        clone_records(engine, spec)
        log(f"  cloned records up to {spec.size:,} articles in {time.perf_counter() - t0:.0f} s")
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                _fix_sequences(conn)
            conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def _rows(conn: Any, table: Any, where: Any = None) -> list[dict[str, Any]]:
    q = select(table.__table__)
    if where is not None:
        q = q.where(where)
    return [dict(r._mapping) for r in conn.execute(q)]


def _max_id(conn: Any, column: Any) -> int:
    return int(conn.execute(select(func.coalesce(func.max(column), 0))).scalar_one())


class _Writer:
    """Bulk writes: COPY on Postgres, executemany batches on SQLite, in one transaction."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.pending: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        self.postgres = conn.dialect.name == "postgresql"

    def add(self, table: Any, row: dict[str, Any]) -> None:
        rows = self.pending[table]
        rows.append(row)
        if len(rows) >= BATCH_ROWS:
            _flush_in_order(self)

    def flush(self, table: Any | None = None) -> None:
        # parents before children: the foreign keys are checked row by row
        for t in ([table] if table is not None else list(self.pending)):
            rows = self.pending.pop(t, [])
            if rows:
                self._write(t, rows)

    def _write(self, table: Any, rows: list[dict[str, Any]]) -> None:
        tbl = table.__table__
        if not self.postgres:
            self.conn.execute(insert(tbl), rows)
            return
        cols = [c.name for c in tbl.columns]
        raw = self.conn.connection.driver_connection
        with raw.cursor() as cur:
            copy_sql = (f"COPY \"{tbl.name}\" ("
                        + ", ".join(f"\"{c}\"" for c in cols) + ") FROM STDIN")
            with cur.copy(copy_sql) as cp:
                for r in rows:
                    cp.write_row([_pg_value(r.get(c)) for c in cols])


def _pg_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        import json
        return json.dumps(value)
    return value


def clone_records(engine: Engine, spec: StoreSpec) -> None:
    """Fill the store to `spec.size` with copies of the ingested articles' records, inside the
    database: one round of copies at a time, each round every ingested article once.

    A copy gets new ids (the originals' moved on by the round's offset), a new URL and content
    hash, its own story, and its original's sentences, mentions, statements (with their actor
    and topic links), events (with tags), question raises (the questions merge, as repeated
    questions do) and LSH bands (salted, so copies are not near-duplicates of each other);
    its dates move on whole days, so that ARTICLES_PER_DAY articles fall on each day."""
    missing = spec.size - spec.distinct
    if missing <= 0:
        return
    n = spec.distinct
    if corpus.ARTICLES_PER_DAY % n:
        raise ValueError(f"distinct ({n}) must divide {corpus.ARTICLES_PER_DAY}")
    with engine.connect() as conn:
        ids = [i for (i,) in conn.execute(text("SELECT id FROM article ORDER BY id"))]
        top = {name: _max_id(conn, col) for name, col in (
            ("a", ArticleRow.id), ("st", StoryRow.id), ("m", MentionRow.id),
            ("s", StatementRow.id), ("e", EventRow.id))}
    if len(ids) != n or ids[-1] != n:
        raise RuntimeError(f"expected articles 1..{n}, found {len(ids)}")
    sql = _COPY_SQL_PG if engine.dialect.name == "postgresql" else _COPY_SQL_SQLITE
    for g in range(math.ceil(missing / n)):
        count = min(n, missing - g * n)
        day = (n + g * n) // corpus.ARTICLES_PER_DAY
        params = {"cut": count, "g": g, "days": day, "shift": f"+{day} days",
                  "a": (g + 1) * top["a"], "st": top["st"] + g * top["a"],
                  "m": (g + 1) * top["m"], "s": (g + 1) * top["s"], "e": (g + 1) * top["e"]}
        with engine.begin() as conn:
            for statement in sql:
                conn.execute(text(statement), params)


# Copies of the first :cut ingested articles' rows, ids moved on by the round's offsets (:a
# articles, :st stories, :s statements, :e events, :m mentions), dates by :days whole days.
_COPY_SQL = (
    "INSERT INTO story (id, headline, first_seen, last_seen) "
    "SELECT id + :st, title, {ingested}, {ingested} FROM article WHERE id <= :cut",
    "INSERT INTO article (id, url, path, outlet, title, author, published, published_inferred, "
    "text, about_author, content_hash, source_id, story_id, wire_copy_of, fingerprint, "
    "ingested_at) "
    "SELECT id + :a, url || '?copy=' || CAST(:g AS TEXT), path, outlet, title, author, "
    "{published}, published_inferred, text, about_author, "
    "substr(content_hash, 1, 44) || '-' || CAST(:g AS TEXT), source_id, id + :st, NULL, "
    "fingerprint, {ingested} FROM article WHERE id <= :cut",
    'INSERT INTO sentence (article_id, idx, start, "end", paragraph, text) '
    'SELECT article_id + :a, idx, start, "end", paragraph, text FROM sentence '
    'WHERE article_id <= :cut',
    'INSERT INTO mention (id, article_id, sentence_idx, start, "end", text, actor_id, kind) '
    'SELECT id + :m, article_id + :a, sentence_idx, start, "end", text, actor_id, kind '
    'FROM mention WHERE article_id <= :cut',
    "INSERT INTO statement (id, article_id, sentence_idx, text, quote, speaker_id, "
    "speaker_label, holder_id, kind, certainty, attribution, published, ingested_at) "
    "SELECT id + :s, article_id + :a, sentence_idx, text, quote, speaker_id, speaker_label, "
    "holder_id, kind, certainty, attribution, {published}, {ingested} FROM statement "
    "WHERE article_id <= :cut",
    "INSERT INTO statement_actor (statement_id, actor_id, role) "
    "SELECT statement_id + :s, actor_id, role FROM statement_actor WHERE statement_id IN "
    "(SELECT id FROM statement WHERE article_id <= :cut)",
    "INSERT INTO statement_topic (statement_id, topic_id, stance) "
    "SELECT statement_id + :s, topic_id, stance FROM statement_topic WHERE statement_id IN "
    "(SELECT id FROM statement WHERE article_id <= :cut)",
    "INSERT INTO event (id, article_id, sentence_idx, day, date_inferred, summary, actors, "
    "topics, ingested_at) "
    "SELECT id + :e, article_id + :a, sentence_idx, {day}, date_inferred, summary, actors, "
    "topics, {ingested} FROM event WHERE article_id <= :cut",
    "INSERT INTO event_tag (event_id, tag) SELECT event_id + :e, tag FROM event_tag "
    "WHERE event_id IN (SELECT id FROM event WHERE article_id <= :cut)",
    "INSERT INTO question_raise (question_id, article_id, statement_id, text, seen_at) "
    "SELECT question_id, article_id + :a, statement_id + :s, text, {seen} "
    "FROM question_raise WHERE article_id <= :cut",
    "INSERT INTO article_band (article_id, band) "
    "SELECT article_id + :a, substr(band || ':' || CAST(:g AS TEXT), 1, 64) "
    "FROM article_band WHERE article_id <= :cut",
)


def _sqlite_shift(column: str) -> str:
    # SQLAlchemy stores SQLite datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' text
    return f"(strftime('%Y-%m-%d %H:%M:%S', {column}, :shift) || substr({column}, 20))"


_COPY_SQL_SQLITE = tuple(s.format(
    published=_sqlite_shift("published"), ingested=_sqlite_shift("ingested_at"),
    seen=_sqlite_shift("seen_at"), day="date(day, :shift)") for s in _COPY_SQL)
_COPY_SQL_PG = tuple(s.format(
    published="published + make_interval(days => :days)",
    ingested="ingested_at + make_interval(days => :days)",
    seen="seen_at + make_interval(days => :days)", day="day + CAST(:days AS INTEGER)")
    for s in _COPY_SQL)


def _bulk_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """While building only: a page cache that holds the indexes, and no fsync per commit."""
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA cache_size=-{BUILD_CACHE_KIB}")
    cur.execute("PRAGMA synchronous=OFF")
    cur.close()


def _grouped(rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[r["article_id"]].append(r)
    return out


def _clone_time(base: datetime, index: int) -> datetime:
    """Article `index` of the store falls on day index // ARTICLES_PER_DAY, at its base
    article's time of day."""
    day = corpus.START + timedelta(days=index // corpus.ARTICLES_PER_DAY)
    published = day.replace(hour=base.hour, minute=base.minute, second=base.second)
    return published if base.tzinfo is not None else published.replace(tzinfo=None)


# children after their parents, so foreign keys hold batch by batch
_ORDER = (StoryRow, ArticleRow, StatementRow, EventRow, QuestionRaiseRow)


def _flush_in_order(writer: _Writer) -> None:
    for table in _ORDER:
        writer.flush(table)


def _shift_day(day: date, shift: timedelta) -> date:
    return (datetime.combine(day, datetime.min.time()) + shift).date()


def _fix_sequences(conn: Any) -> None:
    """Rows inserted with explicit ids leave Postgres sequences behind; move them on."""
    for table in ("article", "story", "mention", "statement", "event", "question_raise"):
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def store_size(url: str) -> int:
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(ArticleRow)).scalar_one())
    finally:
        engine.dispose()



