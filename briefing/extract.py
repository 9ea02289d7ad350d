"""Turns fetched bytes into what they are: a feed, an article page, or a page linking a feed."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from time import struct_time
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html
from htmldate import find_date
from htmldate.utils import load_html
from lxml.html import HtmlElement
from pydantic import BaseModel, Field
from trafilatura import bare_extraction

from briefing.errors import InputError
from briefing.models import ArticleInput

Kind = Literal["feed", "html"]

# How far into a body to look for the root element: room for an XML declaration, a stylesheet
# instruction and a licence comment before <rss>/<feed>; past that the content type decides.
SNIFF_BYTES = 2048

# Feed bodies below this many characters of text are summaries, not the article. RSS summaries
# and WordPress excerpts (55 words, about 350 characters) stay well below; a short news story
# (about 170 words) is above.
FULL_TEXT_MIN_CHARS = 1000

# An extraction shorter than this (about 50 words) is a menu, a teaser or a login wall.
MIN_ARTICLE_CHARS = 300

# Endings that mark a truncated excerpt even when it is long.
TRUNCATION_MARKS = ("…", "[…]", "[...]", "...", "read more", "continue reading")

# JSON Feed is left out: feedparser 6 reads only XML feeds.
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
XML_TYPES = frozenset({"application/xml", "text/xml"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# Where a published date came from, kept on ArticleInput.published_from.
DATE_FROM_FEED = "feed"
DATE_FROM_PAGE = "page"  # the page's markup: meta tags, JSON-LD, <time>
DATE_FROM_HTMLDATE = "htmldate"  # htmldate's pattern search in text and URL: a guess

# htmldate output with time and offset when the markup carries them.
HTMLDATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

BLOCK_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre",
              "section", "article", "tr", "dd", "dt")
DROP_TAGS = ("script", "style", "figure", "figcaption", "iframe", "noscript", "img", "video")


class FeedItem(BaseModel):
    """One entry of a feed, as the feed gives it."""

    title: str | None = None
    link: str | None = None
    text: str = ""  # content if present, else the summary, as plain text
    full_text: bool = False
    author: str | None = None
    published: datetime | None = None


class ParsedFeed(BaseModel):
    title: str | None = None
    link: str | None = None
    items: list[FeedItem] = Field(default_factory=list)
    warning: str | None = None  # feedparser's bozo exception, when the XML was broken


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def sniff_kind(body: bytes, *, content_type: str = "", url: str = "") -> Kind:
    """Whether a body is a feed or an HTML page, judged by its first bytes, then its type."""
    head = body[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{") and b"jsonfeed.org/version" in head:
        where = f" at {url}" if url else ""
        raise InputError(f"the feed{where} is a JSON Feed, which is not supported; "
                         "give the site's RSS or Atom feed")
    # Whichever root comes first wins: a feed may quote "<html" in an early CDATA summary.
    feed_at = _first(head, (b"<rss", b"<feed", b"<rdf:rdf", b"<channel"))
    html_at = _first(head, (b"<html", b"<!doctype html"))
    if feed_at is not None and (html_at is None or feed_at < html_at):
        return "feed"
    if html_at is not None:
        return "html"
    mtype = media_type(content_type)
    if mtype in FEED_TYPES or mtype in XML_TYPES:
        return "feed"  # parse_feed says "not a feed" if feedparser finds no feed in it
    if mtype in HTML_TYPES and re.search(rb"<(body|p|div|article|head|title)\b", head):
        return "html"
    where = f" at {url}" if url else ""
    shown = mtype or "no content type"
    raise InputError(f"the content{where} is neither a web page nor a feed ({shown})")


def _first(head: bytes, markers: tuple[bytes, ...]) -> int | None:
    found = [at for at in (head.find(marker) for marker in markers) if at >= 0]
    return min(found) if found else None


def parse_html(body: bytes | str) -> HtmlElement:
    """An lxml tree of the page; bytes are decoded by their declared or guessed charset."""
    try:
        tree = load_html(body)
    except (ValueError, TypeError, lxml.etree.LxmlError):
        tree = None
    if tree is None:
        raise InputError("the page could not be read as HTML")
    return tree


def feed_links(tree: HtmlElement, *, base_url: str) -> list[str]:
    """Feeds the page announces with <link rel="alternate">, comment feeds last."""
    found: list[tuple[bool, str]] = []
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        mtype = media_type(link.get("type") or "")
        if "alternate" not in rel or mtype not in FEED_TYPES:
            continue
        href = urljoin(base_url, link.get("href").strip())
        if urlsplit(href).scheme not in ("http", "https"):
            continue
        comments = "comment" in href.lower() or "comment" in (link.get("title") or "").lower()
        if all(href != seen for _, seen in found):
            found.append((comments, href))
    return [href for _, href in sorted(found, key=lambda pair: pair[0])]


def is_article_page(tree: HtmlElement) -> bool:
    """True when the page says it is one article (Open Graph type or a published time)."""
    og_type = tree.xpath("string(//meta[@property='og:type']/@content)").strip().lower()
    if og_type == "article":
        return True
    return bool(tree.xpath("//meta[@property='article:published_time']"))


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment from a feed, one paragraph per block element."""
    if "<" not in fragment:
        return _tidy(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.LxmlError, ValueError):
        return _tidy(re.sub(r"<[^>]+>", " ", fragment))
    for bad in root.xpath(" | ".join(f".//{tag}" for tag in DROP_TAGS)):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter(*BLOCK_TAGS):
        block.text = "\n\n" + (block.text or "")
        block.tail = "\n\n" + (block.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    paragraphs = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", para).strip()
                  for para in re.split(r"\n\s*\n", text))
    lines = ("\n".join(line.strip() for line in para.split("\n") if line.strip())
             for para in paragraphs)
    return "\n\n".join(para for para in lines if para)


def looks_complete(text: str) -> bool:
    """Whether a feed item's text is the whole article rather than a summary."""
    tail = text.rstrip().lower()
    if any(tail.endswith(mark) for mark in TRUNCATION_MARKS):
        return False
    return len(text) >= FULL_TEXT_MIN_CHARS


def parse_feed(body: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """Items of an RSS 0.9x/1.0/2.0, Atom or JSON feed; broken XML is a warning if items remain."""
    try:
        kind: Kind | None = sniff_kind(body, content_type=content_type)
    except InputError:
        kind = None
    if kind != "feed":
        raise InputError(f"the content at {url} is not a feed")
    # A stream, never bytes or str: feedparser opens a str that looks like a URL and tries
    # bytes as a file name, and it must make no requests of its own.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": url, "content-type": content_type or "text/xml"},
    )
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    meta = parsed.get("feed", {})
    entries = parsed.get("entries", [])
    if not entries:
        if problem is not None and not meta.get("title"):
            raise InputError(f"the feed at {url} is broken: {_describe(problem)}")
        if not parsed.get("version") and not meta.get("title"):
            raise InputError(f"the content at {url} is not a feed")
        raise InputError(f"the feed at {url} has no items")
    items = [_item(entry, base_url=url) for entry in entries]
    return ParsedFeed(
        title=_plain(meta.get("title")),
        link=meta.get("link"),
        items=items,
        warning=_describe(problem) if problem is not None else None,
    )


def _describe(problem: object) -> str:
    text = str(problem).strip() or type(problem).__name__
    return text[:200]


def _plain(value: Any) -> str | None:
    if not value:
        return None
    text = html_to_text(str(value)) if "<" in str(value) else _tidy(str(value))
    return text.replace("\n", " ") or None


def _item(entry: Any, *, base_url: str) -> FeedItem:
    contents = [part.get("value", "") for part in entry.get("content", []) if part.get("value")]
    content_text = html_to_text("\n".join(contents)) if contents else ""
    summary_text = html_to_text(entry.get("summary", "") or "")
    text = content_text if len(content_text) >= len(summary_text) else summary_text
    link = entry.get("link") or None
    if not link and str(entry.get("id", "")).startswith(("http://", "https://")):
        link = entry.get("id")
    return FeedItem(
        title=_plain(entry.get("title")),
        link=urljoin(base_url, link) if link else None,
        text=text,
        full_text=looks_complete(text),
        author=_plain(entry.get("author")),
        published=_struct_to_datetime(entry.get("published_parsed") or entry.get("updated_parsed")),
    )


def _struct_to_datetime(value: struct_time | None) -> datetime | None:
    # feedparser normalises every date it understands to a UTC struct_time.
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def extract_page(page: bytes | HtmlElement, *, url: str, outlet: str | None = None,
                 fallback_outlet: str | None = None, now: datetime | None = None,
                 guess_date: bool = True) -> ArticleInput:
    """The article on a page: text, title, author, site name and the best date it carries.

    The date comes from the page's markup (meta tags, JSON-LD, <time>), read by trafilatura's
    htmldate pass; failing that, and if `guess_date`, from htmldate's search of the text and
    URL, marked inferred. The outlet is `outlet` if given, else the page's site name, else
    `fallback_outlet` (a feed's title), else the host name.
    """
    tree = parse_html(page) if isinstance(page, bytes) else page
    try:
        doc = bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                              date_extraction_params=_date_params(now, extensive=False))
    except Exception as exc:  # untrusted HTML: a parser failure is this page's problem only
        raise InputError(f"the page at {url} could not be read ({type(exc).__name__})") from exc
    found: dict[str, Any] = {}
    if isinstance(doc, dict):
        found = doc
    elif doc is not None:
        found = doc.as_dict()
    text = (found.get("text") or "").strip()
    if len(text) < MIN_ARTICLE_CHARS:
        raise InputError(f"no article found at {url}")
    published = _parse_date(found["date"]) if found.get("date") else None
    published_from: str | None = DATE_FROM_PAGE if published else None
    if published is None and guess_date:
        published = guess_page_date(tree, url=url, now=now)
        published_from = DATE_FROM_HTMLDATE if published else None
    return ArticleInput(
        text=text,
        title=found.get("title") or None,
        url=url,
        outlet=outlet or found.get("sitename") or fallback_outlet or _host(url),
        author=found.get("author") or None,
        published=published,
        published_inferred=published_from == DATE_FROM_HTMLDATE,
        published_from=published_from,
    )


def guess_page_date(tree: HtmlElement, *, url: str, now: datetime | None = None) -> datetime | None:
    """htmldate's extensive search (text patterns, URL) for a page that hides its date."""
    try:
        found = find_date(tree, url=url, **_date_params(now, extensive=True))
    except (ValueError, TypeError):
        return None
    return _parse_date(found) if found else None


def _date_params(now: datetime | None, *, extensive: bool) -> dict[str, Any]:
    params: dict[str, Any] = {"original_date": True, "extensive_search": extensive,
                              "outputformat": HTMLDATE_FORMAT}
    if now is not None:
        params["max_date"] = now.strftime("%Y-%m-%d")
    return params


def _parse_date(value: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    # A date without a zone is the page's local day; UTC keeps ordering stable across outlets.
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _host(url: str) -> str | None:
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def article_from_item(item: FeedItem, *, feed: ParsedFeed,
                      outlet: str | None = None) -> ArticleInput:
    """An article from a feed item that carries the full text."""
    link = item.link or feed.link
    return ArticleInput(
        text=item.text,
        title=item.title,
        url=item.link,
        outlet=outlet or feed.title or (_host(link) if link else None),
        author=item.author,
        published=item.published,
        published_from=DATE_FROM_FEED if item.published else None,
    )


def merge_item_page(item: FeedItem, page: ArticleInput) -> ArticleInput:
    """The fetched article page, with the feed's date, title and author preferred."""
    published: datetime | None
    source: str | None
    if item.published is not None:
        published, source, inferred = item.published, DATE_FROM_FEED, False
    else:
        published, source, inferred = page.published, page.published_from, page.published_inferred
    return page.model_copy(update={
        "title": item.title or page.title,
        "author": item.author or page.author,
        "published": published,
        "published_from": source,
        "published_inferred": inferred,
    })
