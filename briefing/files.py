"""Reads article files (plain text or Markdown with optional front matter) into ArticleInput."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from briefing.errors import InputError
from briefing.models import ArticleInput, KnownDate

# The one definition of an article file's name: the folder walk picks these, and a file named
# directly must end in one of them too.
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")
NOT_AN_ARTICLE = "not a text or Markdown article"
# A file that opens with one of these is a web page or a feed, not article text.
_MARKUP_START = re.compile(
    r"\A\s*<(?:\?xml\b|!doctype\b|(?:html|head|body|rss|feed|rdf:rdf|svg|urlset|opml)\b)",
    re.IGNORECASE)
# A line that opens with a tag: the shape of markup, not of prose.
_MARKUP_LINE = re.compile(r"^\s*<[A-Za-z!/?][^<>]*>")
# Share of non-empty lines opening with a tag above which a file is markup (Markdown may hold a
# little inline HTML; in a page or a feed nearly every line is a tag).
MARKUP_LINE_SHARE = 0.5
# Larger files are not articles (a 5 KB article is typical; 2 MB is a book or a dump).
MAX_FILE_BYTES = 2_000_000
# Share of control characters above which a file is treated as binary.
BINARY_CONTROL_SHARE = 0.01


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a date-like value that is no real date (2025-02-30,
    2025-02-14T25:00:00) stays a string, so that the field it belongs to is named in the error."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            return self.construct_scalar(node)  # type: ignore[arg-type]


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                   _FrontMatterLoader.construct_yaml_timestamp)


class _FrontMatterHandler(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_FrontMatterLoader)  # noqa: S506 (a safe loader)


def is_article_name(path: Path) -> bool:
    """Whether a file's name is an article's (the suffixes the folder walk accepts)."""
    return path.suffix.lower() in ARTICLE_SUFFIXES


def article_suffixes_text() -> str:
    """The accepted suffixes in words: ".txt, .md or .markdown"."""
    return ", ".join(ARTICLE_SUFFIXES[:-1]) + " or " + ARTICLE_SUFFIXES[-1]


def find_article_files(paths: list[Path]) -> Iterator[Path]:
    """Files named directly, and article files inside folders (sorted, recursive)."""
    for path in paths:
        if path.is_dir():
            yield from folder_article_files(path)
        else:
            yield path


def folder_article_files(folder: Path) -> list[Path]:
    """The article files inside a folder (sorted, recursive); empty when it holds none."""
    # a dangling link is listed too, so that it is reported rather than silently skipped
    return sorted(p for p in folder.rglob("*")
                  if (p.is_file() or p.is_symlink()) and is_article_name(p)
                  and not p.name.startswith(".") and p.name != "MANIFEST.md")


def looks_like_markup(text: str) -> bool:
    """Whether a text is an HTML or XML document (a saved page, a feed) rather than prose."""
    if _MARKUP_START.match(text):
        return True
    lines = [line for line in text.splitlines() if line.strip()]
    tags = sum(1 for line in lines if _MARKUP_LINE.match(line))
    return bool(lines) and tags > MARKUP_LINE_SHARE * len(lines)


def _as_datetime(value: Any, *, key: str = "published") -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(12, 0), tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise InputError(f"front matter '{key}' is not a date: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _text_of(value: Any) -> str | None:
    return None if value is None else str(value).strip() or None


def _known_dates(value: Any) -> tuple[KnownDate, ...]:
    """Front matter `dates`: a list of {date: 2025-02-07, of: "interview aboard Air Force One"}."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError("front matter 'dates' must be a list of {date, of}")
    out = []
    for item in value:
        if not isinstance(item, dict) or "date" not in item or not _text_of(item.get("of")):
            raise InputError(f"front matter 'dates': each entry needs a date and the words "
                             f"it is the date of ('of'), not {item!r}")
        when = _as_datetime(item["date"], key="dates")
        assert when is not None
        of = _text_of(item["of"]) or ""
        if len(of) < 3:
            raise InputError(f"front matter 'dates': 'of' is too short to find: {of!r}")
        out.append(KnownDate(date=when.date(), of=of))
    return tuple(out)


def parse_article(raw: str, *, path: str | None = None) -> ArticleInput:
    """Split optional YAML front matter from the body and validate both."""
    handler = frontmatter.detect_format(raw.strip(), frontmatter.handlers)
    if isinstance(handler, YAMLHandler):
        handler = _FrontMatterHandler()
    try:
        post = frontmatter.loads(raw, handler=handler)
    except yaml.YAMLError as exc:
        raise InputError(f"front matter is not valid YAML: {exc}") from exc
    except Exception as exc:  # a YAML constructor's own error must not end a whole batch
        raise InputError(f"front matter cannot be read: {exc}") from exc
    body = post.content.strip()
    if not body:
        raise InputError("the file has no article text")
    meta = post.metadata
    published = _as_datetime(meta.get("published") or meta.get("date"))
    return ArticleInput(
        text=body, title=_text_of(meta.get("title")), url=_text_of(meta.get("url")), path=path,
        outlet=_text_of(meta.get("outlet")), author=_text_of(meta.get("author")),
        published=published,
        published_inferred=bool(meta.get("published_inferred", False)) if published else False,
        known_dates=_known_dates(meta.get("dates")))


def read_article_file(path: Path) -> ArticleInput:
    """Read one file; raises InputError naming what is wrong with it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"too large for an article ({size:,} bytes)")
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError("cannot be read: permission denied") from exc
    except FileNotFoundError as exc:
        raise InputError("no such file") from exc
    except IsADirectoryError as exc:
        raise InputError("is a folder") from exc
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}") from exc
    if not is_article_name(path):
        raise InputError(f"{NOT_AN_ARTICLE} (the name must end in {article_suffixes_text()})")
    if not data.strip():
        raise InputError("the file is empty")
    if b"\x00" in data:
        raise InputError("binary file, not text")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text (binary or another encoding)") from exc
    controls = sum(1 for ch in raw if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > BINARY_CONTROL_SHARE * len(raw):
        raise InputError("binary file, not text")
    if looks_like_markup(raw):
        raise InputError(f"{NOT_AN_ARTICLE}: the file is HTML or XML markup")
    return parse_article(raw, path=str(path))
