"""Measures the engine's throughput: articles per second through process_article on one core."""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import frontmatter

from briefing.actors import ActorRegistry
from briefing.models import ArticleInput
from briefing.pipeline import process_article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Issue 3's target for ~5 KB plain-text articles on one core.
TARGET_PER_SECOND = 50.0
# Fixed so two runs measure the same texts.
SHUFFLE_SEED = 11


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


def fresh_texts(docs: list[ArticleInput], rounds: int) -> list[ArticleInput]:
    """Each seed with its paragraphs shuffled and a numbered paragraph added, so no two texts
    are equal and the stages' per-text caches cannot make repeats look cheap."""
    rng = random.Random(SHUFFLE_SEED)
    out = []
    for r in range(rounds):
        for i, doc in enumerate(docs):
            paras = doc.text.split("\n\n")
            rng.shuffle(paras)
            extra = (f"Officials said on Tuesday that talks in round {r} had covered item {i}, "
                     f"and a spokesman added that {rng.randint(2, 90)} delegates took part.")
            out.append(doc.model_copy(update={"text": "\n\n".join([*paras, extra])}))
    return out


def text_caches() -> list[Callable[[], None]]:
    """cache_clear of the engine's bounded per-text caches (quotes by article, questions and
    dates by sentence). Shuffled seeds repeat the seeds' sentences, which these would answer
    from memory; new articles bring new sentences. Unbounded caches and maxsize=1 hold
    compiled patterns and permutations, the same for every text: they stay warm."""
    clears = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("briefing."):
            continue
        for value in vars(module).values():
            params = getattr(value, "cache_parameters", None)
            if (params is not None and params()["maxsize"] not in (None, 1)
                    and getattr(value, "__module__", "").startswith("briefing.")):
                clears.append(value.cache_clear)
    return clears


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=40, help="times to run over the seeds")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure this many times over new texts and keep the best")
    args = parser.parse_args()
    docs = load_seeds()
    registry = ActorRegistry()
    process_article(docs[0], registry=registry)  # warm up (compiled patterns, lazy imports)
    clears = text_caches()
    texts = fresh_texts(docs, args.rounds * args.repeat)
    size = sum(len(d.text.encode()) for d in texts) / len(texts)
    n = args.rounds * len(docs)
    best = float("inf")
    for rep in range(args.repeat):
        start = time.process_time()
        for doc in texts[rep * n:(rep + 1) * n]:
            for clear in clears:
                clear()
            process_article(doc, registry=registry)
        best = min(best, time.process_time() - start)
    rate = n / best
    print(f"{n} fresh articles (mean {size / 1024:.1f} KB) in {best:.2f} s of CPU: "
          f"{rate:.1f} articles/s, {1000 * best / n:.1f} ms each "
          f"(target {TARGET_PER_SECOND:.0f}/s: {'ok' if rate >= TARGET_PER_SECOND else 'BELOW'})")


if __name__ == "__main__":
    main()
