"""`briefbot` with a database it cannot use or settings it cannot accept: one clear line (the
JSON error object under --json), never a traceback, never a password."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import briefbot, briefbot_process
from tests.support import SEEDS

UNREACHABLE_PG = "postgresql://bob:s3cretpw@127.0.0.1:1/db"


def test_an_unreachable_postgres_is_one_json_line_without_the_password(tmp_path: Path) -> None:
    result = briefbot("stance", "putin", "nato", "--json", "--db", UNREACHABLE_PG,
                      db_url="sqlite:///unused.db", cwd=tmp_path)
    assert result.returncode == 1
    error = json.loads(result.stdout)
    assert set(error) == {"error", "suggestions"} and error["suggestions"] == []
    assert error["error"].startswith("Cannot use the database postgresql://bob:***@127.0.0.1:1/db")
    assert "s3cretpw" not in result.stdout + result.stderr


def test_an_unreachable_postgres_from_the_environment_is_one_plain_line(tmp_path: Path) -> None:
    result = briefbot_process("questions", db_url=UNREACHABLE_PG, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("Cannot use the database postgresql://bob:***@")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "s3cretpw" not in result.stdout + result.stderr


def test_a_sqlite_file_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    url = "sqlite:////nonexistent/dir/x.db"
    result = briefbot("ingest", str(SEEDS), "--db", url, db_url=url, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == ("Cannot use the database sqlite:////nonexistent/dir/x.db: "
                                     "unable to open database file")


@pytest.mark.parametrize(("env", "message"), [
    ({"LOG_LEVEL": "verbose"},
     "Setting LOG_LEVEL is invalid: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL."),
    ({"INGEST_WORKERS": "0"},
     "Setting INGEST_WORKERS is invalid: Input should be greater than or equal to 1."),
    ({"PORT": "http"}, "Setting PORT is invalid:"),
])
def test_a_bad_setting_is_one_line_naming_it(tmp_path: Path, env: dict[str, str],
                                             message: str) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    plain = briefbot("timeline", db_url=url, cwd=tmp_path, env=env)
    assert plain.returncode == 1
    assert plain.stderr.strip().startswith(message)
    as_json = briefbot("timeline", "--json", db_url=url, cwd=tmp_path, env=env)
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)["error"].startswith(message)


def test_a_database_url_of_another_kind_is_refused_in_one_line(tmp_path: Path) -> None:
    result = briefbot("stance", "putin", "nato", "--json", "--db", "mysql://bob:pw@h/db",
                      db_url="sqlite:///unused.db", cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"] == (
        "--db must be a sqlite:///FILE, postgres:// or postgresql:// URL.")
    env = briefbot("timeline", db_url="mysql://bob:pw@h/db", cwd=tmp_path)
    assert env.returncode == 1
    assert env.stderr.strip() == ("Setting DATABASE_URL is invalid: must be a sqlite:///FILE, "
                                  "postgres:// or postgresql:// URL.")


@pytest.mark.parametrize("query", [("stance", "putin", "nato"), ("questions",), ("timeline",),
                                   ("ask", "/brief"), ("db", "check")])
def test_a_query_on_a_missing_sqlite_file_does_not_create_it(tmp_path: Path,
                                                             query: tuple[str, ...]) -> None:
    path = tmp_path / "briefing.db"
    result = briefbot(*query, db_url=f"sqlite:///{path}", cwd=tmp_path)
    assert result.returncode == 2
    assert "does not exist yet. Run `briefbot db upgrade`" in result.stderr
    assert not path.exists()
    as_json = briefbot("timeline", "--json", db_url=f"sqlite:///{path}", cwd=tmp_path)
    assert as_json.returncode == 2 and "does not exist yet" in json.loads(as_json.stdout)["error"]
    assert not path.exists()


def test_db_upgrade_and_ingest_create_a_missing_sqlite_file(tmp_path: Path) -> None:
    upgraded = tmp_path / "upgraded.db"
    result = briefbot("db", "upgrade", db_url=f"sqlite:///{upgraded}", cwd=tmp_path)
    assert result.returncode == 0 and upgraded.exists()
    ingested = tmp_path / "ingested.db"
    result = briefbot("ingest", str(SEEDS / "000_abc8f516191ce043.txt"),
                      db_url=f"sqlite:///{ingested}", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 new, 0 unchanged, 0 failed." in result.stdout
    check = briefbot("db", "check", db_url=f"sqlite:///{ingested}", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    stance = briefbot("timeline", "--json", db_url=f"sqlite:///{ingested}", cwd=tmp_path)
    assert stance.returncode == 0 and json.loads(stance.stdout)
