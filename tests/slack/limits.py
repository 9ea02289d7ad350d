"""Reusable checks that a Slack message or view keeps Slack's limits and cannot ping anyone."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

# Slack's published limits: api.slack.com/reference/block-kit/blocks, .../block-elements,
# .../surfaces/views and chat.postMessage ("text" is truncated past 4,000 characters).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_FALLBACK_CHARS = 4000  # strictly under
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_CONTEXT_TEXT = 3000
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ID = 255  # action_id and block_id

# What makes Slack notify or link: <!channel>, <!here>, <!everyone>, <!subteam^…>, <@U123>.
PING = re.compile(r"<[!@][^>]*>")


def _payload(message_or_payload: Any) -> dict[str, Any]:
    if hasattr(message_or_payload, "payload"):
        return dict(message_or_payload.payload())
    return dict(message_or_payload)


def _text(obj: dict[str, Any]) -> str:
    return str((obj or {}).get("text", ""))


def assert_within_slack_limits(message_or_payload: Any) -> None:
    """Fail unless the message (bot.blocks.Message, a chat.postMessage/ack payload, or a view)
    keeps every Slack limit. Works for any renderer, the digest's included."""
    payload = _payload(message_or_payload)
    json.dumps(payload)  # Slack takes JSON: everything must serialise
    blocks = payload.get("blocks") or []
    is_view = payload.get("type") in ("home", "modal")
    limit = MAX_VIEW_BLOCKS if is_view else MAX_MESSAGE_BLOCKS
    assert len(blocks) <= limit, f"{len(blocks)} blocks (limit {limit})"
    if not is_view:
        text = payload.get("text") or ""
        assert len(text) < MAX_FALLBACK_CHARS, f"fallback text of {len(text)} characters"
        if blocks:
            assert text.strip(), "blocks without fallback text (notifications, screen readers)"
    action_ids: list[str] = []
    for i, block in enumerate(blocks):
        where = f"block {i} ({block.get('type')})"
        assert len(block.get("block_id", "")) <= MAX_ID, where
        kind = block.get("type")
        if kind == "section":
            assert "text" in block or "fields" in block, f"{where}: empty section"
            if "text" in block:
                n = len(_text(block["text"]))
                assert 0 < n <= MAX_SECTION_TEXT, f"{where}: text of {n} characters"
            fields = block.get("fields") or []
            assert len(fields) <= MAX_SECTION_FIELDS, f"{where}: {len(fields)} fields"
            for f in fields:
                assert len(_text(f)) <= MAX_FIELD_TEXT, f"{where}: long field"
        elif kind == "header":
            assert block["text"]["type"] == "plain_text", f"{where}: header must be plain_text"
            n = len(_text(block["text"]))
            assert 0 < n <= MAX_HEADER_TEXT, f"{where}: header of {n} characters"
        elif kind == "context":
            elements = block.get("elements") or []
            assert 0 < len(elements) <= MAX_CONTEXT_ELEMENTS, f"{where}: {len(elements)} elements"
            for e in elements:
                n = len(_text(e))
                assert n <= MAX_CONTEXT_TEXT, f"{where}: element of {n} characters"
        elif kind == "actions":
            elements = block.get("elements") or []
            assert 0 < len(elements) <= MAX_ACTIONS_ELEMENTS, f"{where}: {len(elements)} elements"
            for e in elements:
                assert len(_text(e.get("text", {}))) <= MAX_BUTTON_TEXT, f"{where}: button text"
                assert len(e.get("value", "")) <= MAX_BUTTON_VALUE, f"{where}: button value"
                assert len(e.get("action_id", "")) <= MAX_ID, f"{where}: action_id"
                action_ids.append(e.get("action_id", ""))
        elif kind not in ("divider", "image", "rich_text", "input"):
            raise AssertionError(f"{where}: unexpected block type")
    assert len(action_ids) == len(set(action_ids)), f"duplicate action_ids: {action_ids}"


def mrkdwn_strings(message_or_payload: Any) -> Iterator[str]:
    """Every string Slack parses as mrkdwn: the fallback text and mrkdwn text objects."""
    payload = _payload(message_or_payload)
    if payload.get("text"):
        yield str(payload["text"])

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn" and "text" in node:
                yield str(node["text"])
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    yield from walk(payload.get("blocks") or [])


def pings(message_or_payload: Any, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """Raw mentions (<!channel>, <@U123>) in the message, except the `allowed` ones."""
    return [m for s in mrkdwn_strings(message_or_payload) for m in PING.findall(s)
            if m not in allowed]
