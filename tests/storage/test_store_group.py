"""`services.store_together`: several articles in one transaction store what storing them one
by one stores; when one fails, nothing of the group is kept (SQLite and Postgres)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from bench import corpus
from briefing import services
from briefing.actors import ActorRegistry
from briefing.pipeline import process_article
from storage.uow import SqlStatementRepo, SqlUnitOfWorkFactory
from tests.web.stores import empty_store, store_contents

ARTICLES = 12


def _items(count: int = ARTICLES) -> tuple[list[services.ToStore], datetime]:
    registry = ActorRegistry()
    generated = list(corpus.generate(count, seed=5))
    items = [services.ToStore(process_article(g.doc, registry=registry), label=g.doc.url or "")
             for g in generated]
    return items, max(g.doc.published for g in generated) + timedelta(hours=1)


def test_a_group_stores_what_storing_one_by_one_stores(engine: Engine,
                                                         uow: SqlUnitOfWorkFactory) -> None:
    items, now = _items()
    one_by_one = [services.store_article(i.processed, uow=uow, now=now, label=i.label)
                  for i in items]
    expected = store_contents(engine)
    empty_store(engine)
    first = services.store_together(items[:5], uow=uow, now=now)
    rest = services.store_together(items[5:], uow=uow, now=now)
    assert first is not None and rest is not None
    grouped = first + rest
    assert grouped == one_by_one
    assert [o.status for o in grouped] == ["new"] * ARTICLES
    assert store_contents(engine) == expected
    # cross-article records were made across the group's articles, not only within each
    assert expected["contradiction"] or expected["question_raise"]


def test_a_group_with_a_duplicate_keeps_nothing(engine: Engine,
                                                 uow: SqlUnitOfWorkFactory) -> None:
    items, now = _items(3)
    assert services.store_together([items[0], items[1], items[0], items[2]],
                                   uow=uow, now=now) is None
    with uow() as tx:
        assert tx.articles.count() == 0
    assert services.store_together(items, uow=uow, now=now) is not None  # usable again


def test_a_group_with_a_failing_article_keeps_nothing(
        engine: Engine, uow: SqlUnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    items, now = _items(3)
    bad = items[1].processed.article.content_hash
    add_all = SqlStatementRepo.add_all

    def explode_on_one(self, article, processed, *, now):  # type: ignore[no-untyped-def]
        if processed.article.content_hash == bad:
            raise RuntimeError("disk full")
        return add_all(self, article, processed, now=now)

    monkeypatch.setattr(SqlStatementRepo, "add_all", explode_on_one)
    assert services.store_together(items, uow=uow, now=now) is None
    assert store_contents(engine)["article"] == []
    assert services.store_together([items[0], items[2]], uow=uow, now=now) is not None
    with pytest.raises(RuntimeError, match="disk full"):  # on its own, it fails as before
        services.store_article(items[1].processed, uow=uow, now=now, label="b")
    with uow() as tx:
        assert tx.articles.count() == 2
