"""`briefbot sources` as an operator runs it: the settings reach the sources it adds."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import briefbot, web_page  # noqa: F401  (web_page is a fixture)


def test_a_source_added_from_the_command_line_is_polled_every_poll_interval_minutes(
        db_url: str, tmp_path: Path, web_page: str) -> None:  # noqa: F811
    env = {"SOURCE_ALLOW_HOSTS": "127.0.0.1", "POLL_INTERVAL_MINUTES": "45"}
    added = briefbot("sources", "add", web_page, "--json", db_url=db_url, cwd=tmp_path, env=env)
    assert added.returncode == 0, added.stdout + added.stderr
    listed = briefbot("sources", "list", "--json", db_url=db_url, cwd=tmp_path)
    (source,) = json.loads(listed.stdout)
    assert source["poll_minutes"] == 45


def test_pausing_an_already_paused_source_says_so(db_url: str, tmp_path: Path,
                                                  web_page: str) -> None:  # noqa: F811
    env = {"SOURCE_ALLOW_HOSTS": "127.0.0.1"}
    assert briefbot("sources", "add", web_page, db_url=db_url, cwd=tmp_path,
                    env=env).returncode == 0
    first = briefbot("sources", "pause", "1", db_url=db_url, cwd=tmp_path)
    assert "Paused source #1" in first.stdout
    second = briefbot("sources", "pause", "1", db_url=db_url, cwd=tmp_path)
    assert "Source #1 was already paused" in second.stdout
    assert "Paused source" not in second.stdout
    resumed = briefbot("sources", "resume", "1", db_url=db_url, cwd=tmp_path)
    assert "Resumed source #1" in resumed.stdout
    again = briefbot("sources", "resume", "1", db_url=db_url, cwd=tmp_path)
    assert "Source #1 was not paused" in again.stdout
