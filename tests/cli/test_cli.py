"""`briefbot` as a user runs it: ingest with failures, idempotency, ask, console, JSON shapes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.support import SEEDS

BRIEFBOT = [sys.executable, "-m", "bot.cli"]
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def briefbot_process(*args: str, db_url: str, cwd: Path, stdin: str | None = None) -> Ran:
    """Run the real `briefbot` in a new process, as a user would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update({"DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)})
    done = subprocess.run([*BRIEFBOT, *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=300)
    return Ran(done.returncode, done.stdout, done.stderr)


def briefbot(*args: str, db_url: str, cwd: Path, stdin: str | None = None,
             env: dict[str, str] | None = None) -> Ran:
    """Run `briefbot` in this process (click's runner): same code, no interpreter start-up."""
    run_env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("SLACK_")}
    run_env.update({"DATABASE_URL": db_url, "SOURCE_ALLOW_HOSTS": None, **(env or {})})
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), input=stdin, env=run_env)
    finally:
        os.chdir(old)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def test_ingest_reports_unreadable_and_binary_files_and_keeps_the_good_one(
        db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "004_1e8995c4b71cb59a.txt", folder / "good.txt")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (folder / "unreadable.md").symlink_to(tmp_path / "missing-target.md")
    (folder / "empty.txt").write_text("   \n")
    result = briefbot_process("ingest", str(folder), db_url=db_url, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "1 new, 0 unchanged, 3 failed." in out
    assert "binary.txt: binary file" in out
    assert "unreadable.md: cannot be read" in out or "unreadable.md: no such file" in out
    assert "empty.txt: the file is empty" in out

    again = briefbot("ingest", str(folder / "good.txt"), db_url=db_url, cwd=tmp_path)
    assert again.returncode == 0
    assert "0 new, 1 unchanged, 0 failed." in again.stdout


def test_run_twice_answers_from_the_seeds_and_stores_five_articles(
        db_url: str, tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    for _ in range(2):
        result = briefbot_process("run", db_url=db_url, cwd=tmp_path,
                                  stdin="/stance putin ceasefire\n")
        assert result.returncode == 0, result.stderr
        assert "Vladimir Putin on Ceasefire" in result.stdout
    assert "0 new, 5 unchanged, 0 failed." in result.stderr
    listing = briefbot("stance", "putin", "ceasefire", "--json", db_url=db_url, cwd=tmp_path)
    data = json.loads(listing.stdout)
    articles = {e["article"]["id"] for e in data["evidence"]}
    assert articles and max(articles) <= 5


def test_schema_out_of_date_is_refused_with_the_fix(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    result = briefbot("stance", "putin", "ceasefire", db_url=url, cwd=tmp_path)
    assert result.returncode == 2
    assert "briefbot db upgrade" in result.stderr


@pytest.fixture
def seeded(db_url: str, tmp_path: Path) -> str:
    result = briefbot("ingest", str(SEEDS), db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return db_url


ARTICLE_KEYS = {"id", "url", "path", "outlet", "title", "published"}


def test_stance_json_follows_the_contract(seeded: str, tmp_path: Path) -> None:
    result = briefbot("stance", "putin", "ceasefire", "--json", db_url=seeded, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"actor", "topic", "stance", "evidence", "history", "open_questions"}
    assert data["actor"] == {"id": "putin", "name": "Vladimir Putin"}
    assert data["topic"]["id"] == "ceasefire"
    assert data["stance"] in {"supports", "opposes", "conditional", "mixed", "unclear"}
    assert data["evidence"]
    for e in data["evidence"]:
        assert set(e) == {"text", "quote", "speaker", "attribution", "stance", "certainty",
                          "article"}
        assert e["attribution"] in {"on_record", "reported", "ascribed", "analysis"}
        assert set(e["article"]) == ARTICLE_KEYS
    dates = [e["article"]["published"] for e in data["evidence"]]
    assert dates == sorted(dates, reverse=True), "evidence is newest first"


def test_quotes_questions_timeline_json_shapes(seeded: str, tmp_path: Path) -> None:
    quotes = json.loads(briefbot("quotes", "trump", "--json", db_url=seeded,
                                 cwd=tmp_path).stdout)
    assert quotes and all(set(q) == {"speaker", "quote", "text", "article"} for q in quotes)
    questions = json.loads(briefbot("questions", "--all", "--json", db_url=seeded,
                                    cwd=tmp_path).stdout)
    for q in questions:
        assert set(q) == {"id", "question", "status", "raised_in", "answered_by", "first_seen"}
        assert q["status"] in {"open", "partly_answered", "answered"}
    timeline = json.loads(briefbot("timeline", "--json", db_url=seeded, cwd=tmp_path).stdout)
    for item in timeline:
        assert set(item) == {"date", "date_inferred", "summary", "actors", "sources"}
    assert [i["date"] for i in timeline] == sorted(i["date"] for i in timeline)


def test_ask_renders_the_reply_and_errors_as_plain_text(seeded: str, tmp_path: Path) -> None:
    ok = briefbot("ask", "/stance puttin ceasefire", db_url=seeded, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "Vladimir Putin on Ceasefire" in ok.stdout
    assert "<" not in ok.stdout.replace("<http", "")  # no raw mrkdwn markup
    bad = briefbot("ask", "/stance", db_url=seeded, cwd=tmp_path)
    assert bad.returncode == 1
    assert "Usage: /stance <actor> <topic>" in bad.stdout
    unknown = briefbot("ask", "/stance qwertyuiop ceasefire", db_url=seeded, cwd=tmp_path)
    assert unknown.returncode == 1
    assert "No actor matches" in unknown.stdout and "Try:" in unknown.stdout


def test_console_answers_each_line_and_exits_at_end_of_input(seeded: str,
                                                             tmp_path: Path) -> None:
    result = briefbot("console", db_url=seeded, cwd=tmp_path,
                      stdin="/briefing help\n\n/nonsense\n/questions\n")
    assert result.returncode == 0, result.stderr
    assert "/stance <actor> <topic>" in result.stdout
    assert "There is no command /nonsense" in result.stdout
    assert "Open questions" in result.stdout


PAGE = """<html><head><title>Minister says talks will resume</title>
<meta property="article:published_time" content="2025-03-02T10:00:00Z"></head>
<body><article><h1>Minister says talks will resume</h1>
<p>Foreign Minister Anna Berg said on Sunday that peace talks would resume next week in
Geneva, according to a statement from her office.</p>
<p>“We are ready to return to the table, but only if the shelling stops,” Berg told reporters
in Oslo. It remains unclear whether the other side will attend.</p></article></body></html>"""


@pytest.fixture
def web_page(tmp_path: Path) -> Iterator[str]:
    """A page served from this machine on 127.0.0.1 (allowlisted by the tests that use it)."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "talks.html").write_text(PAGE, encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/talks.html"
    server.shutdown()
    server.server_close()


def test_ingest_reads_a_web_page_once_and_refuses_loopback_unless_allowlisted(
        db_url: str, tmp_path: Path, web_page: str) -> None:
    refused = briefbot("ingest", web_page, db_url=db_url, cwd=tmp_path)
    assert refused.returncode == 1
    assert "refused: 127.0.0.1 is a loopback address" in refused.stdout
    allow = {"SOURCE_ALLOW_HOSTS": "127.0.0.1"}
    first = briefbot("ingest", web_page, db_url=db_url, cwd=tmp_path, env=allow)
    assert first.returncode == 0, first.stdout
    assert "1 new, 0 unchanged, 0 failed." in first.stdout
    again = briefbot("ingest", web_page + "?utm_source=mail", db_url=db_url, cwd=tmp_path,
                     env=allow)
    assert "0 new, 1 unchanged, 0 failed." in again.stdout
    questions = briefbot("questions", "--json", db_url=db_url, cwd=tmp_path)
    raised = [r["article"]["url"] for q in json.loads(questions.stdout) for r in q["raised_in"]]
    assert web_page in raised
