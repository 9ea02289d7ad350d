"""Building a digest from the store: what counts as new, what it shows, how it renders."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.blocks import digest_messages, render
from bot.cli import main
from briefing import digest
from briefing.digest import DigestAnswer, build_digest
from briefing.models import QuestionStatus, StanceLabel
from briefing.ports import Subscription
from digest.helpers import assert_within_slack_limits, make_container

END_OF_13_FEB = datetime(2025, 2, 14, tzinfo=UTC)


def _seed_digest(url: str, now: datetime = END_OF_13_FEB) -> DigestAnswer:
    c = make_container(url)
    return build_digest(None, uow=c.uow, now=now, since=None, registry=c.deps.registry())


def test_as_of_13_february_shows_the_call_its_confirmation_trumps_nato_stance_and_open_questions(
        seeded_url: str) -> None:
    result = CliRunner().invoke(main, ["digest", "--as-of", "2025-02-13", "--json",
                                       "--db", seeded_url])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["since"].startswith("2025-02-13T00:00") and not data["nothing_new"]
    # the call of Wednesday 12 February is the day's development
    developments = [d for s in data["developments"] for d in s["developments"]]
    assert any(d["date"] == "2025-02-12" and "phone conversation" in d["summary"]
               for d in developments)
    assert all(s["articles"] for s in data["developments"])
    # both sides' confirmation answers whether the call happened
    answered = {q["question"]: q for q in data["questions"]["answered"]}
    confirmed = [q for q in answered.values() if q["settled"] == "answered"
                 and "confirmed" in q["answer"]["text"]]
    assert confirmed, answered.keys()
    assert "both Moscow and Washington have confirmed" in confirmed[0]["answer"]["text"]
    # Trump's NATO stance appears among the stance changes, with its evidence
    nato = [c for c in data["stance_changes"]
            if c["actor"]["id"] == "trump" and c["topic"]["id"] == "nato"]
    assert nato and nato[0]["to"] in ("opposes", "supports", "conditional", "mixed")
    assert nato[0]["evidence"][0]["article"]["published"].startswith("2025-02-13")
    # questions still open, oldest first, with their age as of that day
    unresolved = data["questions"]["unresolved"]
    assert unresolved
    assert all(q["status"] != "answered" for q in unresolved)
    ages = [q["age_days"] for q in unresolved]
    assert ages == sorted(ages, reverse=True) and all(a >= 0 for a in ages)
    assert not any(q["question"] == confirmed[0]["question"] for q in unresolved)


def test_records_dated_after_the_digest_are_left_out(seeded_url: str) -> None:
    # on the evening of 10 February the 13 February article does not exist yet
    a = _seed_digest(seeded_url, now=datetime(2025, 2, 11, tzinfo=UTC))
    published = {x.published.date() for s in a.stories for x in s.articles if x.published}
    assert published == {date(2025, 2, 10)}
    for q in [*a.opened, *(o.question for o in a.unresolved)]:
        assert all(c.article.published is None or c.article.published < a.now
                   for c in (*q.raised_in, *q.answered_by))
    assert all(o.question.status != QuestionStatus.ANSWERED for o in a.unresolved)


def test_a_day_with_nothing_new_says_so_in_one_line(seeded_url: str) -> None:
    a = _seed_digest(seeded_url, now=datetime(2025, 2, 12, tzinfo=UTC))
    assert a.nothing_new and a.new_articles == 0
    messages = digest_messages(a)
    assert len(messages) == 1
    assert len(messages[0].blocks) == 1 and "Nothing new since" in messages[0].text
    assert "\n" not in messages[0].text
    assert_within_slack_limits(messages[0])


def test_the_next_digest_starts_where_the_previous_one_ended(seeded_url: str) -> None:
    c = make_container(seeded_url)
    posted_at = datetime(2025, 2, 13, 6, 0, tzinfo=UTC)
    with c.uow() as tx:
        assert tx.digests.claim("C1", date(2025, 2, 13), now=posted_at, owner="t")
        tx.digests.complete("C1", date(2025, 2, 13), now=posted_at, ts="1.0")
        tx.commit()
    a = build_digest("C1", uow=c.uow, now=END_OF_13_FEB, since=None, registry=c.deps.registry())
    assert a.since == posted_at and not a.first
    # a channel without a previous digest gets the last 24 hours
    b = build_digest("C2", uow=c.uow, now=END_OF_13_FEB, since=None, registry=c.deps.registry())
    assert b.first and b.since == END_OF_13_FEB - timedelta(hours=24)


def test_every_digest_message_keeps_slack_limits_and_every_line_cites(seeded_url: str) -> None:
    a = _seed_digest(seeded_url)
    for message in [*digest_messages(a), render(a)]:
        assert_within_slack_limits(message)
    text = "\n".join(b["text"]["text"] for m in digest_messages(a) for b in m.blocks
                     if b["type"] == "section")
    for line in text.splitlines():
        if line.startswith("• "):  # a question line carries its link inline
            assert "<" in line or "_" in line, line


def test_a_long_digest_is_a_short_summary_with_details_in_the_thread(seeded_url: str) -> None:
    a = _seed_digest(seeded_url)
    # blow the digest up to the most it may carry, with long texts everywhere
    story = a.stories[0]
    long = story.model_copy(update={"headline": "H" * 5000, "articles": story.articles * 30})
    big = a.model_copy(update={
        "stories": [long] * digest.STORIES_SHOWN, "stories_total": 40,
        "stance_changes": (a.stance_changes * 10)[:digest.STANCE_CHANGES_SHOWN],
        "opened": (a.opened * 20)[:digest.OPENED_SHOWN],
        "answered": (a.answered * 20)[:digest.ANSWERED_SHOWN]})
    messages = digest_messages(big)
    assert len(messages) == 2
    summary, details = messages
    assert len(summary.blocks) <= 6 and "Details in the thread" in summary.text
    assert len(details.blocks) > len(summary.blocks)
    for m in messages:
        assert_within_slack_limits(m)


def test_stance_changes_compare_with_earlier_evidence(seeded_url: str) -> None:
    a = _seed_digest(seeded_url)
    for c in a.stance_changes:
        assert c.after is not StanceLabel.UNCLEAR and c.after != c.before
        assert all(e.article.published and e.article.published >= a.since for e in c.evidence)


@pytest.mark.parametrize(("hhmm", "zone", "now", "day", "due"), [
    ("08:00", "UTC", datetime(2025, 2, 14, 9, 0, tzinfo=UTC), date(2025, 2, 14),
     datetime(2025, 2, 14, 8, 0, tzinfo=UTC)),
    ("08:00", "UTC", datetime(2025, 2, 14, 7, 0, tzinfo=UTC), date(2025, 2, 13),
     datetime(2025, 2, 13, 8, 0, tzinfo=UTC)),
    # 08:00 in Kyiv (UTC+2 in winter) is 06:00 UTC; at 23:30 UTC it is already the 15th there
    ("08:00", "Europe/Kyiv", datetime(2025, 2, 14, 23, 30, tzinfo=UTC), date(2025, 2, 14),
     datetime(2025, 2, 14, 6, 0, tzinfo=UTC)),
])
def test_last_due_is_the_latest_scheduled_time_in_the_channels_zone(
        hhmm: str, zone: str, now: datetime, day: date, due: datetime) -> None:
    sub = Subscription(channel="C", time=hhmm, timezone=zone)
    got_day, got_due = digest.last_due(sub, now)
    assert (got_day, got_due) == (day, due)
    assert digest.next_due(sub, now) == got_due + timedelta(days=1)


def test_a_question_raised_again_and_again_lists_its_first_raises_and_cites_the_first(
        seeded_url: str, tmp_path: Path) -> None:
    copy = tmp_path / "raised.db"
    shutil.copyfile(seeded_url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    before = _seed_digest(url)
    (oldest, *_) = before.unresolved
    first = oldest.question.raised_in[0]
    c = make_container(url)
    with c.uow() as tx:  # a long story raises it in the day's article, time after time
        day_article = before.stories[0].articles[0].id
        for i in range(digest.QUESTION_SOURCES_SHOWN + 10):
            tx.questions.add_raise(oldest.question.id, article_id=day_article,
                                   sentence_text=f"Raised again ({i}).",
                                   now=END_OF_13_FEB - timedelta(hours=1))
        tx.commit()
    after = _seed_digest(url)
    again = next(o for o in after.unresolved if o.question.id == oldest.question.id)
    assert len(again.question.raised_in) == digest.QUESTION_SOURCES_SHOWN
    assert again.question.raised_in[0] == first
    assert again.open_since == oldest.open_since
    assert [c.text for c in again.question.raised_in[len(oldest.question.raised_in):]] == [
        f"Raised again ({i})." for i in range(
            digest.QUESTION_SOURCES_SHOWN - len(oldest.question.raised_in))]
    for message in digest_messages(after):
        assert_within_slack_limits(message)


def test_a_channels_digest_is_dated_and_timed_in_its_own_timezone(tmp_path: Path,
                                                                   seeded_url: str) -> None:
    url = f"sqlite:///{tmp_path / 'tokyo.db'}"
    shutil.copyfile(seeded_url.removeprefix("sqlite:///"), tmp_path / "tokyo.db")
    c = make_container(url)
    with c.uow() as tx:
        tx.subscriptions.upsert(Subscription(channel="CTOKYO", time="08:00",
                                             timezone="Asia/Tokyo"))
        tx.commit()
    # 23:01 UTC on 13 February is 08:01 on 14 February in Tokyo: the 14th's digest
    now = datetime(2025, 2, 13, 23, 1, tzinfo=UTC)
    a = build_digest("CTOKYO", uow=c.uow, now=now, since=None, registry=c.deps.registry())
    assert a.timezone == "Asia/Tokyo"
    text = digest_messages(a)[0].text
    assert text.startswith("Daily digest · 2025-02-14")
    assert "2025-02-13 08:01 JST" in text  # since: 24 hours before, in Tokyo time
    c.engine.dispose()


def test_stance_changes_not_shown_are_counted(seeded_url: str) -> None:
    a = _seed_digest(seeded_url)
    assert a.stance_changes
    more = a.model_copy(update={"stance_changes_total": len(a.stance_changes) + 3})
    text = "\n".join(m.text for m in digest_messages(more))
    assert "3 more stance changes" in text
