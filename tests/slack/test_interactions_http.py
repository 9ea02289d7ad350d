"""Buttons, App Home and /healthz end to end over HTTP, with the fake Slack Web API."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from bot import bootstrap
from bot.blocks import PAGE_SIZE
from briefing.ports import Subscription
from tests.slack.conftest import CHANNEL, MEMBER, NOW, make_settings
from tests.slack.fake_slack import FakeSlack, Scripted
from tests.slack.limits import assert_within_slack_limits, pings
from tests.slack.slackhttp import SlackSender, buttons, running_server

# slack_sdk's RateLimitErrorRetryHandler sleeps Retry-After plus up to a second of jitter.
RETRY_AFTER_SECONDS = 1


def stance_reply(slack: SlackSender) -> dict[str, Any]:
    response = slack.command("stance", "putin ceasefire", user_id=MEMBER)
    assert response.status_code == 200
    return dict(response.json())


def evidence_texts(message: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"]
            if b["type"] == "section" and b["text"]["text"].startswith("> ")]


# --- Show more ---------------------------------------------------------------------------------


def test_evidence_too_long_for_one_message_pages_with_show_more(slack: SlackSender,
                                                                fake: FakeSlack) -> None:
    first = stance_reply(slack)
    assert len(evidence_texts(first)) == PAGE_SIZE
    (more,) = buttons(first, "show_more")
    assert more["text"]["text"].startswith("Show more (")
    assert slack.click(more, user_id=MEMBER).status_code == 200
    (page2,) = fake.wait_for_call("response_url")
    assert page2.body["replace_original"] is True
    assert_within_slack_limits(page2.body)
    assert pings(page2.body) == []
    second = evidence_texts(page2.body)
    assert second and not set(second) & set(evidence_texts(first))


# --- Share in channel ------------------------------------------------------------------------


def test_share_posts_the_answer_in_channel_without_private_buttons(slack: SlackSender,
                                                                   fake: FakeSlack) -> None:
    (share,) = buttons(stance_reply(slack), "share_in_channel")
    assert json.loads(share["value"])["command"].startswith("/stance")
    assert slack.click(share, user_id=MEMBER).status_code == 200
    (post,) = fake.wait_for_call("chat.postMessage")
    assert post.body["channel"] == CHANNEL
    assert post.headers["Authorization"] == "Bearer xoxb-test-token"
    assert_within_slack_limits(post.body)
    assert pings(post.body, allowed=(f"<@{MEMBER}>",)) == []
    assert not buttons(post.body, "share_in_channel") and not buttons(post.body, "show_more")
    assert f"Shared by <@{MEMBER}>" in json.dumps(post.body["blocks"])
    assert "Vladimir Putin" in json.dumps(post.body["blocks"])
    # the private reply is removed once shared
    (done,) = fake.wait_for_call("response_url")
    assert done.body.get("delete_original") is True


def test_share_when_the_bot_is_not_in_the_channel_uses_the_response_url(
        slack: SlackSender, fake: FakeSlack) -> None:
    fake.script("chat.postMessage", Scripted(200, {"ok": False, "error": "not_in_channel"}))
    (share,) = buttons(stance_reply(slack), "share_in_channel")
    slack.click(share, user_id=MEMBER)
    calls = fake.wait_for_call("response_url", 2)
    assert calls[0].body["response_type"] == "in_channel"
    assert_within_slack_limits(calls[0].body)
    assert calls[1].body.get("delete_original") is True


def test_a_rate_limited_share_is_retried_after_retry_after(slack: SlackSender,
                                                           fake: FakeSlack) -> None:
    fake.script("chat.postMessage", Scripted(429, {"ok": False, "error": "ratelimited"},
                                             {"Retry-After": str(RETRY_AFTER_SECONDS)}))
    (share,) = buttons(stance_reply(slack), "share_in_channel")
    clicked = time.monotonic()
    assert slack.click(share, user_id=MEMBER).status_code == 200
    assert time.monotonic() - clicked < RETRY_AFTER_SECONDS  # the click is acked at once
    first, second = fake.wait_for_call("chat.postMessage", 2, timeout=10)
    assert (first.status, second.status) == (429, 200)
    assert first.body == second.body
    fake.wait_for_call("response_url")  # delete_original: the share went through
    assert [c.status for c in fake.of("chat.postMessage")] == [429, 200]


def test_share_reruns_the_command_as_the_clicking_user(slack: SlackSender,
                                                       fake: FakeSlack) -> None:
    """A forged button value cannot run an admin command on someone else's rights."""
    forged = {"action_id": "share_in_channel", "text": {"type": "plain_text", "text": "Share"},
              "value": json.dumps({"command": "/sources log"})}
    slack.click(forged, user_id=MEMBER)
    (refusal,) = fake.wait_for_call("response_url")
    assert refusal.body["response_type"] == "ephemeral"
    assert refusal.body["text"].startswith("Sorry")
    assert fake.of("chat.postMessage") == []


def test_an_unreadable_button_value_gets_a_short_error(slack: SlackSender,
                                                       fake: FakeSlack) -> None:
    broken = {"action_id": "show_more", "text": {"type": "plain_text", "text": "Show more"},
              "value": "{not json"}
    assert slack.click(broken, user_id=MEMBER).status_code == 200
    (error,) = fake.wait_for_call("response_url")
    assert error.body["response_type"] == "ephemeral" and "Sorry" in error.body["text"]


def test_an_unknown_action_is_acknowledged(slack: SlackSender) -> None:
    other = {"action_id": "something_else", "text": {"type": "plain_text", "text": "X"},
             "value": "1"}
    assert slack.click(other, user_id=MEMBER).status_code == 200


# --- App Home ------------------------------------------------------------------------------


def test_app_home_publishes_sources_channels_and_questions(slack: SlackSender, fake: FakeSlack,
                                                          container: bootstrap.Container) -> None:
    with container.uow() as tx:
        tx.sources.add("https://example.org/feed.xml", name="Example <!channel> feed",
                       kind="feed", feed_url=None, added_by="UADMIN0001", now=NOW)
        tx.subscriptions.upsert(Subscription(channel=CHANNEL, time="08:30",
                                             timezone="Europe/Berlin", subscribed_by=MEMBER,
                                             created=NOW))
        tx.digests.claim(CHANNEL, NOW.date(), now=NOW, owner="clock-test")
        tx.digests.fail(CHANNEL, NOW.date(), now=NOW, error="ratelimited <!here>")
        tx.commit()
    response = slack.event({"type": "app_home_opened", "user": MEMBER, "channel": "D0HOME",
                            "tab": "home", "event_ts": "1700000000.000100"})
    assert response.status_code == 200
    (publish,) = fake.wait_for_call("views.publish")
    assert publish.body["user_id"] == MEMBER
    view = publish.body["view"]
    assert view["type"] == "home"
    assert_within_slack_limits(view)
    assert pings(view) == []
    shown = json.dumps(view)
    assert "Example &lt;!channel&gt; feed" in shown
    assert f"<#{CHANNEL}>" in shown and "08:30 Europe/Berlin" in shown
    # NOW is 09:00 UTC = 10:00 in Berlin, so the next 08:30 is the next day
    assert "2025-02-15 08:30 CET" in shown
    assert f"digest of {NOW.date().isoformat()} not posted: ratelimited &lt;!here&gt;" in shown
    assert "Open questions" in shown


def test_the_messages_tab_does_not_publish_a_home(slack: SlackSender, fake: FakeSlack) -> None:
    slack.event({"type": "app_home_opened", "user": MEMBER, "channel": "D0HOME",
                 "tab": "messages", "event_ts": "1700000000.000100"})
    time.sleep(0.3)
    assert fake.of("views.publish") == []


def test_an_unhandled_event_gets_200(slack: SlackSender) -> None:
    response = slack.event({"type": "reaction_added", "user": MEMBER, "reaction": "eyes",
                            "item": {"type": "message", "channel": CHANNEL, "ts": "1.2"},
                            "event_ts": "1700000000.000100"})
    assert response.status_code == 200


def test_slacks_url_verification_challenge_is_answered(slack: SlackSender) -> None:
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    response = slack.post(body, content_type="application/json")
    assert response.status_code == 200 and response.json()["challenge"] == "c-123"


# --- /healthz --------------------------------------------------------------------------------


def test_healthz_is_200_when_the_database_answers(slack: SlackSender) -> None:
    response = slack.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_is_broken(tmp_path: Path, fake: FakeSlack) -> None:
    broken = tmp_path / "missing-dir" / "nowhere.db"  # SQLite cannot create it
    container = bootstrap.build(make_settings(f"sqlite:///{broken}", fake), check_schema=False)
    with running_server(container) as server:
        sender = SlackSender(server.url, response_url=fake.response_url())
        response = sender.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"ok": False, "database": "unreachable"}


def test_a_broken_database_gets_a_short_reply_not_an_http_error(tmp_path: Path,
                                                                fake: FakeSlack) -> None:
    broken = tmp_path / "missing-dir" / "nowhere.db"
    container = bootstrap.build(make_settings(f"sqlite:///{broken}", fake), check_schema=False)
    with running_server(container) as server:
        sender = SlackSender(server.url, response_url=fake.response_url())
        response = sender.command("stance", "putin ceasefire", user_id=MEMBER)
    assert response.status_code == 200
    reply = response.json()
    assert reply["response_type"] == "ephemeral" and reply["text"].startswith("Sorry")
    assert "nowhere.db" not in reply["text"]  # no internals to the user


def test_slacks_ssl_check_is_answered(slack: SlackSender) -> None:
    assert slack.post("ssl_check=1&token=legacy-verification-token").status_code == 200
