"""What a store holds, table by table, and emptying it, to compare two ingest paths."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

SKIPPED = frozenset({"alembic_version"})


def store_contents(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table (ids included), sorted: two paths that store the same articles
    in the same order give equal contents."""
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for table in sorted(set(inspect(engine).get_table_names()) - SKIPPED):
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            out[table] = sorted(repr(tuple(row)) for row in rows)
    return out


def empty_store(engine: Engine) -> None:
    """Every table emptied and id counters restarted, the schema kept."""
    tables = sorted(set(inspect(engine).get_table_names()) - SKIPPED)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))
            return
        conn.execute(text("PRAGMA foreign_keys=OFF"))
        for table in tables:
            conn.execute(text(f'DELETE FROM "{table}"'))
        if conn.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")
                        ).first():
            conn.execute(text("DELETE FROM sqlite_sequence"))
