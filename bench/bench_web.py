"""Benchmark: article pages ingested end to end from a local server vs trafilatura alone.

End to end is measured twice: serially (one process: fetch, read, process, store one page
after another) and through the batch path (`briefing.batch.BatchIngest`: pages fetched by a
few threads, read and processed by INGEST_WORKERS worker processes, stored in order here).
Beside wall time, CPU time: on a shared machine it is the steadier figure, and the batch path's
main process (fetch, duplicate checks, store, in order) is its critical path, split by part.
`--threshold` measures the batch size from which the worker pool pays for its start.

    .venv/bin/python -m bench.bench_web [--rounds 3] [--pages outlet|fixtures]
"""

from __future__ import annotations

import argparse
import functools
import math
import multiprocessing
import multiprocessing.forkserver
import os
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

from bench import corpus, pages
from bot.bootstrap import FETCH_THREADS
from bot.fetcher import SafeFetcher
from bot.settings import cpu_count
from briefing import batch, extract, services, sources
from briefing.actors import ActorRegistry
from briefing.models import ArticleInput, ProcessedArticle
from briefing.pipeline import process_article
from briefing.ports import FetchedResponse
from storage import db
from storage.uow import SqlUnitOfWorkFactory

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "web" / "fixtures" / "articles"
NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
DEFAULT_COPIES = 10  # copies of each of the 4 fixture pages: 40 pages a round (outlet pages: 4x)
PAGES_SEED = 21  # the generated articles of the outlet pages
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


def outlet_pages(count: int) -> dict[str, bytes]:
    """Generated articles (bench/corpus.py) in pages as outlets serve them (bench/pages.py)."""
    return {f"/bench/story-{i}.html": pages.article_page(g.doc, seed=i)
            for i, g in enumerate(corpus.generate(count, seed=PAGES_SEED))}


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
    """Wraps a callable and adds up the time spent in it: wall time, or with
    `clock=time.thread_time` the CPU time its calls take in the calling thread."""

    def __init__(self, fn: Callable[..., Any], *,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.fn = fn
        self.clock = clock
        self.seconds = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = self.clock()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.seconds += self.clock() - started


_processed_here = Timed(process_article, clock=time.thread_time)


def process_counted(doc: ArticleInput, *, registry: ActorRegistry) -> ProcessedArticle:
    """process_article, its CPU time added up: in the main process, that is the articles the
    batch processed again here (in a worker the sum is that worker's and is not read)."""
    result: ProcessedArticle = _processed_here(doc, registry=registry)
    return result


def forkserver_cpu() -> float:
    """CPU time of the ingest forkserver and its finished children (the batch's workers, reaped
    by it), from /proc; NaN where that cannot be read."""
    server = multiprocessing.forkserver._forkserver
    pid = getattr(server, "_forkserver_pid", None)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return math.nan
    # utime, stime, cutime, cstime: fields 14-17 of proc(5), counted after the ")"
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class TimedFetcher:
    def __init__(self, fetcher: SafeFetcher) -> None:
        self.timed = Timed(fetcher.fetch)

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchedResponse:
        result: FetchedResponse = self.timed(url, etag=etag, last_modified=last_modified)
        return result


def extraction_alone(pages: dict[str, bytes], base: str) -> dict[str, float]:
    started, cpu = time.perf_counter(), time.process_time()
    for path, body in pages.items():
        doc = trafilatura.bare_extraction(body.decode("utf-8"), url=base + path,
                                          with_metadata=True)
        assert doc is not None
    return {"total": time.perf_counter() - started, "cpu": time.process_time() - cpu}


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
                started, cpu = time.perf_counter(), time.process_time()
                report = sources.add_source(f"{base}/bench/feed.xml", name=None, user="bench",
                                            uow=uow, fetcher=fetcher, ingest=ingest, now=NOW)
                total, cpu = time.perf_counter() - started, time.process_time() - cpu
        finally:
            extract.extract_page = extract_page
        sql.dispose()
    expected = len(pages)
    if report.items.new != expected:
        raise SystemExit(f"expected {expected} new articles, got {report.items}")
    return {"total": total, "cpu": cpu, "fetch": fetcher.timed.seconds,
            "ingest": ingest.seconds, "extract": extraction.seconds,
            "rest": total - fetcher.timed.seconds - ingest.seconds - extraction.seconds}


def end_to_end_batch(pages: dict[str, bytes], base: str, *, workers: int,
                     min_pool: int = batch.POOL_MIN_ARTICLES) -> dict[str, float]:
    """add_source on the same feed through the batch path: the wall time of the whole add, the
    main process's CPU time (its main thread's split by part) and the workers' CPU time."""
    with tempfile.TemporaryDirectory() as tmp:
        sql = db.make_engine(f"sqlite:///{tmp}/bench.db")
        db.upgrade(sql)
        uow = SqlUnitOfWorkFactory(sql)
        ingest = batch.BatchIngest(uow=uow, now=NOW, registry=services.load_registry(uow=uow),
                                   workers=workers, min_pool=min_pool,
                                   fetch_threads=FETCH_THREADS, process=process_counted)
        store = Timed(services.store_article, clock=time.thread_time)
        together = Timed(services.store_together, clock=time.thread_time)
        duplicate = Timed(ingest._duplicate, clock=time.thread_time)
        services.store_article, ingest._duplicate = store, duplicate  # type: ignore[method-assign]
        services.store_together = together
        here = _processed_here.seconds
        try:
            with SafeFetcher(allow_hosts=["localhost"]) as fetcher:
                started, workers_cpu = time.perf_counter(), forkserver_cpu()
                cpu, main = time.process_time(), time.thread_time()
                report = sources.add_source(f"{base}/bench/feed.xml", name=None, user="bench",
                                            uow=uow, fetcher=fetcher, ingest=ingest, now=NOW)
                cpu, main = time.process_time() - cpu, time.thread_time() - main
                total = time.perf_counter() - started
                workers_cpu = forkserver_cpu() - workers_cpu
        finally:
            services.store_article, services.store_together = store.fn, together.fn
        sql.dispose()
    if report.items.new != len(pages):
        raise SystemExit(f"expected {len(pages)} new articles, got {report.items}")
    return {"total": total, "cpu": cpu, "main": main, "store": store.seconds + together.seconds,
            "duplicate": duplicate.seconds, "here": _processed_here.seconds - here,
            "workers": workers_cpu}


def threshold(pages_abs: dict[str, bytes], rounds: int, workers: int) -> None:
    """Per batch size: the serial path against the pool (started for the batch) on the
    same pages; the pool pays from the first size where it is faster."""
    ctx = multiprocessing.get_context("spawn")
    print(f"batch size: serial vs {workers} workers (pool started per batch), "
          f"median of {rounds}")
    for size in (1, 2, 3, 4, 6, 8, 12):
        pages = dict(list(pages_abs.items())[:size])
        receive, send = ctx.Pipe(duplex=False)
        server = ctx.Process(target=serve, args=(pages, send), daemon=True)
        server.start()
        base = receive.recv()
        try:
            end_to_end_batch(pages, base, workers=workers, min_pool=1)  # warm the forkserver
            serial = [end_to_end_batch(pages, base, workers=1)["total"] for _ in range(rounds)]
            pooled = [end_to_end_batch(pages, base, workers=workers, min_pool=1)["total"]
                      for _ in range(rounds)]
        finally:
            server.terminate()
            server.join()
        print(f"  {size:3d} pages: serial {statistics.median(serial) * 1000:7.0f} ms, "
              f"pool {statistics.median(pooled) * 1000:7.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=DEFAULT_COPIES)
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    parser.add_argument("--workers", type=int, default=cpu_count(),
                        help="worker processes of the batch path (default: INGEST_WORKERS' "
                             "default, the number of CPUs)")
    parser.add_argument("--threshold", action="store_true",
                        help="measure the batch size from which the pool pays instead")
    parser.add_argument("--pages", choices=("outlet", "fixtures"), default="outlet",
                        help="outlet: 40 generated articles in pages as outlets serve them "
                             "(bench/pages.py, 60-150 KB); fixtures: the small test pages")
    args = parser.parse_args()

    pages_abs = build_pages(args.copies) if args.pages == "fixtures" else \
        outlet_pages(4 * args.copies)
    if args.threshold:
        threshold(pages_abs, args.rounds, args.workers)
        return
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    server = ctx.Process(target=serve, args=(pages_abs, send), daemon=True)
    server.start()
    base = receive.recv()

    alone, full, fetch_only, batched = [], [], [], []
    try:
        extraction_alone(pages_abs, base)  # warm-up: imports, lxml, htmldate caches
        # the first batch of a process also starts the forkserver (once per process)
        first_batch = end_to_end_batch(pages_abs, base, workers=args.workers)
        for _ in range(args.rounds):
            alone.append(extraction_alone(pages_abs, base))
            full.append(end_to_end(pages_abs, base, engine=True))
            fetch_only.append(end_to_end(pages_abs, base, engine=False))
            batched.append(end_to_end_batch(pages_abs, base, workers=args.workers))
    finally:
        server.terminate()
        server.join()

    n = len(pages_abs)
    t_alone = statistics.median(r["total"] for r in alone)
    t_full = statistics.median(r["total"] for r in full)
    t_web = statistics.median(r["total"] for r in fetch_only)

    def ms(seconds: float) -> str:
        return f"{seconds * 1000 / n:7.1f} ms/page  ({seconds:6.2f} s total)"

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(f"{n} article pages from a local server, median of {args.rounds} rounds")
    print(f"  trafilatura bare_extraction alone       {ms(t_alone)}")
    print(f"    CPU time                              {ms(median(alone, 'cpu'))}")
    print(f"  end to end (fetch, extract, engine, db) {ms(t_full)}")
    print(f"    CPU time                              {ms(median(full, 'cpu'))}")
    print(f"    of which fetching                     {ms(median(full, 'fetch'))}")
    print(f"    of which engine + store (ingest)      {ms(median(full, 'ingest'))}")
    print(f"    of which extraction (extract_page)    {ms(median(full, 'extract'))}")
    print(f"    of which the rest (feed, store, audit) {ms(median(full, 'rest'))}")
    print(f"  web path only (engine replaced by a no-op) {ms(t_web)}")
    t_batch = median(batched, "total")
    print(f"  end to end, batch path, {args.workers} workers    {ms(t_batch)}")
    print(f"    main process CPU time                 {ms(median(batched, 'cpu'))}")
    print(f"      storing (store_together/_article)   {ms(median(batched, 'store'))}")
    print(f"      duplicate checks                    {ms(median(batched, 'duplicate'))}")
    print(f"      processing again here               {ms(median(batched, 'here'))}")
    rest = [r["main"] - r["store"] - r["duplicate"] - r["here"] for r in batched]
    print(f"      the rest of the main thread         {ms(statistics.median(rest))}")
    others = [r["cpu"] - r["main"] for r in batched]
    print(f"      other threads (fetching, results)   {ms(statistics.median(others))}")
    print(f"    workers' CPU time (read, process)     {ms(median(batched, 'workers'))}")
    print(f"    the process's first batch (starts the forkserver) {ms(first_batch['total'])}")
    ratio = t_full / t_alone
    print(f"  ratio end to end / extraction alone     {ratio:.2f}x serial "
          f"(target <= {TARGET_RATIO:g}x: {'met' if ratio <= TARGET_RATIO else 'NOT met'})")
    ratio = t_batch / t_alone
    print(f"  ratio end to end / extraction alone     {ratio:.2f}x batch, {args.workers} workers "
          f"(target <= {TARGET_RATIO:g}x: {'met' if ratio <= TARGET_RATIO else 'NOT met'})")
    print(f"  ratio web path only / extraction alone  {t_web / t_alone:.2f}x")
    cpu_alone = median(alone, "cpu")
    print(f"  CPU ratios to extraction alone: serial {median(full, 'cpu') / cpu_alone:.2f}x, "
          f"batch main process {median(batched, 'cpu') / cpu_alone:.2f}x, batch all processes "
          f"{statistics.median(r['cpu'] + r['workers'] for r in batched) / cpu_alone:.2f}x")
    print(f"  load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

if __name__ == "__main__":
    main()
