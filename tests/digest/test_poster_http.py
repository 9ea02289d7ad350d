"""SlackPoster over real HTTP against the fake Web API: a post is never re-sent blindly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from slack_sdk.errors import SlackApiError

from bot import bootstrap
from bot.poster import SlackPoster
from digest.helpers import FakeSlackApi


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as api:
        yield api


def _poster(slack: FakeSlackApi) -> SlackPoster:
    settings = bootstrap.load_settings("sqlite://").model_copy(update={
        "slack_bot_token": SecretStr("xoxb-test"), "slack_api_url": slack.url})
    return SlackPoster(bootstrap.make_slack_client(settings, posting=True), attempts=4,
                       backoff_seconds=0.0)


def test_a_post_whose_answer_is_lost_is_found_in_the_channel_not_sent_again(
        slack: FakeSlackApi) -> None:
    slack.scripts = {"C1": ["drop"]}
    ts = _poster(slack).post("C1", text="digest", blocks=[], key="digest/C1/2025-02-14")
    assert [c.body["ts"] for c in slack.delivered("C1")] == [ts]
    assert [c.method for c in slack.calls] == ["chat.postMessage", "conversations.history"]


def test_a_5xx_is_looked_for_then_tried_again(slack: FakeSlackApi) -> None:
    slack.scripts = {"C1": [429, 500]}
    ts = _poster(slack).post("C1", text="digest", blocks=[], key="digest/C1/2025-02-14")
    assert slack.statuses("C1") == [429, 500, 200]
    assert [c.body["ts"] for c in slack.delivered("C1")] == [ts]
    assert sum(c.method == "conversations.history" for c in slack.calls) == 1


def test_without_a_key_an_uncertain_post_is_not_sent_again(slack: FakeSlackApi) -> None:
    slack.scripts = {"C1": ["drop"], "C2": [500]}
    poster = _poster(slack)
    with pytest.raises(OSError):
        poster.post("C1", text="reply", blocks=[], thread_ts="1.0")
    with pytest.raises(SlackApiError):
        poster.post("C2", text="reply", blocks=[], thread_ts="1.0")
    assert len(slack.delivered("C1", top_level=False)) == 1
    assert slack.statuses("C2") == [500]


def test_the_last_attempts_error_is_raised(slack: FakeSlackApi) -> None:
    slack.scripts = {"C3": [500] * 4}
    with pytest.raises(SlackApiError):
        _poster(slack).post("C3", text="digest", blocks=[], key="digest/C3/2025-02-14")
    assert slack.statuses("C3") == [500] * 4 and not slack.delivered("C3")
