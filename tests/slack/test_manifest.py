"""manifest.yml declares exactly the app's commands, with the handlers' usage, scopes and events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app import SLASH_COMMANDS
from bot.commands import COMMANDS

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
REQUEST_URL = "https://YOUR-HOST/slack/events"
# Slack's manifest schema: slash command descriptions and usage hints are short one-liners.
MAX_DESCRIPTION = 100
MAX_USAGE_HINT = 100


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return dict(yaml.safe_load(MANIFEST.read_text(encoding="utf-8")))


def declared(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["command"].lstrip("/"): c for c in manifest["features"]["slash_commands"]}


def hint_from_docstring(usage: str, name: str) -> str:
    """"/questions [topic] | /questions answered" -> "[topic] | answered"."""
    return usage.replace(f"/{name} ", "").replace(f"/{name}", "").strip()


def test_manifest_commands_are_the_command_layers_commands(manifest: dict[str, Any]) -> None:
    assert set(declared(manifest)) == set(COMMANDS) == set(SLASH_COMMANDS)


def test_usage_hints_are_the_handlers_docstrings(manifest: dict[str, Any]) -> None:
    for name, entry in declared(manifest).items():
        usage = COMMANDS[name].doc[0]
        assert entry["usage_hint"] == hint_from_docstring(usage, name), name
        assert 0 < len(entry["usage_hint"]) <= MAX_USAGE_HINT
        assert 0 < len(entry["description"]) <= MAX_DESCRIPTION
        assert entry["url"] == REQUEST_URL
        assert entry["should_escape"] is False  # the app escapes; it sees what was typed


def test_scopes_home_interactivity_events_and_socket_mode(manifest: dict[str, Any]) -> None:
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands", "chat:write", "chat:write.public", "users:read",
        "channels:history", "groups:history"}  # a digest retry looks for its post first
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] is True and home["messages_tab_enabled"] is True
    settings = manifest["settings"]
    assert settings["interactivity"] == {"is_enabled": True, "request_url": REQUEST_URL}
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert settings["event_subscriptions"]["request_url"] == REQUEST_URL
    assert settings["socket_mode_enabled"] is True
