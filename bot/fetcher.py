"""The web fetcher: httpx with private-address refusal, pinned connections, caps and robots.txt."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

import httpx

from briefing.errors import FetchError
from briefing.ports import FetchedResponse

DEFAULT_CONNECT_TIMEOUT = 5.0  # seconds; a reachable news site answers a SYN well within this
DEFAULT_READ_TIMEOUT = 10.0  # seconds without a byte before we give up
DEFAULT_TOTAL_TIMEOUT = 30.0  # seconds for a whole response: stops servers that trickle bytes
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # decoded body; large news pages are about 1-2 MB of HTML
MAX_REDIRECTS = 5  # the limit; browsers allow 20, feeds rarely need more than 2
ROBOTS_TTL_SECONDS = 24 * 3600  # RFC 9309 2.4: do not use a cached robots.txt longer than a day
ROBOTS_ERROR_TTL_SECONDS = 10 * 60  # a 5xx robots.txt is retried after ten minutes
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB
ROBOTS_TOKEN = "briefbot"  # the product token robots.txt rules name
MAX_CRAWL_DELAY_SECONDS = 5.0  # a longer Crawl-delay is honoured only up to this, per request
MAX_ADDRESSES_TRIED = 3  # addresses of one name tried in turn; bounds the wait on a dead host
MAX_HOST_CLIENTS = 32  # hosts whose keep-alive connections stay open; the oldest are closed

DEFAULT_USER_AGENT = (
    "briefbot/0.1 (Slack briefing bot; polls feeds and pages chosen by workspace admins; "
    "honours robots.txt)"
)

# What we will read: pages, feeds, and text/plain (some servers label feeds so).
ALLOWED_CONTENT_TYPES = frozenset({
    "text/html", "application/xhtml+xml",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/xml", "text/xml", "application/feed+json", "application/json", "text/plain",
})
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/xml;q=0.9,application/feed+json;q=0.8,*/*;q=0.1")

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
# IANA's special-purpose ranges that are not globally reachable but that Python 3.11's
# ipaddress counts as global (iana.org/assignments/iana-ipv4-special-registry and
# iana-ipv6-special-registry): 192.0.0.0/24 IETF protocol assignments (3.11 knows only
# 192.0.0.0/29 and .170/31), 192.88.99.0/24 the deprecated 6to4 relay anycast (RFC 7526),
# 3fff::/20 documentation (RFC 9637), 5f00::/16 SRv6 SIDs (RFC 9602), 64:ff9b:1::/48 local-use
# IPv4/IPv6 translation (RFC 8215). Checked on top of the stdlib's own checks.
NOT_GLOBAL_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "192.0.0.0/24", "192.88.99.0/24", "3fff::/20", "5f00::/16", "64:ff9b:1::/48"))
# ...except these, which IANA lists as globally reachable: 192.0.0.9 (PCP anycast, RFC 7723)
# and 192.0.0.10 (TURN anycast, RFC 8155).
GLOBAL_EXCEPTIONS = frozenset(ipaddress.ip_address(a) for a in ("192.0.0.9", "192.0.0.10"))

Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host, in its order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


def address_problem(address: str) -> str | None:
    """Why an address must not be fetched from ("a private address"), or None if it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv6 address can carry an IPv4 one that the network will reach.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64_PREFIX:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = address_problem(str(embedded))
            if inner:
                return inner
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),  # before private: 240/4 counts as both
        (ip.is_private, "a private address"),
        (not ip.is_global, "a non-public address"),
        (_in_not_global_network(ip), "a non-public address"),
    )
    for failed, label in checks:
        if failed:
            return label
    return None


def _in_not_global_network(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """In one of IANA's not-globally-reachable ranges the stdlib misses (NOT_GLOBAL_NETWORKS)."""
    return ip not in GLOBAL_EXCEPTIONS and any(
        ip.version == net.version and ip in net for net in NOT_GLOBAL_NETWORKS)


@dataclass
class _Robots:
    parser: RobotFileParser | None  # None: everything allowed (no robots.txt)
    expires: float
    error: str | None = None  # robots.txt answered 5xx: everything refused until it expires


class SafeFetcher:
    """Fetcher for untrusted URLs; implements briefing.ports.Fetcher.

    DNS rebinding: the host name is resolved once per request, every address is checked, and
    the connection is made to a checked IP literal (the Host header and TLS SNI carry the name,
    so certificates are still verified against the name). Nothing resolves the name again
    between the check and the connect. httpx pools connections by IP here, so each host name
    gets its own client: a connection opened (and TLS-verified) for one name never serves
    another name that happens to share the IP.
    """

    def __init__(
        self,
        *,
        allow_hosts: Iterable[str] = (),
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = MAX_REDIRECTS,
        user_agent: str = DEFAULT_USER_AGENT,
        obey_robots: bool = True,
        resolver: Resolver = system_resolver,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.allow_names: frozenset[str] = frozenset()
        self.allow_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
        names, networks = set(), []
        for entry in allow_hosts:
            entry = entry.strip().lower().rstrip(".")
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                names.add(entry)
        self.allow_names, self.allow_networks = frozenset(names), tuple(networks)
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.obey_robots = obey_robots
        self._resolve = resolver
        self._clock = clock
        self._sleep = sleep
        self._verify = verify  # an SSLContext with an intranet CA; False only in experiments
        self._last_request: dict[tuple[str, str, int], float] = {}
        self._robots: dict[tuple[str, str, int], _Robots] = {}
        self._lock = threading.Lock()
        self._clients: dict[str, httpx.Client] = {}  # by host name, least recently used first

    def _client_for(self, host: str) -> httpx.Client:
        with self._lock:
            client = self._clients.pop(host, None) or httpx.Client(
                follow_redirects=False,
                verify=self._verify,
                trust_env=False,  # no proxies or .netrc from the environment: they skip the checks
                timeout=httpx.Timeout(connect=self.connect_timeout, read=self.read_timeout,
                                      write=self.read_timeout, pool=self.connect_timeout),
                headers={"User-Agent": self.user_agent, "Accept": ACCEPT},
            )
            self._clients[host] = client
            while len(self._clients) > MAX_HOST_CLIENTS:
                self._clients.pop(next(iter(self._clients))).close()
        return client

    def close(self) -> None:
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()

    def __enter__(self) -> SafeFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the Fetcher protocol --------------------------------------------------------------

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchedResponse:
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers=headers, robots=self.obey_robots, check_type=True,
                         max_bytes=self.max_bytes)

    # --- internals ---------------------------------------------------------------------------

    def _get(self, url: str, *, headers: dict[str, str], robots: bool, check_type: bool,
             max_bytes: int, robots_file: bool = False) -> FetchedResponse:
        current = parse_url(url)
        for hop in range(self.max_redirects + 1):
            if robots:
                self._check_robots(current)
                self._wait_crawl_delay(current)
            client = self._client_for(current.raw_host.decode("ascii"))
            response = self._open(client, current, headers=headers)
            try:
                if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                    if hop == self.max_redirects:
                        raise FetchError(
                            f"refused: more than {self.max_redirects} redirects from {url}")
                    try:
                        target = current.join(response.headers["location"].strip())
                    except httpx.InvalidURL as exc:
                        raise FetchError(f"refused: {current} redirects to a malformed address"
                                         ) from exc
                    current = parse_url(str(target))
                    continue
                return self._finish(current, response, check_type=check_type,
                                    max_bytes=max_bytes, robots_file=robots_file)
            finally:
                response.close()
                client.cookies.clear()  # cookies would be keyed by IP here: keep none
        raise AssertionError("unreachable")  # pragma: no cover

    def _open(self, client: httpx.Client, url: httpx.URL, *,
              headers: dict[str, str]) -> httpx.Response:
        """Sends the request to a checked address of the URL's host; returns a streaming reply."""
        host = url.raw_host.decode("ascii")  # IDNA-encoded: what DNS and TLS SNI expect
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = self._addresses(host, port)
        netloc = url.netloc.decode("ascii")
        failure: httpx.TransportError | None = None
        for address in addresses[:MAX_ADDRESSES_TRIED]:
            request = client.build_request(
                "GET", url.copy_with(host=address), headers={**headers, "Host": netloc},
                extensions={"sni_hostname": host},
            )
            try:
                return client.send(request, stream=True)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                failure = exc  # try the host's next address, as browsers do
            except httpx.TransportError as exc:
                raise self._transport_error(host, exc) from exc
        assert failure is not None
        raise self._transport_error(host, failure) from failure

    def _addresses(self, host: str, port: int) -> list[str]:
        """The host's addresses, every one checked unless the host is allowlisted."""
        name = host.lower().rstrip(".")
        try:
            literal = ipaddress.ip_address(name)
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = self._resolve(name, port)
            except (OSError, UnicodeError) as exc:
                raise FetchError(f"could not reach {host}: the name does not resolve") from exc
            if not addresses:
                raise FetchError(f"could not reach {host}: the name does not resolve")
        if name in self.allow_names:
            return addresses
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if any(ip in network for network in self.allow_networks):
                continue
            problem = address_problem(address)
            if problem:
                if literal is not None:
                    raise FetchError(f"refused: {host} is {problem}")
                raise FetchError(f"refused: {host} resolves to {problem} ({address})")
        return addresses

    def _finish(self, url: httpx.URL, response: httpx.Response, *, check_type: bool,
                max_bytes: int, robots_file: bool) -> FetchedResponse:
        shown = str(url)
        if robots_file:
            # Status codes mean something for robots.txt; the caller decides. Overlong files
            # are cut, not refused (RFC 9309 2.5).
            body = b""
            if response.status_code == 200:
                body = self._read(url, response, max_bytes=max_bytes, truncate=True)
            return FetchedResponse(url=shown, status=response.status_code, body=body)
        etag = response.headers.get("etag")
        modified = response.headers.get("last-modified")
        if response.status_code == 304:
            return FetchedResponse(url=shown, status=304, etag=etag, last_modified=modified,
                                   not_modified=True)
        if response.status_code >= 400:
            reason = f" ({response.reason_phrase})" if response.reason_phrase else ""
            raise FetchError(f"HTTP {response.status_code}{reason} from {shown}")
        if not 200 <= response.status_code < 300:
            raise FetchError(f"HTTP {response.status_code} from {shown}: not a page or feed")
        content_type = response.headers.get("content-type", "")
        mtype = content_type.split(";", 1)[0].strip().lower()
        if check_type and mtype and mtype not in ALLOWED_CONTENT_TYPES:
            raise FetchError(f"refused: {shown} is {mtype}, not a web page or feed")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"refused: {shown} is larger than {_size(max_bytes)}")
        body = self._read(url, response, max_bytes=max_bytes, truncate=False)
        return FetchedResponse(url=shown, status=response.status_code, content_type=content_type,
                               body=body, etag=etag, last_modified=modified)

    def _read(self, url: httpx.URL, response: httpx.Response, *, max_bytes: int,
              truncate: bool) -> bytes:
        chunks: list[bytes] = []
        size = 0
        started = self._clock()
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    if truncate:
                        chunks.append(chunk[: len(chunk) - (size - max_bytes)])
                        break
                    raise FetchError(f"refused: {url} is larger than {_size(max_bytes)}")
                chunks.append(chunk)
                if self._clock() - started > self.total_timeout:
                    raise FetchError(f"could not reach {url.host}: the response took longer "
                                     f"than {self.total_timeout:g} s")
        except httpx.DecodingError as exc:
            raise FetchError(f"could not read the response from {url}: bad encoding") from exc
        except httpx.TransportError as exc:
            raise self._transport_error(url.host, exc) from exc
        return b"".join(chunks)

    def _transport_error(self, host: str, exc: httpx.TransportError) -> FetchError:
        if isinstance(exc, httpx.ConnectTimeout):
            return FetchError(f"could not reach {host}: timed out after {self.connect_timeout:g} s")
        if isinstance(exc, httpx.TimeoutException):
            return FetchError(f"could not reach {host}: timed out after {self.read_timeout:g} s")
        text = str(exc)
        if "CERTIFICATE" in text.upper():
            return FetchError(f"could not reach {host}: its TLS certificate is not valid")
        if isinstance(exc, httpx.ConnectError):
            if "refused" in text.lower():
                return FetchError(f"could not reach {host}: connection refused")
            return FetchError(f"could not reach {host}: {text or 'connection failed'}")
        if isinstance(exc, httpx.RemoteProtocolError):
            return FetchError(f"could not reach {host}: the server broke off the answer")
        return FetchError(f"could not reach {host}: {text or type(exc).__name__}")

    # --- robots.txt ------------------------------------------------------------------------

    def _check_robots(self, url: httpx.URL) -> None:
        key = _host_key(url)
        now = self._clock()
        with self._lock:
            entry = self._robots.get(key)
        if entry is None or entry.expires <= now:
            entry = self._load_robots(url, now=now)
            with self._lock:
                self._robots[key] = entry
        if entry.error:
            raise FetchError(f"refused: {entry.error}")
        if entry.parser is not None and not entry.parser.can_fetch(ROBOTS_TOKEN, str(url)):
            raise FetchError(f"refused: robots.txt of {url.host} does not allow briefbot to "
                             f"fetch {url.raw_path.decode('ascii')}")

    def _wait_crawl_delay(self, url: httpx.URL) -> None:
        """Spaces requests to one host as its robots.txt Crawl-delay asks (capped). The slot is
        taken before sleeping, so requests from several threads queue up one delay apart."""
        key = _host_key(url)
        with self._lock:
            entry = self._robots.get(key)
            delay = entry.parser.crawl_delay(ROBOTS_TOKEN) if entry and entry.parser else None
            last = self._last_request.get(key)
            now = self._clock()
            start = now
            if delay and last is not None:
                start = max(now, last + min(float(delay), MAX_CRAWL_DELAY_SECONDS))
            self._last_request[key] = start
        if start > now:
            self._sleep(start - now)

    def _load_robots(self, url: httpx.URL, *, now: float) -> _Robots:
        robots_url = str(url.copy_with(path="/robots.txt", query=None, fragment=None))
        answer = self._get(robots_url, headers={}, robots=False, check_type=False,
                           max_bytes=ROBOTS_MAX_BYTES, robots_file=True)
        if answer.status >= 500:
            # RFC 9309 2.3.1.4: an unreachable robots.txt means complete disallow, for now.
            return _Robots(parser=None, expires=now + ROBOTS_ERROR_TTL_SECONDS,
                           error=f"robots.txt of {url.host} answered HTTP {answer.status}; "
                                 "trying again later")
        if answer.status != 200:
            # RFC 9309 2.3.1.3: an unavailable robots.txt (4xx) allows everything.
            return _Robots(parser=None, expires=now + ROBOTS_TTL_SECONDS)
        parser = RobotFileParser()
        parser.parse(answer.body.decode("utf-8", errors="replace").splitlines())
        parser.modified()  # can_fetch refuses everything until the parser is marked as read
        return _Robots(parser=parser, expires=now + ROBOTS_TTL_SECONDS)


def parse_url(url: str) -> httpx.URL:
    """A checked http(s) URL, or FetchError saying what is wrong with it."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"not a valid web address: {url!r}") from exc
    if parsed.scheme not in ("http", "https"):
        shown = parsed.scheme or "none"
        raise FetchError(f"refused: only http and https addresses can be fetched "
                         f"(scheme: {shown})")
    if not parsed.host:
        raise FetchError(f"not a valid web address: {url!r}")
    if parsed.userinfo:
        raise FetchError("refused: addresses with a user name or password are not fetched")
    return parsed


def _host_key(url: httpx.URL) -> tuple[str, str, int]:
    return url.scheme, url.host, url.port or (443 if url.scheme == "https" else 80)


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):g} MB"
    return f"{count / 1024:g} KB"
