"""`python -m bench --quick|--full`: scale benchmarks on SQLite and Postgres, a table and JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import bench_digest, corpus, scale
from bot.settings import cpu_count
from briefing import batch, services
from briefing.actors import ActorRegistry
from briefing.pipeline import process_article
from storage import db
from storage.uow import SqlUnitOfWorkFactory
from tests.slack.fake_slack import fake_slack
from tests.slack.slackhttp import SIGNING_SECRET, SlackSender

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent
BRIEFBOT = Path(sys.executable).parent / "briefbot"

# Issue 7's targets on this 2-core machine.
TARGET_P99_MS = 200.0
TARGET_RATIO = 3.0  # command p99 against the do-nothing command's p99
TARGET_INGEST_PER_S = 50.0
TARGET_INGEST_GROWTH = 1.3  # per-article cost at the largest store against 1,000 stored
TARGET_DIGEST_S = 2.0
TARGET_RSS_MB = 300.0

# The commands measured, and the do-nothing baseline: `/briefing help` goes through the same
# signature check, Bolt dispatch, listener, rendering and acknowledgement, and reads no store.
COMMANDS = {
    "stance": "/stance putin ceasefire",
    "questions": "/questions ceasefire",
    "brief": "/brief ceasefire",
    # the brief of everything, as a channel asks it first: every topic, everyone's evidence
    "brief_all": "/brief",
    "timeline": "/timeline ceasefire",
}
NOOP = ("noop", "/briefing help")
USER = "UBENCH0001"
CHANNEL = "CBENCH"
WARMUP_ROUNDS = 3
SERVER_START_SECONDS = 60.0
INGEST_SEED = 99  # new articles for the ingest measure: not in any store
INGEST_BATCH_SEED = 98  # other new articles for the batch ingest measure
DIGEST_ROUNDS = 3


@dataclass(frozen=True)
class Mode:
    name: str
    sizes: tuple[int, ...]
    distinct: int  # articles ingested through the pipeline per store; the rest are copies
    rounds: int  # requests per command
    ingest: int  # new articles ingested to measure ingest cost
    commands_only: bool = False  # the slash-commands alone: no digest, no ingest (store kept)


MODES = {
    "quick": Mode("quick", (1_000, 10_000), distinct=100, rounds=40, ingest=30),
    "full": Mode("full", (1_000, 100_000), distinct=250, rounds=60, ingest=40),
}


@dataclass
class Figures:
    backend: str
    size: int
    commands: dict[str, dict[str, float]] = field(default_factory=dict)
    rss_mb: float | None = None
    digest_s: float | None = None
    digest_new_articles: int | None = None
    ingest_ms_per_article: float | None = None
    ingest_db_ms_per_article: float | None = None
    ingest_batch_per_s: float | None = None  # the same number of other new articles, one batch
    ingest_batch_workers: int | None = None


# --- measures ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def _vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def measure_serve(url: str, *, rounds: int) -> tuple[dict[str, dict[str, float]], float]:
    """`briefbot serve` over HTTP as a separate process: round trips of signed slash-commands
    (request in, acknowledgement with blocks out), then the process's RSS high-water mark."""
    with fake_slack() as fake:
        fake.users[USER] = {"id": USER, "tz": "UTC", "is_admin": False, "is_owner": False}
        port = _free_port()
        env = {**os.environ, "DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-bench",
               "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake.api_url,
               "PORT": str(port), "LOG_LEVEL": "WARNING", "SLACK_APP_TOKEN": ""}
        proc = subprocess.Popen([str(BRIEFBOT), "serve"], env=env, cwd=tempfile.gettempdir())
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + SERVER_START_SECONDS
            with httpx.Client(trust_env=False) as probe:
                while True:
                    if proc.poll() is not None:
                        raise RuntimeError("briefbot serve exited")
                    try:
                        if probe.get(base + "/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.monotonic() > deadline:
                        raise RuntimeError("briefbot serve did not start")
                    time.sleep(0.1)
            sender = SlackSender(base, response_url=fake.response_url())
            texts = {**COMMANDS, NOOP[0]: NOOP[1]}
            times: dict[str, list[float]] = {k: [] for k in texts}
            failures = dict.fromkeys(texts, 0)
            for n in range(WARMUP_ROUNDS + rounds):
                for key, command in texts.items():
                    name, _, rest = command.lstrip("/").partition(" ")
                    body = sender.command_body(name, rest, user_id=USER, channel_id=CHANNEL,
                                               response_url=fake.response_url())
                    t0 = time.perf_counter()
                    response = sender.post(body)
                    elapsed = time.perf_counter() - t0
                    # Bolt answers 404 when no acknowledgement came within Slack's 3 seconds:
                    # counted as a failure, its time kept
                    ok = response.status_code == 200 and "blocks" in response.json()
                    if n >= WARMUP_ROUNDS:
                        times[key].append(elapsed * 1000)
                        failures[key] += not ok
            noop_p99 = _percentile(times[NOOP[0]], 0.99)
            out = {}
            for key, values in times.items():
                p99 = _percentile(values, 0.99)
                out[key] = {"p50_ms": statistics.median(values), "p99_ms": p99,
                            "ratio_p99_to_noop": p99 / noop_p99,
                            "ratio_p50_to_noop": statistics.median(values)
                            / statistics.median(times[NOOP[0]]),
                            "failures": failures[key], "requests": len(values)}
            return out, _vm_hwm_mb(proc.pid)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def measure_digest(url: str, spec: scale.StoreSpec, *,
                   rounds: int = DIGEST_ROUNDS) -> tuple[float, int]:
    """One channel's digest for the store's last day (ARTICLES_PER_DAY new articles): the
    median build time (bench/bench_digest.py) and the number of new articles it covered."""
    f = bench_digest.measure(url, spec, rounds=rounds)
    return f.median_s, f.answer.new_articles


def ingest_docs(count: int, after: datetime, *, seed: int = INGEST_SEED) -> list[Any]:
    """New articles, published after the store's end, from a seed no store uses."""
    return [g.doc for g in corpus.generate(count, seed=seed, start=after)]


def measure_ingest_batch(url: str, docs: Sequence[Any], *, workers: int) -> float:
    """Articles per second through the batch path (`briefbot ingest` of a folder): processed
    by `workers` worker processes, stored in order by this one; the pool's start included
    (the forkserver is started beforehand, once per process, as a long-running one has it)."""
    engine = db.make_engine(url)
    try:
        uow = SqlUnitOfWorkFactory(engine)
        registry = services.load_registry(uow=uow)
        now = max(doc.published for doc in docs) + scale.INGEST_DELAY
        ingest = batch.BatchIngest(uow=uow, now=now, registry=registry, workers=workers)
        if ingest.uses_pool(len(docs)):
            batch.wait_for_forkserver()  # once per process, as a long-running one has it
        t0 = time.perf_counter()
        for result in ingest.run(docs, size=len(docs)):
            if result.outcome is None or result.outcome.status != "new":
                raise RuntimeError(f"batch ingest: {result.stage} {result.error} "
                                   f"{result.outcome}")
        return len(docs) / (time.perf_counter() - t0)
    finally:
        engine.dispose()


def measure_ingest(url: str, docs: Sequence[Any]) -> tuple[float, float]:
    """(wall ms per article through ingest_article, of which outside process_article)."""
    engine = db.make_engine(url)
    try:
        uow = SqlUnitOfWorkFactory(engine)
        registry = services.load_registry(uow=uow)
        process_article(docs[0], registry=ActorRegistry())  # warm compiled patterns
        t0 = time.perf_counter()
        for doc in docs:
            outcome = services.ingest_article(doc, uow=uow, now=doc.published + scale.INGEST_DELAY,
                                              registry=registry)
            if outcome.status != "new":
                raise RuntimeError(f"ingest: {outcome.status} {outcome.reason}")
        total = (time.perf_counter() - t0) / len(docs) * 1000
        t0 = time.perf_counter()
        for doc in docs:
            process_article(doc, registry=registry)
        nlp = (time.perf_counter() - t0) / len(docs) * 1000
        return total, total - nlp
    finally:
        engine.dispose()


# --- running -------------------------------------------------------------------------------------


def measure(url: str, spec: scale.StoreSpec, *, backend: str, mode: Mode,
            log: Callable[[str], None]) -> Figures:
    """Every measure on one store; ingestion last, since it adds articles."""
    fig = Figures(backend=backend, size=spec.size)
    fig.commands, fig.rss_mb = measure_serve(url, rounds=mode.rounds)
    if mode.commands_only:
        log("  done: " + ", ".join(f"{k} p50 {v['p50_ms']:.0f} p99 {v['p99_ms']:.0f} ms"
                                   for k, v in fig.commands.items()))
        return fig
    fig.digest_s, fig.digest_new_articles = measure_digest(url, spec)
    docs = ingest_docs(mode.ingest, spec.end)
    fig.ingest_ms_per_article, fig.ingest_db_ms_per_article = measure_ingest(url, docs)
    fig.ingest_batch_workers = cpu_count()  # INGEST_WORKERS' default
    fig.ingest_batch_per_s = measure_ingest_batch(
        url, ingest_docs(mode.ingest, spec.end, seed=INGEST_BATCH_SEED),
        workers=fig.ingest_batch_workers)
    log(f"  done: stance p99 {fig.commands['stance']['p99_ms']:.0f} ms, "
        f"digest {fig.digest_s:.2f} s, ingest "
        f"{fig.ingest_ms_per_article:.1f} ms/article, batch {fig.ingest_batch_per_s:.1f}/s "
        f"with {fig.ingest_batch_workers} workers, RSS {fig.rss_mb:.0f} MB")
    return fig


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def run(mode: Mode, *, backends: Sequence[str], existing: dict[int, str] | None = None,
        log: Callable[[str], None] = print) -> dict[str, Any]:
    """Measure every backend at every size; `existing` maps a size to the URL of a store
    already built for it (a copy the run may change, and does not drop)."""
    figures: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as tmp:
        work = Path(tmp)
        for backend in backends:
            for size in mode.sizes:
                spec = scale.StoreSpec(size=size, distinct=min(mode.distinct, size))
                log(f"{backend}, {size:,} articles:")
                if existing and size in existing:
                    scale.upgrade_store(existing[size], log=log)
                    figures.append(measure(existing[size], spec, backend=backend, mode=mode,
                                           log=log))
                    continue
                url, handle = scale.store_for(backend, spec, work=work, log=log)
                try:
                    figures.append(measure(url, spec, backend=backend, mode=mode, log=log))
                finally:
                    if backend == "postgres":
                        scale.drop_postgres(handle)
                    else:
                        Path(handle).unlink(missing_ok=True)
    return {"mode": mode.name, "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(), "targets": targets(),
            "figures": [asdict(f) for f in figures], "summary": summary(figures)}


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
            # other work on the machine while measuring (1, 5, 15-minute load averages)
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "system": platform.platform(),
            "sqlite": __import__("sqlite3").sqlite_version,
            "postgres": _postgres_version()}


def _postgres_version() -> str | None:
    try:
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tA", "-c",
                              "SHOW server_version"], capture_output=True, text=True, timeout=5)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def targets() -> dict[str, float]:
    return {"command_p99_ms": TARGET_P99_MS, "command_ratio_to_noop": TARGET_RATIO,
            "ingest_per_s": TARGET_INGEST_PER_S, "ingest_growth": TARGET_INGEST_GROWTH,
            "digest_s": TARGET_DIGEST_S, "rss_mb": TARGET_RSS_MB}


def summary(figures: Sequence[Figures]) -> dict[str, dict[str, Any]]:
    """Per backend, at the largest size: each figure against its target."""
    out: dict[str, dict[str, Any]] = {}
    for backend in sorted({f.backend for f in figures}):
        mine = sorted((f for f in figures if f.backend == backend), key=lambda f: f.size)
        small, large = mine[0], mine[-1]
        rows: dict[str, Any] = {"size": large.size}
        worst_p99 = max(v["p99_ms"] for k, v in large.commands.items() if k != NOOP[0])
        worst_ratio = max(v["ratio_p99_to_noop"] for k, v in large.commands.items()
                          if k != NOOP[0])
        rows["command_p99_ms"] = _check(worst_p99, TARGET_P99_MS)
        rows["command_ratio_to_noop"] = _check(worst_ratio, TARGET_RATIO)
        rows["rss_mb"] = _check(large.rss_mb or 0.0, TARGET_RSS_MB)
        if not (large.ingest_ms_per_article and small.ingest_ms_per_article):
            out[backend] = rows  # --commands-only: no ingest or digest figures
            continue
        rows["ingest_per_s"] = _check(1000 / large.ingest_ms_per_article, TARGET_INGEST_PER_S,
                                      higher_is_better=True)
        if large.ingest_batch_per_s:
            rows["ingest_batch_per_s"] = _check(large.ingest_batch_per_s, TARGET_INGEST_PER_S,
                                                higher_is_better=True)
        rows["ingest_growth"] = _check(large.ingest_ms_per_article / small.ingest_ms_per_article,
                                       TARGET_INGEST_GROWTH)
        rows["digest_s"] = _check(large.digest_s or 0.0, TARGET_DIGEST_S)
        out[backend] = rows
    return out


def _check(value: float, target: float, *, higher_is_better: bool = False) -> dict[str, Any]:
    ok = value >= target if higher_is_better else value < target
    return {"value": round(value, 3), "target": target, "ok": ok}


def table(result: dict[str, Any]) -> str:
    lines = [f"briefbot bench ({result['mode']}, {result['when']}) on "
             f"{result['machine']['cores']} cores, {result['machine']['cpu']}"]
    head = (f"{'db':9} {'articles':>8} {'command':10} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'x noop p99':>10} {'failed':>6}")
    lines += ["", head, "-" * len(head)]
    for f in result["figures"]:
        for key, v in f["commands"].items():
            lines.append(f"{f['backend']:9} {f['size']:>8,} {key:10} {v['p50_ms']:8.1f} "
                         f"{v['p99_ms']:8.1f} {v['ratio_p99_to_noop']:10.2f} "
                         f"{v['failures']:>6}")
    head = (f"{'db':9} {'articles':>8} {'ingest ms/art':>13} {'(not NLP)':>9} "
            f"{'ingest art/s':>12} {'batch art/s':>11} {'workers':>7} {'digest s':>8} "
            f"{'serve RSS MB':>12}")
    lines += ["", head, "-" * len(head)]
    for f in result["figures"]:
        if f["ingest_ms_per_article"] is None:  # --commands-only
            lines.append(f"{f['backend']:9} {f['size']:>8,} {'-':>13} {'-':>9} {'-':>12} "
                         f"{'-':>8} {f['rss_mb']:12.0f}")
            continue
        lines.append(f"{f['backend']:9} {f['size']:>8,} {f['ingest_ms_per_article']:13.1f} "
                     f"{f['ingest_db_ms_per_article']:9.1f} "
                     f"{1000 / f['ingest_ms_per_article']:12.1f} "
                     f"{f.get('ingest_batch_per_s') or 0:11.1f} "
                     f"{f.get('ingest_batch_workers') or 0:>7} {f['digest_s']:8.3f} "
                     f"{f['rss_mb']:12.0f}")
    lines += ["", "targets at the largest size:"]
    for backend, rows in result["summary"].items():
        size = rows.pop("size")
        parts = [f"{k} {v['value']:g} ({'ok' if v['ok'] else 'MISSED'}, target {v['target']:g})"
                 for k, v in rows.items()]
        rows["size"] = size
        lines.append(f"  {backend} at {size:,}: " + "; ".join(parts))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="1,000 and 10,000 articles")
    group.add_argument("--full", action="store_true", help="1,000 and 100,000 articles")
    parser.add_argument("--sizes", help="comma-separated store sizes (overrides the mode's)")
    parser.add_argument("--distinct", type=int, help="articles ingested through the pipeline")
    parser.add_argument("--rounds", type=int, help="requests per command")
    parser.add_argument("--ingest", type=int, help="new articles for the ingest measure")
    parser.add_argument("--backends", default="sqlite,postgres",
                        help="sqlite and/or postgres (postgres skipped when unreachable)")
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/MODE.json)")
    parser.add_argument("--existing", action="append", default=[], metavar="SIZE=URL",
                        help="measure a store already built for SIZE (changed, not dropped)")
    parser.add_argument("--commands-only", action="store_true",
                        help="measure the slash-commands (and serve's memory) only: no digest "
                        "and no ingest, so an --existing store is left as it was")
    args = parser.parse_args(argv)
    # stopped with SIGTERM, still stop `briefbot serve` and drop the bench databases
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    mode = MODES["full" if args.full else "quick"]
    overrides: dict[str, Any] = {}
    if args.sizes:
        overrides["sizes"] = tuple(int(s) for s in args.sizes.split(","))
    for name in ("distinct", "rounds", "ingest"):
        if getattr(args, name) is not None:
            overrides[name] = getattr(args, name)
    if args.commands_only:
        overrides["commands_only"] = True
    if overrides:
        mode = Mode(**{**asdict(mode), **overrides, "name": mode.name + "-custom"})
    backends = [b for b in args.backends.split(",") if b]
    if "postgres" in backends and not postgres_available():
        print("Postgres is not reachable on 127.0.0.1:5432; SQLite only.")
        backends.remove("postgres")
    t0 = time.perf_counter()
    existing = {int(k): v for k, v in (e.split("=", 1) for e in args.existing)}
    result = run(mode, backends=backends, existing=existing)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    out = args.out or RESULTS / f"{mode.name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(table(result))
    print(f"\n{result['seconds']:.0f} s; figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
