"""Measures building one channel's digest for a day of 1,000 new articles over a 100,000 store.

The store is the realistic one `python -m bench` measures (bench/scale.py): generated articles
run through the real pipeline, then copied up to the size asked for, so a day holds about 35
statements and 4 question raises per article, and the questions keep gathering raises as the
stories that raise them go on (thousands each at 100,000 articles). An earlier synthetic store
with 3 statements and one question per 20 articles hid what the digest cost at that size.
`python -m bench` takes its digest figure from `measure` below.

    .venv/bin/python -m bench.bench_digest                         # SQLite, 100,000 articles
    .venv/bin/python -m bench.bench_digest --backend postgres --size 1000
    .venv/bin/python -m bench.bench_digest --db sqlite:////tmp/store.db --size 100000 --profile

A built store is cached in bench/.cache and copied for each run (building 100,000 takes
minutes on SQLite and most of an hour on Postgres); `--db` measures a store already at hand
(built by bench/scale.py for `--size`, migrated here to the code's schema).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench import scale
from bot.blocks import digest_messages
from briefing import services
from briefing.digest import DigestAnswer, build_digest
from storage import db
from storage.uow import SqlUnitOfWorkFactory

# Issue 5, Speed: one channel's digest for a day of 1,000 new articles over a store of 100,000,
# under 2 seconds.
TARGET_SECONDS = 2.0
CHANNEL = "CBENCH"
ROUNDS = 3


@dataclass(frozen=True)
class DigestFigures:
    median_s: float
    min_s: float
    max_s: float
    render_ms: float
    answer: DigestAnswer


def measure(url: str, spec: scale.StoreSpec, *, rounds: int = ROUNDS) -> DigestFigures:
    """One channel's digest of the store's last day (ARTICLES_PER_DAY new articles), built
    `rounds` times in process as the clock builds it, and rendered as it would be posted."""
    engine = db.make_engine(url)
    try:
        uow = SqlUnitOfWorkFactory(engine)
        registry = services.load_registry(uow=uow)
        times, render = [], []
        answer = None
        for _ in range(rounds):
            t0 = time.perf_counter()
            answer = build_digest(CHANNEL, uow=uow, now=spec.end,
                                  since=spec.end - timedelta(days=1), registry=registry)
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            digest_messages(answer)
            render.append(time.perf_counter() - t0)
        assert answer is not None
        return DigestFigures(median_s=statistics.median(times), min_s=min(times),
                             max_s=max(times), render_ms=statistics.median(render) * 1000,
                             answer=answer)
    finally:
        engine.dispose()


def profile(url: str, spec: scale.StoreSpec, *, lines: int = 30) -> None:
    """One more digest under cProfile: the functions with the most cumulative time."""
    engine = db.make_engine(url)
    try:
        uow = SqlUnitOfWorkFactory(engine)
        registry = services.load_registry(uow=uow)
        prof = cProfile.Profile()
        prof.enable()
        build_digest(CHANNEL, uow=uow, now=spec.end, since=spec.end - timedelta(days=1),
                     registry=registry)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(lines)
    finally:
        engine.dispose()


def report(f: DigestFigures, *, rounds: int) -> str:
    a = f.answer
    return (f"digest of {a.since:%Y-%m-%d %H:%M} to {a.now:%Y-%m-%d %H:%M}: "
            f"{a.new_articles:,} new articles in {a.stories_total:,} stories, "
            f"{a.stance_changes_total} stance changes, {len(a.contradictions)} contradictions "
            f"shown, {len(a.opened)} opened / {len(a.answered)} answered / "
            f"{len(a.unresolved)} unresolved questions shown\n"
            f"build_digest: min {f.min_s:.3f} s, median {f.median_s:.3f} s, max {f.max_s:.3f} s "
            f"over {rounds} rounds (target < {TARGET_SECONDS:.0f} s: "
            f"{'OK' if f.median_s < TARGET_SECONDS else 'MISSED'}); "
            f"rendering: median {f.render_ms:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", type=int, default=100_000, help="articles in the store")
    parser.add_argument("--distinct", type=int, default=250,
                        help="of which ingested through the pipeline (as `make bench-full`)")
    parser.add_argument("--db", help="a store already built for --size (not copied, not "
                        "dropped; migrated to the code's schema)")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--profile", action="store_true", help="and one more under cProfile")
    args = parser.parse_args()
    spec = scale.StoreSpec(size=args.size, distinct=min(args.distinct, args.size))
    with tempfile.TemporaryDirectory(prefix="briefbot-digest-") as tmp:
        handle = None
        if args.db:
            url = args.db
            scale.upgrade_store(url, log=print)
        else:
            url, handle = scale.store_for(args.backend, spec, work=Path(tmp), log=print)
        try:
            print(f"store: {spec.size:,} articles at {url}")
            print(report(measure(url, spec, rounds=args.rounds), rounds=args.rounds))
            if args.profile:
                profile(url, spec)
        finally:
            if handle is not None and args.backend == "postgres":
                scale.drop_postgres(handle)


if __name__ == "__main__":
    main()
