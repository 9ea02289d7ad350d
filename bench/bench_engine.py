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

from briefing import clean, events, mentions, questions, sentences, stance, stories
from briefing.actors import ActorRegistry
from briefing.models import ArticleInput
from briefing.pipeline import process_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Issue 3's target for ~5 KB plain-text articles on one core.
TARGET_PER_SECOND = 50.0
# Fixed so two runs measure the same texts.
SHUFFLE_SEED = 11
CORPUS_SEED = 11
# The stages process_article runs, as module attributes it looks up at each call.
STAGES = ((clean, "clean_article"), (sentences, "split_sentences"), (mentions, "find_mentions"),
          (stance, "extract_statements"), (events, "extract_events"),
          (questions, "detect_questions"), (stories, "fingerprint"))


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


def corpus_texts(count: int) -> list[ArticleInput]:
    """Generated articles (bench/corpus.py: ~4.6 KB, denser in statements and dated events
    than the seeds), wire copies and updates included."""
    if not __package__:  # run as a script: bench/ is on the path, the root is not
        sys.path.insert(0, str(ROOT))
    from bench import corpus

    return corpus.articles(count, seed=CORPUS_SEED)


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


def _run(docs: list[ArticleInput], clears: list[Callable[[], None]],
         registry: ActorRegistry) -> float:
    """CPU seconds to process the articles, the caches cleared before each."""
    start = time.process_time()
    for doc in docs:
        for clear in clears:
            clear()
        process_article(doc, registry=registry)
    return time.process_time() - start


def stage_times(docs: list[ArticleInput], clears: list[Callable[[], None]],
                registry: ActorRegistry) -> dict[str, float]:
    """CPU seconds per stage over the articles (a separate pass: the timers cost ~1 us a call)."""
    spent: dict[str, float] = {name: 0.0 for _, name in STAGES}
    originals = [(module, name, getattr(module, name)) for module, name in STAGES]

    def timed(name: str, fn: Callable[..., object]) -> Callable[..., object]:
        def run(*args: object, **kwargs: object) -> object:
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - start
        return run

    for module, name, fn in originals:
        setattr(module, name, timed(name, fn))
    try:
        spent["process_article"] = _run(docs, clears, registry)
    finally:
        for module, name, fn in originals:
            setattr(module, name, fn)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=40, help="times to run over the seeds")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure this many times over new texts and keep the best")
    parser.add_argument("--corpus", action="store_true",
                        help="generated articles (bench/corpus.py) instead of shuffled seeds, "
                             "as many as the seeds would give")
    parser.add_argument("--stages", action="store_true",
                        help="also print CPU ms per article for each stage (one more pass)")
    args = parser.parse_args()
    docs = load_seeds()
    registry = ActorRegistry()
    process_article(docs[0], registry=registry)  # warm up (compiled patterns, lazy imports)
    clears = text_caches()
    n = args.rounds * len(docs)
    passes = args.repeat + (1 if args.stages else 0)
    texts = corpus_texts(n * passes) if args.corpus else fresh_texts(docs, args.rounds * passes)
    size = sum(len(d.text.encode()) for d in texts) / len(texts)
    best = min(_run(texts[rep * n:(rep + 1) * n], clears, registry)
               for rep in range(args.repeat))
    rate = n / best
    kind = "generated" if args.corpus else "fresh"
    print(f"{n} {kind} articles (mean {size / 1024:.1f} KB) in {best:.2f} s of CPU: "
          f"{rate:.1f} articles/s, {1000 * best / n:.1f} ms each "
          f"(target {TARGET_PER_SECOND:.0f}/s: {'ok' if rate >= TARGET_PER_SECOND else 'BELOW'})")
    if args.stages:
        spent = stage_times(texts[args.repeat * n:], clears, registry)
        total = spent.pop("process_article")
        rest = total - sum(spent.values())
        print("ms per article: " + "  ".join(
            f"{name} {1000 * t / n:.2f}" for name, t in [*spent.items(), ("rest", rest)]))


if __name__ == "__main__":
    main()
