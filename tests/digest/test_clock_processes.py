"""Acceptance (issue 5): real clock processes on Postgres against a fake Slack on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.bootstrap import utcnow
from briefing.ports import DigestRecord, Subscription
from digest.helpers import FakeSlackApi, make_container
from storage import db

ROOT = Path(__file__).resolve().parents[2]
ENTRY = Path(__file__).with_name("clock_main.py")
# How long a test waits for the clocks to do something before it fails.
PATIENCE_SECONDS = 60.0


@pytest.fixture
def pg(pg_url: str) -> Iterator[str]:
    engine = db.make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM posted_digest"))
        conn.execute(text("DELETE FROM subscription"))
    engine.dispose()
    yield pg_url


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as fake:
        yield fake


class Clocks:
    """Starts `clock_main.py` processes and keeps their logs."""

    def __init__(self, db_url: str, slack: FakeSlackApi, logs: Path) -> None:
        self.db_url, self.slack, self.logs = db_url, slack, logs
        self.procs: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, *, shift_hours: float = 0.0, lease_seconds: float = 600.0,
              retry_seconds: float = 1.0) -> tuple[subprocess.Popen[bytes], Path]:
        log = self.logs / f"clock{len(self.procs)}.log"
        env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": self.slack.url,
               "DIGEST_GRACE_HOURS": "6", "LOG_LEVEL": "INFO",
               "PYTHONPATH": str(ROOT), "DATABASE_URL": self.db_url}
        env.pop("SLACK_APP_TOKEN", None)
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, str(ENTRY), "--db", self.db_url,
                 "--shift-hours", str(shift_hours), "--lease-seconds", str(lease_seconds),
                 "--retry-seconds", str(retry_seconds)],
                cwd=self.logs, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.procs.append((proc, log))
        return proc, log

    def stop_all(self) -> None:
        for proc, _ in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def clocks(pg: str, slack: FakeSlackApi, tmp_path: Path) -> Iterator[Clocks]:
    c = Clocks(pg, slack, tmp_path)
    yield c
    c.stop_all()


def wait_for(check: Callable[[], bool], what: str, clocks: Clocks) -> None:
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        if check():
            return
        for proc, log in clocks.procs:
            if proc.poll() not in (None, -signal.SIGKILL, -signal.SIGTERM):
                pytest.fail(f"a clock exited ({proc.returncode}):\n{log.read_text()}")
        time.sleep(0.2)
    logs = "\n".join(f"--- {log.name}\n{log.read_text()}" for _, log in clocks.procs)
    pytest.fail(f"timed out waiting for {what}\n{logs}")


def subscribe_due_minutes_ago(url: str, *channels: str) -> None:
    """Channels whose digest fell due two minutes ago: a starting clock catches them up."""
    due = utcnow() - timedelta(minutes=2)
    c = make_container(url)
    with c.uow() as tx:
        for ch in channels:
            tx.subscriptions.upsert(Subscription(channel=ch, time=f"{due:%H:%M}", timezone="UTC",
                                                 created=due - timedelta(days=1)))
        tx.commit()
    c.engine.dispose()


def records(url: str) -> dict[str, DigestRecord]:
    c = make_container(url)
    with c.uow() as tx:
        out = {r.channel: r for r in tx.digests.recent(limit=100)}
    c.engine.dispose()
    return out


def test_two_clocks_and_a_flaky_slack_post_exactly_one_digest_per_channel_per_day(
        clocks: Clocks, slack: FakeSlackApi, pg: str) -> None:
    subscribe_due_minutes_ago(pg, "C1", "C2", "C3")
    # 429 (Retry-After: 1) then 500 are absorbed by slack_sdk's retry handlers in one call;
    # five 500s outlast them, so C3's post fails once and is retried by the clock's backoff
    slack.scripts = {"C1": [429, 500], "C2": [429, 500], "C3": [500] * 4}
    clocks.start()
    clocks.start()
    wait_for(lambda: all(slack.delivered(ch) for ch in ("C1", "C2", "C3"))
             and all(r.status == "posted" for r in records(pg).values())
             and len(records(pg)) == 3, "three posted digests", clocks)
    time.sleep(3)  # give a second post every chance to happen
    for ch in ("C1", "C2", "C3"):
        assert len(slack.delivered(ch)) == 1, (ch, slack.statuses(ch))
    assert slack.statuses("C1")[:3] == [429, 500, 200]
    assert slack.statuses("C3") == [500, 500, 500, 500, 200]
    got = records(pg)
    assert got["C1"].attempts == 1 and got["C3"].attempts == 2
    assert {r.day for r in got.values()} == {(utcnow() - timedelta(minutes=2)).date()}
    logs = "".join(log.read_text() for _, log in clocks.procs)
    assert logs.count("started") >= 2 and "will be retried" in logs


def test_a_post_whose_answer_is_lost_is_not_posted_again(
        clocks: Clocks, slack: FakeSlackApi, pg: str) -> None:
    subscribe_due_minutes_ago(pg, "L1")
    slack.scripts = {"L1": ["drop"]}  # Slack posts it, and the connection drops before the answer
    clocks.start()
    wait_for(lambda: "L1" in records(pg) and records(pg)["L1"].status == "posted",
             "the digest posted", clocks)
    time.sleep(2)
    assert len(slack.delivered("L1")) == 1
    assert records(pg)["L1"].ts == slack.delivered("L1")[0].body["ts"]


def test_a_clock_killed_between_claim_and_post_posts_once_on_restart_within_grace(
        clocks: Clocks, slack: FakeSlackApi, pg: str) -> None:
    subscribe_due_minutes_ago(pg, "K1")
    slack.scripts = {"K1": ["hang"]}
    first, _ = clocks.start(lease_seconds=3)
    wait_for(lambda: bool(slack.calls) and "K1" in records(pg), "the claim and the post", clocks)
    first.send_signal(signal.SIGKILL)
    first.wait()
    slack.release()
    claimed = records(pg)["K1"]
    assert claimed.status == "claimed" and not slack.delivered("K1")
    clocks.start(lease_seconds=3)
    wait_for(lambda: records(pg)["K1"].status == "posted", "the digest after restart", clocks)
    time.sleep(2)
    assert len(slack.delivered("K1")) == 1
    assert records(pg)["K1"].attempts == 2


def test_a_clock_killed_between_claim_and_post_restarted_after_grace_posts_nothing_and_logs_why(
        clocks: Clocks, slack: FakeSlackApi, pg: str) -> None:
    subscribe_due_minutes_ago(pg, "K2")
    slack.scripts = {"K2": ["hang"]}
    first, _ = clocks.start(lease_seconds=3)
    wait_for(lambda: bool(slack.calls) and "K2" in records(pg), "the claim and the post", clocks)
    first.send_signal(signal.SIGKILL)
    first.wait()
    slack.release()
    # back seven hours later (the grace window is six)
    _, log = clocks.start(shift_hours=7, lease_seconds=3)
    wait_for(lambda: "NOT posted" in log.read_text(), "the clock to say why", clocks)
    time.sleep(2)
    text_ = log.read_text()
    assert "K2" in text_ and "beyond DIGEST_GRACE_HOURS=6" in text_ and "record claimed" in text_
    assert not slack.delivered("K2")
    assert records(pg)["K2"].status == "claimed"
    assert datetime.now(UTC) - records(pg)["K2"].claimed_at < timedelta(minutes=5)
