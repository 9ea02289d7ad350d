"""Posting a digest exactly once: claim, post, complete; failures, retries, leases, races."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.clock import DigestClock, render_for_post
from bot.commands import Context, dispatch
from briefing import digest, sources
from briefing.answers import SubscriptionAnswer
from briefing.digest import DigestAnswer, post_digest
from briefing.errors import FetchError, PermissionDenied, UsageError
from briefing.ports import FetchedResponse, SourceUpdate, Subscription
from digest.helpers import FakePoster, make_container

NOW = datetime(2025, 2, 14, 8, 0, 30, tzinfo=UTC)
DAY = date(2025, 2, 14)


def _post(c, poster: FakePoster, *, now: datetime = NOW, owner: str = "clock-a",
          channel: str = "C1", lease: timedelta = timedelta(minutes=10)) -> digest.PostOutcome:
    return post_digest(channel, day=DAY, uow=c.uow, poster=poster, render=render_for_post,
                       registry=c.deps.registry(), now=now, owner=owner, lease=lease)


def test_a_digest_is_posted_once_however_often_it_is_asked_for(db_url: str) -> None:
    c = make_container(db_url)
    poster = FakePoster()
    first = _post(c, poster)
    again = _post(c, poster, owner="clock-b", now=NOW + timedelta(minutes=1))
    assert (first.status, again.status) == ("posted", "already_posted")
    assert len(poster.top_level("C1")) == 1 and again.ts == first.ts
    with c.uow() as tx:
        record = tx.digests.record("C1", DAY)
    assert record is not None and record.status == "posted" and record.ts == first.ts


def test_a_failed_post_is_recorded_and_a_retry_posts_it(db_url: str) -> None:
    c = make_container(db_url)
    poster = FakePoster(fail=[RuntimeError("slack said internal_error")])
    failed = _post(c, poster)
    assert failed.status == "failed" and "internal_error" in (failed.error or "")
    with c.uow() as tx:
        record = tx.digests.record("C1", DAY)
        recent = tx.digests.recent(limit=5)
    assert record is not None and record.status == "failed"
    assert "internal_error" in (record.error or "") and recent[0].error == record.error
    retried = _post(c, poster, now=NOW + timedelta(seconds=30))
    assert retried.status == "posted" and retried.attempts == 2
    assert len(poster.top_level("C1")) == 1


def test_a_post_whose_answer_was_lost_is_found_and_not_posted_again(db_url: str) -> None:
    c = make_container(db_url)
    poster = FakePoster(lose_answer=[ConnectionResetError("connection reset by peer")])
    lost = _post(c, poster)
    assert lost.status == "failed" and len(poster.top_level("C1")) == 1
    retried = _post(c, poster, now=NOW + timedelta(seconds=30))
    assert retried.status == "posted" and retried.ts == poster.top_level("C1")[0].ts
    assert len(poster.top_level("C1")) == 1 and poster.calls == 1
    with c.uow() as tx:
        record = tx.digests.record("C1", DAY)
    assert record is not None and record.status == "posted" and record.ts == retried.ts


def test_a_clock_that_died_after_posting_is_not_followed_by_a_second_post(db_url: str) -> None:
    c = make_container(db_url)
    with c.uow() as tx:  # a clock claimed and posted, then died before completing the record
        assert tx.digests.claim("C1", DAY, now=NOW, owner="dead-clock")
        tx.commit()
    poster = FakePoster()
    poster.post("C1", text="the digest", blocks=[], key=f"digest/C1/{DAY.isoformat()}")
    taken = _post(c, poster, now=NOW + timedelta(minutes=11), lease=timedelta(minutes=10))
    assert taken.status == "posted" and taken.ts == poster.posted[0].ts
    assert len(poster.top_level()) == 1 and poster.finds == 1


def test_a_first_try_does_not_read_the_history(db_url: str) -> None:
    c = make_container(db_url)
    poster = FakePoster()
    assert _post(c, poster).status == "posted" and poster.finds == 0
    assert poster.posted[0].key == f"digest/C1/{DAY.isoformat()}"


def test_a_live_lease_is_respected_and_a_dead_clocks_lease_is_taken_over(db_url: str) -> None:
    c = make_container(db_url)
    with c.uow() as tx:  # a clock claimed, then died before posting
        assert tx.digests.claim("C1", DAY, now=NOW, owner="dead-clock")
        tx.commit()
    poster = FakePoster()
    busy = _post(c, poster, now=NOW + timedelta(minutes=5), lease=timedelta(minutes=10))
    assert busy.status == "busy" and not poster.posted
    taken = _post(c, poster, now=NOW + timedelta(minutes=11), lease=timedelta(minutes=10))
    assert taken.status == "posted" and len(poster.top_level()) == 1


def test_digest_is_posted_once_when_two_clocks_race(db_url: str) -> None:
    c = make_container(db_url)
    poster = FakePoster()
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def race(owner: str) -> None:
        barrier.wait()
        outcomes.append(_post(c, poster, owner=owner).status)

    threads = [threading.Thread(target=race, args=(f"clock-{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes).count("posted") == 1
    assert len(poster.top_level("C1")) == 1


def test_a_long_digest_posts_its_details_in_the_summary_thread(db_url: str,
                                                                monkeypatch) -> None:
    c = make_container(db_url)
    poster = FakePoster()

    def two_messages(answer: DigestAnswer) -> list[tuple[str, list[dict[str, object]]]]:
        return [("summary", []), ("details", [])]

    outcome = post_digest("C1", day=DAY, uow=c.uow, poster=poster, render=two_messages,
                          registry=c.deps.registry(), now=NOW, owner="a")
    assert [p.text for p in poster.posted] == ["summary", "details"]
    assert poster.posted[1].thread_ts == outcome.ts == poster.posted[0].ts


def test_a_failed_thread_reply_keeps_the_digest_posted_and_records_the_error(
        db_url: str) -> None:
    c = make_container(db_url)

    class FailsSecond(FakePoster):
        def post(self, channel: str, *, text: str, blocks: list[dict[str, object]],
                 thread_ts: str | None = None, key: str | None = None) -> str:
            if thread_ts:
                raise RuntimeError("msg_too_long")
            return super().post(channel, text=text, blocks=blocks, key=key)

    poster = FailsSecond()
    outcome = post_digest("C1", day=DAY, uow=c.uow, poster=poster,
                          render=lambda a: [("summary", []), ("details", [])],
                          registry=c.deps.registry(), now=NOW, owner="a")
    assert outcome.status == "posted"
    with c.uow() as tx:
        record = tx.digests.record("C1", DAY)
    assert record is not None and record.status == "posted"
    assert "msg_too_long" in (record.error or "")
    assert _post(c, poster).status == "already_posted"  # never reposted


# --- subscriptions and the command -------------------------------------------------------------


def test_subscribe_defaults_to_the_users_timezone_and_validates_input(db_url: str) -> None:
    c = make_container(db_url)
    answer = digest.subscribe("C1", time_text=None, zone_text=None, user="U1",
                              default_time="08:00", default_zone="Europe/Kyiv", uow=c.uow,
                              now=NOW)
    assert answer.subscription is not None
    assert (answer.subscription.time, answer.subscription.timezone) == ("08:00", "Europe/Kyiv")
    assert answer.next_post == datetime(2025, 2, 15, 6, 0, tzinfo=UTC)
    with pytest.raises(UsageError):
        digest.subscribe("C1", time_text="25:00", zone_text=None, user="U1",
                         default_time="08:00", default_zone=None, uow=c.uow, now=NOW)
    with pytest.raises(UsageError):
        digest.subscribe("C1", time_text="07:30", zone_text="Mars/Olympus", user="U1",
                         default_time="08:00", default_zone=None, uow=c.uow, now=NOW)
    assert digest.unsubscribe("C1", uow=c.uow).message.startswith("This channel no longer")
    with c.uow() as tx:
        assert tx.subscriptions.active() == []


def test_digest_command_in_a_channel_and_in_the_console(db_url: str) -> None:
    c = make_container(db_url)
    deps = c.deps
    deps.is_admin = lambda user: user in ("U1", "UADMIN", "console")
    in_channel = Context(now=NOW, user_id="U1", channel_id="C9", user_tz="America/New_York")
    answer = dispatch("/digest subscribe 07:30", ctx=in_channel, deps=deps)
    assert isinstance(answer, SubscriptionAnswer) and answer.subscription is not None
    assert answer.subscription.timezone == "America/New_York"
    answer = dispatch("/digest subscribe 06:15 Europe/Kyiv", ctx=in_channel, deps=deps)
    assert answer.subscription is not None and answer.subscription.time == "06:15"
    assert isinstance(dispatch("/digest preview", ctx=in_channel, deps=deps), DigestAnswer)
    console = Context(now=NOW, user_id="console")
    with pytest.raises(UsageError, match="Slack channel"):
        dispatch("/digest subscribe", ctx=console, deps=deps)
    assert isinstance(dispatch("/digest preview", ctx=console, deps=deps), DigestAnswer)
    # changing the channel's digest is for admins; `now` also needs Slack
    deps.is_admin = lambda user: user == "UADMIN"
    for text in ("/digest now", "/digest subscribe 09:00", "/digest unsubscribe"):
        with pytest.raises(PermissionDenied, match="Only admins"):
            dispatch(text, ctx=in_channel, deps=deps)
    assert isinstance(dispatch("/digest preview", ctx=in_channel, deps=deps), DigestAnswer)
    admin = Context(now=NOW, user_id="UADMIN", channel_id="C9")
    with pytest.raises(UsageError, match="not available"):
        dispatch("/digest now", ctx=admin, deps=deps)
    deps.poster = FakePoster()
    first = dispatch("/digest now", ctx=admin, deps=deps)
    second = dispatch("/digest now", ctx=admin, deps=deps)
    assert first.title == "Digest posted."  # type: ignore[attr-defined]
    assert "already posted" in second.title  # type: ignore[attr-defined]
    assert len(deps.poster.top_level("C9")) == 1  # type: ignore[union-attr]


# --- the clock's jobs, in process --------------------------------------------------------------


class _Scheduler:
    """Records add_job calls like APScheduler's, without running anything."""

    def __init__(self) -> None:
        self.jobs: dict[str, tuple[object, object, tuple]] = {}

    def add_job(self, func, trigger=None, args=(), id=None, **kw):  # noqa: A002
        self.jobs[id] = (func, trigger, tuple(args))

    def get_job(self, job_id):
        return self.jobs.get(job_id)

    def remove_job(self, job_id):
        del self.jobs[job_id]


def _clock(c, now: datetime, poster: FakePoster | None) -> tuple[DigestClock, _Scheduler]:
    c.deps.poster = poster
    sched = _Scheduler()
    return DigestClock(c, scheduler=sched, now=lambda: now, owner="test",  # type: ignore[arg-type]
                       retry_base_seconds=1), sched


def _subscribe(c, channel: str, hhmm: str, zone: str = "UTC",
               created: datetime = NOW - timedelta(days=3)) -> None:
    with c.uow() as tx:
        tx.subscriptions.upsert(Subscription(channel=channel, time=hhmm, timezone=zone,
                                             created=created))
        tx.commit()


def test_reconcile_follows_subscriptions_without_a_restart(db_url: str) -> None:
    c = make_container(db_url)
    clock, sched = _clock(c, NOW, FakePoster())
    _subscribe(c, "C1", "08:00")
    clock.reconcile()
    trigger = sched.jobs["digest:C1"][1]
    assert trigger.get_next_fire_time(None, NOW) == datetime(2025, 2, 15, 8, 0, tzinfo=UTC)
    _subscribe(c, "C1", "06:30", "Europe/Kyiv")
    _subscribe(c, "C2", "09:00")
    clock.reconcile()
    assert sched.jobs["digest:C1"][1].get_next_fire_time(None, NOW) == \
        datetime(2025, 2, 15, 4, 30, tzinfo=UTC)
    assert "digest:C2" in sched.jobs
    with c.uow() as tx:
        tx.subscriptions.deactivate("C1")
        tx.commit()
    clock.reconcile()
    assert set(sched.jobs) == {"digest:C2"}


def test_catch_up_posts_a_missed_digest_within_the_grace_window(db_url: str) -> None:
    c = make_container(db_url)
    _subscribe(c, "C1", "08:00")
    poster = FakePoster()
    clock, _ = _clock(c, NOW + timedelta(hours=5), poster)
    clock.catch_up()
    assert len(poster.top_level("C1")) == 1
    clock.catch_up()  # a second start posts nothing more
    assert len(poster.top_level("C1")) == 1


def test_catch_up_after_the_grace_window_posts_nothing_and_says_why(
        db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    c = make_container(db_url)
    _subscribe(c, "C1", "08:00")
    poster = FakePoster()
    clock, _ = _clock(c, NOW + timedelta(hours=6, minutes=1), poster)
    with caplog.at_level(logging.WARNING, logger="bot.clock"):
        clock.catch_up()
    assert poster.calls == 0
    assert "NOT posted" in caplog.text and "DIGEST_GRACE_HOURS" in caplog.text


def test_a_channel_subscribed_after_todays_time_is_not_caught_up(db_url: str) -> None:
    c = make_container(db_url)
    _subscribe(c, "C1", "08:00", created=NOW + timedelta(minutes=30))
    poster = FakePoster()
    clock, _ = _clock(c, NOW + timedelta(hours=1), poster)
    clock.catch_up()
    assert poster.calls == 0


def test_a_failed_post_is_retried_with_backoff_and_a_held_lease_is_looked_at_again(
        db_url: str) -> None:
    c = make_container(db_url)
    _subscribe(c, "C1", "08:00")
    poster = FakePoster(fail=[RuntimeError("boom")])
    clock, sched = _clock(c, NOW, poster)
    outcome = clock.run_digest("C1")
    assert outcome is not None and outcome.status == "failed"
    func, trigger, args = sched.jobs["retry:C1:2025-02-14"]
    assert args == ("C1", DAY)
    retried = func(*args)  # what the scheduler does when the retry comes due
    assert retried.status == "posted" and len(poster.top_level()) == 1
    # another clock holding the lease: look again when it would run out
    with c.uow() as tx:
        assert tx.digests.claim("C2", DAY, now=NOW, owner="other")
        tx.commit()
    _subscribe(c, "C2", "08:00")
    held = clock.run_digest("C2")
    assert held is not None and held.status == "busy" and "retry:C2:2025-02-14" in sched.jobs


class _Unreachable:
    """A fetcher for which every site is down."""

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchedResponse:
        raise FetchError(f"could not reach {url}: timed out")


def test_admins_are_told_when_polling_pauses_a_failing_source(db_url: str) -> None:
    c = make_container(db_url)
    c.settings = c.settings.model_copy(update={"admin_user_ids": ["UA1", "UA2"]})
    c.deps.fetcher = _Unreachable()
    c.deps.poster = FakePoster()
    with c.uow() as tx:
        src = tx.sources.add("https://down.example/feed", name=None, kind="feed",
                             feed_url=None, added_by="UA1", now=NOW)
        tx.sources.update(src.id, SourceUpdate(failures=sources.PAUSE_AFTER_FAILURES - 2))
        tx.commit()
    clock = DigestClock(c, scheduler=BackgroundScheduler(), now=lambda: NOW)
    clock.poll_sources()  # one more failure: not paused yet, nobody told
    assert c.deps.poster.posted == []  # type: ignore[union-attr]
    with c.uow() as tx:
        tx.sources.update(src.id, SourceUpdate(next_poll=NOW))
        tx.commit()
    clock.poll_sources()  # the failure that pauses it
    told = c.deps.poster.posted  # type: ignore[union-attr]
    assert sorted(p.channel for p in told) == ["UA1", "UA2"]
    assert all(f"/sources resume {src.id}" in p.text and "timed out" in p.text for p in told)
