"""Every renderer keeps Slack's limits and escapes article text, even for hostile, huge answers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from bot import blocks
from bot.home import ChannelDigest, HomeData, next_digest
from briefing.answers import (
    AuditAnswer,
    BriefAnswer,
    HelpAnswer,
    KeyStance,
    Notice,
    QuestionsAnswer,
    QuotesAnswer,
    SourcesAnswer,
    StanceAnswer,
    TimelineAnswer,
    TimelineItem,
)
from briefing.errors import NotFoundError, PermissionDenied, UsageError
from briefing.models import (
    Actor,
    ActorKind,
    ArticleRef,
    Attribution,
    Certainty,
    Cited,
    Evidence,
    QuestionStatus,
    StanceLabel,
    StancePoint,
    Statement,
    StatementKind,
    StoredQuestion,
    StoredStatement,
    Topic,
)
from briefing.ports import AuditEntry, SourceInfo
from tests.slack.limits import assert_within_slack_limits, pings

NOW = datetime(2025, 2, 14, 9, 0, tzinfo=UTC)
HOSTILE = "<!channel> <!here|here> <@U123> <#C999> & <https://evil.example|click> "
LONG = HOSTILE + "word " * 1500  # ~7,600 characters: more than any one Slack text field

ARTICLE = ArticleRef(id=1, url="https://example.org/a?x=1|y>z", outlet="Outlet " + HOSTILE,
                     title="Title " + LONG, published=NOW)
PUTIN = Actor(id="putin", name="Vladimir Putin " + HOSTILE, kind=ActorKind.PERSON)
CEASEFIRE = Topic(id="ceasefire", label="Ceasefire", supports_means="supports " + HOSTILE)
ATTRIBUTIONS = list(Attribution)


def evidence(i: int) -> Evidence:
    return Evidence(statement_id=i, text=f"{i} " + LONG, quote=LONG, speaker="putin",
                    attribution=ATTRIBUTIONS[i % len(ATTRIBUTIONS)], stance=StanceLabel.SUPPORTS,
                    certainty=Certainty.CONFIRMED, kind=StatementKind.DIRECT_QUOTE,
                    article=ARTICLE)


def statement(i: int) -> StoredStatement:
    return StoredStatement(id=i, article=ARTICLE, statement=Statement(
        sentence=i, text=LONG, quote=LONG, speaker="putin", kind=StatementKind.DIRECT_QUOTE,
        certainty=Certainty.CONFIRMED, attribution=Attribution.ON_RECORD))


def question(i: int) -> StoredQuestion:
    return StoredQuestion(id=i, question=f"{i} " + LONG, key=str(i), status=QuestionStatus.OPEN,
                          raised_in=tuple(Cited(text=LONG, article=ARTICLE) for _ in range(15)),
                          answered_by=(Cited(text=LONG, article=ARTICLE),),
                          first_seen=NOW - timedelta(days=3))


def timeline_item(i: int) -> TimelineItem:
    return TimelineItem(date=date(2025, 2, 1) + timedelta(days=i % 20), date_inferred=True,
                        summary=LONG, actors=["putin"], sources=[ARTICLE] * 15)


STANCE = StanceAnswer(actor=PUTIN, topic=CEASEFIRE, stance=StanceLabel.MIXED,
                      evidence=[evidence(i) for i in range(60)],
                      history=[StancePoint(date=date(2025, 1, 1) + timedelta(days=i),
                                           stance=StanceLabel.SUPPORTS) for i in range(200)],
                      open_questions=[question(i) for i in range(40)],
                      names={"putin": PUTIN.name})
QUOTES = QuotesAnswer(actor=PUTIN, topic=CEASEFIRE, quotes=[statement(i) for i in range(60)],
                      names={"putin": PUTIN.name})


def all_answers() -> list[object]:
    return [
        STANCE, QUOTES,
        QuestionsAnswer(topic=CEASEFIRE, questions=[question(i) for i in range(60)], now=NOW),
        TimelineAnswer(query=HOSTILE, items=[timeline_item(i) for i in range(60)]),
        BriefAnswer(query=HOSTILE, developments=[timeline_item(i) for i in range(30)],
                    stances=[KeyStance(actor=PUTIN, topic=CEASEFIRE, stance=StanceLabel.SUPPORTS,
                                       evidence=evidence(i)) for i in range(30)],
                    questions=[question(i) for i in range(30)], contradictions=[], now=NOW),
        SourcesAnswer(sources=[SourceInfo(id=i, url="https://x.example/" + HOSTILE,
                                          name=LONG, last_error=LONG) for i in range(80)]),
        AuditAnswer(entries=[AuditEntry(at=NOW, user="U1", action="add", target=LONG,
                                        result=HOSTILE) for _ in range(40)]),
        Notice(title=HOSTILE, lines=[LONG] * 5),
        HelpAnswer(entries=[("/x " + HOSTILE, LONG, [HOSTILE] * 3)] * 60),
    ]


@pytest.mark.parametrize("answer", all_answers(), ids=lambda a: type(a).__name__)
def test_every_renderer_keeps_slacks_limits_and_never_pings(answer: object) -> None:
    message = blocks.render(answer)  # type: ignore[arg-type]
    assert_within_slack_limits(message)
    assert pings(message) == []


@pytest.mark.parametrize("page", [0, 1, 2, 7, 8])
def test_every_page_of_long_evidence_keeps_the_limits(page: int) -> None:
    for answer in (STANCE, QUOTES):
        message = blocks.render_page(answer, page=page)
        assert_within_slack_limits(message)
        assert pings(message) == []


def test_show_more_pages_through_all_the_evidence_once() -> None:
    seen: list[str] = []
    page = 0
    while True:
        message = blocks.render_stance(STANCE, page=page)
        shown = [b["text"]["text"].split(" ", 2)[1] for b in message.blocks
                 if b["type"] == "section" and b["text"]["text"].startswith("> ")]
        seen.extend(shown)
        more = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == "show_more"]
        if not more:
            break
        assert json.loads(more[0]["value"])["page"] == page + 1
        page += 1
    # grouped by attribution within a page, so compare as sets; each item shown exactly once
    assert sorted(seen, key=int) == [str(i) for i in range(60)]


@pytest.mark.parametrize("exc", [
    UsageError(HOSTILE * 30, usage="/stance <actor> <topic>"),
    NotFoundError(HOSTILE),
    PermissionDenied("Only admins can run /sources add. " + HOSTILE),
])
def test_errors_are_short_escaped_and_within_limits(exc: Exception) -> None:
    message = blocks.render_error(exc)  # type: ignore[arg-type]
    assert_within_slack_limits(message)
    assert pings(message) == []
    assert not message.ok


def test_the_fallback_text_never_ends_in_half_an_entity() -> None:
    text = blocks.fallback_text("&" * 5000)
    assert len(text) < 4000 and text.endswith("&amp;…")


def test_a_shared_reply_loses_its_private_buttons_and_names_the_sharer() -> None:
    shared = blocks.for_channel(blocks.render(STANCE), shared_by="U0SHARER")
    assert_within_slack_limits(shared)
    assert pings(shared, allowed=("<@U0SHARER>",)) == []
    ids = [e["action_id"] for b in shared.blocks if b["type"] == "actions"
           for e in b["elements"]]
    assert ids == []
    assert blocks.for_channel(blocks.render(STANCE), shared_by="<!channel>").blocks[-1] == \
        blocks.context("Shared by &lt;!channel&gt;")


def test_stamped_buttons_carry_the_users_own_command() -> None:
    message = blocks.stamp_command(blocks.render(STANCE), "/stance  putin   ceasefire")
    values = {e["action_id"]: json.loads(e["value"]) for b in message.blocks
              if b["type"] == "actions" for e in b["elements"]}
    assert values["share_in_channel"]["command"] == "/stance putin ceasefire"
    assert values["show_more"]["text"] == "/stance putin ceasefire"
    assert values["show_more"]["page"] == 1


# --- App Home ------------------------------------------------------------------------------


def test_the_home_view_keeps_the_view_limits_with_long_lists() -> None:
    data = HomeData(now=NOW,
                    sources=[SourceInfo(id=i, url="https://x.example/" + HOSTILE, name=LONG,
                                        last_error=LONG if i % 2 else None, paused=i % 3 == 0,
                                        articles=i, last_fetched=NOW) for i in range(200)],
                    channels=[ChannelDigest(channel="C0000" + str(i), time="08:00",
                                            timezone="Europe/Kyiv", next_post=NOW)
                              for i in range(200)] +
                    [ChannelDigest(channel=HOSTILE, time="25:99", timezone="Nowhere/City",
                                   next_post=None)],
                    questions=[question(i) for i in range(5)])
    view = blocks.render_home(data)
    assert_within_slack_limits(view)
    assert pings(view) == []


def test_the_home_view_of_an_empty_store_says_what_to_do() -> None:
    view = blocks.render_home(HomeData(now=NOW, sources=[], channels=[], questions=[]))
    shown = json.dumps(view)
    assert "/sources add" in shown and "/digest subscribe" in shown
    assert_within_slack_limits(view)


@pytest.mark.parametrize(("hhmm", "tz", "now", "expected"), [
    ("08:30", "Europe/Berlin", NOW, datetime(2025, 2, 15, 7, 30, tzinfo=UTC)),
    ("11:00", "Europe/Berlin", NOW, datetime(2025, 2, 14, 10, 0, tzinfo=UTC)),
    ("10:00", "Europe/Berlin", NOW, datetime(2025, 2, 15, 9, 0, tzinfo=UTC)),  # not "now"
    # the night clocks go forward in Berlin: 08:00 local is 06:00 UTC from that day on
    ("08:00", "Europe/Berlin", datetime(2025, 3, 29, 12, 0, tzinfo=UTC),
     datetime(2025, 3, 30, 6, 0, tzinfo=UTC)),
    ("8:05", "UTC", NOW, datetime(2025, 2, 15, 8, 5, tzinfo=UTC)),
])
def test_next_digest_time_is_the_next_wall_clock_time(hhmm: str, tz: str, now: datetime,
                                                      expected: datetime) -> None:
    assert next_digest(hhmm, tz, now=now) == expected


@pytest.mark.parametrize(("hhmm", "tz"), [("24:00", "UTC"), ("8", "UTC"),
                                          ("08:00", "Mars/Olympus"), ("08:00", "../etc")])
def test_next_digest_time_is_unknown_for_a_bad_time_or_zone(hhmm: str, tz: str) -> None:
    assert next_digest(hhmm, tz, now=NOW) is None
