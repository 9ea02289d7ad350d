"""Engine URLs, migrations and the schema check."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from briefing.errors import SchemaOutOfDate
from storage import db


def test_platform_postgres_urls_use_psycopg3() -> None:
    assert db.normalise_url("postgres://u:p@h:5432/d") == "postgresql+psycopg://u:p@h:5432/d"
    assert db.normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_fresh_database_is_refused_until_upgraded(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    with pytest.raises(SchemaOutOfDate, match="briefbot db upgrade"):
        db.check_schema(engine)
    db.upgrade(engine)
    db.check_schema(engine)
    assert db.current_revision(engine) == db.head_revision()


def test_migrations_match_the_tables(engine) -> None:  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import storage.tables  # noqa: F401

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], "tables changed without a migration: run alembic revision --autogenerate"
    assert "statement" in inspect(engine).get_table_names()
