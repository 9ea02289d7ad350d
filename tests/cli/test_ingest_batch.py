"""`briefbot ingest` of a folder through the worker pool stores what one process stores."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import bot.bootstrap
from briefing import batch
from briefing.actors import ActorRegistry
from storage import db
from tests.cli.test_cli import briefbot
from tests.support import SEEDS
from tests.web.stores import empty_store, store_contents

NOW = datetime(2025, 2, 14, 9, 0, tzinfo=UTC)


def test_a_folder_through_two_workers_stores_what_one_process_stores(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    shutil.copy(SEEDS / "004_1e8995c4b71cb59a.txt", folder / "copy.txt")  # a duplicate
    # enough articles for the pool: seeds with a closing paragraph added (the first three
    # seeds keep it after cleaning; the last two end in a part cleaning drops)
    seeds = sorted(SEEDS.glob("0*.txt"))
    for n in range(batch.POOL_MIN_ARTICLES - len(seeds)):
        text = seeds[n % 3].read_text(encoding="utf-8")
        (folder / f"update-{n}.txt").write_text(
            text + f"\nThe delegations will meet again in {n + 2} days, a spokesman for the "
            f"mediators said on Friday, adding that {n + 3} working groups had been set up.\n",
            encoding="utf-8")
    monkeypatch.setattr(bot.bootstrap, "utcnow", lambda: NOW)
    started: list[int] = []

    def no_pool(workers: int, registry: ActorRegistry) -> Any:
        raise AssertionError("INGEST_WORKERS=1 must not start a pool")

    monkeypatch.setattr(batch, "forkserver_pool", no_pool)
    serial = briefbot("ingest", str(folder), db_url=db_url, cwd=tmp_path,
                      env={"INGEST_WORKERS": "1"})
    engine = db.make_engine(db_url)
    try:
        serial_store = store_contents(engine)
        empty_store(engine)
        monkeypatch.undo()
        monkeypatch.setattr(bot.bootstrap, "utcnow", lambda: NOW)
        forkserver_pool = batch.forkserver_pool

        def counted(workers: int, registry: ActorRegistry) -> Any:
            started.append(workers)
            return forkserver_pool(workers, registry)

        monkeypatch.setattr(batch, "forkserver_pool", counted)
        pooled = briefbot("ingest", str(folder), db_url=db_url, cwd=tmp_path,
                          env={"INGEST_WORKERS": "2"})
        pooled_store = store_contents(engine)
    finally:
        engine.dispose()
    assert started == [2]
    assert serial.returncode == pooled.returncode == 1
    assert f"{batch.POOL_MIN_ARTICLES} new, 1 unchanged, 1 failed." in serial.stdout
    assert pooled.stdout == serial.stdout
    assert len(serial_store["article"]) == batch.POOL_MIN_ARTICLES
    assert pooled_store == serial_store
