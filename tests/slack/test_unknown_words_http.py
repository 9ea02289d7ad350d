"""/timeline and /questions over signed HTTP: words that match nothing get a short reply that
says so and suggests, in the acknowledgement; a known topic with nothing to show does not."""

from __future__ import annotations

import pytest

from tests.slack.conftest import MEMBER
from tests.slack.slackhttp import SlackSender


@pytest.mark.parametrize("name", ["timeline", "questions"])
def test_unknown_words_are_said_so_with_suggestions(slack: SlackSender, name: str) -> None:
    response = slack.command(name, "nonexistenttopic", user_id=MEMBER)
    assert response.status_code == 200
    reply = response.json()
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Nothing matches “nonexistenttopic”")
    assert "Try: " in reply["text"]


def test_a_known_topic_with_no_developments_is_not_an_error(slack: SlackSender) -> None:
    reply = slack.command("timeline", "sanctions", user_id=MEMBER).json()
    assert "Nothing matches" not in reply["text"]
