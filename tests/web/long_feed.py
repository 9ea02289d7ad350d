"""A feed of many full-text items, served from 127.0.0.1, for the reports of long feeds."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

CITIES = ("Geneva", "Riyadh", "Istanbul", "Vienna", "Oslo", "Doha", "Rome", "Warsaw")


def _text(n: int) -> str:
    city = CITIES[n % len(CITIES)]
    return "".join(
        f"<p>Delegates met in {city} for round {n} of the talks on {what}, officials said on "
        f"day {n}. A spokesman for the mediators said {n + 2} working groups had been set up "
        f"and that the next meeting would be held in {n + 3} days. It remains unclear whether "
        f"the {what} talks in {city} will produce a written text, one diplomat said.</p>"
        for what in ("prisoner exchanges", "energy infrastructure", "humanitarian corridors",
                     "the return of civilians"))


def long_feed(items: int, *, base: str) -> str:
    """RSS 2.0 with `items` items, newest first, each with its full text (no page fetches)."""
    start = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    entries = []
    for n in range(items, 0, -1):
        entries.append(
            f"<item><title>Talks, round {n}</title><link>{base}/articles/{n}.html</link>"
            f"<guid isPermaLink=\"false\">round-{n}</guid>"
            f"<pubDate>{format_datetime(start + timedelta(hours=n))}</pubDate>"
            f"<description>Round {n} of the talks.</description>"
            f"<content:encoded>{escape(_text(n))}</content:encoded></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>The Long Feed</title><link>{base}/</link><description>Talks</description>"
            + "".join(entries) + "</channel></rss>\n")


@contextmanager
def serving_long_feed(root: Path, items: int) -> Iterator[str]:
    """Serves a feed of `items` items at http://127.0.0.1:PORT/feed.xml; yields that URL."""
    root.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(SimpleHTTPRequestHandler, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (root / "feed.xml").write_text(long_feed(items, base=base), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{base}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()
