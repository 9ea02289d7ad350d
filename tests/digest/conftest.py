"""Fixtures of the digest tests: a store with the seeds ingested, and a container over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ingest import ingest_paths
from briefing.topics import TOPICS
from digest.helpers import make_container
from storage import db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite with seeds/ ingested (module scope: the NLP pipeline takes a few seconds)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('digest') / 'seeds.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    c = make_container(url)
    with c.uow() as tx:
        tx.topics.sync((t.id, t.label, t.supports_means) for t in TOPICS)
        tx.commit()
    report = ingest_paths([str(ROOT / "seeds")], container=c, echo=False)
    assert not report.failed
    c.engine.dispose()
    yield url
