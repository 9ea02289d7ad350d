"""The clock process: posts each subscribed channel's digest on time and once; polls sources."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from types import FrameType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.blocks import digest_messages, escape, render, section
from bot.bootstrap import make_batch_ingest
from bot.plaintext import to_plain
from briefing import digest, sources
from briefing.digest import DigestAnswer, Rendered

if TYPE_CHECKING:
    from bot.bootstrap import Container

log = logging.getLogger(__name__)

# Subscriptions added or changed in Slack reach the schedule within this many seconds
# (issue 5 §3: without a restart); a minute is the resolution of a digest's HH:MM.
RECONCILE_SECONDS = 60
# Sources carry their own next_poll (POLL_INTERVAL_MINUTES, backoff); this tick only bounds how
# late a due poll starts.
POLL_TICK_SECONDS = 60
# A clock that finds another clock holding a digest's lease looks again this long after the
# lease would run out, in case that clock died holding it.
LEASE_RECHECK_MARGIN = timedelta(seconds=5)
DIGEST_JOB = "digest:"
RETRY_JOB = "retry:"


def default_owner() -> str:
    """Who holds a lease: host, process and a random suffix (pids are reused after restarts)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _wall() -> datetime:
    """The scheduler's own clock, for placing one-off jobs (retries) relative to now."""
    return datetime.now(UTC)


def render_for_post(answer: DigestAnswer) -> Rendered:
    return [(m.text, m.blocks) for m in digest_messages(answer)]


class DigestClock:
    """The clock process's jobs, on any APScheduler 3 scheduler (tests use a background one)."""

    def __init__(self, container: Container, *, scheduler: BaseScheduler,
                 now: Callable[[], datetime] | None = None, owner: str | None = None,
                 lease: timedelta = timedelta(seconds=digest.LEASE_SECONDS),
                 retry_base_seconds: float = digest.RETRY_BASE_SECONDS) -> None:
        self.c = container
        self.scheduler = scheduler
        self.now = now or container.clock
        self.owner = owner or default_owner()
        self.lease = lease
        self.retry_base_seconds = retry_base_seconds
        self.grace = timedelta(hours=container.settings.digest_grace_hours)
        self._schedules: dict[str, tuple[str, str]] = {}

    # --- schedule ------------------------------------------------------------------------------

    def install(self) -> None:
        """Jobs: one per subscribed channel, reconcile, source polling, and a catch-up now."""
        self.reconcile()
        self.scheduler.add_job(self.reconcile, IntervalTrigger(seconds=RECONCILE_SECONDS),
                               id="reconcile", replace_existing=True, coalesce=True,
                               max_instances=1)
        self.scheduler.add_job(self.poll_sources, IntervalTrigger(seconds=POLL_TICK_SECONDS),
                               id="poll-sources", replace_existing=True, coalesce=True,
                               max_instances=1)
        self.scheduler.add_job(self.catch_up, id="catch-up", replace_existing=True)

    def reconcile(self) -> None:
        """Make the digest jobs match the active subscriptions."""
        with self.c.uow() as tx:
            subs = {DIGEST_JOB + s.channel: s for s in tx.subscriptions.active()}
        for job_id in list(self._schedules):
            if job_id not in subs:
                self._remove(job_id)
                del self._schedules[job_id]
                log.info("digest for %s unscheduled (unsubscribed)", job_id[len(DIGEST_JOB):])
        for job_id, sub in subs.items():
            wanted = (sub.time, sub.timezone)
            if self._schedules.get(job_id) == wanted:
                continue
            hour, minute = (int(x) for x in sub.time.split(":"))
            self.scheduler.add_job(
                self.run_digest, CronTrigger(hour=hour, minute=minute,
                                             timezone=ZoneInfo(sub.timezone)),
                args=[sub.channel], id=job_id, replace_existing=True, coalesce=True,
                max_instances=1,
                # a run delayed while this process was busy still counts, within the grace
                misfire_grace_time=int(self.grace.total_seconds()))
            self._schedules[job_id] = wanted
            log.info("digest for %s scheduled daily at %s %s", sub.channel, sub.time,
                     sub.timezone)

    def _remove(self, job_id: str) -> None:
        if self.scheduler.get_job(job_id) is not None:
            self.scheduler.remove_job(job_id)

    # --- digests -------------------------------------------------------------------------------

    def catch_up(self) -> None:
        """On start: post any digest missed while no clock ran, if still within the grace."""
        with self.c.uow() as tx:
            subs = tx.subscriptions.active()
        for sub in subs:
            self.run_digest(sub.channel, catch_up=True)

    def run_digest(self, channel: str, day: date | None = None, *,
                   catch_up: bool = False) -> digest.PostOutcome | None:
        """Post the channel's digest for `day` (default: the latest due) unless it is posted,
        held by another clock, or too late; on failure, schedule a retry with backoff."""
        now = self.now()
        with self.c.uow() as tx:
            sub = tx.subscriptions.get(channel)
            if sub is None or not sub.active:
                log.info("digest for %s skipped: the channel is not subscribed", channel)
                return None
            if day is None:
                day, due = digest.last_due(sub, now)
            else:
                due = digest.scheduled_at(sub, day)
            record = tx.digests.record(channel, day)
        if record is not None and record.status == "posted":
            log.log(logging.INFO if catch_up else logging.DEBUG,
                    "digest for %s on %s already posted at %s", channel, day, record.posted_at)
            return None
        if catch_up and record is None and sub.created is not None and sub.created > due:
            log.info("digest for %s on %s not caught up: subscribed at %s, after it was due",
                     channel, day, sub.created)
            return None
        late = now - due
        if late > self.grace:
            log.warning("digest for %s on %s NOT posted: it was due at %s, %.1f hours ago, "
                        "beyond DIGEST_GRACE_HOURS=%s (%s)", channel, day, due.isoformat(),
                        late.total_seconds() / 3600, self.c.settings.digest_grace_hours,
                        f"record {record.status}, attempts {record.attempts}, last error "
                        f"{record.error!r}" if record else "never claimed")
            return None
        poster = self.c.deps.poster
        if poster is None:
            log.error("digest for %s on %s not posted: Slack is not configured "
                      "(SLACK_BOT_TOKEN is unset)", channel, day)
            return None
        outcome = digest.post_digest(channel, day=day, uow=self.c.uow, poster=poster,
                                     render=render_for_post, registry=self.c.deps.registry(),
                                     now=now, owner=self.owner, lease=self.lease)
        if outcome.status == "failed":
            delay = digest.retry_delay(outcome.attempts, base_seconds=self.retry_base_seconds)
            if now + delay - due > self.grace:
                log.error("digest for %s on %s failed %d times; the next try would fall "
                          "beyond the grace window, giving up: %s", channel, day,
                          outcome.attempts, outcome.error)
            else:
                log.warning("digest for %s on %s will be retried in %s", channel, day, delay)
                self._later(channel, day, delay)
        elif outcome.status == "busy":
            log.info("digest for %s on %s is held by another clock; looking again when its "
                     "lease runs out", channel, day)
            if now + self.lease - due <= self.grace:
                self._later(channel, day, self.lease + LEASE_RECHECK_MARGIN)
        return outcome

    def _later(self, channel: str, day: date, delay: timedelta) -> None:
        self.scheduler.add_job(self.run_digest, DateTrigger(run_date=_wall() + delay),
                               args=[channel, day], id=f"{RETRY_JOB}{channel}:{day}",
                               replace_existing=True,
                               misfire_grace_time=int(self.grace.total_seconds()))

    # --- sources -------------------------------------------------------------------------------

    def poll_sources(self) -> None:
        """Polls the sources that are due, through the batch path: a poll that brings
        `batch.POOL_MIN_ARTICLES` new items or more is read and processed by INGEST_WORKERS
        worker processes, fewer in this process. Either way each article is stored in its own
        transaction, in the feed's order, once (checked before and inside that transaction),
        an item that fails is counted failed alone, and the registry grows by what each new
        article discovers, as in `briefbot ingest`."""
        fetcher = self.c.deps.fetcher
        if fetcher is None:
            return
        now = self.now()
        ingest = make_batch_ingest(self.c, now=now, registry=self.c.deps.registry())
        reports = sources.poll_due(uow=self.c.uow, fetcher=fetcher, ingest=ingest, now=now)
        for r in reports:
            log.info("polled source %s: %s%s", r.source_id, r.status,
                     f" ({r.error})" if r.error else "")
            if r.status == "paused":
                self.tell_admins(f"Source #{r.source_id} ({sources.shown_url(r.url)}) was "
                                 f"{r.error}. "
                                 f"Fix it, then `/sources resume {r.source_id}`.")

    def tell_admins(self, text: str) -> None:
        """A direct message to each admin in ADMIN_USER_IDS (the App Home shows it too)."""
        poster = self.c.deps.poster
        if poster is None:
            log.warning("no Slack poster; admins not told: %s", text)
            return
        for user in self.c.settings.admin_user_ids:
            try:
                poster.post(user, text=text, blocks=[section(escape(text))])
            except Exception:  # one admin we cannot reach must not stop the others
                log.exception("could not tell admin %s", user)


def run_clock(container: Container, *, now: Callable[[], datetime] | None = None,
              owner: str | None = None,
              lease: timedelta = timedelta(seconds=digest.LEASE_SECONDS),
              retry_base_seconds: float = digest.RETRY_BASE_SECONDS,
              blocking: bool = True) -> BaseScheduler:
    """Run the clock until SIGTERM or Ctrl-C. `now`, `lease` and `retry_base_seconds` let
    tests stand the clock at another time and shorten its waits."""
    scheduler: BaseScheduler = (BlockingScheduler(timezone=UTC) if blocking
                                else BackgroundScheduler(timezone=UTC))
    clock = DigestClock(container, scheduler=scheduler, now=now, owner=owner, lease=lease,
                        retry_base_seconds=retry_base_seconds)
    clock.install()
    log.info("clock %s started: %d digest job(s), grace %s h", clock.owner,
             len(clock._schedules), container.settings.digest_grace_hours)
    if blocking:
        def stop(signum: int, frame: FrameType | None) -> None:
            log.info("clock %s stopping (signal %d)", clock.owner, signum)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
    try:
        scheduler.start()
    except KeyboardInterrupt:  # Ctrl-C in a terminal: stop quietly, like SIGTERM
        log.info("clock %s stopping (interrupted)", clock.owner)
        scheduler.shutdown(wait=False)
    return scheduler


def print_digest(container: Container, *, as_of: date | None, channel: str | None,
                 as_json: bool) -> None:
    """`briefbot digest`: the digest that would be posted now, or at the end of `as_of`.

    `--as-of D` stands at the very end of day D (in the channel's timezone, else UTC), so the
    day's articles count whatever hour their date was given; the window is the channel's
    previous digest before then, else day D itself.
    """
    zone: Any = UTC
    if channel:
        with container.uow() as tx:
            sub = tx.subscriptions.get(channel)
        if sub is not None:
            zone = ZoneInfo(sub.timezone)
    now = datetime.combine(as_of, time.max, tzinfo=zone) if as_of else container.clock()
    since = None
    if as_of:
        with container.uow() as tx:
            since, first = digest.window_start(tx, channel, now)
        if first:  # D's own day, not the 24 hours before its last microsecond
            since = datetime.combine(as_of, time.min, tzinfo=zone)
    answer = digest.build_digest(channel, uow=container.uow, now=now, since=since,
                                 registry=container.deps.registry())
    if as_json:
        click.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(to_plain(render(answer)))
