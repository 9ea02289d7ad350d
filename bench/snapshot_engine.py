"""Writes or checks a snapshot of process_article output over the seeds and engine test texts."""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import random
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import frontmatter

from briefing.actors import ActorRegistry
from briefing.models import ArticleInput
from briefing.pipeline import process_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ENGINE_TESTS = ROOT / "tests" / "engine"
# The publication date the engine tests give their short texts.
TEST_PUBLISHED = datetime(2025, 3, 1, tzinfo=UTC)
# String literals shorter than this in the tests are names and labels, not texts.
MIN_TEXT_CHARS = 20
# Seed variants with shuffled paragraphs: fixed so the snapshot is reproducible.
SHUFFLE_SEED = 7
SHUFFLED_VARIANTS = 3


def _published(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


def seed_docs() -> list[tuple[str, ArticleInput]]:
    docs = []
    for path in sorted(SEEDS.glob("[0-9]*.txt")):
        post = frontmatter.load(path)
        docs.append((path.name, ArticleInput(
            text=post.content, title=post.get("title"), outlet=post.get("outlet"),
            author=post.get("author"), published=_published(post.get("published")),
            path=f"seeds/{path.name}")))
    return docs


def shuffled_docs(seeds: list[tuple[str, ArticleInput]]) -> list[tuple[str, ArticleInput]]:
    rng = random.Random(SHUFFLE_SEED)
    out = []
    for name, doc in seeds:
        paras = doc.text.split("\n\n")
        for i in range(SHUFFLED_VARIANTS):
            rng.shuffle(paras)
            out.append((f"{name}#shuffle{i}", doc.model_copy(update={"text": "\n\n".join(paras)})))
    return out


def test_texts() -> list[tuple[str, ArticleInput]]:
    texts: dict[str, str] = {}
    for path in sorted(ENGINE_TESTS.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and len(node.value) >= MIN_TEXT_CHARS and " " in node.value):
                texts.setdefault(node.value, path.name)
    return [(f"{src}:{hashlib.sha1(t.encode()).hexdigest()[:10]}",
             ArticleInput(text=t, published=TEST_PUBLISHED)) for t, src in texts.items()]


def snapshot() -> dict[str, str]:
    seeds = seed_docs()
    registry = ActorRegistry()
    out = {}
    for name, doc in [*seeds, *shuffled_docs(seeds), *test_texts()]:
        # A fresh registry per seed as the tests use, and a shared one as ingestion does.
        out[name] = process_article(doc, registry=ActorRegistry()).model_dump_json()
        out[name + "@shared"] = process_article(doc, registry=registry).model_dump_json()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=["write", "check"])
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    current = snapshot()
    if args.action == "write":
        args.path.write_text(json.dumps(current, indent=0, sort_keys=True))
        print(f"wrote {len(current)} outputs to {args.path}")
        return
    expected = json.loads(args.path.read_text())
    # texts added to the tests since the snapshot was written are new, not changed
    diff = sorted(k for k in expected if expected[k] != current.get(k))
    for key in diff[:10]:
        print(f"DIFFERS: {key}")
    print(f"{len(current)} outputs, {len(diff)} of {len(expected)} snapshotted differ, "
          f"{len(current.keys() - expected.keys())} new")
    sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
