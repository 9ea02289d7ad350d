"""The engine stays free of Slack, SQL, scheduler and outer-layer imports."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "briefing"
FORBIDDEN = ("slack", "slack_sdk", "slack_bolt", "sqlalchemy", "sqlmodel", "alembic",
             "psycopg", "psycopg2", "apscheduler", "bot", "storage")


def _imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _forbidden(names: set[str]) -> set[str]:
    return {n for n in names if n.split(".")[0] in FORBIDDEN}


def test_engine_modules_import_no_slack_sql_or_scheduler() -> None:
    offenders = {}
    for path in sorted(ENGINE.rglob("*.py")):
        bad = _forbidden(_imported_modules(path.read_text(encoding="utf-8")))
        if bad:
            offenders[str(path.relative_to(ENGINE.parent))] = sorted(bad)
    assert offenders == {}


def test_the_check_catches_a_forbidden_import() -> None:
    sample = "import os\nfrom sqlalchemy import select\nimport slack_bolt.app\n"
    assert _forbidden(_imported_modules(sample)) == {"sqlalchemy", "slack_bolt.app"}
