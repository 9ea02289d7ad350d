"""A feed longer than MAX_ITEMS_PER_FETCH: the reports say how many older items were not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import sources
from tests.cli.test_cli import briefbot
from tests.web.long_feed import serving_long_feed

ALLOW = {"SOURCE_ALLOW_HOSTS": "127.0.0.1"}


def test_ingesting_a_feed_of_60_items_says_10_older_items_were_not_read(
        db_url: str, tmp_path: Path) -> None:
    assert sources.MAX_ITEMS_PER_FETCH == 50
    with serving_long_feed(tmp_path / "site", 60) as url:
        result = briefbot("ingest", url, db_url=db_url, cwd=tmp_path, env=ALLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "50 new, 0 unchanged, 0 failed." in result.stdout
    assert (f"  note: {url}: 10 older items not read (only the newest 50 are read at a time)"
            in result.stdout)


def test_adding_a_long_feed_as_a_source_reports_the_items_not_read(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_ITEMS_PER_FETCH", 3)
    with serving_long_feed(tmp_path / "site", 5) as url:
        result = briefbot("sources", "add", url, db_url=db_url, cwd=tmp_path, env=ALLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("5 items found: 3 new, 0 already stored, 0 failed; 2 older items not read "
            "(only the newest 3 are read at a time).") in result.stdout


def test_a_feed_within_the_limit_says_nothing_of_items_not_read(
        db_url: str, tmp_path: Path) -> None:
    with serving_long_feed(tmp_path / "site", 3) as url:
        result = briefbot("sources", "add", url, db_url=db_url, cwd=tmp_path, env=ALLOW)
    assert "3 items found: 3 new, 0 already stored, 0 failed." in result.stdout
    assert "not read" not in result.stdout
