"""Benchmark: article pages ingested end to end from a local server vs trafilatura alone."""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trafilatura

from bot.fetcher import SafeFetcher
from briefing import extract, services, sources
from briefing.models import ArticleInput
from briefing.ports import FetchedResponse
from storage import db
from storage.uow import SqlUnitOfWorkFactory

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "web" / "fixtures" / "articles"
NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
DEFAULT_COPIES = 10  # copies of each of the 4 fixture pages: 40 pages a round
DEFAULT_ROUNDS = 3  # the median of rounds is reported
TARGET_RATIO = 2.0  # issue 6: end to end at most twice extraction alone


def build_pages(copies: int) -> dict[str, bytes]:
    """Distinct article pages: each copy gets its own closing paragraph so none is a duplicate."""
    pages: dict[str, bytes] = {}
    for fixture in sorted(FIXTURES.glob("*.html")):
        html = fixture.read_text()
        for i in range(copies):
            extra = (f"<p>Correction {i}: an earlier version of this article misstated the number "
                     f"of officials briefed on the plan; it was {i + 3}, not {i + 2}.</p>\n</div>")
            pages[f"/bench/{fixture.stem}-{i}.html"] = html.replace("</div>\n</article>",
                                                                   extra + "\n</article>", 1
                                                                   ).encode()
    return pages


def build_feed(base: str, pages: dict[str, bytes]) -> bytes:
    items = "\n".join(
        f"<item><title>Item {n}</title><link>{base}{path}</link>"
        f"<pubDate>{format_datetime(NOW)}</pubDate>"
        f"<description>{escape('A short summary of the story.')}</description></item>"
        for n, path in enumerate(pages))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()


class Handler(BaseHTTPRequestHandler):
    server: Server
    # Headers and body go out in two writes; with Nagle's algorithm the second waits for a
    # delayed ACK, which adds milliseconds a real web server does not.
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"  # keep-alive, as real web servers offer

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        body = self.server.files.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        ctype = "application/rss+xml" if self.path.endswith(".xml") else "text/html"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, files: dict[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.files = files


def serve(pages: dict[str, bytes], conn: Any) -> None:
    """Runs in its own process: a real server is not in our process, and an in-process one
    would bill its own CPU and GIL time to the fetcher."""
    server = Server({})
    base = f"http://localhost:{server.server_address[1]}"
    server.files = {**pages, "/bench/feed.xml": build_feed(base, pages)}
    conn.send(base)
    server.serve_forever()


class Timed:
    """Wraps a callable and adds up the time spent in it."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.seconds = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started


class TimedFetcher:
    def __init__(self, fetcher: SafeFetcher) -> None:
        self.timed = Timed(fetcher.fetch)

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchedResponse:
        result: FetchedResponse = self.timed(url, etag=etag, last_modified=last_modified)
        return result


def extraction_alone(pages: dict[str, bytes], base: str) -> float:
    started = time.perf_counter()
    for path, body in pages.items():
        doc = trafilatura.bare_extraction(body.decode("utf-8"), url=base + path,
                                          with_metadata=True)
        assert doc is not None
    return time.perf_counter() - started


def end_to_end(pages: dict[str, bytes], base: str, *, engine: bool) -> dict[str, float]:
    """add_source on a summary-only feed: fetch every page, extract, run the engine, store."""
    with tempfile.TemporaryDirectory() as tmp:
        sql = db.make_engine(f"sqlite:///{tmp}/bench.db")
        db.upgrade(sql)
        uow = SqlUnitOfWorkFactory(sql)
        registry = services.load_registry(uow=uow)
        real = functools.partial(services.ingest_article, uow=uow, now=NOW, registry=registry)

        def no_engine(doc: ArticleInput) -> services.IngestOutcome:
            return services.IngestOutcome(status="new")

        ingest = Timed(real if engine else no_engine)
        extract_page = extract.extract_page
        extraction = Timed(extract_page)
        extract.extract_page = extraction
        try:
            with SafeFetcher(allow_hosts=["localhost"]) as safe:
                fetcher = TimedFetcher(safe)
                started = time.perf_counter()
                report = sources.add_source(f"{base}/bench/feed.xml", name=None, user="bench",
                                            uow=uow, fetcher=fetcher, ingest=ingest, now=NOW)
                total = time.perf_counter() - started
        finally:
            extract.extract_page = extract_page
        sql.dispose()
    expected = len(pages)
    if report.items.new != expected:
        raise SystemExit(f"expected {expected} new articles, got {report.items}")
    return {"total": total, "fetch": fetcher.timed.seconds, "ingest": ingest.seconds,
            "extract": extraction.seconds,
            "rest": total - fetcher.timed.seconds - ingest.seconds - extraction.seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=DEFAULT_COPIES)
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    args = parser.parse_args()

    pages_abs = build_pages(args.copies)
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    server = ctx.Process(target=serve, args=(pages_abs, send), daemon=True)
    server.start()
    base = receive.recv()

    alone, full, fetch_only = [], [], []
    try:
        extraction_alone(pages_abs, base)  # warm-up: imports, lxml, htmldate caches
        for _ in range(args.rounds):
            alone.append(extraction_alone(pages_abs, base))
            full.append(end_to_end(pages_abs, base, engine=True))
            fetch_only.append(end_to_end(pages_abs, base, engine=False))
    finally:
        server.terminate()
        server.join()

    n = len(pages_abs)
    t_alone = statistics.median(alone)
    t_full = statistics.median(r["total"] for r in full)
    t_web = statistics.median(r["total"] for r in fetch_only)

    def ms(seconds: float) -> str:
        return f"{seconds * 1000 / n:7.1f} ms/page  ({seconds:6.2f} s total)"

    print(f"{n} article pages from a local server, median of {args.rounds} rounds")
    print(f"  trafilatura bare_extraction alone       {ms(t_alone)}")
    print(f"  end to end (fetch, extract, engine, db) {ms(t_full)}")
    print(f"    of which fetching                     "
          f"{ms(statistics.median(r['fetch'] for r in full))}")
    print(f"    of which engine + store (ingest)      "
          f"{ms(statistics.median(r['ingest'] for r in full))}")
    print(f"    of which extraction (extract_page)    "
          f"{ms(statistics.median(r['extract'] for r in full))}")
    print(f"    of which the rest (feed, store, audit) "
          f"{ms(statistics.median(r['rest'] for r in full))}")
    print(f"  web path only (engine replaced by a no-op) {ms(t_web)}")
    ratio = t_full / t_alone
    print(f"  ratio end to end / extraction alone     {ratio:.2f}x "
          f"(target <= {TARGET_RATIO:g}x: {'met' if ratio <= TARGET_RATIO else 'NOT met'})")
    print(f"  ratio web path only / extraction alone  {t_web / t_alone:.2f}x")


if __name__ == "__main__":
    main()
