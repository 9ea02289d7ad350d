"""/sources over signed HTTP: what the reports of adding, pausing and resuming say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefing import sources
from tests.slack.conftest import ADMIN, MEMBER
from tests.slack.fake_slack import FakeSlack
from tests.slack.slackhttp import SlackSender
from tests.web.long_feed import serving_long_feed


def test_adding_a_long_feed_says_how_many_older_items_were_not_read(
        slack: SlackSender, fake: FakeSlack, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_ITEMS_PER_FETCH", 3)
    with serving_long_feed(tmp_path / "site", 5) as url:
        slack.command("sources", f"add {url}", user_id=ADMIN)
        (answer,) = fake.wait_for_call("response_url", timeout=30)
    shown = json.dumps(answer.body, ensure_ascii=False)
    assert "5 items found: 3 new, 0 already stored, 0 failed; 2 older items not read" in shown


def test_pausing_or_resuming_twice_says_the_source_already_was(
        slack: SlackSender, container: Any) -> None:
    with container.uow() as tx:
        source = tx.sources.add("https://example.org/feed.xml", name="Example", kind="feed",
                                feed_url="https://example.org/feed.xml", added_by=ADMIN,
                                now=container.clock())
        tx.commit()

    def reply(sub: str) -> str:
        response = slack.command("sources", f"{sub} {source.id}", user_id=ADMIN)
        assert response.status_code == 200
        return str(response.json()["text"])

    assert reply("pause").startswith(f"Paused source #{source.id}")
    assert reply("pause").startswith(f"Source #{source.id} was already paused")
    assert reply("resume").startswith(f"Resumed source #{source.id}")
    assert reply("resume").startswith(f"Source #{source.id} was not paused")
    log = slack.command("sources", "log", user_id=ADMIN).json()
    assert "already paused" in json.dumps(log, ensure_ascii=False)


def test_a_private_feeds_token_is_not_shown_to_members(
        slack: SlackSender, container: Any) -> None:
    url = "https://example.org/private.rss?token=s3cr3t-v4lue&lang=en"
    with container.uow() as tx:
        tx.sources.add(url, name=None, kind="feed", feed_url=url, added_by=ADMIN,
                       now=container.clock())
        tx.commit()
    shown = json.dumps(slack.command("sources", "list", user_id=MEMBER).json(),
                       ensure_ascii=False)
    assert "https://example.org/private.rss?token=…&amp;lang=en" in shown
    assert "s3cr3t" not in shown


@pytest.mark.parametrize(("url", "shown"), [
    ("https://a.example/feed.xml", "https://a.example/feed.xml"),
    ("https://a.example/rss?keyword=ukraine&page=2", "https://a.example/rss?keyword=ukraine&page=2"),
    ("https://a.example/rss?api_key=K&x=1", "https://a.example/rss?api_key=…&x=1"),
    ("https://a.example/rss?access_token=T", "https://a.example/rss?access_token=…"),
    ("https://a.example/rss?sig=S&Signature=Z", "https://a.example/rss?sig=…&Signature=…"),
])
def test_shown_url_hides_secret_values_only(url: str, shown: str) -> None:
    assert sources.shown_url(url) == shown
