"""/slack/events refuses what is not a Slack request before Bolt sees it: a timestamp that is
not a number (401, not a 500 with a traceback) and a body over MAX_BODY_BYTES (413)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from slack_sdk.signature import SignatureVerifier

from bot import server
from tests.slack.conftest import CHANNEL, MEMBER
from tests.slack.fake_slack import FakeSlack
from tests.slack.slackhttp import SIGNING_SECRET, SlackSender, signed_headers


def command_body(slack: SlackSender, text: str = "help") -> str:
    return slack.command_body("briefing", text, user_id=MEMBER, channel_id=CHANNEL,
                              response_url=slack.response_url)


@pytest.mark.parametrize("timestamp", ["abc", "1.5e9", "-5", "", "0x1f", "1700000000 1"])
def test_a_timestamp_that_is_not_a_number_gets_401_without_a_traceback(
        slack: SlackSender, fake: FakeSlack, caplog: pytest.LogCaptureFixture,
        timestamp: str) -> None:
    body = command_body(slack)
    headers = signed_headers(body)
    headers["X-Slack-Request-Timestamp"] = timestamp
    headers["X-Slack-Signature"] = SignatureVerifier(SIGNING_SECRET).generate_signature(
        timestamp=timestamp, body=body)
    with caplog.at_level(logging.WARNING):
        response = slack.post(body, headers=headers)
    assert response.status_code == 401
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert fake.of("users.info") == [] and fake.of("response_url") == []


def test_a_body_over_the_cap_gets_413(slack: SlackSender, fake: FakeSlack) -> None:
    body = command_body(slack, "x" * server.MAX_BODY_BYTES)
    response = slack.post(body)
    assert response.status_code == 413
    assert fake.of("users.info") == []


def test_a_streamed_body_over_the_cap_gets_413_without_content_length(
        slack: SlackSender) -> None:
    body = command_body(slack, "x" * server.MAX_BODY_BYTES).encode()

    def chunks() -> Iterator[bytes]:
        for at in range(0, len(body), 64 * 1024):
            yield body[at:at + 64 * 1024]

    headers = signed_headers(body.decode())
    response = slack.http.post(slack.events_url, content=chunks(), headers=headers)
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413


def test_a_large_real_request_under_the_cap_is_still_answered(slack: SlackSender) -> None:
    # a signed command with 200 KB of text: over the command's own limit, so the reply is
    # the usage message, but it arrives (200), not refused by the cap
    response = slack.post(command_body(slack, "putin " * 35_000))
    assert response.status_code == 200, response.text
    assert "too long" in response.text


def test_a_body_that_is_not_utf8_gets_401(slack: SlackSender) -> None:
    response = slack.http.post(slack.events_url, content=b"\xff\xfe\x00bad",
                               headers=signed_headers("x"))
    assert response.status_code == 401
