"""`briefbot ingest`: files and folders (and web addresses) in, with progress and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from briefing import services, sources
from briefing.actors import ActorRegistry
from briefing.errors import BriefingError
from briefing.files import find_article_files, read_article_file
from briefing.models import ArticleInput

if TYPE_CHECKING:
    from bot.bootstrap import Container

# Above this many files a progress bar is shown (a handful finish before one would be read).
PROGRESS_MIN_FILES = 5


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{len(self.new)} new, {len(self.unchanged)} unchanged, "
                 f"{len(self.failed)} failed."]
        lines += [f"  failed: {label}: {reason}" for label, reason in self.failed]
        return "\n".join(lines)


def _is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def ingest_paths(targets: list[str], *, container: Container, echo: bool = True) -> IngestReport:
    report = IngestReport()
    registry = services.load_registry(uow=container.uow)
    urls = [t for t in targets if _is_url(t)]
    files = list(find_article_files([Path(t) for t in targets if not _is_url(t)]))
    console = Console(stderr=True)
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=console,
                  disable=not echo or len(files) < PROGRESS_MIN_FILES, transient=True) as bar:
        task = bar.add_task("Ingesting", total=len(files))
        for path in files:
            try:
                doc = read_article_file(path)
                outcome = services.ingest_article(doc, uow=container.uow,
                                                  now=container.clock(), registry=registry)
            except BriefingError as exc:
                report.failed.append((str(path), str(exc)))
            else:
                if outcome.status == "new":
                    report.new.append(str(path))
                    if outcome.discovered:
                        registry = registry.with_actors(outcome.discovered)
                elif outcome.status == "unchanged":
                    report.unchanged.append(str(path))
                else:
                    report.failed.append((str(path), outcome.reason or "failed"))
            bar.advance(task)
    for url in urls:
        _ingest_url(url, container=container, report=report, registry=registry)
    return report


def _ingest_url(url: str, *, container: Container, report: IngestReport,
                registry: ActorRegistry) -> None:
    """A page or a feed read once, without adding it as a source; each item counts."""
    now = container.clock()

    def ingest(doc: ArticleInput) -> services.IngestOutcome:
        return services.ingest_article(doc, uow=container.uow, now=now, registry=registry)

    fetcher = container.deps.fetcher
    if fetcher is None:
        report.failed.append((url, "web fetching is not configured"))
        return
    try:
        read = sources.read_url(url, uow=container.uow, fetcher=fetcher,
                                ingest=ingest, now=now)
    except BriefingError as exc:
        report.failed.append((url, str(exc)))
        return
    items = read.items
    report.new.extend([url] * items.new)
    report.unchanged.extend([url] * items.unchanged)
    report.failed.extend((url, err) for err in items.errors)
    # more failures than the report kept messages for still count
    report.failed.extend((url, "failed") for _ in range(items.failed - len(items.errors)))
