"""Slash-commands end to end: signed requests over HTTP to the served app, the fake Slack API."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bot.blocks import UNEXPECTED_TEXT, WORKING_TEXT
from tests.slack.conftest import ADMIN, CHANNEL, MEMBER, OWNER, WORKSPACE_ADMIN
from tests.slack.fake_slack import FakeSlack
from tests.slack.limits import assert_within_slack_limits, pings
from tests.slack.slackhttp import SlackSender, buttons, signed_headers

# Bolt's window (slack_sdk SignatureVerifier): five minutes either side of now.
STALE_SECONDS = 5 * 60 + 30


def ack_of(response: Any) -> dict[str, Any]:
    """The acknowledgement Slack gets back: 200 with the ephemeral reply as JSON."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert_within_slack_limits(body)
    assert pings(body) == []
    return dict(body)


def text_of(message: dict[str, Any]) -> str:
    """All visible text of a message, for assertions on content."""
    return json.dumps(message.get("blocks") or [], ensure_ascii=False) + message.get("text", "")


# --- the request itself --------------------------------------------------------------------------


def test_a_forged_signature_is_rejected(slack: SlackSender, fake: FakeSlack) -> None:
    body = slack.command_body("stance", "putin ceasefire", user_id=MEMBER, channel_id=CHANNEL,
                              response_url=slack.response_url)
    forged = signed_headers(body, secret="not-the-signing-secret")
    response = slack.post(body, headers=forged)
    assert response.status_code == 401
    assert fake.of("users.info") == [] and fake.of("response_url") == []


def test_a_body_changed_after_signing_is_rejected(slack: SlackSender) -> None:
    body = slack.command_body("stance", "putin ceasefire", user_id=MEMBER, channel_id=CHANNEL,
                              response_url=slack.response_url)
    headers = signed_headers(body)
    response = slack.post(body.replace("MEMBER", "ADMIN"), headers=headers)
    assert response.status_code == 401


def test_a_stale_timestamp_is_rejected(slack: SlackSender) -> None:
    body = slack.command_body("stance", "putin ceasefire", user_id=MEMBER, channel_id=CHANNEL,
                              response_url=slack.response_url)
    stale = signed_headers(body, timestamp=int(time.time()) - STALE_SECONDS)
    assert slack.post(body, headers=stale).status_code == 401


def test_a_request_within_the_window_is_accepted(slack: SlackSender) -> None:
    body = slack.command_body("briefing", "help", user_id=MEMBER, channel_id=CHANNEL,
                              response_url=slack.response_url)
    recent = signed_headers(body, timestamp=int(time.time()) - 4 * 60)
    assert slack.post(body, headers=recent).status_code == 200


def test_an_unsigned_request_is_rejected(slack: SlackSender) -> None:
    response = slack.post("command=%2Fstance&text=putin", headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 401


# --- query commands answer in the acknowledgement ----------------------------------------------


def test_stance_answers_in_the_ack_with_cited_evidence(slack: SlackSender,
                                                       fake: FakeSlack) -> None:
    reply = ack_of(slack.command("stance", "putin ceasefire", user_id=MEMBER))
    assert reply["blocks"][0]["type"] == "header"
    assert "Vladimir Putin" in reply["blocks"][0]["text"]["text"]
    body = text_of(reply)
    assert "Stance:" in body and "On the record" in body
    assert "https://example.org/news/putin-ceasefire-injection" in body  # a cited link
    assert buttons(reply, "share_in_channel")
    assert "Vladimir Putin" in reply["text"]  # fallback for notifications and screen readers
    # the user's timezone came from users.info, once
    assert [c.body["user"] for c in fake.of("users.info")] == [MEMBER]


def test_users_info_is_cached_between_commands(slack: SlackSender, fake: FakeSlack) -> None:
    for _ in range(3):
        ack_of(slack.command("quotes", "trump", user_id=MEMBER))
    assert len(fake.of("users.info")) == 1


@pytest.mark.parametrize("name", ["quotes", "brief", "questions", "timeline", "sources"])
def test_every_query_command_answers_within_limits(slack: SlackSender, name: str) -> None:
    args = {"quotes": "trump", "brief": "", "questions": "", "timeline": "",
            "sources": "list"}[name]
    reply = ack_of(slack.command(name, args, user_id=MEMBER))
    assert reply["blocks"]


def test_empty_command_text_gets_usage(slack: SlackSender) -> None:
    reply = ack_of(slack.command("stance", "", user_id=MEMBER))
    assert "Usage: /stance &lt;actor&gt; &lt;topic&gt;" in reply["text"]  # escaped: mrkdwn
    assert "Share in channel" not in text_of(reply)


def test_empty_briefing_is_the_help(slack: SlackSender) -> None:
    reply = ack_of(slack.command("briefing", "", user_id=MEMBER))
    for name in ("/stance", "/quotes", "/sources"):
        assert name in text_of(reply)


def test_help_after_a_command_is_its_usage(slack: SlackSender) -> None:
    reply = ack_of(slack.command("quotes", "help", user_id=MEMBER))
    assert "/quotes &lt;actor&gt; [topic]" in text_of(reply)


def test_4000_characters_of_text_get_a_short_error_not_an_http_error(
        slack: SlackSender) -> None:
    reply = ack_of(slack.command("stance", "putin " + "ceasefire " * 399, user_id=MEMBER))
    assert "too long" in reply["text"]
    assert len(text_of(reply)) < 1000


def test_unicode_text_is_understood_and_echoed_safely(slack: SlackSender) -> None:
    reply = ack_of(slack.command("stance", "Путин перемирие 🕊️ «ceasefire»", user_id=MEMBER))
    assert reply["blocks"]  # an answer or a polite "no match", never a failure
    assert UNEXPECTED_TEXT not in reply["text"]
    reply = ack_of(slack.command("quotes", "Zelenskyy", user_id=MEMBER))
    assert UNEXPECTED_TEXT not in reply["text"]


def test_mrkdwn_in_a_command_never_pings(slack: SlackSender) -> None:
    reply = ack_of(slack.command("stance", "<!channel> <@U123> & <!here|here>",
                                 user_id=MEMBER))
    assert "<!channel>" not in json.dumps(reply)
    reply = ack_of(slack.command("quotes", "<!everyone>", user_id=MEMBER))
    assert "<!everyone>" not in json.dumps(reply)


def test_mrkdwn_in_an_article_never_pings(slack: SlackSender) -> None:
    reply = ack_of(slack.command("quotes", "putin", user_id=MEMBER))
    body = json.dumps(reply)
    # the article's text is there, escaped
    assert "&lt;!everyone&gt;" in body or "&lt;!channel&gt;" in body
    assert "&lt;@U123&gt;" in body
    for raw in ("<!channel>", "<!everyone>", "<!here>", "<@U123>", "<!subteam"):
        assert raw not in body


def test_an_unknown_subcommand_gets_usage(slack: SlackSender) -> None:
    reply = ack_of(slack.command("sources", "frobnicate 3", user_id=ADMIN))
    assert "no subcommand" in reply["text"] and "Usage: /sources list" in reply["text"]


def test_an_unknown_actor_suggests_names(slack: SlackSender) -> None:
    reply = ack_of(slack.command("stance", "nobodyatall ceasefire", user_id=MEMBER))
    assert UNEXPECTED_TEXT not in reply["text"]
    assert "Share in channel" not in text_of(reply)


# --- admins ----------------------------------------------------------------------------------


def test_a_member_adding_a_source_is_politely_refused(slack: SlackSender,
                                                      fake: FakeSlack) -> None:
    reply = ack_of(slack.command("sources", "add https://example.org/feed.xml", user_id=MEMBER))
    assert reply["text"].startswith("Sorry")
    assert "admins" in reply["text"]
    time.sleep(0.2)
    assert fake.of("response_url") == [] or all(
        "Added source" not in text_of(c.body) for c in fake.of("response_url"))


@pytest.mark.parametrize("sub", ["remove 1", "pause 1", "resume 1", "log"])
def test_a_member_cannot_change_sources_or_read_the_log(slack: SlackSender, sub: str) -> None:
    reply = ack_of(slack.command("sources", sub, user_id=MEMBER))
    assert reply["text"].startswith("Sorry")


@pytest.mark.parametrize("user", [WORKSPACE_ADMIN, OWNER, ADMIN])
def test_admins_and_owners_may_read_the_admin_log(slack: SlackSender, fake: FakeSlack,
                                                  user: str) -> None:
    reply = ack_of(slack.command("sources", "log", user_id=user))
    assert "Admin log" in text_of(reply)


def test_a_workspace_admin_not_in_admin_user_ids_may_pause_a_source(
        slack: SlackSender, fake: FakeSlack, container: Any) -> None:
    with container.uow() as tx:
        source = tx.sources.add("https://example.org/feed.xml", name="Example", kind="feed",
                                feed_url="https://example.org/feed.xml", added_by=ADMIN,
                                now=container.clock())
        tx.commit()
    reply = ack_of(slack.command("sources", f"pause {source.id}", user_id=WORKSPACE_ADMIN))
    assert f"Paused source #{source.id}" in reply["text"]
    assert WORKSPACE_ADMIN in [c.body["user"] for c in fake.of("users.info")]
    log = ack_of(slack.command("sources", "log", user_id=ADMIN))
    assert WORKSPACE_ADMIN in text_of(log) and "pause" in text_of(log)


# --- slow work: ack at once, answer with respond() ---------------------------------------------


def test_adding_a_source_acks_at_once_and_answers_later(slack: SlackSender,
                                                        fake: FakeSlack) -> None:
    started = time.monotonic()
    reply = ack_of(slack.command("sources", f"add {fake.url}/feed.xml Local", user_id=ADMIN))
    assert reply["text"] == WORKING_TEXT
    assert time.monotonic() - started < 3.0
    (answer,) = fake.wait_for_call("response_url")
    assert answer.body.get("response_type") == "ephemeral"
    assert_within_slack_limits(answer.body)
    assert pings(answer.body) == []
    # the fake answers JSON, not a feed: whatever the fetcher made of it, it is a short reply
    assert answer.body["text"]


def test_digest_now_is_acked_at_once_then_posted_and_answered(slack: SlackSender,
                                                              fake: FakeSlack) -> None:
    reply = ack_of(slack.command("digest", "now", user_id=ADMIN))
    assert reply["text"] == WORKING_TEXT
    (answer,) = fake.wait_for_call("response_url", timeout=20)
    assert answer.body["response_type"] == "ephemeral"
    assert_within_slack_limits(answer.body)
    for post in fake.of("chat.postMessage"):
        assert post.body["channel"] == CHANNEL
        assert_within_slack_limits(post.body)
        assert pings(post.body) == []


def test_a_member_cannot_post_the_digest_now(slack: SlackSender, fake: FakeSlack) -> None:
    reply = ack_of(slack.command("digest", "now", user_id=MEMBER))
    assert reply["text"].startswith("Sorry")
    time.sleep(0.3)
    assert fake.of("chat.postMessage") == []


def test_a_failing_admin_lookup_still_gets_a_short_reply(store_url: str,
                                                         fake: FakeSlack) -> None:
    from bot import bootstrap
    from tests.slack.conftest import make_settings
    from tests.slack.slackhttp import running_server

    def broken_lookup(user_id: str) -> bool:
        raise RuntimeError("directory down")

    container = bootstrap.build(make_settings(store_url, fake), workspace_admin=broken_lookup)
    with running_server(container) as server:
        sender = SlackSender(server.url, response_url=fake.response_url())
        log = ack_of(sender.command("sources", "log", user_id=MEMBER))
        added = ack_of(sender.command("sources", "add https://example.org/x", user_id=MEMBER))
        (later,) = fake.wait_for_call("response_url")
    assert log["text"].startswith("Sorry")
    assert added["text"] == WORKING_TEXT and later.body["text"].startswith("Sorry")
