"""Measures the engine's throughput: articles per second through process_article on one core."""

from __future__ import annotations

import argparse
import time
from datetime import UTC, date, datetime
from pathlib import Path

import frontmatter

from briefing.actors import ActorRegistry
from briefing.models import ArticleInput
from briefing.pipeline import process_article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Issue 3's target for ~5 KB plain-text articles on one core.
TARGET_PER_SECOND = 50.0


def load_seeds() -> list[ArticleInput]:
    docs = []
    for path in sorted(SEEDS.glob("[0-9]*.txt")):
        post = frontmatter.load(path)
        pub = post.get("published")
        if isinstance(pub, date) and not isinstance(pub, datetime):
            pub = datetime(pub.year, pub.month, pub.day, tzinfo=UTC)
        docs.append(ArticleInput(text=post.content, title=post.get("title"), published=pub,
                                 path=str(path)))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=40, help="times to run over the seeds")
    args = parser.parse_args()
    docs = load_seeds()
    registry = ActorRegistry()
    process_article(docs[0], registry=registry)  # warm caches (compiled patterns)
    size = sum(len(d.text.encode()) for d in docs) / len(docs)
    n = 0
    start = time.process_time()
    for _ in range(args.rounds):
        for doc in docs:
            process_article(doc, registry=registry)
            n += 1
    elapsed = time.process_time() - start
    rate = n / elapsed
    print(f"{n} articles (mean {size / 1024:.1f} KB) in {elapsed:.2f} s of CPU: "
          f"{rate:.1f} articles/s, {1000 * elapsed / n:.1f} ms each "
          f"(target {TARGET_PER_SECOND:.0f}/s: {'ok' if rate >= TARGET_PER_SECOND else 'BELOW'})")


if __name__ == "__main__":
    main()
