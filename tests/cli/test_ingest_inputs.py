"""`briefbot ingest` with inputs that are not articles: bad front matter, markup, empty folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.files import parse_article
from tests.cli.test_cli import briefbot
from tests.support import SEEDS

SEED_A = SEEDS / "000_abc8f516191ce043.txt"
SEED_B = SEEDS / "004_1e8995c4b71cb59a.txt"


@pytest.mark.parametrize("value", ["2025-02-30", "2025-02-14T25:00:00"])
def test_a_bad_date_in_front_matter_fails_that_file_and_the_others_go_in(
        db_url: str, tmp_path: Path, value: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_A, folder / "a.txt")
    (folder / "m.md").write_text(f"---\ntitle: Bad date\npublished: {value}\n---\n"
                                 "Officials met in Riyadh on Tuesday, a spokesman said.\n")
    shutil.copy(SEED_B, folder / "z.txt")
    result = briefbot("ingest", str(folder), db_url=db_url, cwd=tmp_path)
    assert result.returncode == 1
    assert "2 new, 0 unchanged, 1 failed." in result.stdout
    assert f"m.md: front matter 'published' is not a date: '{value}'" in result.stdout


@pytest.mark.parametrize("front", [
    "published: 2025-02-30", "date: 2025-02-14T25:00:00",
    "dates:\n  - {date: 2025-13-01, of: the talks in Riyadh}",
    "published: 99999-01-01", "title: [unclosed"])
def test_any_front_matter_problem_is_an_input_error(front: str) -> None:
    with pytest.raises(InputError, match="front matter"):
        parse_article(f"---\n{front}\n---\nThe text of the article.\n")


def test_a_valid_date_in_front_matter_still_reads_as_a_date() -> None:
    article = parse_article("---\npublished: 2025-02-28\n---\nThe text.\n")
    assert article.published is not None and article.published.isoformat().startswith(
        "2025-02-28T12:00")


PAGE = ("<!DOCTYPE html>\n<html><head><title>Talks</title></head>\n<body><p>Officials met in "
        "Riyadh on Tuesday, a spokesman said.</p></body></html>\n")
FEED = ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>News</title>\n<item>'
        "<title>Talks</title><description>Officials met.</description></item>\n</channel></rss>\n")


def test_files_named_directly_must_be_text_or_markdown_articles(db_url: str,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE)
    (tmp_path / "feed.xml").write_text(FEED)
    (tmp_path / "saved.md").write_text(PAGE)  # markup under an article's name
    (tmp_path / "bare.txt").write_text("<div>\n<p>Officials met.</p>\n<p>A spokesman said so.</p>"
                                       "\n</div>\n")
    shutil.copy(SEED_A, tmp_path / "good.txt")
    result = briefbot("ingest", "page.html", "feed.xml", "saved.md", "bare.txt", "good.txt",
                      db_url=db_url, cwd=tmp_path)
    assert result.returncode == 1
    assert "1 new, 0 unchanged, 4 failed." in result.stdout
    for name in ("page.html", "feed.xml", "saved.md", "bare.txt"):
        assert f"failed: {name}: not a text or Markdown article" in result.stdout
    assert "must end in .txt, .md or .markdown" in result.stdout


def test_markdown_with_a_little_inline_html_is_still_an_article(db_url: str,
                                                               tmp_path: Path) -> None:
    text = (SEED_B.read_text(encoding="utf-8")
            .replace("\n---\n", "\n---\n<!-- from the wire desk -->\n", 1)
            .replace("\n\n", "\n\n<br/>\n\n", 1))
    (tmp_path / "inline.md").write_text(text, encoding="utf-8")
    body = SEED_A.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    (tmp_path / "bare.md").write_text("<!-- from the wire desk -->\n" + body, encoding="utf-8")
    result = briefbot("ingest", "inline.md", "bare.md", db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "2 new, 0 unchanged, 0 failed." in result.stdout


def test_a_folder_without_article_files_is_reported_as_a_failure(db_url: str,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "files" / "empty").mkdir(parents=True)
    (tmp_path / "files" / "pages").mkdir()
    (tmp_path / "files" / "pages" / "page.html").write_text(PAGE)
    (tmp_path / "files" / "pages" / "MANIFEST.md").write_text("# not an article\n")
    result = briefbot("ingest", "files/empty", "files/pages", db_url=db_url, cwd=tmp_path)
    assert result.returncode == 1
    assert "0 new, 0 unchanged, 2 failed." in result.stdout
    assert "failed: files/empty: no .txt, .md or .markdown files found" in result.stdout
    assert "failed: files/pages: no .txt, .md or .markdown files found" in result.stdout
