"""SlackPoster: briefing.ports.Poster over slack_sdk's WebClient (chat.postMessage)."""

from __future__ import annotations

from slack_sdk import WebClient


class SlackPoster:
    """Posts messages with the bot token; the client's retry handlers absorb 429s and 5xx.

    A call that still fails raises slack_sdk's SlackApiError (or a connection error); the digest
    use case records it and retries later with backoff.
    """

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def post(self, channel: str, *, text: str, blocks: list[dict[str, object]],
             thread_ts: str | None = None) -> str:
        response = self.client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, thread_ts=thread_ts,
            # a digest cites many links; Slack's previews of them would bury the text
            unfurl_links=False, unfurl_media=False)
        return str(response["ts"])
