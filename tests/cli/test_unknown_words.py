"""/questions and /timeline with words that match nothing say so and suggest, as /stance does;
a known topic (or words the store holds) with nothing to show is simply empty."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import briefbot, seeded  # noqa: F401  (seeded is a fixture)

NOTHING = "Nothing matches “nonexistenttopic”: it names no topic or actor"


def test_unknown_words_for_timeline_and_questions_say_so_and_suggest(
        seeded: str, tmp_path: Path) -> None:  # noqa: F811
    for command in ("/timeline nonexistenttopic", "/questions nonexistenttopic",
                    "/questions answered nonexistenttopic"):
        result = briefbot("ask", command, db_url=seeded, cwd=tmp_path)
        assert result.returncode == 1, command
        assert result.stdout.startswith(NOTHING), result.stdout
        assert "\nTry: " in result.stdout
        assert "No dated developments found." not in result.stdout


def test_unknown_words_as_json_are_the_error_object_with_suggestions(
        seeded: str, tmp_path: Path) -> None:  # noqa: F811
    for command in ("questions", "timeline"):
        result = briefbot(command, "nonexistenttopic", "--json", db_url=seeded, cwd=tmp_path)
        assert result.returncode == 1
        error = json.loads(result.stdout)
        assert error["error"].startswith(NOTHING)
        assert error["suggestions"] and all(isinstance(s, str) for s in error["suggestions"])


def test_a_known_topic_without_questions_is_an_empty_answer_not_an_error(
        seeded: str, tmp_path: Path) -> None:  # noqa: F811
    result = briefbot("questions", "sanctions", "--json", db_url=seeded, cwd=tmp_path)
    assert result.returncode == 0 and json.loads(result.stdout) == []
    shown = briefbot("ask", "/timeline sanctions", db_url=seeded, cwd=tmp_path)
    assert shown.returncode == 0 and "No dated developments found." in shown.stdout


def test_an_actor_or_words_the_store_holds_are_not_unknown(
        seeded: str, tmp_path: Path) -> None:  # noqa: F811
    for command in ("/timeline peskov", "/timeline Riyadh", "/questions putin"):
        result = briefbot("ask", command, db_url=seeded, cwd=tmp_path)
        assert result.returncode == 0, command + result.stdout
        assert "Nothing matches" not in result.stdout
