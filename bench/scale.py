"""Builds large benchmark stores: real ingestion of distinct articles, then bulk-cloned records."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import subprocess
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, insert, select, text

from bench import corpus
from briefing import services
from briefing.topics import TOPICS
from storage import db
from storage.tables import (
    ArticleBandRow,
    ArticleRow,
    EventRow,
    EventTagRow,
    MentionRow,
    QuestionRaiseRow,
    SentenceRow,
    StatementActorRow,
    StatementRow,
    StatementTopicRow,
    StoryRow,
)
from storage.uow import SqlUnitOfWorkFactory

CACHE = Path(__file__).resolve().parent / ".cache"
# Bump when the corpus or the way stores are built changes: cached stores are then rebuilt.
BUILD_VERSION = 1
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_HOST = ("127.0.0.1", "5432", "postgres")
# Rows per INSERT batch for SQLite (executemany in one transaction).
BATCH_ROWS = 20_000
# An article is ingested this long after its publication time.
INGEST_DELAY = timedelta(minutes=20)
CORPUS_SEED = 7


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
        return f"v{BUILD_VERSION}-{db.head_revision()}-{self.size}-{self.distinct}"


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
    later runs, because a run may change its copy (the ingest measure adds articles)."""
    CACHE.mkdir(exist_ok=True)
    key = spec.key()
    if backend == "sqlite":
        cached = CACHE / f"store-{key}.db"
        if not cached.exists():
            t0 = time.perf_counter()
            tmp = CACHE / f"store-{key}.db.building"
            tmp.unlink(missing_ok=True)
            build_store(sqlite_url(tmp), spec, log=log)
            tmp.rename(cached)
            log(f"  built SQLite store of {spec.size:,} in {time.perf_counter() - t0:.0f} s")
        copy = work / f"store-{spec.size}.db"
        shutil.copyfile(cached, copy)
        return sqlite_url(copy), str(copy)
    name = f"briefbot_bench_{spec.size}_{os.getpid()}"
    url = create_postgres(name)
    dump = CACHE / f"store-{key}.pgdump"
    t0 = time.perf_counter()
    if dump.exists():
        subprocess.run(["pg_restore", "--no-owner", "-j", "2", "-d", name, str(dump)],
                       check=True, env=_pg_env())
        log(f"  restored Postgres store of {spec.size:,} in {time.perf_counter() - t0:.0f} s")
    else:
        build_store(url, spec, log=log)
        subprocess.run(["pg_dump", "-Fc", "-Z", "1", "-f", str(dump) + ".tmp", name],
                       check=True, env=_pg_env())
        Path(str(dump) + ".tmp").rename(dump)
        log(f"  built Postgres store of {spec.size:,} in {time.perf_counter() - t0:.0f} s")
    return url, name


# --- building -----------------------------------------------------------------------------------


def distinct_articles(spec: StoreSpec) -> list[corpus.GeneratedArticle]:
    """The articles ingested for real: they fill the store's last days, up to its end."""
    days = math.ceil(spec.distinct / corpus.ARTICLES_PER_DAY)
    start = spec.end - timedelta(days=days)
    return list(corpus.generate(spec.distinct, seed=CORPUS_SEED, start=start))


def build_store(url: str, spec: StoreSpec, *, log: Any = print) -> None:
    """Migrate, ingest `spec.distinct` articles through the real pipeline, then clone their
    records (new ids, URLs, hashes, outlets and dates) until the store holds `spec.size`."""
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
        t0 = time.perf_counter()
        clone_records(engine, spec)
        log(f"  cloned records up to {spec.size:,} articles in {time.perf_counter() - t0:.0f} s")
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                _fix_sequences(conn)
                conn.execute(text("ANALYZE"))
            else:
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
        if not self.postgres and table in _PLAIN_TABLES:
            # straight to the driver: SQLAlchemy's per-value processing was most of the time
            cols = list(rows[0])
            sql = (f'INSERT INTO "{tbl.name}" ({", ".join(cols)}) '
                   f'VALUES ({", ".join("?" for _ in cols)})')
            self.conn.connection.driver_connection.executemany(
                sql, [tuple(r[c] for c in cols) for r in rows])
            return
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
    """Fill the store to `spec.size` with copies of the ingested articles' records.

    Each copy gets a new id, URL, content hash, outlet and publication time (the copies fill
    the days before the ingested articles, ARTICLES_PER_DAY a day), its own story, and the
    same sentences, mentions, statements (with actor and topic links), events (with tags),
    LSH bands (salted, so copies are not near-duplicates of each other) and question raises
    (the questions merge, as repeated questions do)."""
    missing = spec.size - spec.distinct
    if missing <= 0:
        return
    with engine.begin() as conn:
        arts = _rows(conn, ArticleRow)
        by_article: dict[str, dict[int, list[dict[str, Any]]]] = {}
        for name, table in (("sentence", SentenceRow), ("mention", MentionRow),
                            ("statement", StatementRow), ("event", EventRow),
                            ("band", ArticleBandRow), ("raise", QuestionRaiseRow)):
            grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for r in _rows(conn, table):
                grouped[r["article_id"]].append(r)
            by_article[name] = grouped
        st_actor: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in _rows(conn, StatementActorRow):
            st_actor[r["statement_id"]].append(r)
        st_topic: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in _rows(conn, StatementTopicRow):
            st_topic[r["statement_id"]].append(r)
        ev_tag: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in _rows(conn, EventTagRow):
            ev_tag[r["event_id"]].append(r)
        ids = {name: _max_id(conn, col) for name, col in (
            ("article", ArticleRow.id), ("story", StoryRow.id), ("mention", MentionRow.id),
            ("statement", StatementRow.id), ("event", EventRow.id),
            ("raise", QuestionRaiseRow.id))}
        writer = _Writer(conn)
        outlets = corpus.OUTLETS
        for n, base, published in _clone_plan(arts, spec, missing):
            shift = published - base["published"]
            ingested = published + INGEST_DELAY
            ids["article"] += 1
            ids["story"] += 1
            aid = ids["article"]
            writer.add(StoryRow, {"id": ids["story"], "headline": base["title"],
                                  "first_seen": ingested, "last_seen": ingested})
            writer.flush(StoryRow)
            writer.add(ArticleRow, {
                **base, "id": aid, "url": f"{base['url']}?copy={n}",
                "outlet": outlets[n % len(outlets)], "published": published,
                "content_hash": hashlib.sha256(f"{base['content_hash']}:{n}".encode())
                .hexdigest(), "story_id": ids["story"], "wire_copy_of": None,
                "ingested_at": ingested})
            for r in by_article["sentence"][base["id"]]:
                writer.add(SentenceRow, {**r, "article_id": aid})
            for r in by_article["mention"][base["id"]]:
                ids["mention"] += 1
                writer.add(MentionRow, {**r, "id": ids["mention"], "article_id": aid})
            stmt_map: dict[int, int] = {}
            for r in by_article["statement"][base["id"]]:
                ids["statement"] += 1
                stmt_map[r["id"]] = ids["statement"]
                writer.add(StatementRow, {**r, "id": ids["statement"], "article_id": aid,
                                          "published": published, "ingested_at": ingested})
            for r in by_article["event"][base["id"]]:
                ids["event"] += 1
                writer.add(EventRow, {**r, "id": ids["event"], "article_id": aid,
                                      "day": _shift_day(r["day"], shift),
                                      "ingested_at": ingested})
                for t in ev_tag[r["id"]]:
                    writer.add(EventTagRow, {**t, "event_id": ids["event"]})
            for old, new in stmt_map.items():
                for r in st_actor[old]:
                    writer.add(StatementActorRow, {**r, "statement_id": new})
                for r in st_topic[old]:
                    writer.add(StatementTopicRow, {**r, "statement_id": new})
            for r in by_article["band"][base["id"]]:
                writer.add(ArticleBandRow, {"article_id": aid, "band": f"{r['band']}:{n}"[:64]})
            for r in by_article["raise"][base["id"]]:
                ids["raise"] += 1
                writer.add(QuestionRaiseRow, {
                    **r, "id": ids["raise"], "article_id": aid,
                    "statement_id": stmt_map.get(r["statement_id"]) if r["statement_id"]
                    else None, "seen_at": ingested})
            if n % 2_000 == 1_999:
                _flush_in_order(writer)
        _flush_in_order(writer)


# Tables of ints and strings only (no dates, no JSON): written without SQLAlchemy on SQLite.
_PLAIN_TABLES = (SentenceRow, MentionRow, StatementActorRow, StatementTopicRow, EventTagRow,
                 ArticleBandRow)
# children after their parents, so foreign keys hold batch by batch
_ORDER = (StoryRow, ArticleRow, SentenceRow, MentionRow, StatementRow, StatementActorRow,
          StatementTopicRow, EventRow, EventTagRow, ArticleBandRow, QuestionRaiseRow)


def _flush_in_order(writer: _Writer) -> None:
    for table in _ORDER:
        writer.flush(table)


def _shift_day(day: date, shift: timedelta) -> date:
    return (datetime.combine(day, datetime.min.time()) + shift).date()


def _clone_plan(arts: Sequence[dict[str, Any]], spec: StoreSpec,
                missing: int) -> Iterator[tuple[int, dict[str, Any], datetime]]:
    """(copy number, base article, publication time) for each copy: copies fill the store's
    days from the first, ARTICLES_PER_DAY a day, keeping the base article's time of day."""
    bases = sorted(arts, key=lambda a: a["id"])
    for n in range(missing):
        base = bases[n % len(bases)]
        day = corpus.START + timedelta(days=n // corpus.ARTICLES_PER_DAY)
        pub = base["published"]
        published = day.replace(hour=pub.hour, minute=pub.minute, second=pub.second,
                                tzinfo=day.tzinfo)
        if pub.tzinfo is None:  # SQLite hands back naive UTC
            published = published.replace(tzinfo=None)
        yield n, base, published


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



