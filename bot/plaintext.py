"""Renders Block Kit messages as plain text, for the console and `briefbot ask`."""

from __future__ import annotations

import re
from typing import Any

from bot.blocks import Message

_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


def mrkdwn_to_plain(text: str) -> str:
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)
    # _emphasis_, which may hold underscores of its own (_000_abc.txt_): up to the first "_"
    # that no word character follows
    text = re.sub(r"(?<![\w_])_([^\s_](?:[^\n]*?\S)??)_(?![\w])", r"\1", text)
    text = text.replace("`", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _block_text(block: dict[str, Any]) -> str | None:
    kind = block.get("type")
    if kind == "header":
        title = block["text"]["text"]
        return f"{title}\n{'=' * len(title)}"
    if kind == "section":
        return mrkdwn_to_plain(block["text"]["text"])
    if kind == "context":
        return "    " + " · ".join(mrkdwn_to_plain(e.get("text", "")) for e in block["elements"])
    if kind == "divider":
        return "-" * 40
    if kind == "actions":
        labels = [e["text"]["text"] for e in block["elements"]
                  if e.get("action_id") != "share_in_channel"]
        return "  ".join(f"[{label}]" for label in labels) or None
    return None


def to_plain(message: Message) -> str:
    if not message.blocks:
        return message.text
    parts = [t for t in (_block_text(b) for b in message.blocks) if t]
    return "\n".join(parts)
