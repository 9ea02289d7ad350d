"""A local threaded HTTP server on 127.0.0.1 serving the feed and page fixtures, and fakes."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.fetcher import SafeFetcher
from web.fakes import FakeIngest, FakeStore

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)

TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/rss+xml",
         ".rdf": "application/rdf+xml", ".txt": "text/plain"}
ATOM_TYPE = "application/atom+xml"

Handler = Callable[["RequestHandler"], None]


@dataclass
class Site:
    """What the server serves: fixture files by path, plus handlers for special paths."""

    host: str = "localhost"
    port: int = 0
    scheme: str = "http"
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    handlers: dict[str, Handler] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def serve_fixture(self, path: str, fixture: str, *, content_type: str | None = None) -> None:
        body = (FIXTURES / fixture).read_bytes().replace(b"{base}", self.base.encode())
        suffix = Path(fixture).suffix
        ctype = content_type or (ATOM_TYPE if "atom" in fixture else TYPES.get(suffix, ""))
        self.files[path] = (ctype, body)

    def serve_bytes(self, path: str, body: bytes, *, content_type: str) -> None:
        self.files[path] = (content_type, body)

    def hits(self, path: str) -> int:
        return sum(1 for seen, _ in self.requests if seen == path)


class RequestHandler(BaseHTTPRequestHandler):
    server: SiteServer

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        site = self.server.site
        path = self.path.split("?", 1)[0]
        site.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
        try:
            if path in site.handlers:
                site.handlers[path](self)
            elif path in site.files:
                ctype, body = site.files[path]
                self.reply(200, body, content_type=ctype)
            else:
                self.reply(404, b"<html><body>not found</body></html>", content_type="text/html")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the fetcher gave up on purpose (timeouts, size cap)

    def reply(self, status: int, body: bytes = b"", *, content_type: str = "text/html",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.reply(status, b"", headers={"Location": location})

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Site) -> None:
        super().__init__(("127.0.0.1", 0), RequestHandler)
        self.site = site

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # aborted connections are expected in the timeout and cap tests


def default_site(site: Site) -> None:
    """The Meridian Post: articles, feeds in every format, and the awkward endpoints."""
    for name in ("geneva-talks", "power-strikes", "prisoner-exchange", "sanctions-package"):
        site.serve_fixture(f"/articles/{name}.html", f"articles/{name}.html")
    for name in ("full.xml", "summary.xml", "atom.xml", "rss1.rdf", "rss091.xml", "malformed.xml",
                 "broken.xml", "empty.xml", "to-loopback.xml"):
        site.serve_fixture(f"/feeds/{name}", f"feeds/{name}")
    site.serve_fixture("/", "site.html")
    site.serve_fixture("/login", "login.html")
    site.serve_fixture("/robots.txt", "robots.txt", content_type="text/plain")

    def redirect_chain(handler: RequestHandler) -> None:
        left = int(handler.path.rsplit("/", 1)[1])
        handler.redirect("/feeds/full.xml" if left == 0 else f"/redirect/{left - 1}")

    for count in range(10):
        site.handlers[f"/redirect/{count}"] = redirect_chain
    site.handlers["/go/loopback"] = lambda h: h.redirect(
        f"http://127.0.0.1:{site.port}/articles/geneva-talks.html")


@contextmanager
def running(site: Site, *, tls: ssl.SSLContext | None = None) -> Iterator[Site]:
    server = SiteServer(site)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    site.port = server.server_address[1]
    default_site(site)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    with running(Site()) as site:
        yield site


@pytest.fixture
def fetcher() -> Iterator[SafeFetcher]:
    # Only the name "localhost" is allowlisted: 127.0.0.1 written as an address is refused.
    with SafeFetcher(allow_hosts=["localhost"], connect_timeout=1.0, read_timeout=1.0,
                     total_timeout=3.0) as fetcher:
        yield fetcher


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def ingest(store: FakeStore) -> FakeIngest:
    return FakeIngest(store)


def sleep_then(seconds: float, then: Handler) -> Handler:
    def handler(h: RequestHandler) -> None:
        time.sleep(seconds)
        then(h)
    return handler
