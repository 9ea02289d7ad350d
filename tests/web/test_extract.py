"""Extraction from bytes: feed or page, feed formats, page text and metadata, date sources."""

from __future__ import annotations

import ast
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing import extract
from briefing.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "http://news.example"
NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes().replace(b"{base}", BASE.encode())


@pytest.mark.parametrize(("name", "kind"), [
    ("feeds/full.xml", "feed"), ("feeds/atom.xml", "feed"), ("feeds/rss1.rdf", "feed"),
    ("feeds/rss091.xml", "feed"),
    ("feeds/malformed.xml", "feed"), ("site.html", "html"), ("articles/power-strikes.html", "html"),
])
def test_sniff_tells_feeds_from_pages_by_their_first_bytes(name: str, kind: str) -> None:
    # The content type is deliberately wrong: servers label feeds text/html and vice versa.
    assert extract.sniff_kind(fixture(name), content_type="text/plain") == kind


def test_feed_quoting_html_in_an_early_summary_is_still_a_feed() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            b"<description><![CDATA[<html><body>hi</body></html>]]></description>")
    assert extract.sniff_kind(body, content_type="text/html") == "feed"


def test_content_that_is_neither_page_nor_feed_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"neither a web page nor a feed \(application/json\)"):
        extract.sniff_kind(b'{"status": "ok"}', content_type="application/json", url="x")
    with pytest.raises(InputError, match=r"neither a web page nor a feed"):
        extract.sniff_kind(b"Just some words in a text file.", content_type="text/plain")


def test_json_feed_is_refused_with_a_hint() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": []}'
    with pytest.raises(InputError, match=r"JSON Feed, which is not supported.*RSS or Atom"):
        extract.sniff_kind(body, content_type="application/feed+json")


def test_rss2_with_full_content_gives_whole_articles_with_feed_dates() -> None:
    feed = extract.parse_feed(fixture("feeds/full.xml"), url=f"{BASE}/feeds/full.xml")
    assert feed.title == "The Meridian Post"
    assert feed.warning is None
    assert [item.full_text for item in feed.items] == [True, True, True]
    first = feed.items[0]
    assert first.title == "Envoys to meet in Geneva as ceasefire proposal gains ground"
    assert first.link == f"{BASE}/articles/geneva-talks.html"
    assert first.author == "Marta Kowalczyk"
    assert first.published == datetime(2025, 3, 12, 9, 40, tzinfo=UTC)
    paragraphs = first.text.split("\n\n")
    assert len(paragraphs) == 8
    assert paragraphs[2].startswith('"We are ready to talk about a pause in the fighting')


def test_rss2_with_summaries_only_is_not_taken_for_full_text() -> None:
    feed = extract.parse_feed(fixture("feeds/summary.xml"), url=f"{BASE}/feeds/summary.xml")
    assert [item.full_text for item in feed.items] == [False] * 4
    assert feed.items[3].published is None  # the sanctions item has no pubDate
    assert feed.items[0].text.startswith("Negotiators from Kyiv and Moscow")


def test_atom_mixes_full_content_and_summaries() -> None:
    feed = extract.parse_feed(fixture("feeds/atom.xml"), url=f"{BASE}/feeds/atom.xml")
    assert feed.title == "The Meridian Post: Europe"
    assert [item.full_text for item in feed.items] == [True, True, False]
    assert feed.items[1].published == datetime(2025, 3, 14, 6, 15, tzinfo=UTC)
    assert feed.items[1].author == "Daniel Okafor"


def test_rss1_items_with_dublin_core_dates() -> None:
    feed = extract.parse_feed(fixture("feeds/rss1.rdf"), url=f"{BASE}/feeds/rss1.rdf")
    assert [item.title for item in feed.items][0] == (
        "Overnight drone strikes cut power to 300,000 homes in the east")
    assert feed.items[2].published == datetime(2025, 3, 13, tzinfo=UTC)
    assert all(item.link and item.link.startswith(BASE) for item in feed.items)


def test_rss091_items_without_dates_are_summaries() -> None:
    feed = extract.parse_feed(fixture("feeds/rss091.xml"), url=f"{BASE}/feeds/rss091.xml")
    assert feed.title == "Meridian Post Wire (RSS 0.91)"
    assert [(item.full_text, item.published) for item in feed.items] == [(False, None)] * 2


def test_malformed_feed_is_a_warning_and_its_items_are_kept() -> None:
    feed = extract.parse_feed(fixture("feeds/malformed.xml"), url=f"{BASE}/feeds/malformed.xml")
    assert feed.warning and "not well-formed" in feed.warning
    assert len(feed.items) == 2
    assert feed.items[0].title == "Shelling damages bridge near Kupiansk as residents evacuate"


@pytest.mark.parametrize(("name", "message"), [
    ("feeds/broken.xml", r"the feed at .* is broken"),
    ("feeds/empty.xml", r"the feed at .* has no items"),
    ("articles/power-strikes.html", r"is not a feed"),
])
def test_unusable_feeds_are_input_errors(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        extract.parse_feed(fixture(name), url=f"{BASE}/{name}")


def test_other_xml_is_not_a_feed() -> None:
    sitemap = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
               b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>https://news.example/a</loc></url></urlset>")
    with pytest.raises(InputError, match=r"the content at .* is not a feed"):
        extract.parse_feed(sitemap, url=f"{BASE}/sitemap.xml", content_type="application/xml")


@pytest.mark.parametrize("body", [b"http://127.0.0.1:9/feed.xml", b"/etc/hostname"])
def test_feedparser_is_never_handed_something_it_would_open(body: bytes) -> None:
    # feedparser fetches a str that looks like a URL and opens bytes as a file name.
    with pytest.raises(InputError, match="not a feed"):
        extract.parse_feed(body, url="x")


def test_article_page_gives_text_without_page_noise_and_metadata() -> None:
    url = f"{BASE}/articles/geneva-talks.html"
    doc = extract.extract_page(fixture("articles/geneva-talks.html"), url=url, now=NOW)
    assert doc.title == "Envoys to meet in Geneva as ceasefire proposal gains ground"
    assert doc.author == "Marta Kowalczyk"
    assert doc.outlet == "The Meridian Post"
    assert doc.url == url
    assert doc.published == datetime(2025, 3, 12, 9, 40, tzinfo=UTC)
    assert (doc.published_from, doc.published_inferred) == ("page", False)
    assert doc.text.startswith("Negotiators from Kyiv and Moscow")
    assert doc.text.rstrip().endswith("declined to comment on the venue.")
    for noise in ("Read also", "cookies", "shares", "All rights reserved", "Photo: Reuters",
                  "Sign in", "window.analytics"):
        assert noise not in doc.text


@pytest.mark.parametrize("declared", [True, False])
def test_pages_in_legacy_encodings_are_decoded(declared: bool) -> None:
    html = (FIXTURES / "articles/power-strikes.html").read_text().replace(
        "City authorities in Kharkiv", "At a café, Kharkiv’s authorities")
    charset = '<meta charset="windows-1252">' if declared else ""
    body = html.replace('<meta charset="utf-8">', charset).encode("cp1252")
    doc = extract.extract_page(body, url=f"{BASE}/articles/power-strikes.html", now=NOW)
    assert "At a café, Kharkiv’s authorities opened forty warming centres" in doc.text


def test_hidden_page_date_comes_from_htmldate_and_is_marked_inferred() -> None:
    doc = extract.extract_page(fixture("articles/sanctions-package.html"),
                               url=f"{BASE}/articles/sanctions-package.html", now=NOW)
    assert doc.published == datetime(2025, 3, 13, tzinfo=UTC)
    assert (doc.published_from, doc.published_inferred) == ("htmldate", True)


def test_outlet_given_by_the_admin_wins_over_the_site_name() -> None:
    doc = extract.extract_page(fixture("articles/power-strikes.html"), url=f"{BASE}/a",
                               outlet="Meridian", now=NOW)
    assert doc.outlet == "Meridian"


def test_page_without_an_article_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"no article found at http://news\.example/login"):
        extract.extract_page(fixture("login.html"), url=f"{BASE}/login", now=NOW)


def test_site_page_announces_its_feeds_comment_feeds_last() -> None:
    tree = extract.parse_html(fixture("site.html"))
    assert extract.feed_links(tree, base_url=f"{BASE}/") == [
        f"{BASE}/feeds/summary.xml", f"{BASE}/comments/feed.xml"]
    assert not extract.is_article_page(tree)
    assert extract.is_article_page(extract.parse_html(fixture("articles/geneva-talks.html")))


def test_feed_date_is_preferred_over_the_page_date() -> None:
    feed = extract.parse_feed(fixture("feeds/summary.xml"), url=f"{BASE}/feeds/summary.xml")
    item = feed.items[0].model_copy(update={"published": datetime(2025, 3, 12, 8, 0, tzinfo=UTC)})
    page = extract.extract_page(fixture("articles/geneva-talks.html"), url=item.link or "",
                                now=NOW)
    merged = extract.merge_item_page(item, page)
    assert merged.published == datetime(2025, 3, 12, 8, 0, tzinfo=UTC)
    assert merged.published_from == "feed"
    assert merged.text == page.text
    undated = extract.merge_item_page(item.model_copy(update={"published": None}), page)
    assert (undated.published, undated.published_from) == (page.published, "page")


def test_html_fragments_become_paragraphs() -> None:
    text = extract.html_to_text(
        "<p>First <b>bold</b> line.</p><figure><img src='x'><figcaption>Photo</figcaption>"
        "</figure><p>Second<br>line &amp; more.</p><script>var x = 1;</script>")
    assert text == "First bold line.\n\nSecond\nline & more."


def test_excerpt_ending_in_an_ellipsis_is_a_summary_even_when_long() -> None:
    assert not extract.looks_complete("word " * 300 + "[…]")
    assert extract.looks_complete("word " * 300 + "end.")


NETWORK_MODULES = ("httpx", "requests", "urllib.request", "urllib3", "http.client", "socket",
                   "bot", "trafilatura.downloads")


def test_engine_web_modules_import_no_network_code() -> None:
    engine = Path(__file__).resolve().parents[2] / "briefing"
    for name in ("extract.py", "sources.py"):
        tree = ast.parse((engine / name).read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module}
        assert not {m for m in imported if m.startswith(NETWORK_MODULES)}, name


def test_extraction_opens_no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("extraction tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for name in ("full.xml", "summary.xml", "atom.xml", "rss1.rdf", "rss091.xml", "malformed.xml"):
        extract.parse_feed(fixture(f"feeds/{name}"), url=f"{BASE}/feeds/{name}")
    for page in (FIXTURES / "articles").glob("*.html"):
        extract.extract_page(page.read_bytes(), url=f"{BASE}/articles/{page.name}", now=NOW)
    for body in (b"http://127.0.0.1:9/feed.xml", b"https://news.example/page.html"):
        with pytest.raises(InputError):
            extract.parse_feed(body, url="x")
        with pytest.raises(InputError):
            extract.extract_page(body, url="https://news.example/page.html", now=NOW)
