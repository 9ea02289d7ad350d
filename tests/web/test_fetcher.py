"""The safe fetcher against a local server: redirects, refusals, timeouts, caps, robots, 304."""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.fetcher import DEFAULT_USER_AGENT, SafeFetcher, address_problem
from briefing.errors import FetchError
from web.conftest import RequestHandler, Site, sleep_then

ARTICLE = "/articles/geneva-talks.html"


def test_fetches_a_page_and_names_the_product_in_the_user_agent(site: Site,
                                                                fetcher: SafeFetcher) -> None:
    answer = fetcher.fetch(site.url(ARTICLE))
    assert answer.status == 200
    assert b"Envoys to meet in Geneva" in answer.body
    assert answer.content_type.startswith("text/html")
    assert answer.url == site.url(ARTICLE)
    headers = dict(site.requests)[ARTICLE]
    assert headers["user-agent"] == DEFAULT_USER_AGENT
    assert headers["user-agent"].startswith("briefbot/0.1 ")
    assert headers["host"] == f"localhost:{site.port}"


def test_five_redirects_are_followed_to_the_final_url(site: Site, fetcher: SafeFetcher) -> None:
    answer = fetcher.fetch(site.url("/redirect/4"))  # 4,3,2,1,0 -> feed: five redirects
    assert answer.url == site.url("/feeds/full.xml")
    assert b"<rss" in answer.body


def test_a_sixth_redirect_is_refused(site: Site, fetcher: SafeFetcher) -> None:
    with pytest.raises(FetchError, match=r"more than 5 redirects"):
        fetcher.fetch(site.url("/redirect/5"))
    assert site.hits("/feeds/full.xml") == 0


def test_redirect_to_loopback_address_is_refused_when_only_the_name_is_allowlisted(
        site: Site, fetcher: SafeFetcher) -> None:
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 is a loopback address"):
        fetcher.fetch(site.url("/go/loopback"))
    assert site.hits(ARTICLE) == 0


def test_loopback_is_refused_without_an_allowlist_and_nothing_is_sent(site: Site) -> None:
    with SafeFetcher() as strict, pytest.raises(FetchError, match="loopback"):
        strict.fetch(f"http://127.0.0.1:{site.port}{ARTICLE}")
    with SafeFetcher() as strict, pytest.raises(
            FetchError,
            match=r"refused: localhost resolves to a loopback address \(127\.0\.0\.1\)"):
        strict.fetch(site.url(ARTICLE))
    assert site.requests == []


def test_allowlisted_names_match_whatever_their_case(site: Site) -> None:
    with SafeFetcher(allow_hosts=[" LocalHost "]) as fetcher:
        answer = fetcher.fetch(f"http://LOCALHOST:{site.port}{ARTICLE}")
    assert answer.status == 200


def test_a_name_with_any_private_address_is_refused() -> None:
    resolver_calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        resolver_calls.append(host)
        return ["93.184.216.34", "10.0.0.5"]

    with SafeFetcher(resolver=resolver) as fetcher, pytest.raises(
            FetchError,
            match=r"refused: news\.example resolves to a private address \(10\.0\.0\.5\)"):
        fetcher.fetch("https://news.example/feed.xml")
    assert resolver_calls == ["news.example"]


def test_allowlisted_network_lets_an_intranet_address_through_but_not_others() -> None:
    fetcher = SafeFetcher(allow_hosts=["10.1.0.0/16"],
                          resolver=lambda host, port: {"wiki.corp": ["10.1.2.3"],
                                                       "db.corp": ["10.2.0.9"]}[host])
    assert fetcher._addresses("wiki.corp", 80) == ["10.1.2.3"]
    with pytest.raises(FetchError, match=r"db\.corp resolves to a private address"):
        fetcher._addresses("db.corp", 80)
    fetcher.close()


@pytest.mark.parametrize(("address", "problem"), [
    ("127.0.0.1", "a loopback address"),
    ("::1", "a loopback address"),
    ("10.0.0.5", "a private address"),
    ("192.168.1.20", "a private address"),
    ("172.16.0.1", "a private address"),
    ("169.254.169.254", "a link-local address"),  # cloud metadata endpoint
    ("fe80::1", "a link-local address"),
    ("224.0.0.251", "a multicast address"),
    ("0.0.0.0", "an unspecified address"),
    ("240.0.0.1", "a reserved address"),
    ("100.64.0.1", "a non-public address"),  # carrier-grade NAT
    ("::ffff:10.0.0.1", "a private address"),  # IPv4-mapped
    ("64:ff9b::7f00:1", "a loopback address"),  # NAT64 of 127.0.0.1
    ("2002:7f00:1::", "a loopback address"),  # 6to4 of 127.0.0.1
    ("93.184.216.34", None),
    ("2606:4700:4700::1111", None),
])
def test_address_problems(address: str, problem: str | None) -> None:
    assert address_problem(address) == problem


def test_connection_goes_to_the_checked_address_not_a_second_lookup(site: Site) -> None:
    # The system resolver cannot resolve this name (.test is reserved): the request can only
    # arrive if the fetcher connects to the address our resolver gave and it checked.
    name = "meridian-rebind.test"
    lookups: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    with SafeFetcher(allow_hosts=[name], resolver=resolver) as fetcher:
        answer = fetcher.fetch(f"http://{name}:{site.port}{ARTICLE}")
    assert answer.status == 200
    assert answer.url == f"http://{name}:{site.port}{ARTICLE}"
    assert dict(site.requests)[ARTICLE]["host"] == f"{name}:{site.port}"
    assert lookups == [name, name]  # once for robots.txt, once for the page
    with pytest.raises(OSError):
        socket.getaddrinfo(name, site.port)


def test_slow_server_times_out_with_a_clear_message(site: Site) -> None:
    site.handlers["/slow"] = sleep_then(3.0, lambda h: h.reply(200, b"<html></html>"))
    with SafeFetcher(allow_hosts=["localhost"], read_timeout=0.3) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"could not reach localhost: timed out after 0\.3 s"):
            fetcher.fetch(site.url("/slow"))
    assert time.monotonic() - started < 2.5  # gave up well before the server answered


def test_server_that_trickles_bytes_hits_the_total_timeout(site: Site) -> None:
    def trickle(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        for _ in range(100):
            h.wfile.write(b"<p>.</p>")
            h.wfile.flush()
            time.sleep(0.05)

    site.handlers["/trickle"] = trickle
    with SafeFetcher(allow_hosts=["localhost"], read_timeout=1.0, total_timeout=0.5) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"took longer than 0\.5 s"):
            fetcher.fetch(site.url("/trickle"))
    assert time.monotonic() - started < 2.0


def test_huge_body_is_cut_off_at_the_cap(site: Site) -> None:
    sent: list[int] = []

    def huge(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()  # no Content-Length: the cap must stop the stream itself
        chunk = b"<p>" + b"x" * 65530 + b"</p>"
        for _ in range(128):  # 8 MiB
            h.wfile.write(chunk)
            sent.append(len(chunk))

    site.handlers["/huge"] = huge
    with SafeFetcher(allow_hosts=["localhost"], max_bytes=256 * 1024) as fetcher, \
            pytest.raises(FetchError, match=r"larger than 256 KB"):
        fetcher.fetch(site.url("/huge"))


def test_declared_length_over_the_cap_is_refused_before_reading(site: Site) -> None:
    site.serve_bytes("/big.html", b"<p>" + b"y" * 300_000 + b"</p>", content_type="text/html")
    with SafeFetcher(allow_hosts=["localhost"], max_bytes=100_000) as fetcher, \
            pytest.raises(FetchError, match=r"refused: .*/big\.html is larger than"):
        fetcher.fetch(site.url("/big.html"))


def test_wrong_content_type_is_refused(site: Site, fetcher: SafeFetcher) -> None:
    site.serve_bytes("/photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
    with pytest.raises(FetchError, match=r"refused: .*/photo\.png is image/png, not a web page"):
        fetcher.fetch(site.url("/photo.png"))


def test_http_error_status_is_reported(site: Site, fetcher: SafeFetcher) -> None:
    with pytest.raises(FetchError, match=r"^HTTP 404 \(Not Found\) from http://localhost:\d+/gone$"):
        fetcher.fetch(site.url("/gone"))


def test_robots_txt_disallow_is_honoured_and_read_once_per_host(site: Site,
                                                                fetcher: SafeFetcher) -> None:
    site.serve_fixture("/members/briefing.html", "articles/power-strikes.html")
    with pytest.raises(FetchError, match=r"robots\.txt of localhost does not allow briefbot "
                                         r"to fetch /members/briefing\.html"):
        fetcher.fetch(site.url("/members/briefing.html"))
    fetcher.fetch(site.url(ARTICLE))
    fetcher.fetch(site.url("/feeds/full.xml"))
    assert site.hits("/members/briefing.html") == 0
    assert site.hits("/robots.txt") == 1


def test_crawl_delay_spaces_requests_to_one_host_up_to_a_cap(site: Site) -> None:
    site.serve_bytes("/robots.txt", b"User-agent: briefbot\nCrawl-delay: 2\n",
                     content_type="text/plain")
    slept: list[float] = []
    frozen = lambda: 1000.0  # noqa: E731 - a clock that stands still: no time passes between
    with SafeFetcher(allow_hosts=["localhost"], sleep=slept.append, clock=frozen) as fetcher:
        fetcher.fetch(site.url(ARTICLE))
        fetcher.fetch(site.url("/feeds/full.xml"))
    assert slept == [2.0]
    site.serve_bytes("/robots.txt", b"User-agent: *\nCrawl-delay: 600\n",
                     content_type="text/plain")
    slept.clear()
    with SafeFetcher(allow_hosts=["localhost"], sleep=slept.append, clock=frozen) as fetcher:
        fetcher.fetch(site.url(ARTICLE))
        fetcher.fetch(site.url(ARTICLE))
    assert slept == [5.0]


def test_robots_txt_server_error_refuses_everything_for_now(site: Site,
                                                            fetcher: SafeFetcher) -> None:
    site.handlers["/robots.txt"] = lambda h: h.reply(503, b"busy")
    with pytest.raises(FetchError, match=r"robots\.txt of localhost answered HTTP 503"):
        fetcher.fetch(site.url(ARTICLE))
    assert site.hits(ARTICLE) == 0


def test_missing_robots_txt_allows_everything(site: Site, fetcher: SafeFetcher) -> None:
    del site.files["/robots.txt"]
    assert fetcher.fetch(site.url(ARTICLE)).status == 200


def test_conditional_request_returns_not_modified(site: Site, fetcher: SafeFetcher) -> None:
    site.serve_fixture("/feeds/full.xml", "feeds/full.xml")
    _, body = site.files["/feeds/full.xml"]
    stamp = "Fri, 14 Mar 2025 06:15:00 GMT"

    def conditional(h: RequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"v1"' or h.headers.get("If-Modified-Since") == stamp:
            h.reply(304, b"", content_type="", headers={"ETag": '"v1"'})
        else:
            h.reply(200, body, content_type="application/rss+xml",
                    headers={"ETag": '"v1"', "Last-Modified": stamp})

    site.handlers["/cond.xml"] = conditional
    first = fetcher.fetch(site.url("/cond.xml"))
    assert (first.not_modified, first.etag, first.last_modified) == (False, '"v1"', stamp)
    again = fetcher.fetch(site.url("/cond.xml"), etag=first.etag)
    assert again.not_modified and again.status == 304 and again.body == b""
    by_date = fetcher.fetch(site.url("/cond.xml"), last_modified=stamp)
    assert by_date.not_modified


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://localhost/feed.xml", r"only http and https"),
    ("file:///etc/passwd", r"only http and https"),
    ("http://", r"not a valid web address"),
    ("http://user:secret@localhost/", r"user name or password"),
])
def test_bad_addresses_are_refused(url: str, message: str, fetcher: SafeFetcher) -> None:
    with pytest.raises(FetchError, match=message):
        fetcher.fetch(url)


def test_unresolvable_name_says_so() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with SafeFetcher(resolver=resolver) as fetcher, pytest.raises(
            FetchError, match=r"could not reach nowhere\.example: the name does not resolve"):
        fetcher.fetch("https://nowhere.example/")


def test_closed_port_says_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with SafeFetcher(allow_hosts=["localhost"]) as fetcher, pytest.raises(
            FetchError, match=r"could not reach localhost: connection refused"):
        fetcher.fetch(f"http://localhost:{port}/feed.xml")


def test_crawl_delay_queues_requests_from_several_threads(site: Site) -> None:
    # batches fetch a feed's pages from a few threads at once: each takes its own slot
    site.serve_bytes("/robots.txt", b"User-agent: briefbot\nCrawl-delay: 2\n",
                     content_type="text/plain")
    slept: list[float] = []
    frozen = lambda: 1000.0  # noqa: E731 - no time passes, so each request waits its turn
    with SafeFetcher(allow_hosts=["localhost"], sleep=slept.append, clock=frozen) as fetcher:
        fetcher.fetch(site.url(ARTICLE))
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda _: fetcher.fetch(site.url(ARTICLE)), range(3)))
    assert sorted(slept) == [2.0, 4.0, 6.0]
