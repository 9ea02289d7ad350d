"""SlackPoster: briefing.ports.Poster over slack_sdk's WebClient (chat.postMessage).

A post Slack received but whose answer was lost (a dropped connection, a 5xx after the message
went out) must not be posted again. So a post is never re-sent blindly: a message given a `key`
carries it as message metadata, and before a post with that key is tried again the channel's
recent history is searched for it (`find`). Only rate limits (429: Slack did nothing) are
retried by the client itself; its handlers for dropped connections and 5xx would re-send.
"""

from __future__ import annotations

import http.client
import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

# The message metadata event type of a post with a key (a digest: `channel/day`).
POST_EVENT = "briefbot_post"
# Messages of the channel's history searched for a key: the newest few pages are enough, since
# a retry follows its lost post by minutes, not by hundreds of messages.
HISTORY_PAGES = 3
HISTORY_PAGE_SIZE = 100


def _uncertain(exc: Exception) -> bool:
    """Whether Slack may have posted the message despite the error."""
    if isinstance(exc, SlackApiError):
        return exc.response.status_code >= 500
    return isinstance(exc, OSError | http.client.HTTPException)  # connection dropped, timeout


class SlackPoster:
    """Posts messages with the bot token; a post with a key is made at most once.

    A post that fails with an uncertain outcome is looked for in the channel's history and, if
    Slack does not have it, tried again, up to `attempts` times with backoff; a call that still
    fails raises slack_sdk's SlackApiError (or a connection error), and the digest use case
    records it and retries later, looking for the key first (`find`).
    """

    def __init__(self, client: WebClient, *, attempts: int = 4, backoff_seconds: float = 0.5,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.client = client
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.sleep = sleep

    def post(self, channel: str, *, text: str, blocks: list[dict[str, object]],
             thread_ts: str | None = None, key: str | None = None) -> str:
        metadata = {"event_type": POST_EVENT, "event_payload": {"key": key}} if key else None
        for attempt in range(self.attempts):
            try:
                response = self.client.chat_postMessage(
                    channel=channel, text=text, blocks=blocks, thread_ts=thread_ts,
                    metadata=metadata,
                    # a digest cites many links; Slack's previews of them would bury the text
                    unfurl_links=False, unfurl_media=False)
                return str(response["ts"])
            except Exception as exc:
                # without a key there is no telling whether it was posted: not tried again
                if key is None or not _uncertain(exc) or attempt == self.attempts - 1:
                    raise
                log.warning("posting to %s may have failed (%s); looking for it before "
                            "trying again", channel, type(exc).__name__)
                found = self.find(channel, key=key)
                if found is not None:
                    return found
                self.sleep(self.backoff_seconds * 2 ** attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def find(self, channel: str, *, key: str) -> str | None:
        """The ts of a message with this key among the channel's recent messages, or None
        when there is none or the history cannot be read (the bot not in the channel, or no
        channels:history scope): then a retry may post twice, and the log says why."""
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            try:
                page: Any = self.client.conversations_history(
                    channel=channel, include_all_metadata=True, limit=HISTORY_PAGE_SIZE,
                    cursor=cursor)
            except SlackApiError as exc:
                log.warning("cannot read the history of %s (%s) to check for a post already "
                            "made; invite the bot to the channel and grant channels:history "
                            "and groups:history so that a retry never posts twice", channel,
                            exc.response.get("error"))
                return None
            except (OSError, http.client.HTTPException) as exc:
                log.warning("cannot read the history of %s (%s)", channel, type(exc).__name__)
                return None
            for message in page.get("messages") or []:
                meta = message.get("metadata") or {}
                if meta.get("event_type") == POST_EVENT and \
                        (meta.get("event_payload") or {}).get("key") == key:
                    return str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if cursor is None:
                return None
        return None
