"""Source use cases against the local server with a dict-backed store and a fake ingest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.fetcher import SafeFetcher
from briefing import sources
from briefing.errors import BriefingError, FetchError, InputError, NotFoundError
from briefing.ports import AuditEntry, FetchedResponse
from web.conftest import NOW, RequestHandler, Site, sleep_then
from web.fakes import FakeIngest, FakeStore

ARTICLES = ("geneva-talks", "power-strikes", "prisoner-exchange", "sanctions-package")


def add(site: Site, path: str, *, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest,
        name: str | None = None) -> sources.AddReport:
    return sources.add_source(site.url(path), name=name, user="U_ADMIN", uow=store,
                              fetcher=fetcher, ingest=ingest, now=NOW)


def page_hits(site: Site) -> int:
    return sum(site.hits(f"/articles/{slug}.html") for slug in ARTICLES)


# --- adding -------------------------------------------------------------------------------------


def test_adding_an_rss2_feed_with_full_content_ingests_every_item_without_fetching_pages(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    report = add(site, "/feeds/full.xml", store=store, fetcher=fetcher, ingest=ingest)
    assert (report.kind, report.title) == ("feed", "The Meridian Post")
    tally = report.items
    assert (tally.found, tally.new, tally.unchanged, tally.failed) == (3, 3, 0, 0)
    assert tally.sample_headline == "Envoys to meet in Geneva as ceasefire proposal gains ground"
    assert report.dates_found and report.full_text_found
    assert tally.pages_fetched == 0 and page_hits(site) == 0
    assert [doc.published_from for doc in ingest.calls] == ["feed"] * 3
    assert all(doc.source_id == report.source.id for doc in ingest.calls)
    stored = store.state.sources[report.source.id]
    assert stored.feed_url == site.url("/feeds/full.xml")
    assert stored.kind == "feed" and stored.added_by == "U_ADMIN"
    assert stored.next_poll == NOW + timedelta(minutes=sources.DEFAULT_POLL_MINUTES)
    assert store.state.audit == [AuditEntry(
        at=NOW, user="U_ADMIN", action="sources.add", target=site.url("/feeds/full.xml"),
        result=f"added #{stored.id} (feed: The Meridian Post)")]


def test_summary_only_feed_fetches_each_article_page_and_prefers_feed_dates(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    report = add(site, "/feeds/summary.xml", store=store, fetcher=fetcher, ingest=ingest)
    assert (report.items.new, report.items.pages_fetched, report.items.failed) == (4, 4, 0)
    assert report.items.with_full_text == 4
    by_title = {doc.title: doc for doc in ingest.calls}
    geneva = by_title["Envoys to meet in Geneva as ceasefire proposal gains ground"]
    assert geneva.text.startswith("Negotiators from Kyiv and Moscow")
    assert "Read also" not in geneva.text
    assert (geneva.published_from, geneva.published_inferred) == ("feed", False)
    assert geneva.outlet == "The Meridian Post"
    # No pubDate in the feed and no date in the page's markup: htmldate's guess, marked so.
    sanctions = by_title["EU ministers weigh new sanctions package aimed at shadow fleet"]
    assert sanctions.published == datetime(2025, 3, 13, tzinfo=UTC)
    assert (sanctions.published_from, sanctions.published_inferred) == ("htmldate", True)


def test_atom_feed_uses_content_where_given_and_fetches_the_rest(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    report = add(site, "/feeds/atom.xml", store=store, fetcher=fetcher, ingest=ingest)
    assert (report.items.found, report.items.new, report.items.pages_fetched) == (3, 3, 1)
    assert site.hits("/articles/prisoner-exchange.html") == 1
    assert site.hits("/articles/geneva-talks.html") == 0


def test_rss1_feed_is_read(site: Site, store: FakeStore, fetcher: SafeFetcher,
                           ingest: FakeIngest) -> None:
    report = add(site, "/feeds/rss1.rdf", store=store, fetcher=fetcher, ingest=ingest)
    assert (report.title, report.items.new) == ("The Meridian Post (RSS 1.0)", 3)


def test_rss091_feed_takes_dates_from_the_article_pages(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    report = add(site, "/feeds/rss091.xml", store=store, fetcher=fetcher, ingest=ingest)
    assert (report.items.new, report.items.pages_fetched, report.items.with_date) == (2, 2, 2)
    assert [(doc.published_from, doc.published_inferred) for doc in ingest.calls] == [
        ("page", False), ("htmldate", True)]


def test_malformed_feed_is_added_with_a_warning(site: Site, store: FakeStore,
                                                fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    report = add(site, "/feeds/malformed.xml", store=store, fetcher=fetcher, ingest=ingest)
    assert report.items.new == 2
    assert "not well formed" in report.warnings[0]


def test_site_page_is_followed_to_its_feed(site: Site, store: FakeStore, fetcher: SafeFetcher,
                                           ingest: FakeIngest) -> None:
    report = add(site, "/", store=store, fetcher=fetcher, ingest=ingest, name="Meridian")
    assert report.kind == "feed"
    assert report.feed_url == site.url("/feeds/summary.xml")  # not the comments feed
    assert report.source.url == site.url("/")
    assert "site page" in report.warnings[0]
    assert report.items.new == 4
    assert {doc.outlet for doc in ingest.calls} == {"Meridian"}


def test_article_page_is_added_as_a_page_and_its_site_feed_is_mentioned(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    report = add(site, "/articles/geneva-talks.html", store=store, fetcher=fetcher, ingest=ingest)
    assert (report.kind, report.items.new, report.feed_url) == ("page", 1, None)
    assert report.title == "Envoys to meet in Geneva as ceasefire proposal gains ground"
    assert report.dates_found and report.full_text_found
    assert site.url("/feeds/summary.xml") in report.warnings[-1]


def test_reading_a_url_once_ingests_without_adding_a_source(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    report = sources.read_url(site.url("/feeds/atom.xml"), uow=store, fetcher=fetcher,
                              ingest=ingest, now=NOW)
    assert (report.kind, report.items.new, report.items.pages_fetched) == ("feed", 3, 1)
    assert store.state.sources == {} and store.state.audit == []
    assert {doc.source_id for doc in ingest.calls} == {None}
    again = sources.read_url(site.url("/feeds/atom.xml"), uow=store, fetcher=fetcher,
                             ingest=ingest, now=NOW)
    assert (again.items.new, again.items.unchanged, again.items.pages_fetched) == (0, 3, 0)


def test_feed_item_redirecting_to_loopback_address_is_refused_and_the_rest_kept(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    report = add(site, "/feeds/to-loopback.xml", store=store, fetcher=fetcher, ingest=ingest)
    assert (report.items.new, report.items.failed) == (1, 1)
    assert "refused: 127.0.0.1 is a loopback address" in report.items.errors[0]
    assert site.hits("/articles/geneva-talks.html") == 0
    assert [doc.title for doc in ingest.stored] == [
        "Overnight drone strikes cut power to 300,000 homes in the east"]


def test_only_the_newest_items_of_a_long_feed_are_read(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_ITEMS_PER_FETCH", 2)
    report = add(site, "/feeds/full.xml", store=store, fetcher=fetcher, ingest=ingest)
    assert (report.items.found, report.items.new, report.items.skipped) == (3, 2, 1)
    assert [doc.published_from for doc in ingest.calls] == ["feed", "feed"]
    assert "Prisoner exchange" not in " ".join(doc.title or "" for doc in ingest.calls)


def test_items_the_engine_rejects_are_counted_as_failed(site: Site, store: FakeStore,
                                                        fetcher: SafeFetcher) -> None:
    ingest = FakeIngest(store, fail_titles=("Prisoner exchange",))
    report = add(site, "/feeds/full.xml", store=store, fetcher=fetcher, ingest=ingest)
    assert (report.items.new, report.items.failed) == (2, 1)
    assert report.items.errors == [
        "Prisoner exchange frees 140 soldiers as next round remains uncertain: "
        "the engine could not process it"]


def slow(site: Site) -> str:
    site.handlers["/slow.xml"] = sleep_then(
        1.5, lambda h: h.reply(200, site.files["/feeds/full.xml"][1], content_type="text/xml"))
    return "/slow.xml"


@pytest.mark.parametrize(("path", "error", "message"), [
    ("/gone.xml", FetchError, r"HTTP 404 \(Not Found\) from http://localhost:\d+/gone\.xml"),
    ("/login", InputError, r"no article found"),
    ("/feeds/empty.xml", InputError, r"has no items"),
    ("/feeds/broken.xml", InputError, r"is broken"),
    ("/redirect/7", FetchError, r"more than 5 redirects"),
    ("/data.json", InputError, r"neither a web page nor a feed"),
    (slow, FetchError, r"timed out after 0\.3 s"),
])
def test_bad_sources_get_a_clear_message_and_change_nothing(
        site: Site, store: FakeStore, ingest: FakeIngest, path: object,
        error: type[BriefingError], message: str) -> None:
    site.serve_bytes("/data.json", b'{"items": []}', content_type="application/json")
    target = path(site) if callable(path) else str(path)
    with SafeFetcher(allow_hosts=["localhost"], read_timeout=0.3) as fetcher, \
            pytest.raises(error, match=message):
        add(site, target, store=store, fetcher=fetcher, ingest=ingest)
    assert store.state.sources == {}
    assert ingest.calls == []
    [entry] = store.state.audit
    assert entry.action == "sources.add" and entry.result.startswith("rejected: ")


@pytest.mark.parametrize("url", ["example.org/feed", "not a url", "ftp://example.org/feed",
                                 "https://", "http://exa mple.org/"])
def test_malformed_url_is_refused_before_any_request(url: str, store: FakeStore,
                                                     ingest: FakeIngest) -> None:
    class NoFetcher:
        def fetch(self, url: str, *, etag: str | None = None,
                  last_modified: str | None = None) -> FetchedResponse:
            raise AssertionError("must not fetch")

    with pytest.raises(InputError, match=r"not a web address: .*starting with https://"):
        sources.add_source(url, name=None, user="U1", uow=store, fetcher=NoFetcher(),
                           ingest=ingest, now=NOW)
    assert store.state.sources == {}


def test_slack_wrapped_url_is_unwrapped() -> None:
    assert sources.normalise_url("<https://news.example/feed|news.example/feed>") == (
        "https://news.example/feed")


def test_duplicate_source_is_refused_also_when_reached_through_its_site_page(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    first = add(site, "/feeds/summary.xml", store=store, fetcher=fetcher, ingest=ingest)
    with pytest.raises(InputError, match=rf"already a source: #{first.source.id} "):
        add(site, "/feeds/summary.xml", store=store, fetcher=fetcher, ingest=ingest)
    with pytest.raises(InputError, match=r"already a source"):
        add(site, "/", store=store, fetcher=fetcher, ingest=ingest)
    assert list(store.state.sources) == [first.source.id]


def test_source_is_not_stored_when_the_transaction_fails_before_commit(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}

    def failing_audit(self: object, entry: AuditEntry) -> None:
        calls["n"] += 1
        if entry.result.startswith("added"):
            raise RuntimeError("disk full")
        store.state.audit.append(entry)

    monkeypatch.setattr("web.fakes.FakeAudit.record", failing_audit)
    with pytest.raises(RuntimeError, match="disk full"):
        add(site, "/feeds/full.xml", store=store, fetcher=fetcher, ingest=ingest)
    assert store.state.sources == {}
    assert ingest.calls == []


# --- polling ------------------------------------------------------------------------------------


def serve_conditional(site: Site, path: str, fixture: str) -> dict[str, str]:
    """Serves a fixture with an ETag that changes when `state["version"]` does."""
    state = {"version": "v1", "fixture": fixture}

    def handler(h: RequestHandler) -> None:
        site.serve_fixture("/_current", state["fixture"])
        _, body = site.files["/_current"]
        tag = f'"{state["version"]}"'
        if h.headers.get("If-None-Match") == tag:
            h.reply(304, b"", content_type="", headers={"ETag": tag})
        else:
            h.reply(200, body, content_type="application/rss+xml", headers={"ETag": tag})

    site.handlers[path] = handler
    return state


def test_poll_sends_the_stored_etag_and_does_nothing_when_not_modified(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    serve_conditional(site, "/cond.xml", "feeds/summary.xml")
    added = add(site, "/cond.xml", store=store, fetcher=fetcher, ingest=ingest)
    assert store.state.sources[added.source.id].etag == '"v1"'
    calls, hits = len(ingest.calls), page_hits(site)
    later = NOW + timedelta(minutes=31)
    report = sources.poll_source(added.source.id, uow=store, fetcher=fetcher, ingest=ingest,
                                 now=later)
    assert report.status == "not_modified"
    assert (len(ingest.calls), page_hits(site)) == (calls, hits)
    assert site.requests[-1][1]["if-none-match"] == '"v1"'
    source = store.state.sources[added.source.id]
    assert source.last_ok == later and source.next_poll == later + timedelta(minutes=30)


def test_poll_of_a_changed_summary_feed_fetches_only_pages_not_yet_stored(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    state = serve_conditional(site, "/cond.xml", "feeds/rss1.rdf")  # three items
    added = add(site, "/cond.xml", store=store, fetcher=fetcher, ingest=ingest)
    assert added.items.new == 3
    state.update(version="v2", fixture="feeds/summary.xml")  # adds the Geneva story
    before = {slug: site.hits(f"/articles/{slug}.html") for slug in ARTICLES}
    report = sources.poll_source(added.source.id, uow=store, fetcher=fetcher, ingest=ingest,
                                 now=NOW + timedelta(minutes=30))
    assert report.status == "ok"
    assert (report.items.new, report.items.unchanged, report.items.pages_fetched) == (1, 3, 1)
    after = {slug: site.hits(f"/articles/{slug}.html") for slug in ARTICLES}
    assert {slug for slug in ARTICLES if after[slug] != before[slug]} == {"geneva-talks"}
    assert store.state.sources[added.source.id].etag == '"v2"'


def test_polling_an_article_page_source_finds_it_unchanged(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    added = add(site, "/articles/power-strikes.html", store=store, fetcher=fetcher,
                ingest=ingest)
    report = sources.poll_source(added.source.id, uow=store, fetcher=fetcher, ingest=ingest,
                                 now=NOW + timedelta(minutes=30))
    assert (report.status, report.items.found, report.items.unchanged) == ("ok", 1, 1)
    assert len(ingest.stored) == 1


def test_feed_item_linking_to_a_pdf_is_a_failed_item(site: Site, store: FakeStore,
                                                     fetcher: SafeFetcher,
                                                     ingest: FakeIngest) -> None:
    site.serve_bytes("/report.pdf", b"%PDF-1.7\n" + b"0" * 100, content_type="application/pdf")
    _, body = site.files["/feeds/rss1.rdf"]
    site.serve_bytes("/feeds/pdf.rdf", body.replace(b"/articles/sanctions-package.html",
                                                   b"/report.pdf"),
                     content_type="application/rdf+xml")
    report = add(site, "/feeds/pdf.rdf", store=store, fetcher=fetcher, ingest=ingest)
    assert (report.items.new, report.items.failed) == (2, 1)
    assert "is application/pdf, not a web page or feed" in report.items.errors[0]


def test_failed_polls_back_off_and_pause_the_source_after_five_in_a_row(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    added = add(site, "/feeds/full.xml", store=store, fetcher=fetcher, ingest=ingest)
    site.handlers["/feeds/full.xml"] = lambda h: h.reply(503, b"down for maintenance")
    now = NOW
    waits = []
    for attempt in range(1, sources.PAUSE_AFTER_FAILURES):
        report = sources.poll_source(added.source.id, uow=store, fetcher=fetcher,
                                     ingest=ingest, now=now)
        assert (report.status, report.failures) == ("failed", attempt)
        assert report.error and report.error.startswith("HTTP 503")
        assert report.next_poll is not None
        waits.append(report.next_poll - now)
        now = report.next_poll
    assert waits == [timedelta(minutes=m) for m in (60, 120, 240, 480)]
    report = sources.poll_source(added.source.id, uow=store, fetcher=fetcher, ingest=ingest,
                                 now=now)
    assert report.status == "paused"
    source = store.state.sources[added.source.id]
    assert source.paused and source.failures == 5
    assert source.last_error and source.last_error.startswith(
        "paused after 5 failed polls in a row; last error: HTTP 503")
    assert store.state.audit[-1].user == sources.POLLER
    assert store.state.audit[-1].action == "sources.pause"
    skipped = sources.poll_source(added.source.id, uow=store, fetcher=fetcher, ingest=ingest,
                                  now=now + timedelta(days=1))
    assert skipped.status == "skipped"


def test_a_good_poll_clears_the_failure_count(site: Site, store: FakeStore,
                                              fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    added = add(site, "/feeds/full.xml", store=store, fetcher=fetcher, ingest=ingest)
    good = site.files.pop("/feeds/full.xml")
    sources.poll_source(added.source.id, uow=store, fetcher=fetcher, ingest=ingest, now=NOW)
    assert store.state.sources[added.source.id].failures == 1
    site.files["/feeds/full.xml"] = good
    report = sources.poll_source(added.source.id, uow=store, fetcher=fetcher, ingest=ingest,
                                 now=NOW + timedelta(hours=1))
    assert (report.status, report.items.unchanged) == ("ok", 3)
    source = store.state.sources[added.source.id]
    assert (source.failures, source.last_error) == (0, None)


def test_unexpected_error_while_polling_counts_as_a_failure_with_backoff(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    added = add(site, "/feeds/full.xml", store=store, fetcher=fetcher, ingest=ingest)

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError

    monkeypatch.setattr("briefing.extract.parse_feed", broken)
    report = sources.poll_source(added.source.id, uow=store, fetcher=fetcher, ingest=ingest,
                                 now=NOW)
    assert (report.status, report.failures) == ("failed", 1)
    assert report.error == "internal error while reading the source (ZeroDivisionError)"
    assert store.state.sources[added.source.id].next_poll == NOW + timedelta(minutes=60)


def test_poll_due_polls_only_due_sources_and_survives_a_broken_one(
        site: Site, store: FakeStore, fetcher: SafeFetcher, ingest: FakeIngest) -> None:
    full = add(site, "/feeds/full.xml", store=store, fetcher=fetcher, ingest=ingest)
    atom = add(site, "/feeds/atom.xml", store=store, fetcher=fetcher, ingest=ingest)
    rss1 = add(site, "/feeds/rss1.rdf", store=store, fetcher=fetcher, ingest=ingest)
    sources.pause_source(rss1.source.id, user="U_ADMIN", uow=store, now=NOW)
    site.files.pop("/feeds/full.xml")
    assert sources.poll_due(uow=store, fetcher=fetcher, ingest=ingest, now=NOW) == []
    later = NOW + timedelta(minutes=30)
    reports = sources.poll_due(uow=store, fetcher=fetcher, ingest=ingest, now=later)
    assert {r.source_id: r.status for r in reports} == {full.source.id: "failed",
                                                        atom.source.id: "ok"}


def test_poll_of_unknown_source_is_not_found(store: FakeStore, fetcher: SafeFetcher,
                                             ingest: FakeIngest) -> None:
    with pytest.raises(NotFoundError, match="no source #42"):
        sources.poll_source(42, uow=store, fetcher=fetcher, ingest=ingest, now=NOW)


# --- admin changes ------------------------------------------------------------------------------


def test_pause_resume_remove_are_audited(site: Site, store: FakeStore, fetcher: SafeFetcher,
                                         ingest: FakeIngest) -> None:
    added = add(site, "/feeds/full.xml", store=store, fetcher=fetcher, ingest=ingest)
    source_id = added.source.id
    assert sources.pause_source(source_id, user="U2", uow=store, now=NOW).paused
    store.state.sources[source_id] = store.state.sources[source_id].model_copy(
        update={"failures": 3, "last_error": "HTTP 503"})
    resumed = sources.resume_source(source_id, user="U2", uow=store, now=NOW)
    assert (resumed.paused, resumed.failures, resumed.last_error) == (False, 0, None)
    assert resumed.next_poll == NOW
    assert [s.id for s in sources.list_sources(uow=store)] == [source_id]
    sources.remove_source(source_id, user="U3", uow=store, now=NOW)
    assert sources.list_sources(uow=store) == []
    assert [(e.user, e.action, e.result) for e in store.state.audit[1:]] == [
        ("U2", "sources.pause", "paused"), ("U2", "sources.resume", "resumed"),
        ("U3", "sources.remove", "removed")]
    assert len(ingest.stored) == 3  # removing a source keeps its articles


@pytest.mark.parametrize("change", [sources.remove_source, sources.pause_source,
                                    sources.resume_source])
def test_changing_an_unknown_source_is_not_found_and_records_nothing(
        change: object, store: FakeStore) -> None:
    with pytest.raises(NotFoundError, match=r"no source #7"):
        change(7, user="U1", uow=store, now=NOW)  # type: ignore[operator]
    assert store.state.audit == [] and store.commits == 0
